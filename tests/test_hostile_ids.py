"""Unknown and duplicate ids, broken references and impossible derived facts: file, line, both places."""

from __future__ import annotations

import pytest
from conftest import run_captured, write

FRONT = "---\ntitle: Extra\ndescription: A page for the test.\n---\n"


def build(capsys, site):
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1, outcome.stderr
    return outcome.errors


def fact(fact_id: str, value: str = "12", source: str = "agency_report") -> str:
    return (
        f"  - id: {fact_id}\n    value: {value}\n    unit: people\n    counts: killed\n    as_of: 2023-03-01\n"
        f"    claimant: Someone\n    status: claim\n    sources: {source}\n"
    )


def derived(fact_id: str, expression: str) -> str:
    return f"  - id: {fact_id}\n    derived: {expression}\n    unit: people\n    counts: killed\n    status: derived\n"


def test_unknown_fact_in_prose_names_page_line_and_nearest_id(site, capsys):
    write(site, "content/extra.md", FRONT + 'First line.\nThe total is {{ fact("totl") }}.\n')
    [error] = build(capsys, site)
    assert error["path"].endswith("content/extra.md") and error["line"] == "6"
    assert 'unknown fact "totl" (did you mean "total"?)' in error["message"]


def test_unknown_chart_in_prose(site, capsys):
    write(site, "content/extra.md", FRONT + '\n{{ chart("rise") }}\n')
    [error] = build(capsys, site)
    assert error["path"].endswith("content/extra.md") and error["line"] == "6"
    assert 'unknown chart "rise" (did you mean "rises"?)' in error["message"]


@pytest.mark.parametrize(
    "call, wanted",
    [
        ('facts.dataset("rise")', 'unknown dataset "rise" (did you mean "rises"?)'),
        ('facts["totl"]', 'unknown fact "totl" (did you mean "total"?)'),
    ],
)
def test_unknown_dataset_or_fact_read_by_a_chart(site, capsys, call, wanted):
    write(
        site,
        "content/charts/rises.py",
        f"import altair as alt\n\n\ndef chart(facts):\n    rows = {call}\n    return rows\n",
    )
    [error] = build(capsys, site)
    assert error["path"].endswith("content/charts/rises.py") and error["line"] == "5"
    assert wanted in error["message"]


def test_fact_citing_a_missing_source(site, capsys):
    write(site, "content/facts/extra.yaml", "facts:\n" + fact("extra", source="agency_reprot"))
    [error] = build(capsys, site)
    assert error["path"].endswith("content/facts/extra.yaml") and error["line"] == "9"
    assert 'unknown source "agency_reprot" (did you mean "agency_report"?)' in error["message"]


def test_dataset_citing_a_missing_source(site, capsys):
    write(
        site,
        "content/facts/extra.yaml",
        "datasets:\n  - id: more\n    title: More\n    sources: [survey, nowhere]\n    rows: [{a: 1}]\n",
    )
    [error] = build(capsys, site)
    assert error["line"] == "4" and 'unknown source "nowhere"' in error["message"]


@pytest.mark.parametrize(
    "section, entry, kind",
    [
        ("facts", fact("total"), "fact"),
        (
            "sources",
            "  - id: survey\n    publisher: P\n    title: T\n    url: https://example.org/\n    published: "
            "2020-01-01\n",
            "source",
        ),
        ("datasets", "  - id: rises\n    title: Again\n    sources: survey\n    rows: [{a: 1}]\n", "dataset"),
    ],
)
def test_duplicate_id_across_files_names_both_places(site, capsys, section, entry, kind):
    write(site, "content/facts/extra.yaml", f"{section}:\n{entry}")
    [error] = build(capsys, site)
    assert error["path"].endswith("content/facts/main.yaml") or error["path"].endswith("content/facts/extra.yaml")
    first = "content/facts/extra.yaml:2" if error["path"].endswith("main.yaml") else "content/facts/main.yaml:"
    assert f'duplicate {kind} id "{entry.split()[2]}"' in error["message"]
    assert first in error["message"]


def test_duplicate_id_within_one_file_names_both_lines(site, capsys):
    write(site, "content/facts/extra.yaml", "facts:\n" + fact("twice") + fact("twice", "13"))
    [error] = build(capsys, site)
    assert error["path"].endswith("content/facts/extra.yaml") and error["line"] == "10"
    assert 'duplicate fact id "twice" (also defined at' in error["message"]
    assert error["message"].endswith("content/facts/extra.yaml:2)")


def test_chart_placed_twice_on_a_page(site, capsys):
    write(site, "content/extra.md", FRONT + '{{ chart("rises") }}\n\nText.\n\n{{ chart("rises") }}\n')
    [error] = build(capsys, site)
    assert error["path"].endswith("content/extra.md") and error["line"] == "9"
    assert 'chart "rises" is already placed on line 5' in error["message"]


def test_chart_file_name_must_be_an_id(site, capsys):
    (site / "content/charts/rises.py").rename(site / "content/charts/Rises-2.py")
    errors = build(capsys, site)
    assert any(e["path"].endswith("content/charts/Rises-2.py") and "lower_case" in e["message"] for e in errors)


@pytest.mark.parametrize(
    "entries, line, wanted",
    [
        (
            derived("loop_a", "loop_b + 1") + derived("loop_b", "loop_a * 2"),
            "2",
            "derived facts form a cycle: loop_a -> loop_b -> loop_a",
        ),
        (derived("itself", "itself + 1"), "2", "cycle: itself -> itself"),
        (derived("halved", "total / 0"), "2", "division by zero"),
        (fact("nothing", "0") + derived("ratio_zero", "total / nothing"), "10", "division by zero"),
        (derived("typo", "totl * 2"), "2", 'uses unknown fact "totl" (did you mean "total"?)'),
        (derived("typed", "3 + 4"), "2", "must use at least one fact or dataset id"),
        (derived("lonely_min", "min(total)"), "2", "min() takes 2 or more arguments, not 1"),
        (derived("long_round", "round(total, 1, 2)"), "2", "round() takes 1 or 2 arguments, not 3"),
        (derived("odd_round", "round(total, 0.5)"), "2", "whole number of decimals"),
        (derived("huge", "total * 1e308"), "2", "too large"),
        (derived("sneaky", "__import__('os').system('true')"), "2", "is not allowed"),
        (derived("attribute", "total.real"), "2", "is not allowed"),
        (derived("power", "total ** 99999999"), "2", "is not allowed"),
    ],
)
def test_impossible_derived_fact(site, capsys, entries, line, wanted):
    write(site, "content/facts/extra.yaml", "facts:\n" + entries)
    errors = build(capsys, site)
    assert errors[0]["path"].endswith("content/facts/extra.yaml") and errors[0]["line"] == line
    assert wanted in errors[0]["message"]


@pytest.mark.parametrize(
    "nav, line, wanted",
    [
        (
            "nav: [index, secnd, sources]",
            "6",
            'nav names page "secnd", but there is no content/secnd.md (did you mean "second"?)',
        ),
        ("nav:\n  - index\n\n  # a comment\n  - missing\n", "10", 'nav names page "missing"'),
        ("nav:\n  - index\n  - index\n", "8", 'nav names page "index" twice'),
        ("nav:\n  - index\n  - {page: second}\n", "8", "each nav entry is a page name"),
    ],
)
def test_nav_naming_a_missing_page_points_at_its_line(site, capsys, nav, line, wanted):
    config = (site / "site.yaml").read_text().splitlines()
    config = [row for row in config if not row.startswith("nav:")] + nav.splitlines()
    (site / "site.yaml").write_text("\n".join(config) + "\n")
    [error] = build(capsys, site)
    assert error["path"].endswith("site.yaml") and error["line"] == line
    assert wanted in error["message"]


def test_share_chart_in_front_matter_must_exist(site, capsys):
    write(site, "content/extra.md", "---\ntitle: Extra\ndescription: D\nshare_chart: rise\n---\nText.\n")
    [error] = build(capsys, site)
    assert error["path"].endswith("content/extra.md") and error["line"] == "4"
    assert 'no chart "rise" in content/charts/ (did you mean "rises"?)' in error["message"]
