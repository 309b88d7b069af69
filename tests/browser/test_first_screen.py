"""A page leads with its answer: on a phone (360x640) the headline and the first verdict row are in the
first screen, on a wide screen (1280x800) at least three verdict rows; every page shows its byline."""

from __future__ import annotations

import pytest

SCREENS = {"phone": (360, 640, 1), "wide": (1280, 800, 3)}
WITH_VERDICTS = ["index.html", "ru/index.html"]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("page_name", WITH_VERDICTS)
def test_the_headline_and_verdicts_are_in_the_first_screen(explainer, new_page, page_name, screen):
    width, height, rows = SCREENS[screen]
    page = new_page(viewport={"width": width, "height": height})
    page.goto(explainer.url(page_name))
    headline = page.locator("h1").bounding_box()
    assert headline and headline["y"] + headline["height"] <= height, (
        f"{page_name}: the headline ends below {height} px"
    )
    bottoms = page.locator(".verdict-row").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().bottom)")
    assert len(bottoms) >= rows, f"{page_name}: {len(bottoms)} verdict rows"
    assert bottoms[rows - 1] <= height, (
        f"{page_name} at {width}x{height}: verdict row {rows} ends at {bottoms[rows - 1]:.0f} px, below the first "
        "screen"
    )


def test_the_key_to_the_figures_starts_closed_at_every_width(explainer, new_page):
    for width in (360, 1280):
        page = new_page(viewport={"width": width, "height": 800})
        page.goto(explainer.url("index.html"))
        assert page.locator("details.status-legend").evaluate("d => d.open") is False


def test_every_page_shows_its_byline(explainer):
    missing = [
        name
        for name in explainer.pages_at("subpath")
        if name.rsplit("/", 1)[-1] != "404.html" and 'class="byline"' not in (explainer.folder / name).read_text()
    ]
    assert not missing, missing
