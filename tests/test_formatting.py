"""How figures read in prose."""
import pytest

from factsite.formatting import attribution, format_fact
from factsite.model import Fact, Where


def fact(**fields):
    base = dict(id="f", unit="people", counts="killed", as_of="2023", claimant="Someone", status="claim",
                sources=("s",), where=Where("f.yaml", 1))
    return Fact(**{**base, **fields})


@pytest.mark.parametrize(
    "fields, style, expected",
    [
        ({"value": 159090}, "number", "159,090"),
        ({"value": 159090}, "compact", "159k"),
        ({"value": 1_260_000}, "compact", "1.3m"),
        ({"value": 9500}, "compact", "9,500"),
        ({"value": 48.9, "unit": "%"}, "number", "48.9%"),
        ({"value": 0.489}, "percent", "48.9%"),
        ({"value": 3.05, "decimals": 1}, "number", "3.0"),
        ({"value": 81.47}, "number", "81.47"),
        ({"value": 159090}, "plain", "159090"),
        ({"low": 40000, "high": 60000}, "number", "40,000\u201360,000"),
        ({"low": 175000, "high": 200000}, "compact", "175k\u2013200k"),
    ],
)
def test_format_fact(fields, style, expected):
    assert format_fact(fact(**fields), style) == expected


def test_attribution_says_who_and_how():
    assert attribution(fact(value=1)) == "claimed by Someone"
    assert attribution(fact(value=1, status="count")) == "counted by Someone"
    assert attribution(fact(value=1, status="derived", claimant="calculated from figures by X")) == "calculated from figures by X"
