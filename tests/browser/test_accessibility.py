"""axe-core finds no WCAG 2.1 A/AA violation on any page, in light and dark schemes, with and without JavaScript."""
from __future__ import annotations

import pytest

from harness import SCHEMES, wait_for_charts

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(result => result.violations)"


def describe(page_name: str, violations: list[dict]) -> list[str]:
    return [
        f"{page_name}: {v['id']} ({v['impact']}): {v['help']}: " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        + (f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
        for v in violations
    ]


@pytest.mark.parametrize("scripts", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_wcag_violations(explainer, new_page, axe_source, scheme, scripts):
    page = new_page(color_scheme=scheme)
    if not scripts:
        # axe needs timers, which a context without JavaScript never runs; blocking the site's own
        # scripts gives the same page a reader without JavaScript sees.
        page.route("**/*.js", lambda route: route.abort())
    found = []
    for name in explainer.pages:
        page.goto(explainer.url(name))
        if scripts:
            wait_for_charts(page)
        page.add_script_tag(content=axe_source)
        found += describe(name, page.evaluate(RUN_AXE, WCAG_TAGS))
    assert not found, f"axe-core, {scheme} scheme, {'with' if scripts else 'without'} JavaScript:\n" + "\n".join(found)


def test_reduced_motion_is_honoured(explainer, new_page):
    """With prefers-reduced-motion, nothing animates, transitions or scrolls smoothly."""
    page = new_page(reduced_motion="reduce")
    moving = []
    for name in explainer.pages:
        page.goto(explainer.url(name))
        wait_for_charts(page)
        moving += [
            f"{name}: {element}"
            for element in page.evaluate(
                """() => [...document.querySelectorAll('*')].filter(element => {
                    const style = getComputedStyle(element);
                    return style.animationName !== 'none' || style.scrollBehavior === 'smooth'
                        || style.transitionDuration.split(',').some(time => parseFloat(time) > 0);
                }).map(element => element.tagName.toLowerCase() + (element.className ? '.' + element.className : ''))"""
            )
        ]
    assert not moving, "moves despite prefers-reduced-motion: reduce:\n" + "\n".join(moving)
