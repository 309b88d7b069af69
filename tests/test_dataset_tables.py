"""Tables from datasets: {{ table("id") }} shows rows of a dataset as a facts file's tables: entry
chooses them, from a CSV with the headers its publisher wrote, in every language, each cell from the data."""

import re

import pytest
from conftest import edit, run, run_captured, write

from factsite.i18n import source_version

NBSP = "\u00a0"
# As a journalist downloads it: headers with spaces and capitals, a value spelt as the data spells it.
CO2_CSV = """\
Country Name,Year,Per Capita,Total (Mt),Share of World
CHINA (MAINLAND),2020,7.6,10668,0.309
UNITED STATES OF AMERICA,2020,14.2,4713,0.137
INDIA,2020,1.8,2442,0.071
GERMANY,2020,7.7,644,0.019
INDIA,2019,1.9,2626,0.072
"""
CO2_FACTS = """\
sources:
  - id: cdiac
    publisher: Global Carbon Project
    title: National fossil carbon emissions
    url: https://example.org/gcp
    published: 2021
datasets:
  - id: co2
    title: Fossil CO2 emissions by country
    sources: cdiac
    csv: data/co2.csv
    rename:
      Country Name: country
      Year: year
      Per Capita: per_capita
      Total (Mt): total
      Share of World: share
    values:
      country: {"CHINA (MAINLAND)": China, UNITED STATES OF AMERICA: United States, INDIA: India, GERMANY: Germany}
facts:
  - id: top_emitter
    data: at_max(co2, country, by=total, year=2020)
    unit: country
    counts: largest emitter
    as_of: 2020
    claimant: Global Carbon Project
    status: statistic
    sources: cdiac
tables:
  - id: emitters
    dataset: co2
    caption: Largest emitters in 2020
    where: year == 2020
    by: total
    order: descending
    findable: Find a country
    columns:
      - {column: country, heading: Country}
      - {column: per_capita, heading: Tonnes per person, decimals: 1}
      - {column: total, heading: Total, unit: Mt}
      - {column: share, heading: Share of the world, format: percent}
"""
CO2_PAGE = """\
---
title: Emissions
description: Who emits the most CO2.
---
The largest emitter in 2020 was {{ fact("top_emitter") }}.

{{ table("emitters") }}
"""


@pytest.fixture
def co2(site):
    """The fixture site with a CO2 page built on a CSV whose headers have spaces."""
    write(site, "content/data/co2.csv", CO2_CSV)
    write(site, "content/facts/co2.yaml", CO2_FACTS)
    write(site, "content/emissions.md", CO2_PAGE)
    return site


def table_rows(html: str) -> list[list[str]]:
    body = re.search(r'<figure class="data-table" id="table-emitters">.*?</figure>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[cell.replace(NBSP, " ") for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)] for row in rows]


def test_a_table_from_a_csv_with_spaced_headers_shows_the_rows_chosen_in_order(co2):
    assert run("build", "--site", str(co2), "--quiet") == 0
    html = (co2 / "_site/emissions.html").read_text()
    assert table_rows(html) == [
        ["Country", "Tonnes per person", "Total", "Share of the world"],
        ["China", "7.6", "10,668 Mt", "30.9%"],
        ["United States", "14.2", "4,713 Mt", "13.7%"],
        ["India", "1.8", "2,442 Mt", "7.1%"],
        ["Germany", "7.7", "644 Mt", "1.9%"],
    ]
    assert "<caption>Largest emitters in 2020</caption>" in html.replace(NBSP, " ")
    assert 'data-findable="Find a country"' in html and "assets/tables.js" in html
    assert re.search(
        r'class="table-sources">Source: <a href="sources.html#source-cdiac">Global Carbon Project</a>', html
    )
    # The display name is the fact's figure too, in the site's own language.
    assert re.search(r'data-fact="top_emitter"[^>]*>China<', html)
