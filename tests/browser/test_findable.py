"""Find your region: the regions map's data table is sorted by keyboard and filtered as the reader types,
with the state told to screen readers in the page's language; without JavaScript it is all there."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from .harness import tab_to, wait_for_charts

TABLE = "figure[data-chart='regions_map'] table[data-findable]"
SEARCH = {"regions.html": "Tuva", "ru/regions.html": "Тыва"}
SAYS = {  # what the live region says: after filtering, then after sorting by the second column, descending
    "regions.html": ("1 of 85 regions shown", "85 of 85 regions shown. Sorted by Per 100,000 men, 12 March, descending"),
    "ru/regions.html": (
        "Показано регионов: 1 из 85",
        "Показано регионов: 85 из 85. Сортировка по столбцу «На 100 тыс. мужчин, 12 марта»: по убыванию",
    ),
}


def map_rows(explainer, page_name: str) -> list[dict]:
    """The map's data as its CSV publishes it, in the page's language."""
    folder = "ru/" if page_name.startswith("ru/") else ""
    return list(csv.DictReader(io.StringIO((explainer.folder / folder / "charts" / "regions_map.csv").read_text())))


def shown_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"{TABLE} tbody tr", "rows => rows.filter(row => !row.hidden).map(row => [...row.cells].map(cell => cell.textContent))"
    )


def number(text: str) -> float:
    return float(re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", "."))


@pytest.mark.parametrize("name", ["regions.html", "ru/regions.html"])
def test_the_table_sorts_by_keyboard_and_says_so(explainer, new_page, name):
    page = new_page()
    page.goto(explainer.url(name))
    wait_for_charts(page)
    search = page.locator("figure[data-chart='regions_map'] .table-find input")
    expect(search).to_be_visible()
    # From the search box, by keyboard only: open the table, then reach the second column's sort button.
    search.focus()
    page.keyboard.press("Tab")
    summary = page.locator("figure[data-chart='regions_map'] details.chart-data summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(TABLE)).to_be_visible()
    headers = page.locator(f"{TABLE} thead th")
    button = headers.nth(1).locator("button")
    tab_to(page, button, most=4)
    page.keyboard.press("Enter")
    expect(headers.nth(1)).to_have_attribute("aria-sort", "ascending")
    page.keyboard.press("Space")
    expect(headers.nth(1)).to_have_attribute("aria-sort", "descending")
    assert [header.get_attribute("aria-sort") for header in headers.all()].count(None) == headers.count() - 1
    status = page.locator("figure[data-chart='regions_map'] .table-find [role=status]")
    expect(status).to_have_text(SAYS[name][1])

    rows = shown_rows(page)
    data = map_rows(explainer, name)
    assert len(rows) == len(data) == 85
    rates = [number(row[1]) for row in rows]
    assert rates == sorted(rates, reverse=True)
    highest = max(data, key=lambda row: float(row["rate_12_march"]))
    lowest = min(data, key=lambda row: float(row["rate_12_march"]))
    assert rows[0][0] == highest["region"] and rows[-1][0] == lowest["region"]
    # The button is named by its column's head alone: the sort mark is hidden from screen readers.
    column = "Per 100,000 men, 12 March" if name == "regions.html" else "На 100 тыс. мужчин, 12 марта"
    expect(button).to_have_accessible_name(column)


@pytest.mark.parametrize("name", ["regions.html", "ru/regions.html"])
def test_typing_filters_the_rows_and_says_how_many(explainer, new_page, name):
    page = new_page()
    page.goto(explainer.url(name))
    wait_for_charts(page)
    label = "Find your region" if name == "regions.html" else "Найдите свой регион"
    search = page.get_by_role("searchbox", name=label)
    search.focus()
    page.keyboard.type(SEARCH[name])
    status = page.locator("figure[data-chart='regions_map'] .table-find [role=status]")
    expect(status).to_have_text(SAYS[name][0])
    expect(page.locator("figure[data-chart='regions_map'] details.chart-data")).to_have_attribute("open", "")
    rows = shown_rows(page)
    assert [row[0] for row in rows] == [SEARCH[name]]
    expect(page.locator(f"{TABLE} tbody tr:not([hidden])")).to_be_visible()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    expect(status).to_have_text(re.compile(r"\b85\b.*\b85\b"))
    assert len(shown_rows(page)) == 85


@pytest.mark.parametrize("name", ["regions.html", "ru/regions.html"])
def test_without_javascript_the_whole_table_is_there(explainer, new_page, name):
    page = new_page(java_script_enabled=False)
    page.goto(explainer.url(name))
    figure = page.locator("figure[data-chart='regions_map']")
    expect(figure.locator(".table-find")).to_have_count(0)
    summary = figure.locator("details.chart-data summary")
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator(TABLE)
    expect(table).to_be_visible()
    rows = shown_rows(page)
    assert sorted(row[0] for row in rows) == sorted(row["region"] for row in map_rows(explainer, name))
    expect(table.locator("tbody tr").last).to_be_visible()
    assert table.locator("th[aria-sort], th button").count() == 0


def test_a_markdown_table_opts_in_from_the_page(tmp_path, new_page):
    """Any table can be made findable: a Markdown table inside <div data-findable markdown="1"> gets
    the search box (named by the attribute) and sort buttons; tables.js is published and loaded only
    where a page has such a table."""
    from conftest import make_site, run, write

    from .harness import serve

    site = make_site(tmp_path / "site")
    write(site, "content/routes.md", """\
        ---
        title: Routes
        description: Bus routes.
        plain_numbers: ["12", "4", "30"]
        ---
        <div data-findable="Find a route" markdown="1">

        | Route | Buses an hour |
        | --- | --: |
        | Harbour | 12 |
        | Hill | 4 |
        | Station | 30 |

        </div>
        """)
    assert run("build", "--site", str(site), "--quiet") == 0
    out = site / "_site"
    assert (out / "assets" / "tables.js").is_file()
    assert "assets/tables.js" in (out / "routes.html").read_text()
    assert "assets/tables.js" not in (out / "index.html").read_text()
    with serve(out) as url:
        page = new_page()
        page.goto(url + "routes.html")
        search = page.get_by_role("searchbox", name="Find a route")
        search.fill("st")
        expect(page.locator("[role=status]")).to_have_text("1 of 3 rows shown")
        search.fill("")
        page.get_by_role("button", name="Buses an hour").click()
        expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
        page.get_by_role("button", name="Buses an hour").click()
        expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
        expect(page.locator("tbody tr td:first-child")).to_have_text(["Station", "Harbour", "Hill"])
        expect(page.locator("[role=status]")).to_have_text("3 of 3 rows shown. Sorted by Buses an hour, descending")
