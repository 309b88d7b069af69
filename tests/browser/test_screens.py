"""Chromium's screens: text that survives 200 % zoom, clean print, the menu on a wide screen. (No sideways
scrolling at 360 and 1280 px, and the phone's first screen, are reader tests: test_readers.py.)

Zoom is checked two ways, as readers do it (WCAG 1.4.4 asks text to resize to 200 % without loss):
- page zoom: a 1280 px window at 200 % lays pages out in 640 CSS px at device scale 2;
- text size: the browser's default font size doubled (16 -> 32 px, Chromium's own setting, set
  through the DevTools protocol) on a 1280 px window; every text must grow with it.
In both, no page scrolls sideways and no block of text overflows its box. (WCAG's reflow check at
320 CSS px is the 360 px test.)
"""

from __future__ import annotations

from .harness import FIRST_SCREEN, layout_problems
from .readers import wait_for_charts

# Font sizes of every element holding text of its own, outside the chart images.
TEXT_SIZES = """() => [...document.querySelectorAll('body *')]
    .filter(element => !element.closest('svg')
        && [...element.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(element => [
        element.tagName.toLowerCase() + ': ' + element.textContent.trim().slice(0, 40),
        parseFloat(getComputedStyle(element).fontSize),
    ])"""

BODY_SIZE = "() => parseFloat(getComputedStyle(document.body).fontSize)"


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
            for (what, before), (_, after) in zip(normal, doubled, strict=True)
            if after < 1.9 * before
        ]
        problems += layout_problems(page, name)
    assert not problems, "with the browser's text size doubled:\n" + "\n".join(problems)


PRINTED = """() => ({
    chrome: [...document.querySelectorAll('.skip-link, .site-header nav, .site-footer')]
        .filter(element => getComputedStyle(element).display !== 'none')
        .map(element => element.className || element.tagName),
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
            f"{name}: chart {chart} printed as {'' if shown else 'no '}static "
            f"image{', plus the interactive one' if both else ''}"
            for chart, shown, both in printed["charts"]
            if not shown or both
        ]
        external_links += len(printed["external"])
        page.emulate_media(media="screen")
    assert external_links, "no external link on any page: the link-target check checked nothing"
    assert not problems, "print:\n" + "\n".join(problems)


def test_a_wide_screen_shows_the_menu_in_one_line_and_the_verdicts_before_the_key(explainer, new_page):
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(explainer.url("index.html"))
    shown = page.evaluate(FIRST_SCREEN)
    assert shown["links"] == len(page.query_selector_all(".site-menu nav a")) and shown["legendOpen"] is False
    tops = page.locator(".site-menu nav a").evaluate_all(
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, f"the menu wraps: {tops}"
    assert (
        page.evaluate(
            "document.querySelector('.verdicts').compareDocumentPosition(document.querySelector('.status-legend'))"
        )
        & 4
    )
    assert page.evaluate("getComputedStyle(document.querySelector('.site-menu summary')).display") == "none"
