"""Facts drawn from datasets, computed and grouped datasets, and checked statements, on a small site."""

import json
import re

import pytest
from conftest import edit, run, run_captured, write

REGIONS_CSV = """\
# Named dead and men by region (a comment line, so CSV lines and row numbers differ)
region,district,men,dead
Capital,Central,4000000,114
Hill Republic,Eastern,90000,200
Coal Oblast,Eastern,750000,217
River Krai,Eastern,400000,123
"""

REGION_FACTS = """\
facts:
  - id: capital_dead
    label: Named dead from the Capital
    data: lookup(regions, dead, region="Capital")
    unit: people
    counts: killed, named
    as_of: 2023-03-12
    claimant: volunteers
    status: count
  - id: capital_rate
    derived: lookup(regions, rate, region="Capital")
    decimals: 2
    unit: deaths per 100,000 men
    counts: killed, per 100,000 men
    as_of: 2023-03-12
    status: derived
  - id: lowest_eastern
    derived: at_min(regions, region, by=rate, district="Eastern")
    unit: region
    counts: region
    as_of: 2023-03-12
    status: derived
  - id: lowest_eastern_ratio
    derived: min(regions, rate, district="Eastern") / capital_rate
    decimals: 1
    unit: times the Capital's rate
    counts: ratio
    status: derived
datasets:
  - id: regions
    title: Named dead by region
    sources: survey
    claimant: volunteers and the census
    csv: data/regions.csv
    computed:
      rate: dead / men * 100000
  - id: districts
    title: Named dead by district
    sources: survey
    claimant: volunteers and the census
    group:
      dataset: regions
      by: district
      sum: [men, dead]
    computed:
      rate: dead / men * 100000
statements:
  - id: capital_lowest
    says: The Capital has the lowest rate of all regions
    check: at_min(regions, region, by=rate) == "Capital"
"""

PAGE = """\
---
title: Regions
description: Where the dead come from.
statements:
  - id: eastern_highest_district
    says: The Eastern district has the highest rate
    check: at_max(districts, district, by=rate) == "Eastern"
---
The Capital counted {{ fact("capital_dead") }} named dead.

The Capital had the lowest rate of all{{ check("capital_lowest") }}: {{ fact("capital_rate") }}.

The lowest eastern region was {{ fact("lowest_eastern") }}, at {{ fact("lowest_eastern_ratio") }} times the Capital's rate.

The Eastern district had the highest rate{{ check("eastern_highest_district") }}.
"""  # noqa: E501 - one line per paragraph, as an editor writes it


@pytest.fixture
def regions_site(site):
    write(site, "content/data/regions.csv", REGIONS_CSV)
    write(site, "content/facts/regions.yaml", REGION_FACTS)
    write(site, "content/regions.md", PAGE)
    return site


def text_of(html: str) -> str:
    """The page's words as a reader sees them: tags and the screen-reader attributions removed."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def edit_cell(site, old: str, new: str) -> None:
    edit(site / "content/data/regions.csv", old, new)


def test_figures_come_from_the_dataset_and_follow_a_correction(regions_site, tmp_path):
    assert run("build", "--site", str(regions_site), "--quiet") == 0
    page = text_of((regions_site / "_site/regions.html").read_text())
    assert "counted 114 named dead" in page
    assert "The Capital had the lowest rate of all: 2.85." in page
    assert "The lowest eastern region was Coal Oblast, at 10.2 times" in page

    facts = {f["id"]: f for f in json.loads((regions_site / "_site/facts.json").read_text())["facts"]}
    assert facts["capital_dead"]["value"] == 114
    assert [s["id"] for s in facts["capital_dead"]["sources"]] == ["survey"], "a data fact takes its dataset's sources"
    assert facts["lowest_eastern"]["claimant"] == "calculated from figures by volunteers and the census"

    # One cell corrected: every figure drawn from it follows, on the page and in facts.json.
    edit_cell(regions_site, "Capital,Central,4000000,114", "Capital,Central,4000000,100")
    edit_cell(regions_site, "Coal Oblast,Eastern,750000,217", "Coal Oblast,Eastern,750000,300")
    assert run("build", "--site", str(regions_site), "--quiet") == 0
    page = text_of((regions_site / "_site/regions.html").read_text())
    assert "counted 100 named dead" in page and "114" not in page
    assert "The Capital had the lowest rate of all: 2.50." in page
    assert "The lowest eastern region was River Krai, at 12.3 times" in page


def test_a_statement_the_data_no_longer_supports_fails_at_the_sentence(regions_site, capsys):
    assert run("build", "--site", str(regions_site), "--quiet") == 0
    before = (regions_site / "_site/regions.html").read_bytes()
    edit_cell(regions_site, "Capital,Central,4000000,114", "Capital,Central,4000000,4560")  # forty-fold
    outcome = run_captured(capsys, "build", "--site", str(regions_site))
    assert outcome.code == 1
    errors = outcome.errors
    assert [e["path"].split("site/")[-1] for e in errors] == ["content/regions.md"] * 2, outcome.stderr
    assert errors[0]["line"] == "11", "the line of the sentence that rests on the statement"
    assert errors[0]["message"] == (
        'statement "capital_lowest" no longer holds: The Capital has the lowest rate of all regions'
        ' (the data has: at_min(regions, region, by=rate) is "Coal Oblast")'
    )
    assert errors[1]["line"] == "15" and 'statement "eastern_highest_district" no longer holds' in errors[1]["message"]
    assert (regions_site / "_site/regions.html").read_bytes() == before, "the previous build is kept"


def test_a_statement_on_a_grouped_dataset_is_judged(regions_site, capsys):
    edit_cell(regions_site, "Capital,Central,4000000,114", "Capital,Central,4000000,400000")
    outcome = run_captured(capsys, "build", "--site", str(regions_site))
    messages = [(e["line"], e["message"]) for e in outcome.errors]
    assert (
        "15",
        'statement "eastern_highest_district" no longer holds: The Eastern district has the highest rate'
        ' (the data has: at_max(districts, district, by=rate) is "Central")',
    ) in messages


def test_a_statement_no_sentence_names_yet_is_reported_where_it_is_defined(regions_site, capsys):
    page = regions_site / "content/regions.md"
    page.write_text(page.read_text().replace('{{ check("capital_lowest") }}', ""))
    edit_cell(regions_site, "Capital,Central,4000000,114", "Capital,Central,4000000,4560")
    errors = run_captured(capsys, "build", "--site", str(regions_site)).errors
    assert next((e["path"].split("site/")[-1], e["line"]) for e in errors) == ("content/facts/regions.yaml", "48")


@pytest.mark.parametrize(
    "old, new, path, line, wanted",
    [
        (
            '{{ check("capital_lowest") }}',
            '{{ check("capital_lowst") }}',
            "content/regions.md",
            "11",
            'unknown check "capital_lowst" (did you mean "capital_lowest"?)',
        ),
        (
            'check: at_min(regions, region, by=rate) == "Capital"',
            "check: capital_dead + 1",
            "content/facts/regions.yaml",
            "48",
            'statement "capital_lowest": check gives 115: it must be a condition, such as x < y',
        ),
        (
            'check: at_min(regions, region, by=rate) == "Capital"',
            'check: at_min(regions, regoin, by=rate) == "Capital"',
            "content/facts/regions.yaml",
            "48",
            'the check uses "regoin", which is no fact and no column of "regions" (did you mean "region"?)',
        ),
        (
            'data: lookup(regions, dead, region="Capital")',
            'data: lookup(regions, dead, region="Capitol")',
            "content/facts/regions.yaml",
            "2",
            'fact "capital_dead": "lookup(regions, dead, region=\'Capitol\')": 0 rows of "regions" match; a lookup '
            "needs exactly one",
        ),
        (
            'data: lookup(regions, dead, region="Capital")',
            'data: lookup(regions, dead, district="Eastern")',
            "content/facts/regions.yaml",
            "2",
            '3 rows of "regions" match; a lookup needs exactly one',
        ),
        (
            'data: lookup(regions, dead, region="Capital")',
            "data: 114",
            "content/facts/regions.yaml",
            "4",
            '"data": must be an expression, such as a - b or lookup(dataset, column, key_column="row name")',
        ),
        (
            'data: lookup(regions, dead, region="Capital")',
            "data: capital_rate * 2",
            "content/facts/regions.yaml",
            "2",
            '"data" must read a dataset, such as lookup(some_dataset, column, key_column="row name")',
        ),
        (
            "rate: dead / men * 100000\n  - id: districts",
            "rate: dead / mne * 100000\n  - id: districts",
            "content/facts/regions.yaml",
            "36",
            'computed column "rate", row 1: unknown fact or column "mne" (did you mean "men"?)',
        ),
        (
            "rate: dead / men * 100000\n  - id: districts",
            "rate: dead / (men\n  - id: districts",
            "content/facts/regions.yaml",
            "36",
            'computed column "rate": ',
        ),
        (
            "sum: [men, dead]",
            "sum: [men, region]",
            "content/facts/regions.yaml",
            "44",
            '"group": column "region" of "regions" holds text ("Capital"), which cannot be added up',
        ),
        (
            "by: district",
            "by: distrct",
            "content/facts/regions.yaml",
            "43",
            '"group": dataset "regions" has no column "distrct" (did you mean "district"?)',
        ),
        (
            'derived: at_min(regions, region, by=rate, district="Eastern")',
            'derived: at_min(regions, region, by=rate, district="Eastern") * 2',
            "content/facts/regions.yaml",
            "17",
            '"Coal Oblast", not a number',
        ),
        (
            "    as_of: 2023-03-12\n    status: derived\n  - id: lowest_eastern\n",
            "    status: derived\n  - id: lowest_eastern\n",
            "content/facts/regions.yaml",
            "10",
            'fact "capital_rate" reads only datasets: give it an as_of: date',
        ),
    ],
)
def test_mistakes_in_data_facts_and_statements_name_file_and_line(regions_site, capsys, old, new, path, line, wanted):
    facts = regions_site / "content/facts/regions.yaml"
    page = regions_site / "content/regions.md"
    target = facts if old in facts.read_text() else page
    assert old in target.read_text(), old
    target.write_text(target.read_text().replace(old, new, 1))
    outcome = run_captured(capsys, "build", "--site", str(regions_site))
    assert outcome.code == 1
    found = [(e["path"].split("site/")[-1], e["line"], e["message"]) for e in outcome.errors]
    assert len(found) == 1, f"one mistake, one message (no knock-on errors): {found}"
    assert found[0][:2] == (path, line) and wanted in found[0][2], found


def test_check_reports_a_typed_fact_that_repeats_a_dataset_cell(regions_site, capsys):
    facts = regions_site / "content/facts/regions.yaml"
    text = facts.read_text().replace(
        '    data: lookup(regions, dead, region="Capital")\n', "    value: 114\n    sources: survey\n"
    )
    facts.write_text(text)
    outcome = run_captured(capsys, "check", "--site", str(regions_site))
    assert outcome.code == 1
    assert [(e["line"], e["message"]) for e in outcome.errors] == [
        (
            "2",
            'fact "capital_dead" types 114, a cell of dataset "regions" (column "dead" where region is "Capital"): '
            "draw it from"
            ' the dataset so a correction there reaches it: data: lookup(regions, dead, region="Capital")',
        )
    ]


def test_the_explainer_types_no_dataset_cell(capsys):
    """Every regional count and General Staff total of this explainer is drawn from its dataset."""
    from conftest import PROJECT

    outcome = run_captured(capsys, "check", "--site", str(PROJECT))
    assert outcome.code == 0, outcome.stderr


def test_statements_are_published_with_the_pages_resting_on_them(regions_site):
    assert run("build", "--site", str(regions_site), "--quiet") == 0
    document = json.loads((regions_site / "_site/facts.json").read_text())
    statements = {s["id"]: s for s in document["statements"]}
    assert statements["capital_lowest"]["used_on"] == ["regions.html"]
    assert statements["capital_lowest"]["datasets"] == ["regions"]
    sources = (regions_site / "_site/sources.html").read_text()
    assert 'id="statement-eastern_highest_district"' in sources
    assert "<code>at_max(districts, district, by=rate) == &#34;Eastern&#34;</code>" in sources
    assert "<code>rate = dead / men * 100000</code>" in sources, "computed columns are shown with their dataset"
