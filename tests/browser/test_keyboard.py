"""Keyboard and structure in Chromium: a visible focus indicator, the right landmarks. (The skip link, the
menu and the tables by keyboard are checked in every engine: test_readers.py.)"""

from __future__ import annotations

from playwright.sync_api import expect

from .harness import SCHEMES, contrast, tab_to
from .readers import wait_for_charts

# Open every <details>, then focus each element the keyboard can reach, in page order, and read the
# outline it gets. After a press of Tab the browser treats script focus as keyboard focus, so
# :focus-visible styles apply; one call covers pages with hundreds of links (the sources page)
# that pressing Tab would take seconds over.
FOCUS_RINGS = """() => {
    document.querySelectorAll('details').forEach(details => { details.open = true; });
    const background = getComputedStyle(document.body).backgroundColor;
    return [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter(element => element.tabIndex >= 0 && !element.disabled && element.checkVisibility())
        .map(element => {
            element.focus();
            const style = getComputedStyle(element);
            return {
                what: element.tagName.toLowerCase()
                    + (element.getAttribute('href') ? `[href="${element.getAttribute('href')}"]` : ''),
                keyboardFocus: element === document.activeElement && element.matches(':focus-visible'),
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
                outlineColor: style.outlineColor,
                background,
            };
        });
}"""


def test_focus_is_visible_on_everything_the_keyboard_reaches(explainer, new_page):
    """Each gets an outline at least 2 px wide with 3:1 contrast on the page, in both schemes (WCAG 2.4.7, 1.4.11)."""
    page = new_page()
    faint = []
    for name in explainer.pages:
        page.goto(explainer.url(name))
        wait_for_charts(page)
        page.keyboard.press("Tab")
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            rings = page.evaluate(FOCUS_RINGS)
            unfocused = [ring["what"] for ring in rings if not ring["keyboardFocus"]]
            assert rings and not unfocused, f"{name}: these take no keyboard focus: {unfocused}"
            faint += [
                f"{name} ({scheme}): {ring['what']}: outline {ring['outlineStyle']} {ring['outlineWidth']}px "
                f"{ring['outlineColor']}"
                for ring in rings
                if ring["outlineStyle"] == "none"
                or ring["outlineWidth"] < 2
                or contrast(ring["outlineColor"], ring["background"]) < 3
            ]
    assert not faint, "focus hard to see:\n" + "\n".join(faint)


def test_the_outline_comes_with_keyboard_focus(explainer, new_page):
    page = new_page()
    page.goto(explainer.url("index.html"))
    link = page.locator("main a[href]").first
    expect(link).to_have_css("outline-style", "none")
    tab_to(page, link)
    expect(link).not_to_have_css("outline-style", "none")


def test_landmarks(explainer, new_page):
    """One banner, one main, one contentinfo, navigation told apart by name, one h1 inside main; a
    chart's own page only the main and its h1."""
    page = new_page(java_script_enabled=False)
    assert explainer.chart_pages
    for name in explainer.chart_pages:  # the figure alone, for other sites to embed
        page.goto(explainer.url(name))
        counts = {role: page.get_by_role(role).count() for role in ("banner", "main", "contentinfo", "navigation")}
        assert counts == {"banner": 0, "main": 1, "contentinfo": 0, "navigation": 0}, f"{name}: landmarks {counts}"
        assert page.locator("main h1").count() == 1 and page.locator("h1").count() == 1, f"{name}: not one h1 in main"
    for name in explainer.site_pages:
        page.goto(explainer.url(name))
        counts = {role: page.get_by_role(role).count() for role in ("banner", "main", "contentinfo")}
        assert counts == {"banner": 1, "main": 1, "contentinfo": 1}, f"{name}: landmarks {counts}"
        navigation = [nav.get_attribute("aria-label") for nav in page.get_by_role("navigation").all()]
        assert navigation and all(navigation) and len(set(navigation)) == len(navigation), (
            f"{name}: navigation names {navigation}"
        )
        assert page.locator("main#main h1").count() == 1 and page.locator("h1").count() == 1, (
            f"{name}: not one h1 in main"
        )
