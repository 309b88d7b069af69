"""How figures read in prose, in each language, from CLDR data (Babel)."""

import pytest

from factsite.formatting import attribution, format_date, format_fact, locale_of
from factsite.model import Fact, Where

NBSP, NNBSP = "\u00a0", "\u202f"


def fact(**fields):
    base = {
        "id": "f",
        "unit": "people",
        "counts": "killed",
        "as_of": "2023",
        "claimant": "Someone",
        "status": "claim",
        "sources": ("s",),
        "where": Where("f.yaml", 1),
    }
    return Fact(**{**base, **fields})


@pytest.mark.parametrize(
    "fields, style, english, russian",
    [
        ({"value": 159090}, "number", "159,090", f"159{NBSP}090"),
        ({"value": 159090}, "compact", "159k", f"159{NBSP}тыс."),
        ({"value": 1_260_000}, "compact", "1.3m", f"1,3{NBSP}млн"),
        ({"value": 9500}, "compact", "9,500", f"9{NBSP}500"),
        ({"value": 48.9, "unit": "%"}, "number", "48.9%", f"48,9{NBSP}%"),
        ({"value": 0.489}, "percent", "48.9%", f"48,9{NBSP}%"),
        ({"value": 3.05, "decimals": 2}, "number", "3.05", "3,05"),
        ({"value": 81.47}, "number", "81.47", "81,47"),
        ({"value": 159090}, "plain", "159090", "159090"),
        ({"low": 40000, "high": 60000}, "number", "40,000\u201360,000", f"40{NBSP}000\u201360{NBSP}000"),
        ({"low": 175000, "high": 200000}, "compact", "175k\u2013200k", f"175{NBSP}тыс.\u2013200{NBSP}тыс."),
        ({"value": -1234.5, "unit": "£", "decimals": 2}, "number", "\u2212£1,234.50", f"\u22121{NBSP}234,50{NBSP}£"),
        ({"value": 12000, "unit": "EUR"}, "number", "€12,000", f"12{NBSP}000{NBSP}€"),
        ({"value": -3}, "number", "\u22123", "\u22123"),
        ({"value": "Kemerovo"}, "number", "Kemerovo", "Kemerovo"),
    ],
)
def test_figures_read_as_each_language_writes_them(fields, style, english, russian):
    assert format_fact(fact(**fields), style, "en-GB") == english
    assert format_fact(fact(**fields), style, "ru") == russian


def test_dates_in_each_language():
    assert format_date("2023-03-12", "en-GB") == "12 March 2023"
    assert format_date("2023-03-12", "ru") == f"12 марта 2023{NNBSP}г."
    assert format_date("2023-03", "ru") == f"март 2023{NNBSP}г."  # CLDR's month and year, with "г."
    assert format_date("2021", "ru") == "2021"


def test_a_language_tag_cldr_does_not_know_is_refused():
    assert str(locale_of("en-GB")) == "en_GB"
    with pytest.raises(ValueError, match='"xx-QQ" is not a language tag CLDR knows'):
        locale_of("xx-QQ")


def test_attribution_says_who_and_how():
    assert attribution(fact(value=1)) == "claimed by Someone"
    assert attribution(fact(value=1, status="count")) == "counted by Someone"
    assert (
        attribution(fact(value=1, status="derived", claimant="calculated from figures by X"))
        == "calculated from figures by X"
    )
    assert attribution(fact(value=1, status="estimate"), {"estimated by": "оценка:"}.get) == "оценка: Someone"
