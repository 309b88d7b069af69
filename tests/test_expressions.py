"""Derived-fact expressions: arithmetic over fact ids, and nothing else."""
import pytest

from factsite import expressions

VALUES = {"a": (10, None, None), "b": (4, None, None), "r": (None, 40, 60)}


def value_of(text):
    return expressions.evaluate(expressions.parse(text), VALUES)


@pytest.mark.parametrize(
    "text, expected",
    [("a - b", 6), ("a / b", 2.5), ("-(a + b) * 2", -28), ("round(a / 3, 2)", 3.33), ("max(a, b)", 10), ("high(r) - low(r)", 20)],
)
def test_arithmetic(text, expected):
    assert value_of(text) == expected


@pytest.mark.parametrize(
    "text",
    ["__import__('os')", "a.real", "a[0]", "open('x')", "lambda: 1", "a if b else 1", "a ** b", "[a]", "a in b", "f(a)", "min(*a)"],
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
