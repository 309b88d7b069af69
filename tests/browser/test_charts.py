"""Charts and figures for assistive technology: named images, real data tables, claimants in text."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .harness import typeset_pattern
from .readers import wait_for_charts


def charts_on(page) -> list[str]:
    return page.eval_on_selector_all("figure[data-chart]", "figures => figures.map(f => f.dataset.chart)")


def test_static_charts_are_named_images_with_data_tables(built, new_page):
    """Without JavaScript: the build-time SVG is shown, is one image named by the chart's description,
    and its data opens as a table with a caption and column headers."""
    page = new_page(java_script_enabled=False)
    seen = 0
    for name in built.pages:
        page.goto(built.url(name))
        for chart_id in charts_on(page):
            seen += 1
            figure = page.locator(f'figure[data-chart="{chart_id}"]')
            svg = figure.locator(".chart-static > svg")
            expect(svg, f"{name}: chart {chart_id}").to_be_visible()
            expect(svg).to_have_role("img")
            expect(svg).to_have_accessible_name(built.chart_description(chart_id, name))
            expect(figure.locator(".chart-interactive")).to_be_hidden()
            for details in figure.locator("details.chart-data").all():
                table = details.locator("table")
                expect(table, f"{name}: chart {chart_id}: the table is inside closed details").to_be_hidden()
                details.locator("summary").click()
                expect(table).to_be_visible()
                expect(table.locator("caption")).to_have_text(re.compile(r"\S"))
                headers = table.locator("thead th[scope=col]")
                expect(headers.first).to_be_visible()
                widths = table.locator("tbody tr").evaluate_all("rows => rows.map(row => row.cells.length)")
                assert widths and set(widths) == {headers.count()}, (
                    f"{name}: chart {chart_id}: rows do not match the headers"
                )
    assert seen, "no chart on any page: the checks above checked nothing"


def test_interactive_charts_are_named_images(explainer, new_page):
    page = new_page()
    for name in explainer.pages:
        page.goto(explainer.url(name))
        wait_for_charts(page)
        for chart_id in charts_on(page):
            figure = page.locator(f'figure[data-chart="{chart_id}"]')
            svg = figure.locator(".chart-interactive svg").first
            expect(svg, f"{name}: chart {chart_id}").to_be_visible()
            # A picture whose marks lead to its table's rows (the regions map) is a group of buttons.
            linked = svg.evaluate("svg => svg.hasAttribute('data-linked')")
            expect(svg).to_have_role("group" if linked else "img")
            expect(svg).to_have_accessible_name(explainer.chart_description(chart_id, name))
            expect(figure.locator(".chart-static")).to_be_hidden()


def test_every_figure_says_who_claims_it(built, new_page):
    """A screen reader hears the claimant with each figure, not only the number."""
    page = new_page(java_script_enabled=False)
    seen = 0
    for name in built.pages:
        page.goto(built.url(name))
        for link in page.locator("main [data-fact]").all():
            seen += 1
            claimant = built.facts_of(name)[link.get_attribute("data-fact")]["claimant"]
            expect(link, f"{name}: figure {link.get_attribute('data-fact')}").to_have_accessible_name(
                typeset_pattern(claimant)
            )
    assert seen, "no figure on any page: the check above checked nothing"
