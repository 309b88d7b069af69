"""Derived-fact expressions: arithmetic over fact ids, and nothing else."""

import pytest

from factsite import expressions

VALUES = {"a": (10, None, None), "b": (4, None, None), "r": (None, 40, 60)}


def value_of(text):
    return expressions.evaluate(expressions.parse(text), VALUES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a - b", 6),
        ("a / b", 2.5),
        ("-(a + b) * 2", -28),
        ("round(a / 3, 2)", 3.33),
        ("max(a, b)", 10),
        ("high(r) - low(r)", 20),
    ],
)
def test_arithmetic(text, expected):
    assert value_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "a.real",
        "a[0]",
        "open('x')",
        "lambda: 1",
        "a if b else 1",
        "a ** b",
        "[a]",
        "a in b",
        "f(a)",
        "min(*a)",
    ],
)
def test_anything_but_arithmetic_is_refused(text):
    with pytest.raises(expressions.ExpressionError):
        expressions.parse(text)


def test_names_lists_fact_ids_once_in_order():
    assert expressions.names(expressions.parse("b / a + b + low(r)")) == ["b", "a", "r"]


def test_division_by_zero_is_an_error_not_a_crash():
    with pytest.raises(expressions.ExpressionError, match="division by zero"):
        value_of("a / (b - 4)")


def test_a_range_needs_low_or_high():
    with pytest.raises(expressions.ExpressionError, match="low\\(r\\)"):
        value_of("r * 2")


# ---- over datasets -------------------------------------------------------------------------

REGIONS = expressions.Table(
    ("region", "district", "dead", "men"),
    (
        {"region": "Moscow", "district": "Central", "dead": 114, "men": 4_096_435},
        {"region": "Tuva", "district": "Siberian", "dead": 200, "men": 92_884},
        {"region": "Kemerovo", "district": "Siberian", "dead": 100, "men": 968_000},
        {"region": "Khabarovsk", "district": "Far Eastern", "dead": 123, "men": 403_638},
        {"region": "Nowhere", "district": "Far Eastern", "dead": None, "men": 1_000},
    ),
)
TABLES = {"regions": REGIONS}
FACTS = {"threshold": (30, None, None), "moscow_dead": (114, None, None)}
RATE = "dead / men * 100000"
EAST = 'where=district in ["Siberian", "Far Eastern"]'


def over_data(text):
    return expressions.evaluate(expressions.parse(text), FACTS, TABLES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('lookup(regions, dead, region="Tuva")', 200),
        ("lookup(regions, region, where=dead == 123)", "Khabarovsk"),
        (f"at_min(regions, region, by={RATE}, {EAST})", "Kemerovo"),
        (f"at_max(regions, region, by={RATE})", "Tuva"),
        (f"round(min(regions, {RATE}, {EAST}), 2)", 10.33),
        ("max(regions, dead)", 200),
        ("count(regions, where=dead > moscow_dead)", 2),  # the empty cell is left out, not counted
        ('count(regions, district="Siberian")', 2),
        ("sum(regions, dead)", 537),
        ('mean(regions, dead, district="Siberian")', 150),
        ('share(regions, where=district == "Siberian")', 0.4),
        ("first(regions, region, where=dead > 150)", "Tuva"),
        ("last(regions, region, where=dead > 110)", "Khabarovsk"),
        (f"all(regions, {RATE} < 300, {EAST})", True),
        ("any(regions, dead > 500)", False),
        (f'lookup(regions, {RATE}, region="Tuva") / lookup(regions, {RATE}, region="Moscow") > threshold', True),
        ("not (max(regions, dead) == 200) or 1 < 2 < 3", True),
    ],
)
def test_dataset_functions(text, expected):
    assert over_data(text) == expected


@pytest.mark.parametrize(
    "text, wanted",
    [
        ('lookup(regions, dead, district="Siberian")', '2 rows of "regions" match; a lookup needs exactly one'),
        ('lookup(regions, dead, region="Atlantis")', "0 rows"),
        ('lookup(regions, dead, regoin="Tuva")', 'has no column "regoin"'),
        ('lookup(regions, dead, region="Nowhere")', "is empty"),
        ("at_min(regions, region)", "needs by="),
        ('at_min(regions, region, by=district == "Central")', "not a number"),
        ("count(regions, dead)", "write it as count(regions, where=...)"),
        ("region + 1", "unknown fact or column"),
        ('lookup(regions, region, region="Tuva") * 2', '"Tuva", not a number'),
        ("count(regions, where=dead)", "a condition must be a comparison"),
        ('lookup(regions, region, region="Tuva") < 3', "cannot compare"),
        ("at_min(regions, region, by=men - men)", "5 rows share the lowest value"),
        ("share(regions, where=dead > 1, within=dead > 999)", "no row to take a share of"),
    ],
)
def test_dataset_function_mistakes_are_explained(text, wanted):
    with pytest.raises(expressions.ExpressionError, match=None) as caught:
        over_data(text)
    assert wanted in str(caught.value)


def test_reads_tells_columns_from_facts():
    node = expressions.parse(
        f'count(regions, where={RATE} > threshold) + lookup(regions, dead, region="Tuva") - moscow_dead'
    )
    found = expressions.reads(node, {"regions": REGIONS.columns})
    assert found.facts == ("threshold", "moscow_dead")
    assert found.datasets == ("regions",)


def test_min_of_plain_numbers_is_not_a_dataset_call():
    assert expressions.evaluate(expressions.parse("min(threshold, moscow_dead)"), FACTS, TABLES) == 30


def test_explain_shows_what_each_side_came_to():
    node = expressions.parse(f'at_min(regions, region, by={RATE}, {EAST}) == "Khabarovsk"')
    assert expressions.evaluate(node, FACTS, TABLES) is False
    assert expressions.explain(node, FACTS, TABLES).endswith('is "Kemerovo"')
