"""Tables from datasets: {{ table("id") }} shows rows of a dataset as a facts file's tables: entry
chooses them, from a CSV with the headers its publisher wrote, in every language, each cell from the data."""

import json
import re

import pytest
from conftest import edit, run, run_captured, write
from test_languages import RU_INDEX, RU_SECOND, RU_SITE, RU_WORDS, write_chart_words

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
      - {column: year, heading: Year, format: date}
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


def line(text: str, needle: str) -> str:
    """The line of a file's text (from 1) where `needle` first appears, as an error gives it."""
    return str(text[: text.index(needle)].count("\n") + 1)


def table_rows(html: str, table_id: str = "emitters") -> list[list[str]]:
    """The table's heading row and rows, each cell's HTML with its no-break spaces as spaces."""
    body = re.search(rf'<figure class="data-table" id="table-{table_id}">.*?</figure>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [cell.replace(NBSP, " ").replace("\u202f", " ") for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in rows
    ]


def test_a_table_from_a_csv_with_spaced_headers_shows_the_rows_chosen_in_order(co2):
    assert run("build", "--site", str(co2), "--quiet") == 0
    html = (co2 / "_site/emissions.html").read_text()
    assert table_rows(html) == [
        ["Country", "Tonnes per person", "Total", "Share of the world", "Year"],
        ["China", "7.6", "10,668 Mt", "30.9%", "2020"],
        ["United States", "14.2", "4,713 Mt", "13.7%", "2020"],
        ["India", "1.8", "2,442 Mt", "7.1%", "2020"],
        ["Germany", "7.7", "644 Mt", "1.9%", "2020"],
    ]
    assert "<caption>Largest emitters in 2020</caption>" in html.replace(NBSP, " ")
    assert 'data-findable="Find a country"' in html and "assets/tables.js" in html
    assert re.search(
        r'class="table-sources">Source: <a href="sources.html#source-cdiac">Global Carbon Project</a>', html
    )
    # The display name is the fact's figure too, in the site's own language.
    assert re.search(r'data-fact="top_emitter"[^>]*>China<', html)


RU_PAGE = """\
---
title: Выбросы
description: Кто выбрасывает больше всего CO2.
source_version: {version}
---
Больше всех в 2020 году выбросил {{{{ fact("top_emitter") }}}}.

{{{{ table("emitters") }}}}
"""
RU_CO2_WORDS = """\
sources:
  cdiac: {{title: Национальные выбросы ископаемого углерода}}
datasets:
  co2:
    title: Выбросы CO2 от ископаемого топлива по странам
    values:
      country: {{"CHINA (MAINLAND)": Китай, UNITED STATES OF AMERICA: США, INDIA: Индия{germany}}}
facts:
  top_emitter: {{unit: страна, counts: крупнейший источник выбросов, claimant: Global Carbon Project}}
tables:
  emitters:
    caption: Крупнейшие источники выбросов в 2020 году
    headings: {{country: Страна, per_capita: Тонн на человека, total: Всего, share: Доля в мире, year: Год}}
"""


@pytest.fixture
def bilingual_co2(co2):
    """The CO2 page in Russian as well, beside the fixture's Russian edition (test_languages)."""
    co2_ru(co2, ", GERMANY: Германия")
    return co2


def co2_ru(site, germany: str) -> None:
    """The fixture's Russian edition and a Russian CO2 page; `germany`: the words for Germany's name."""
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "languages: [ru]\n" + RU_SITE)
    for name, text in (("index", RU_INDEX), ("second", RU_SECOND), ("emissions", RU_PAGE)):
        version = source_version((site / f"content/{name}.md").read_text())
        write(site, f"content/{name}.ru.md", text.format(version=version))
    write(site, "content/facts/main.ru.yaml", RU_WORDS)
    write(site, "content/facts/co2.ru.yaml", RU_CO2_WORDS.format(germany=germany))
    write_chart_words(site)


def test_a_table_reads_in_each_language_with_its_words_and_number_formats(bilingual_co2):
    assert run("build", "--site", str(bilingual_co2), "--quiet") == 0
    html = (bilingual_co2 / "_site/ru/emissions.html").read_text()
    assert table_rows(html) == [
        ["Страна", "Тонн на человека", "Всего", "Доля в мире", "Год"],
        ["Китай", "7,6", "10 668 Mt", "30,9 %", "2020"],
        ["США", "14,2", "4713 Mt", "13,7 %", "2020"],  # CLDR: Russian groups from five digits
        ["Индия", "1,8", "2442 Mt", "7,1 %", "2020"],
        ["Германия", "7,7", "644 Mt", "1,9 %", "2020"],
    ]
    assert "<caption>Крупнейшие источники выбросов в 2020 году</caption>" in html.replace(NBSP, " ")
    assert re.search(r'data-fact="top_emitter"[^>]*>Китай<', html)


@pytest.mark.parametrize(("without", "cell"), [("Germany's name", "GERMANY"), ("every name", "CHINA (MAINLAND)")])
def test_a_cell_without_words_in_an_edition_is_an_error_at_the_table(co2, capsys, without, cell):
    co2_ru(co2, "")
    if without == "every name":  # no values: at all for the dataset: the data's English is not shown either
        edit(co2 / "content/facts/co2.ru.yaml", "    values:\n", "")
        edit(co2 / "content/facts/co2.ru.yaml", "      country: {", "    # country: {")
        # and the page's fact a number, so that the table is the only place the names would show
        edit(co2 / "content/facts/co2.yaml", "at_max(co2, country, by=total, year=2020)", "max(co2, total)")
    outcome = run_captured(capsys, "build", "--site", str(co2))
    assert outcome.code == 1
    [error] = [e for e in outcome.errors if f'table "emitters" shows "{cell}"' in e["message"]]
    assert error["path"].endswith("content/facts/co2.yaml") and error["line"] == line(CO2_FACTS, "- id: emitters")
    assert f'table "emitters" shows "{cell}"' in error["message"] and "values: country:" in error["message"]


@pytest.mark.parametrize(
    ("change", "needle", "wanted"),
    [
        (
            ("{column: total, heading: Total, unit: Mt}", "{column: Total (Mt), heading: Total}"),
            "{column: Total (Mt)",
            'dataset "co2" has no column "Total (Mt)"; its columns are country, year, per_capita, total, share',
        ),
        (("where: year == 2020", "where: Year == 2020"), "where:", 'unknown fact or column "Year"'),
        (
            ("where: year == 2020", "where: Per Capita > 2"),
            "where:",
            'write per_capita for the column headed "Per Capita"',
        ),
        (("where: year == 2020", "where: per_capita"), "where:", "it must be a condition"),
        (("by: total", "by: totl"), "by:", 'unknown fact or column "totl"'),
        (("Per Capita: per_capita", "Per Capita: Per Capita"), "rename:", "such as per_capita"),
        (
            ("Per Capita: per_capita", "Per Kapita: per_capita"),
            "rename:",
            'renames "Per Kapita", which is not a header of data/co2.csv (did you mean "Per Capita"?)',
        ),
        (("INDIA: India", "INDIEN: India"), "values:", '"country" has no cell "INDIEN"'),
        (("order: descending", "order: downwards"), "order:", "order: must be ascending or descending"),
        (("findable: Find a country", "limit: 0"), "limit:", "limit: must be a whole number from 1 to 500"),
        (
            (
                "{column: share, heading: Share of the world, format: percent}",
                "{column: share, heading: Share, format: permille}",
            ),
            "format: permille",
            "format must be one of number, compact, percent, plain, date",
        ),
        (("dataset: co2", "dataset: co3"), "dataset: co3", 'no dataset "co3" (did you mean "co2"?)'),
    ],
)
def test_a_wrong_table_entry_is_an_error_at_its_line_saying_what_to_write(co2, capsys, change, needle, wanted):
    edit(co2 / "content/facts/co2.yaml", *change)
    text = (co2 / "content/facts/co2.yaml").read_text()
    outcome = run_captured(capsys, "check", "--site", str(co2))
    assert outcome.code == 1
    assert [(e["path"].endswith("co2.yaml"), e["line"]) for e in outcome.errors if wanted in e["message"]] == [
        (True, line(text, needle))
    ], outcome.stderr
    assert not (co2 / "_site").exists()


def test_a_table_on_a_page_names_a_table_that_exists(co2, capsys):
    edit(co2 / "content/emissions.md", 'table("emitters")', 'table("emiters")')
    outcome = run_captured(capsys, "check", "--site", str(co2))
    assert outcome.code == 1
    [error] = outcome.errors
    assert error["path"].endswith("emissions.md") and error["line"] == "7"
    assert error["message"] == 'unknown table "emiters" (did you mean "emitters"?)'


def test_a_table_shows_at_most_500_rows_and_limit_shows_the_first(co2, capsys):
    rows = "".join(f"COUNTRY {n},2020,1.{n % 10},{n},0.001\n" for n in range(600))
    (co2 / "content/data/co2.csv").write_text(CO2_CSV + rows)
    outcome = run_captured(capsys, "check", "--site", str(co2))
    assert outcome.code == 1
    [error] = [e for e in outcome.errors if "rows" in e["message"]]
    assert error["line"] == line(CO2_FACTS, "- id: emitters")
    assert "would show 604 rows; a table shows at most 500" in error["message"] and "limit:" in error["message"]
    edit(co2 / "content/facts/co2.yaml", "order: descending", "order: descending\n    limit: 3")
    assert run("build", "--site", str(co2), "--quiet") == 0
    shown = table_rows((co2 / "_site/emissions.html").read_text())
    assert [row[0] for row in shown] == ["Country", "China", "United States", "India"]


def test_hostile_cells_and_headings_are_text(co2):
    hostile = '<script>alert(1)</script> & "quotes"'
    (co2 / "content/data/co2.csv").write_text(CO2_CSV.replace("GERMANY", '"<img src=x onerror=alert(1)>"'))
    edit(co2 / "content/facts/co2.yaml", ", GERMANY: Germany", "")
    edit(co2 / "content/facts/co2.yaml", "heading: Country}", f"heading: '{hostile}'}}")
    edit(co2 / "content/facts/co2.yaml", "caption: Largest emitters in 2020", f"caption: '{hostile}'")
    assert run("build", "--site", str(co2), "--quiet") == 0
    html = (co2 / "_site/emissions.html").read_text()
    figure = re.search(r'<figure class="data-table".*?</figure>', html, re.S).group(0)
    assert "<script>" not in figure and "<img" not in figure
    assert "&lt;img src=x onerror=alert(1)&gt;" in figure and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in figure
    assert table_rows(html)[4][0] == "&lt;img src=x onerror=alert(1)&gt;"


def test_a_fact_naming_a_column_by_its_header_is_told_the_name_to_write(co2, capsys):
    edit(co2 / "content/facts/co2.yaml", "by=total, year=2020", "by=Total (Mt), year=2020")
    outcome = run_captured(capsys, "check", "--site", str(co2))
    assert outcome.code == 1
    [error] = outcome.errors
    assert error["line"] == line(CO2_FACTS, "- id: top_emitter")
    assert 'write total for the column headed "Total (Mt)"' in error["message"]


def test_check_passes_a_table_page_and_reports_a_table_placed_nowhere(co2, capsys):
    outcome = run_captured(capsys, "check", "--site", str(co2))
    assert outcome.code == 0, outcome.stderr
    edit(co2 / "content/emissions.md", '{{ table("emitters") }}', "")
    outcome = run_captured(capsys, "check", "--site", str(co2))
    assert outcome.code == 1
    assert [(e["line"], e["message"]) for e in outcome.errors] == [
        (line(CO2_FACTS, "- id: emitters"), 'table "emitters" is not placed on any page: add {{ table("emitters") }}')
    ]


def test_the_explainer_lists_the_regions_at_the_uks_ratio_from_its_data(built_explainer):
    """The regions page's table holds the twelve regions its text names (a statement checks them), and
    Moscow, in the order of their rates, in both languages."""
    english = table_rows((built_explainer / "regions.html").read_text(), "regions_at_uk_ratio")
    russian = table_rows((built_explainer / "ru/regions.html").read_text(), "regions_at_uk_ratio")
    assert [row[0] for row in english[1:]] == [
        "Tuva", "Buryatia", "Nenets Autonomous Okrug", "Zabaykalsky Krai", "Magadan", "Altai Republic",
        "Chukotka", "Sakhalin", "North Ossetia", "Pskov", "Kostroma", "Komi", "Moscow (city)",
    ]  # fmt: skip
    assert russian[0] == ["Регион", "Федеральный округ", "12 марта", "12 апреля"]
    assert russian[1][:3] == ["Тыва", "Сибирский", "215,3"] and russian[-1][0] == "Москва"


CO2_CHART = """\
import altair as alt


def chart(facts):
    rows = [
        {"country": facts.label("co2", "country", row["country"]), "total": row["total"]}
        for row in facts.dataset("co2")
        if row["year"] == 2020
    ]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(x=alt.X("country:N", title="Country"), y=alt.Y("total:Q", title="Million tonnes"))
        .properties(title="Emissions in 2020", description="Four bars, China's the tallest.", width=300)
    )
"""


def test_a_chart_names_cells_as_the_datasets_entry_does(co2):
    write(co2, "content/charts/co2_totals.py", CO2_CHART)
    edit(
        co2 / "content/emissions.md", '{{ table("emitters") }}', '{{ table("emitters") }}\n\n{{ chart("co2_totals") }}'
    )
    assert run("build", "--site", str(co2), "--quiet") == 0
    csv_text = (co2 / "_site/charts/co2_totals.csv").read_text()
    assert "China" in csv_text and "United States" in csv_text and "CHINA" not in csv_text


def test_a_named_cell_reads_by_its_name_on_the_sources_page_and_in_facts_json(co2):
    assert run("build", "--site", str(co2), "--quiet") == 0
    facts = {fact["id"]: fact for fact in json.loads((co2 / "_site/facts.json").read_text())["facts"]}
    assert facts["top_emitter"]["value"] == "CHINA (MAINLAND)"  # the data as it is, for machines
    assert facts["top_emitter"]["display"] == "China"  # as readers see it
    assert re.search(r'<span class="fact fact-statistic">China</span>', (co2 / "_site/sources.html").read_text())
