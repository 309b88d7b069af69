"""Keyboard and structure: a skip link to the main content, a visible focus indicator, the right landmarks."""
from __future__ import annotations

import pytest

from harness import SCHEMES, contrast, wait_for_charts

MAX_TAB_STOPS = 500  # far more than any page has; stops a focus trap from looping for ever

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        what: element.tagName.toLowerCase() + (element.getAttribute('href') ? `[href="${element.getAttribute('href')}"]` : ''),
        isBody: element === document.body,
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        outlineColor: style.outlineColor,
        background: getComputedStyle(document.body).backgroundColor,
        inMain: element.closest('main') !== null,
    };
}"""


def tab_stops(page) -> list[dict]:
    """Press Tab from the top of the page until focus leaves it; what was focused at each stop."""
    stops = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["isBody"]:
            return stops
        stops.append(focused)
    pytest.fail(f"focus never left the page after {MAX_TAB_STOPS} presses of Tab")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_focus_is_visible_at_every_tab_stop(explainer, new_page, scheme):
    """Every element Tab reaches gets an outline at least 2 px wide with 3:1 contrast (WCAG 2.4.7, 1.4.11)."""
    page = new_page(color_scheme=scheme)
    faint = []
    for name in explainer.pages:
        page.goto(explainer.url(name))
        wait_for_charts(page)
        stops = tab_stops(page)
        assert stops, f"{name}: nothing on the page takes keyboard focus"
        faint += [
            f"{name}: {stop['what']}: outline {stop['outlineStyle']} {stop['outlineWidth']}px {stop['outlineColor']}"
            for stop in stops
            if stop["outlineStyle"] == "none" or stop["outlineWidth"] < 2 or contrast(stop["outlineColor"], stop["background"]) < 3
        ]
    assert not faint, f"focus hard to see ({scheme} scheme):\n" + "\n".join(faint)


def test_the_outline_comes_with_keyboard_focus(explainer, new_page):
    page = new_page()
    page.goto(explainer.url("index.html"))
    link = page.locator("main a[href]").first
    outline = "element => getComputedStyle(element).outlineStyle"
    assert link.evaluate(outline) == "none"
    page.keyboard.press("Tab")
    while not link.evaluate("element => element === document.activeElement"):
        page.keyboard.press("Tab")
    assert link.evaluate(outline) != "none"


def test_the_skip_link_comes_first_shows_and_moves_focus_to_main(explainer, new_page):
    page = new_page()
    for name in explainer.pages:
        page.goto(explainer.url(name))
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        assert skip.get_attribute("href") == "#main", f"{name}: the first Tab stop is not the skip link"
        box = skip.bounding_box()
        assert box and box["y"] >= 0 and box["width"] > 0, f"{name}: the focused skip link is off screen: {box}"
        page.keyboard.press("Enter")
        assert page.url.endswith("#main")
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["inMain"], f"{name}: after the skip link, Tab does not go into the main content"


def test_landmarks(explainer, new_page):
    """One banner, one main, one contentinfo, navigation told apart by name, one h1 inside main."""
    page = new_page(java_script_enabled=False)
    for name in explainer.pages:
        page.goto(explainer.url(name))
        counts = {role: page.get_by_role(role).count() for role in ("banner", "main", "contentinfo")}
        assert counts == {"banner": 1, "main": 1, "contentinfo": 1}, f"{name}: landmarks {counts}"
        navigation = [nav.get_attribute("aria-label") for nav in page.get_by_role("navigation").all()]
        assert navigation and all(navigation) and len(set(navigation)) == len(navigation), f"{name}: navigation names {navigation}"
        assert page.locator("main#main h1").count() == 1 and page.locator("h1").count() == 1, f"{name}: not one h1 in main"
