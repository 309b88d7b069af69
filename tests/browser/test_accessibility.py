"""Chromium: reduced motion honoured, chart text and marks that stand out. (axe-core in both schemes, with
and without JavaScript, runs in every engine: test_readers.py.)"""

from __future__ import annotations

import re

from .harness import SCHEMES, contrast
from .readers import wait_for_charts

# Each text and each mark of the build-time charts, with the paints (fill, stroke) it is drawn in
# and their opacity (axe does not look into SVG).
CHART_COLOURS = """() => [...document.querySelectorAll('figure[data-chart] .chart-static svg')].flatMap(svg => {
    const painted = (element, kind) => {
        const style = getComputedStyle(element);
        const paints = ['fill', 'stroke']
            .filter(paint => style[paint].startsWith('rgb') && (paint === 'fill' || parseFloat(style.strokeWidth) > 0))
            .map(paint => ({
                colour: style[paint],
                opacity: parseFloat(style.opacity) * parseFloat(style[paint + 'Opacity']),
            }))
            .filter(paint => paint.opacity > 0);
        return {chart: svg.closest('figure').dataset.chart, kind, paints, what: element.textContent};
    };
    return [...[...svg.querySelectorAll('text')].map(text => painted(text, 'text')),
            ...[...svg.querySelectorAll('.role-mark > :is(path, line, rect, circle), .role-legend-symbol path')]
                .map(mark => painted(mark, 'mark'))];
}).filter(item => item.paints.length > 0)"""
BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"
NEEDED = {"text": 4.5, "mark": 3.0}  # WCAG 1.4.3 for text, 1.4.11 for the marks that carry the data


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


def blended(colour: str, opacity: float, background: str) -> str:
    """The colour seen when `colour` at `opacity` lies over `background`."""
    front, back = (re.findall(r"[\d.]+", c)[:3] for c in (colour, background))
    return "rgb({}, {}, {})".format(
        *(opacity * float(f) + (1 - opacity) * float(b) for f, b in zip(front, back, strict=True))
    )


def test_chart_text_and_marks_stand_out(explainer, new_page):
    """Chart text 4.5:1 and data marks 3:1 against the page, in both schemes (axe does not look into SVG)."""
    page = new_page(java_script_enabled=False)
    faint: dict[str, int] = {}  # one line per page, scheme, chart, kind and colour, with how many are faint
    painted = 0
    for name in explainer.pages:
        page.goto(explainer.url(name))
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            background = page.evaluate(BACKGROUND)
            for item in page.evaluate(CHART_COLOURS):
                painted += 1
                # An outline is as good as a fill: the shape stands out if either paint does.
                ratio, paint = max(
                    ((contrast(blended(p["colour"], p["opacity"], background), background), p) for p in item["paints"]),
                    key=lambda pair: pair[0],
                )
                if ratio < NEEDED[item["kind"]]:
                    line = (
                        f"{name} ({scheme}): chart {item['chart']}: {item['kind']} in {paint['colour']} at opacity"
                        f" {paint['opacity']:g}: {ratio:.2f}:1 on {background}"
                        + (f" ({item['what']!r})" if item["kind"] == "text" else "")
                    )
                    faint[line] = faint.get(line, 0) + 1
    assert painted, "no chart text or marks found: the check checked nothing"
    assert not faint, "too faint:\n" + "\n".join(f"{line} x{count}" for line, count in faint.items())
