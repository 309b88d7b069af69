"""Who says so, at the figure: a figure's card opens by keyboard, hover or tap, names its claimant in
visible text, stays inside a 360 px screen and closes with Escape; without JavaScript the figure links
to an entry whose claimant, source and date are within a phone screen of its top."""

from __future__ import annotations

from playwright.sync_api import expect

from .harness import typeset_pattern

PAGES = ["index.html", "ru/regions.html"]


def test_a_figures_card_opens_by_keyboard_names_its_claimant_and_closes_with_escape(explainer, new_page):
    for name in PAGES:
        page = new_page(viewport={"width": 360, "height": 640})
        page.goto(explainer.url(name))
        link = page.locator("a[data-fact]").nth(3)
        fact_id = link.get_attribute("data-fact")
        claimant = explainer.facts_of(name)[fact_id]["claimant"]
        link.focus()
        card = page.locator(f"#card-{fact_id}")
        expect(card).to_be_visible()
        expect(card).to_contain_text(typeset_pattern(claimant))
        expect(link).to_have_attribute("aria-describedby", f"card-{fact_id}")
        box = card.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, f"{name}: the card leaves the screen: {box}"
        page.keyboard.press("Escape")
        expect(card).to_be_hidden()
        expect(link).to_be_focused()


def test_a_tap_opens_the_card_and_a_second_follows_the_link(explainer, new_page):
    page = new_page(viewport={"width": 360, "height": 640}, has_touch=True)
    page.goto(explainer.url("index.html"))
    link = page.locator("a[data-fact]").first
    fact_id = link.get_attribute("data-fact")
    link.tap()
    expect(page.locator(f"#card-{fact_id}")).to_be_visible()
    link.tap()
    expect(page).to_have_url(explainer.url(f"sources.html#fact-{fact_id}"))


def test_without_javascript_a_figure_lands_on_a_short_entry(explainer, new_page):
    page = new_page(viewport={"width": 360, "height": 640}, java_script_enabled=False)
    page.goto(explainer.url("index.html"))
    link = page.locator("a[data-fact]").first
    fact_id = link.get_attribute("data-fact")
    expect(page.locator(f"#card-{fact_id}")).to_be_hidden()
    link.click()
    expect(page).to_have_url(explainer.url(f"sources.html#fact-{fact_id}"))
    entry = page.locator(f"#fact-{fact_id}")
    top = entry.bounding_box()["y"]
    for label in ("Who says so", "Source", "As of"):
        term = entry.locator("dt", has_text=label).first
        definition = term.locator("xpath=following-sibling::dd[1]")
        bottom = definition.bounding_box()
        assert bottom["y"] + bottom["height"] - top <= 640, (
            f"{label} ends {bottom['y'] + bottom['height'] - top:.0f} px below the entry's top"
        )
