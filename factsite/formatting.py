"""How a fact's number reads in prose: thousands separators, ranges, compact and percent forms."""
from __future__ import annotations

from .model import Fact

RANGE_DASH = "\u2013"  # en dash, the typographic sign for "from ... to"
PERCENT_UNITS = ("%", "percent")


def decimals_for(number: float, fact: Fact) -> int:
    """The fact's own `decimals`, else as many as the number has (at most 2)."""
    if fact.decimals is not None:
        return fact.decimals
    if float(number).is_integer():
        return 0
    return min(len(repr(float(number)).split(".")[1]), 2)


def format_plain(number: float, decimals: int) -> str:
    return f"{number:,.{decimals}f}"


def format_compact(number: float) -> str:
    """159090 -> "159k", 1250000 -> "1.3m"; below 10,000 the full figure."""
    magnitude = abs(number)
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if magnitude >= size and magnitude >= 10_000:
            scaled = number / size
            text = f"{scaled:,.0f}" if abs(scaled) >= 100 else f"{scaled:,.1f}".rstrip("0").rstrip(".")
            return text + suffix
    return format_plain(number, 0)


def format_number(number: float, fact: Fact, style: str) -> str:
    if style == "compact":
        return format_compact(number)
    if style == "plain":
        return f"{number:.{decimals_for(number, fact)}f}"
    return format_plain(number, decimals_for(number, fact))


def format_fact(fact: Fact, style: str = "number") -> str:
    """The figure as text; ranges use an en dash.

    Facts whose unit is % get a % sign; style "percent" shows a fraction (0.489) as "48.9%".
    A fact drawn from a text cell (a region's name) reads as it is written.
    """
    if isinstance(fact.value, str):
        return fact.value
    numbers = [fact.value] if fact.value is not None else [fact.low, fact.high]
    if style == "percent":
        return RANGE_DASH.join(format_plain(n * 100, fact.decimals if fact.decimals is not None else 1) for n in numbers) + "%"
    text = RANGE_DASH.join(format_number(n, fact, style) for n in numbers)
    return text + "%" if fact.unit in PERCENT_UNITS else text


STATUS_PHRASES = {
    "claim": "claimed by",
    "estimate": "estimated by",
    "count": "counted by",
    "statistic": "published by",
    "derived": "",
}


def attribution(fact: Fact) -> str:
    """Who stands behind the figure, as a screen reader will read it after the number."""
    if fact.status == "derived":
        return fact.claimant
    return f"{STATUS_PHRASES[fact.status]} {fact.claimant}"
