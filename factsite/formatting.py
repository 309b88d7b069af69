"""How a figure reads in a language: numbers, ranges, percentages, money and dates from CLDR data
(Babel), never from rules written here: 159,090 and 48.9% in English, 159 090 and 48,9 % in Russian."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from babel.numbers import format_compact_decimal, parse_pattern

from .model import Fact

RANGE_DASH = "\u2013"  # en dash, the typographic sign for "from ... to"
MINUS = "\u2212"  # a true minus sign: CLDR's is often the hyphen-minus, which reads as a dash
PERCENT_UNITS = ("%", "percent")  # such a fact's value is already a percentage: 48.9 reads "48.9%"
CURRENCY_SIGNS = {"£": "GBP", "$": "USD", "€": "EUR", "₽": "RUB", "₴": "UAH"}
COMPACT_FROM = 10_000  # below this a compact figure is written in full


@functools.cache
def locale_of(language: str) -> Locale:
    """The CLDR locale of a BCP 47 tag such as "en-GB" or "ru"; ValueError when there is none."""
    try:
        return Locale.parse(language.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f'"{language}" is not a language tag CLDR knows (such as en, en-GB, ru)') from exc


def fraction_digits(number: float, most: int) -> int:
    """The decimals a number has, at most `most` (12.5: 1; 48.0: 0; 0.00001: 5, though Python writes it 1e-05)."""
    if float(number).is_integer():
        return 0
    exponent = Decimal(repr(float(number))).as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number's: not "n", "N" or "F"
    return min(-exponent, most)


def decimals_for(number: float, fact: Fact) -> int:
    """The fact's own `decimals`, else as many as the number has (at most 2)."""
    return fact.decimals if fact.decimals is not None else fraction_digits(number, 2)


def signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def with_pattern(number: float, pattern: str, decimals: int, language: str, grouping: bool = True, **more: Any) -> str:
    """`number` through a CLDR pattern of the language, with exactly `decimals` fraction digits."""
    parsed = parse_pattern(pattern)
    parsed.frac_prec = (decimals, decimals)
    return signed(parsed.apply(number, locale_of(language), group_separator=grouping, **more))


def format_number(number: float, language: str = "en", decimals: int = 0, grouping: bool = True) -> str:
    """159090 -> "159,090" (en) or "159 090" (ru)."""
    return with_pattern(number, locale_of(language).decimal_formats[None].pattern, decimals, language, grouping)


def format_percent(fraction: float, language: str = "en", decimals: int = 1) -> str:
    """0.489 -> "48.9%" (en) or "48,9 %" (ru)."""
    return with_pattern(fraction, locale_of(language).percent_formats[None].pattern, decimals, language)


def format_money(amount: float, currency: str, language: str = "en", decimals: int = 0) -> str:
    """1234 pounds -> "£1,234" (en) or "1 234 £" (ru): the sign where the language puts it."""
    pattern = locale_of(language).currency_formats["standard"].pattern
    return with_pattern(amount, pattern, decimals, language, currency=currency, currency_digits=False)


def format_compact(number: float, language: str = "en") -> str:
    """159090 -> "159k" (en-GB) or "159 тыс." (ru); below 10,000 the full figure."""
    if abs(number) < COMPACT_FROM:
        return format_number(number, language)
    digits = 0 if len(str(int(abs(number)))) % 3 == 0 else 1  # 159k but 1.3m
    return signed(format_compact_decimal(number, locale=locale_of(language), fraction_digits=digits))


def currency_of(unit: str) -> str | None:
    """The ISO code of a money unit written as a sign (£) or a code (GBP), else None."""
    if unit in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[unit]
    return unit if len(unit) == len("EUR") and unit.isupper() and unit.isalpha() else None


def format_value(number: float, fact: Fact, style: str, language: str) -> str:
    return format_figure(number, fact.unit, decimals_for(number, fact), style, language)


def format_figure(number: float, unit: str, decimals: int, style: str, language: str) -> str:
    """A number in a style (number, compact, plain, percent: a fraction as a percentage), its unit
    (%, a currency) deciding the number's form; another unit is not part of the number."""
    if style == "percent":
        return format_percent(number, language, decimals)
    if style == "compact":
        return format_compact(number, language)
    if style == "plain":
        return format_number(number, language, decimals, grouping=False)
    if unit in PERCENT_UNITS:
        return format_percent(number / 100, language, decimals)
    currency = currency_of(unit)
    if currency:
        return format_money(number, currency, language, decimals)
    return format_number(number, language, decimals)


def format_fact(fact: Fact, style: str = "number", language: str = "en") -> str:
    """The figure as readers of `language` write it; a range's ends joined by an en dash.

    Percentages: a fact whose unit is % holds the percentage itself (48.9 reads "48.9%"); the
    "percent" style shows a fraction as a percentage (0.489 reads "48.9%"). A fact drawn from a
    text cell (a region's name) reads as it is written.
    """
    if isinstance(fact.value, str):
        return fact.value
    numbers = [fact.value] if fact.value is not None else [end for end in (fact.low, fact.high) if end is not None]
    if style == "percent":
        decimals = fact.decimals if fact.decimals is not None else 1
        return RANGE_DASH.join(format_percent(n, language, decimals) for n in numbers)
    return RANGE_DASH.join(format_value(n, fact, style, language) for n in numbers)


def format_date(iso: str, language: str = "en") -> str:
    """ "2023-03-12" -> "12 March 2023" (en-GB) or "12 марта 2023 г." (ru); "2023-03" -> "March 2023" or
    "март 2023 г." (CLDR's month-and-year form, which in Russian takes "г."); a year as it is."""
    parts = [int(part) for part in iso.split("-")] if iso else []
    match parts:
        case [year, month, day]:
            return babel_date(datetime.date(year, month, day), format="long", locale=locale_of(language))
        case [year, month]:
            return format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale_of(language))
    return iso


def plural_category(number: float, language: str, decimals: int = 0) -> str:
    """CLDR's plural category of a number as shown with `decimals` (one, few, many, other...): in
    Russian 21 is "one" (21 регион), 22 "few" (22 региона), 25 "many" (25 регионов), 77.4 "other"."""
    return locale_of(language).plural_form(Decimal(f"{number:.{decimals}f}"))


def noun_form(forms: dict[str, str], number: float, language: str, decimals: int = 0) -> str:
    """The form of a noun that agrees with `number` in `language`, from its forms by plural category;
    a category the forms leave out takes "other". KeyError when "other" is needed and missing."""
    category = plural_category(number, language, decimals)
    return forms[category] if category in forms else forms["other"]


def N_(text: str) -> str:
    """Marks an interface string for the catalogs (pybabel extract); it is translated where shown."""
    return text


STATUS_PHRASES = {
    "claim": N_("claimed by"),
    "estimate": N_("estimated by"),
    "count": N_("counted by"),
    "statistic": N_("published by"),
    "derived": "",
}


def attribution(fact: Fact, gettext: Callable[[str], str] = str) -> str:
    """Who stands behind the figure, as a screen reader will read it after the number."""
    if fact.status == "derived":
        return fact.claimant
    return f"{gettext(STATUS_PHRASES[fact.status])} {fact.claimant}"
