"""A table from a dataset on a phone: the site's rules for tables (no box that scrolls up and down,
the first column kept in view, the caption whole, headings of two lines at most), and the search box
and sorting of findable tables."""

from __future__ import annotations

from playwright.sync_api import expect

# Six columns: wider than a phone, so the table scrolls sideways.
WIDE_CSV = """\
Country Name,Year,Per Capita,Total (Mt),Share of World,Coal (Mt),Oil (Mt)
CHINA (MAINLAND),2020,7.6,10668,0.309,7717,1444
UNITED STATES OF AMERICA,2020,14.2,4713,0.137,916,2013
INDIA,2020,1.8,2442,0.071,1724,557
GERMANY,2020,7.7,644,0.019,221,226
"""
WIDE_FACTS = """\
sources:
  - id: gcp
    publisher: Global Carbon Project
    title: National fossil carbon emissions
    url: https://example.org/gcp
    published: 2021
datasets:
  - id: co2
    title: Fossil CO2 emissions by country
    sources: gcp
    csv: data/co2.csv
    rename: {Country Name: country, Year: year, Per Capita: per_capita, Total (Mt): total,
             Share of World: share, Coal (Mt): coal, Oil (Mt): oil}
    values:
      country: {"CHINA (MAINLAND)": China, UNITED STATES OF AMERICA: United States of America, INDIA: India,
                GERMANY: Germany}
tables:
  - id: emitters
    dataset: co2
    caption: >-
      Fossil carbon dioxide emitted by the largest emitters in 2020, in millions of tonnes, by fuel,
      and per person in tonnes
    by: total
    order: descending
    findable: Find a country
    columns:
      - {column: country, heading: Country}
      - {column: year, heading: Year, format: date}
      - {column: per_capita, heading: Tonnes per person, decimals: 1}
      - {column: total, heading: All fuels, unit: Mt}
      - {column: share, heading: Share of the world, format: percent}
      - {column: coal, heading: From coal, unit: Mt}
      - {column: oil, heading: From oil, unit: Mt}
"""
PAGE = """\
---
title: Emissions
description: Who emits the most CO2.
---
The largest emitters:

{{ table("emitters") }}
"""

MEASURE = """() => {
  const scroller = document.querySelector('#table-emitters .table-scroll');
  const table = scroller.querySelector('table');
  const lines = element => {  // the lines of its text (a row's cells are as tall as its tallest)
    const range = document.createRange();
    range.selectNodeContents(element);
    return Math.round(range.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight));
  };
  const caption = table.querySelector('caption');
  const before = scroller.querySelector('tbody td').getBoundingClientRect().left;
  scroller.scrollLeft = 1000;
  const first = scroller.querySelector('tbody td').getBoundingClientRect().left;
  return {
    wider: table.scrollWidth > scroller.clientWidth,
    scrolled: scroller.scrollLeft > 0,
    firstKept: Math.abs(first - before) < 1,
    scrollsUpAndDown: scroller.scrollHeight > scroller.clientHeight + 1,
    headingLines: Object.fromEntries([...table.querySelectorAll('thead th')].map(th => [th.textContent, lines(th)])),
    captionWhole: caption.getBoundingClientRect().right <= window.innerWidth + 0.5
      && caption.scrollWidth <= caption.clientWidth + 1,
    pageWider: document.documentElement.scrollWidth > window.innerWidth,
  };
}"""


def test_a_wide_dataset_table_on_a_phone_keeps_the_sites_table_rules(tmp_path, new_page):
    from conftest import make_site, run, write

    from .harness import serve

    site = make_site(tmp_path / "site")
    write(site, "content/data/co2.csv", WIDE_CSV)
    write(site, "content/facts/co2.yaml", WIDE_FACTS)
    write(site, "content/emissions.md", PAGE)
    assert run("build", "--site", str(site), "--quiet") == 0
    with serve(site / "_site") as url:
        for scripts in (True, False):
            page = new_page(viewport={"width": 360, "height": 640}, java_script_enabled=scripts)
            page.goto(url + "emissions.html")
            measured = page.evaluate(MEASURE)
            assert measured["wider"] and measured["scrolled"], measured  # the test measures a table that scrolls
            assert measured["firstKept"], measured
            assert not measured["scrollsUpAndDown"], measured
            assert max(measured["headingLines"].values()) <= 2, measured
            assert measured["captionWhole"] and not measured["pageWider"], measured
        page = new_page(viewport={"width": 360, "height": 640})
        page.goto(url + "emissions.html")
        page.get_by_role("searchbox", name="Find a country").fill("ind")
        expect(page.locator("#table-emitters [role=status]")).to_have_text("1 of 4 rows shown")
        page.get_by_role("searchbox", name="Find a country").fill("")
        page.get_by_role("button", name="Tonnes per person").click()
        expect(page.locator("#table-emitters tbody tr td:first-child")).to_have_text(
            ["India", "China", "Germany", "United States of America"]
        )
