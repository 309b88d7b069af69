"""Any screen: no sideways scrolling at 360 px, charts inside the column, text that survives 200 % zoom, clean print.

Zoom is checked two ways, as readers do it (WCAG 1.4.4 asks text to resize to 200 % without loss):
- page zoom: a 1280 px window at 200 % lays pages out in 640 CSS px at device scale 2;
- text size: the browser's default font size doubled (16 -> 32 px, Chromium's own setting, set
  through the DevTools protocol) on a 1280 px window; every text must grow with it.
In both, no page scrolls sideways and no block of text overflows its box. (WCAG's reflow check at
320 CSS px is the 360 px test.)
"""

from __future__ import annotations

import pytest

from playwright.sync_api import expect

from .harness import wait_for_charts

OVERFLOW = """() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    viewport: window.innerWidth,
    charts: [...document.querySelectorAll('figure[data-chart]')].map(figure => {
        const svg = [...figure.querySelectorAll('.chart-static svg, .chart-interactive svg')].find(s => s.getBoundingClientRect().width > 0);
        const box = figure.getBoundingClientRect(), chart = svg ? svg.getBoundingClientRect() : null;
        // Text drawn past the edge of its picture is cut off (an SVG clips what overflows it).
        const inside = rect => rect.left >= chart.left - 1 && rect.right <= chart.right + 1
            && rect.top >= chart.top - 1 && rect.bottom <= chart.bottom + 1;
        const clipped = chart === null ? [] : [...svg.querySelectorAll('text')]
            .filter(text => parseFloat(getComputedStyle(text).opacity) > 0 && !inside(text.getBoundingClientRect()))
            .map(text => text.textContent.slice(0, 50));
        return {id: figure.dataset.chart, shown: chart !== null, clipped,
                fits: chart !== null && chart.left >= box.left - 0.5 && chart.right <= box.right + 0.5 && box.right <= window.innerWidth};
    }),
})"""

# Blocks of text whose content is wider than their box (a long word or a fixed width pushing out).
OVERFLOWING_TEXT = """() => [...document.querySelectorAll('p, li, h1, h2, h3, h4, dt, dd, figcaption, summary, caption, blockquote, th, td')]
    .filter(element => !element.closest('.table-scroll') && element.getClientRects().length > 0)
    .filter(element => element.scrollWidth > element.clientWidth + 1)
    .map(element => element.tagName.toLowerCase() + ': ' + element.textContent.trim().slice(0, 60))"""

# Font sizes of every element holding text of its own, outside the chart images.
TEXT_SIZES = """() => [...document.querySelectorAll('body *')]
    .filter(element => !element.closest('svg') && [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(element => [element.tagName.toLowerCase() + ': ' + element.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(element).fontSize)])"""

BODY_SIZE = "() => parseFloat(getComputedStyle(document.body).fontSize)"


def layout_problems(page, name: str) -> list[str]:
    found = page.evaluate(OVERFLOW)
    problems = []
    if found["scrollWidth"] > found["viewport"]:
        problems.append(f"{name}: scrolls sideways: {found['scrollWidth']} px wide in a {found['viewport']} px window")
    problems += [f"{name}: chart {c['id']} is not shown" for c in found["charts"] if not c["shown"]]
    problems += [
        f"{name}: chart {c['id']} sticks out of its column" for c in found["charts"] if c["shown"] and not c["fits"]
    ]
    problems += [f"{name}: chart {c['id']} cuts off its text: {text!r}" for c in found["charts"] for text in c["clipped"]]
    problems += [f"{name}: text overflows its box: {text}" for text in page.evaluate(OVERFLOWING_TEXT)]
    return problems


@pytest.mark.parametrize("scripts", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [360, 1280])
def test_fits_the_screen(explainer, new_page, width, scripts):
    page = new_page(viewport={"width": width, "height": 800}, java_script_enabled=scripts)
    problems = []
    for name in explainer.pages:
        page.goto(explainer.url(name))
        if scripts:
            wait_for_charts(page)
        problems += layout_problems(page, name)
    assert not problems, f"at {width} px {'with' if scripts else 'without'} JavaScript:\n" + "\n".join(problems)


def test_page_zoom_200_percent(explainer, new_page):
    page = new_page(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    problems = []
    for name in explainer.pages:
        page.goto(explainer.url(name))
        wait_for_charts(page)
        problems += layout_problems(page, name)
    assert not problems, "at 200 % page zoom:\n" + "\n".join(problems)


def test_text_size_200_percent(explainer, new_page):
    page = new_page(viewport={"width": 1280, "height": 800})
    devtools = page.context.new_cdp_session(page)
    problems = []
    for name in explainer.pages:
        devtools.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        page.goto(explainer.url(name))
        wait_for_charts(page)
        normal = page.evaluate(TEXT_SIZES)
        body_size = page.evaluate(BODY_SIZE)
        devtools.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
        page.wait_for_function(f"() => ({BODY_SIZE})() >= 1.9 * {body_size}")
        doubled = page.evaluate(TEXT_SIZES)
        assert len(normal) == len(doubled) > 0
        problems += [
            f"{name}: text stays {before} px: {what}"
            for (what, before), (_, after) in zip(normal, doubled)
            if after < 1.9 * before
        ]
        problems += layout_problems(page, name)
    assert not problems, "with the browser's text size doubled:\n" + "\n".join(problems)


PRINTED = """() => ({
    chrome: [...document.querySelectorAll('.skip-link, .site-header nav, .site-footer')]
        .filter(element => getComputedStyle(element).display !== 'none').map(element => element.className || element.tagName),
    external: [...document.querySelectorAll('main a[href^="http"]')]
        .map(link => [link.getAttribute('href'), getComputedStyle(link, '::after').content]),
    charts: [...document.querySelectorAll('figure[data-chart]')].map(figure => [figure.dataset.chart,
        figure.querySelector('.chart-static').getBoundingClientRect().height > 0,
        figure.querySelector('.chart-interactive').getBoundingClientRect().height > 0]),
})"""


def test_print(explainer, new_page):
    """Printed: no skip link, navigation or footer chrome; external links show their address; the static chart."""
    page = new_page()
    problems, external_links = [], 0
    for name in explainer.pages:
        page.goto(explainer.url(name))
        wait_for_charts(page)
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED)
        problems += [f"{name}: printed chrome: {element}" for element in printed["chrome"]]
        problems += [
            f"{name}: printed link without its address: {href}"
            for href, after in printed["external"]
            if href not in after
        ]
        problems += [
            f"{name}: chart {chart} printed as {'' if shown else 'no '}static image{', plus the interactive one' if both else ''}"
            for chart, shown, both in printed["charts"]
            if not shown or both
        ]
        external_links += len(printed["external"])
        page.emulate_media(media="screen")
    assert external_links, "no external link on any page: the link-target check checked nothing"
    assert not problems, "print:\n" + "\n".join(problems)


FIRST_SCREEN = """() => {
    const opening = document.querySelector('main article > p');
    const menu = document.querySelector('.site-menu');
    return {
        title: document.querySelector('main h1').getBoundingClientRect().bottom,
        opening: opening ? opening.getBoundingClientRect().top : null,
        height: window.innerHeight,
        legendOpen: document.querySelector('.status-legend') ? document.querySelector('.status-legend').open : null,
        menuOpen: menu.open,
        links: [...menu.querySelectorAll('nav a')].filter(a => a.checkVisibility({contentVisibilityAuto: true})).length,
    };
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_phone_shows_the_title_and_opening_first_and_the_menu_folds(explainer, new_page, javascript):
    """At 360 x 640 px the first screen holds each page's title and the start of its opening, not the
    navigation or the open legend; the menu opens with the keyboard, with or without JavaScript."""
    page = new_page(viewport={"width": 360, "height": 640}, java_script_enabled=javascript)
    problems = []
    for name in explainer.pages:
        if name.endswith(("404.html", "sources.html")):
            continue
        page.goto(explainer.url(name))
        shown = page.evaluate(FIRST_SCREEN)
        if shown["title"] > shown["height"] or shown["opening"] is None or shown["opening"] > shown["height"] - 40:
            problems.append(f"{name}: title ends at {shown['title']:.0f} px, opening starts at {shown['opening']} px")
        if shown["legendOpen"] or shown["menuOpen"] or shown["links"]:
            problems.append(f"{name}: legend open {shown['legendOpen']}, menu open {shown['menuOpen']}, {shown['links']} links")
    assert not problems, "\n".join(problems)
    page.goto(explainer.url("regions.html"))
    page.focus(".site-menu summary")
    page.keyboard.press("Enter")
    links = page.locator(".site-menu nav a")
    assert links.count() > 3
    for link in links.all():
        expect(link).to_be_visible()


def test_a_wide_screen_shows_the_menu_and_opens_the_legend_on_the_home_page(explainer, new_page):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(explainer.url("index.html"))
    shown = page.evaluate(FIRST_SCREEN)
    assert shown["links"] == len(page.query_selector_all(".site-menu nav a")) and shown["legendOpen"] is True
    assert page.evaluate("getComputedStyle(document.querySelector('.site-menu summary')).display") == "none"
