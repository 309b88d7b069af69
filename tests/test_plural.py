"""Nouns that agree with figures, by CLDR's plural rules (Babel): fact("id", noun="...") in prose,
facts.plural() in charts, with each language's forms in site.yaml."""

import pytest
from conftest import edit, run_captured

from factsite.formatting import noun_form, plural_category

NBSP = "\u00a0"
REGION_RU = {"one": "регион", "few": "региона", "many": "регионов", "other": "региона"}
NAME_RU = {"one": "имя", "few": "имени", "many": "имён", "other": "имени"}


@pytest.mark.parametrize(
    ("number", "decimals", "expected"),
    [
        (1, 0, "регион"),
        (21, 0, "регион"),
        (2, 0, "региона"),
        (22, 0, "региона"),
        (5, 0, "регионов"),
        (11, 0, "регионов"),
        (29, 0, "регионов"),
        (111, 0, "регионов"),
        (77.4, 1, "региона"),
        (30.0, 1, "региона"),
    ],
)
def test_russian_nouns_agree_with_the_figure_as_shown(number, decimals, expected):
    assert noun_form(REGION_RU, number, "ru", decimals) == expected


def test_the_case_the_explainer_had_wrong():
    """ "16 774 имён" was printed; CLDR's rules give "16 774 имени" (the number ends in 4)."""
    assert noun_form(NAME_RU, 16774, "ru") == "имени"
    assert noun_form(NAME_RU, 827, "ru") == "имён"


def test_english_has_one_and_other():
    forms = {"one": "region", "other": "regions"}
    assert [noun_form(forms, n, "en-GB") for n in (1, 2, 21)] == ["region", "regions", "regions"]
    assert plural_category(1, "en", 1) == "other"  # "1.0 regions"


def test_a_missing_category_takes_other():
    assert noun_form({"one": "регион", "other": "региона"}, 5, "ru") == "региона"


SITE_NOUNS = """
nouns:
  agency_total: {one: person, other: people}
"""


def test_prose_fact_with_a_noun(site, capsys):
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + SITE_NOUNS)
    edit(
        site / "content/index.md",
        'The agency claims {{ fact("total") }}',
        'The agency claims {{ fact("total", noun="agency_total") }}',
    )
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 0, outcome.stderr
    html = (site / "_site/index.html").read_text()
    assert f"</a>{NBSP}people" in html


def test_an_unknown_noun_is_reported_at_its_line(site, capsys):
    edit(
        site / "content/index.md",
        'The agency claims {{ fact("total") }}',
        'The agency claims {{ fact("total", noun="peeple") }}',
    )
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    [error] = outcome.errors
    assert error["path"].endswith("content/index.md") and error["line"] == "5"
    assert 'no noun "peeple" in en' in error["message"] and "nouns:" in error["message"]


def test_only_noun_may_be_named_in_a_fact_call(site, capsys):
    edit(
        site / "content/index.md",
        'The agency claims {{ fact("total") }}',
        'The agency claims {{ fact("total", style="compact") }}',
    )
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    assert "takes an id in quotes" in outcome.stderr


def test_the_explainer_russian_names_agree(built_explainer):
    import re

    page = (built_explainer / "ru/regions.html").read_text()
    shown = re.search(r'data-fact="named_dead_2023_03_10"[^>]*>([^<]+)<.*?</a>(.{0,8})', page, re.S)
    assert shown.group(1) == f"16{NBSP}774" and shown.group(2).startswith(f"{NBSP}имени")
