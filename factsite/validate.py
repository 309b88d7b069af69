"""Stage 2, validate: check every field and id, compute derived facts, return the typed Site.

Every problem becomes a ContentError naming file, line and field; all are collected and raised
together so an editor sees the whole list at once.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from .calls import ARGUMENTS, RememberedReferences, brace_id_problems, simple_calls
from .chart_words import with_chart_words
from .colors import validate_colors
from .compute import compute_facts, evaluate_statements, grouped_dataset, statement_uses, with_computed_columns
from .errors import ContentError, ContentErrors, did_you_mean, not_in_xml
from .i18n import (
    UNTRANSLATED,
    Words,
    base_language,
    catalog,
    catalog_problems,
    localized,
    read_words,
    shown_by,
    site_catalog_file,
    source_version,
    translated_claims,
    translation_problems,
    valid_tag,
    words_source,
)
from .keys import body_key
from .load import ID_PATTERN, display_path, languages_of
from .model import (
    STATUSES,
    Claim,
    Correction,
    Dataset,
    DataTable,
    Fact,
    LoadedSite,
    Page,
    RawPage,
    RawTable,
    Reference,
    Site,
    SiteConfig,
    Source,
    Statement,
    Where,
)
from .safe_yaml import LineList, decimal_hint, line_of
from .tables import build_table, name_for

DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"]+$")
FORMATS = ("number", "compact", "percent", "plain")
PROSE_CALLS = ("fact", "chart", "check", "table")  # check("id") shows nothing: it ties a sentence to a statement
MAX_DECIMALS = 10
HOME = "index"  # the home page's slug (content/index.md), where every page's site title leads
ISO_DATE_LENGTH = len("2023-03-12")
Entry = dict[str, Any]  # a mapping read from a content YAML file (a safe_yaml.LineDict)


@dataclass(frozen=True)
class Field:
    kind: str  # text | id | ids | date | url | number | decimals | value | list | mapping | expression
    required: bool = False


SITE_FIELDS = {
    "title": Field("text", True),
    "description": Field("text", True),
    "url": Field("url", True),
    "language": Field("text", True),
    "nav": Field("list", True),
    "author": Field("text"),
    "share_chart": Field("id"),
    "languages": Field("list"),
    "translations": Field("mapping"),  # language -> the site's title, description, author, legend, footer in it
    "legend": Field("mapping"),
    "footer": Field("text"),
    "plain_numbers": Field("list"),  # numbers allowed in prose on every page
    "license": Field("text"),  # the licence of the site's text and charts, by name: "CC BY 4.0"
    "license_url": Field("url"),
    "nouns": Field("mapping"),  # noun -> its forms by CLDR plural category, for fact("id", noun="...")
    "colors": Field("mapping"),  # the colour system: groups of named colours (colors.validate_colors)
    "untranslated": Field("text"),  # what another language does with a page not translated into it
}
SOURCE_FIELDS = {
    "id": Field("id", True),
    "publisher": Field("text", True),
    "title": Field("text", True),
    "translation": Field("text"),  # the title in the site's language, when `title` is in another
    "url": Field("url", True),
    "published": Field("date", True),
    "archived": Field("url"),
    "note": Field("text"),
    "license": Field("text"),  # its terms by name ("CC BY-SA 4.0"), or "none" where it states none
    "license_url": Field("url"),
}
FACT_FIELDS = {
    "id": Field("id", True),
    "value": Field("value"),
    "derived": Field("expression"),
    "data": Field("expression"),
    "unit": Field("text", True),
    "counts": Field("text", True),
    "as_of": Field("date"),
    "claimant": Field("text"),
    "status": Field("text", True),
    "sources": Field("ids"),
    "decimals": Field("decimals"),
    "label": Field("text"),
    "quote": Field("text"),
    "note": Field("text"),
}
DATASET_FIELDS = {
    "id": Field("id", True),
    "title": Field("text", True),
    "sources": Field("ids", True),
    "csv": Field("text"),
    "rows": Field("list"),
    "columns": Field("mapping"),
    "group": Field("mapping"),
    "computed": Field("mapping"),
    "claimant": Field("text"),
    "note": Field("text"),
    "license": Field("text"),  # the terms of the data as published, as for a source
    "license_url": Field("url"),
    "rename": Field("mapping"),  # a CSV header as written -> the name expressions and tables use
    "values": Field("mapping"),  # column -> {cell as written: how readers of the site's language see it}
}
TABLE_FIELDS = {
    "id": Field("id", True),
    "dataset": Field("id", True),
    "caption": Field("text", True),
    "columns": Field("list", True),
    "where": Field("expression"),
    "by": Field("expression"),
    "order": Field("text"),
    "limit": Field("number"),
    "findable": Field("flag_or_text"),
    "note": Field("text"),
}
PAGE_FIELDS = {
    "title": Field("text", True),
    "description": Field("text", True),
    "template": Field("text"),
    "nav_title": Field("text"),
    "share_chart": Field("id"),
    "plain_numbers": Field("list"),
    "claims": Field("list"),
    "statements": Field("list"),
    "date": Field("date"),  # first published
    "updated": Field("date"),  # last changed in substance
    "draft": Field("flag"),  # true: built by serve (and build --drafts) only
    "css": Field("text"),  # a stylesheet in static/ for this page alone, such as css/fares.css
    "standfirst": Field("text"),  # one or two sentences under the title that give the page's answer
}
# A translation's front matter: its words; the figures, charts and checks are its source page's.
TRANSLATION_FIELDS = {
    "title": Field("text", True),
    "description": Field("text", True),
    "nav_title": Field("text"),
    "template": Field("text"),
    "plain_numbers": Field("list"),
    "source_version": Field("text", True),
    "statements": Field("mapping"),  # statement id -> its says: in this language
    "claims": Field("mapping"),  # claim id -> {claim:, verdict:} in this language
    # Its own; the source page's when not given (a translation published or corrected later, or still a draft).
    "date": Field("date"),
    "updated": Field("date"),
    "draft": Field("flag"),
    "css": Field("text"),
    "standfirst": Field("text"),
}
TRANSLATION_OWN = (
    "plain_numbers",
    "date",
    "updated",
    "draft",
    "css",
    "standfirst",
)  # what a translation may set for itself
TRANSLATED_WORDS = ("standfirst",)  # words of the source page a translation never shows in the source's language
PAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # each part of a page's path: night-buses, guides/fares
CLAIM_FIELDS = {
    "id": Field("id", True),
    "claim": Field("text", True),
    "claimant": Field("text", True),
    "claimant_type": Field("text"),
    "date": Field("date", True),
    "verdict": Field("text", True),
    "page": Field("id", True),
    "appearance": Field("url"),
    "color": Field("id"),  # the claimant's colour: a name under colors: claimants: in site.yaml
}
CLAIMANT_TYPES = ("Organization", "Person")
CORRECTION_FIELDS = {
    "date": Field("date", True),
    "change": Field("text", True),
    "reason": Field("text", True),
    "fact": Field("id"),
}
STATEMENT_FIELDS = {
    "id": Field("id", True),
    "says": Field("text", True),
    "check": Field("expression", True),
}
FACT_FILE_SECTIONS = ("sources", "facts", "datasets", "corrections", "statements", "tables")
COLUMN_TYPES = ("number", "text", "date")


# ---- fields -------------------------------------------------------------------------------


def field_error(entry: Entry, key: str, path: str, problem: str) -> ContentError:
    return ContentError(path, line_of(entry, key), f'"{key}": {problem}')


def is_number(value: Any) -> bool:
    """An int or float that is finite as a float: no bool, infinity, NaN or 400-digit integer."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def date_text(value: Any) -> str:
    """A date field as text: YAML reads an unquoted year (published: 2023) as a number."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else (value or "")


def is_date(value: Any) -> bool:
    """YYYY, YYYY-MM or a real calendar day YYYY-MM-DD; a year may be written unquoted."""
    value = date_text(value)
    if not isinstance(value, str) or not DATE_PATTERN.match(value):
        return False
    try:
        datetime.date.fromisoformat(value if len(value) == ISO_DATE_LENGTH else (value + "-01-01")[:10])
    except ValueError:
        return False
    return True


def check_value(kind: str, value: Any) -> str | None:
    """Why `value` is not of `kind`, or None when it is."""
    number = is_number(value)
    problems: dict[str, Callable[[], str | None]] = {
        "text": lambda: None if isinstance(value, str) and value.strip() else "must be non-empty text",
        "id": lambda: (
            None
            if isinstance(value, str) and ID_PATTERN.match(value)
            else "must be an id: lower-case letters, digits and _, starting with a letter"
        ),
        "ids": lambda: (
            None
            if (isinstance(value, str) and ID_PATTERN.match(value))
            or (isinstance(value, list) and value and all(isinstance(v, str) and ID_PATTERN.match(v) for v in value))
            else "must be a source id or a list of source ids"
        ),
        "date": lambda: None if is_date(value) else "must be a date written YYYY-MM-DD (or YYYY-MM, YYYY)",
        "url": lambda: None if isinstance(value, str) and URL_PATTERN.match(value) else "must be an http(s):// address",
        "number": lambda: None if number else "must be a number",
        "decimals": lambda: (
            None
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DECIMALS
            else f"must be a whole number from 0 to {MAX_DECIMALS}"
        ),
        "value": lambda: (
            None
            if number
            or (
                isinstance(value, dict)
                and set(value) == {"low", "high"}
                and all(is_number(v) for v in value.values())
                and value["low"] <= value["high"]
            )
            else "must be a number, or low: and high: numbers with low <= high"
        ),
        "list": lambda: None if isinstance(value, list) else "must be a list",
        "flag": lambda: None if isinstance(value, bool) else "must be true or false",
        "flag_or_text": lambda: (
            None if isinstance(value, bool) or (isinstance(value, str) and value.strip()) else "must be true or text"
        ),
        "mapping": lambda: None if isinstance(value, dict) else "must be a mapping of keys to values",
        "expression": lambda: (
            None
            if isinstance(value, str) and value.strip()
            else 'must be an expression, such as a - b or lookup(dataset, column, key_column="row name")'
        ),
    }
    problem = problems[kind]()
    return problem + decimal_hint(value) if problem and kind in ("number", "decimals", "value") else problem


def check_fields(entry: Any, spec: dict[str, Field], path: str, what: str) -> list[ContentError]:
    """Unknown, missing and mistyped fields of one mapping."""
    if not isinstance(entry, dict):
        return [ContentError(path, line_of(entry), f"each {what} must be a mapping of fields")]
    errors = []
    for key in entry:
        if key not in spec:
            errors.append(field_error(entry, key, path, f"unknown field in {what}{did_you_mean(str(key), spec)}"))
    for key, rule in spec.items():
        if key not in entry or entry[key] is None:
            if rule.required:
                errors.append(ContentError(path, line_of(entry), f'{what} is missing required field "{key}"'))
            continue
        problem = check_value(rule.kind, entry[key])
        if problem:
            errors.append(field_error(entry, key, path, problem))
    return errors


def as_tuple(ids: Any) -> tuple[str, ...]:
    if ids is None:
        return ()
    return (ids,) if isinstance(ids, str) else tuple(ids)


# ---- site.yaml ----------------------------------------------------------------------------


def nav_problems(nav: LineList, path: str, page_slugs: set[str]) -> list[ContentError]:
    """Each nav entry must name a page once; reported on the entry's own line."""
    errors, seen = [], set()
    for slug, line in zip(nav, nav.item_lines, strict=True):
        if not isinstance(slug, str):
            errors.append(ContentError(path, line, "each nav entry is a page name, such as index or sources"))
            continue
        if slug in seen:
            errors.append(ContentError(path, line, f'nav names page "{slug}" twice'))
        elif slug != "sources" and slug not in page_slugs:
            errors.append(
                ContentError(
                    path,
                    line,
                    f'nav names page "{slug}", but there is no content/{slug}.md{did_you_mean(slug, page_slugs)}',
                )
            )
        seen.add(slug)
    return errors


# The words of the site in one of its other languages, under translations: <language>: in site.yaml.
# Required or not, title and description are checked where the language is (language_problems).
SITE_WORDS_FIELDS = {
    "title": Field("text"),
    "description": Field("text"),
    "author": Field("text"),
    "legend": Field("mapping"),
    "footer": Field("text"),
    "nouns": Field("mapping"),
}


def legend_problems(legend: Entry, path: str) -> list[ContentError]:
    """A legend maps kinds of figure (STATUSES) to the text that explains them."""
    return [
        field_error(
            legend,
            status,
            path,
            f'"{status}" is not a kind of figure: use {", ".join(STATUSES)}{did_you_mean(str(status), STATUSES)}',
        )
        for status in legend
        if status not in STATUSES
    ] + [
        field_error(legend, status, path, "must be text: how the legend explains this kind of figure")
        for status, words in legend.items()
        if status in STATUSES and not (isinstance(words, str) and words.strip())
    ]


def site_translations_problems(config: Entry, path: str) -> list[ContentError]:
    """Each language's words under translations: are fields of the site's own, of the same types."""
    translations = config.get("translations") or {}
    errors = []
    for language, words in translations.items():
        where = f"translations: {language}:"
        if not isinstance(words, dict):
            errors.append(
                field_error(
                    translations,
                    language,
                    path,
                    "must be a mapping of the site's title, description and other words in that language",
                )
            )
            continue
        found = check_fields(words, SITE_WORDS_FIELDS, path, where)
        errors += found or legend_problems(words.get("legend") or {}, path)
    return errors


def validate_config(
    config: Any, path: str, page_slugs: set[str], site_locales: str
) -> tuple[SiteConfig | None, list[ContentError]]:
    errors = check_fields(config, SITE_FIELDS, path, "site.yaml")
    if errors:
        return None, errors
    errors = nav_problems(config["nav"], path, page_slugs) + language_problems(config, path, site_locales)
    errors += site_translations_problems(config, path)
    legend = config.get("legend") or {}
    errors += legend_problems(legend, path)
    untranslated = config.get("untranslated") or "fallback"
    if untranslated not in UNTRANSLATED:
        errors.append(
            field_error(
                config,
                "untranslated",
                path,
                "use fallback (an untranslated page is published in the site's language, with a notice)"
                " or omit (it is left out of that language's menu, sitemap and language switcher)"
                + did_you_mean(untranslated, UNTRANSLATED),
            )
        )
    colors, color_errors = validate_colors(config, path)
    errors += color_errors
    url = config["url"] if config["url"].endswith("/") else config["url"] + "/"
    return (
        SiteConfig(
            title=config["title"],
            description=config["description"],
            url=url,
            language=config["language"],
            nav=tuple(config["nav"]),
            author=config.get("author") or "",
            share_chart=config.get("share_chart") or "",
            languages=tuple(config.get("languages") or ()),
            legend=dict(legend),
            footer=config.get("footer") or "",
            plain_numbers=tuple(str(n) for n in config.get("plain_numbers") or ()),
            license=config.get("license") or "",
            license_url=config.get("license_url") or "",
            nouns=dict(config.get("nouns") or {}),
            colors=colors,
            untranslated=untranslated,
        ),
        errors,
    )


# ---- ids across files ---------------------------------------------------------------------


def collect_entries(
    fact_files: Iterable[tuple[str, Any]], section: str, errors: list[ContentError]
) -> list[tuple[str, Entry]]:
    """(path, entry) for every entry of one section, with an error for each duplicate id."""
    entries: list[tuple[str, Entry]] = []
    first_seen: dict[str, tuple[str, int | None]] = {}  # id -> where it was first seen
    for path, parsed in fact_files:
        block = parsed.get(section) if isinstance(parsed, dict) else None
        if block is None:
            continue
        if not isinstance(block, list):
            errors.append(ContentError(path, line_of(parsed, section), f'"{section}" must be a list'))
            continue
        for entry in block:
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(entry_id, str) and entry_id in first_seen:
                other_path, other_line = first_seen[entry_id]
                errors.append(
                    ContentError(
                        path,
                        line_of(entry, "id"),
                        f'duplicate {section[:-1]} id "{entry_id}" (also defined at {other_path}:{other_line})',
                    )
                )
                continue
            if isinstance(entry_id, str):
                first_seen[entry_id] = (path, line_of(entry, "id"))
            entries.append((path, entry))
    return entries


def check_fact_file_shape(fact_files: Iterable[tuple[str, Any]]) -> list[ContentError]:
    errors = []
    for path, parsed in fact_files:
        if parsed is None:
            continue
        if not isinstance(parsed, dict):
            errors.append(
                ContentError(
                    path,
                    1,
                    "a facts file must be a mapping with sources:, facts:, datasets:, statements: or corrections:",
                )
            )
            continue
        for key in parsed:
            if key not in FACT_FILE_SECTIONS:
                errors.append(
                    field_error(
                        parsed,
                        key,
                        path,
                        f"unknown section{did_you_mean(str(key), FACT_FILE_SECTIONS)};"
                        " a facts file holds sources:, facts:, datasets:, statements: and corrections:",
                    )
                )
    return errors


def check_source_ids(
    ids: Iterable[str], known: Mapping[str, object], path: str, entry: Entry, key: str
) -> list[ContentError]:
    return [
        field_error(entry, key, path, f'unknown source "{source_id}"{did_you_mean(source_id, known)}')
        for source_id in ids
        if source_id not in known
    ]


# ---- sources, facts, datasets -------------------------------------------------------------


def build_source(path: str, entry: Entry) -> Source:
    return Source(
        id=entry["id"],
        publisher=entry["publisher"],
        title=entry["title"],
        url=entry["url"],
        published=date_text(entry["published"]),
        where=Where(path, line_of(entry)),
        archived=entry.get("archived") or "",
        note=entry.get("note") or "",
        license=entry.get("license") or "",
        license_url=entry.get("license_url") or "",
        translated_title=entry.get("translation") or "",
    )


def fact_problems(entry: Entry, path: str, sources: Mapping[str, Source]) -> list[ContentError]:
    """Checks that span fields: value, derived or data; status; sources."""
    errors = []
    derived = "derived" in entry
    if [key in entry for key in ("value", "derived", "data")].count(True) != 1:
        errors.append(ContentError(path, line_of(entry), 'a fact needs exactly one of "value", "derived" or "data"'))
    status = entry.get("status")
    if isinstance(status, str) and status not in STATUSES:
        errors.append(
            field_error(entry, "status", path, f"must be one of {', '.join(STATUSES)}{did_you_mean(status, STATUSES)}")
        )
    if derived and status != "derived":
        errors.append(field_error(entry, "status", path, 'a fact computed with "derived" has status: derived'))
    if not derived:
        if status == "derived":
            errors.append(field_error(entry, "status", path, 'status "derived" needs a "derived" expression'))
        # A fact drawn from a dataset ("data") takes the dataset's sources unless it names its own.
        for key in ("as_of", "claimant") if "data" in entry else ("as_of", "claimant", "sources"):
            if key not in entry:
                errors.append(ContentError(path, line_of(entry), f'fact is missing required field "{key}"'))
    errors.extend(check_source_ids(as_tuple(entry.get("sources")), sources, path, entry, "sources"))
    return errors


def build_fact(path: str, entry: Entry) -> Fact:
    value = entry.get("value")
    low = high = None
    if isinstance(value, dict):
        low, high, value = value["low"], value["high"], None
    return Fact(
        id=entry["id"],
        unit=entry["unit"],
        counts=entry["counts"],
        as_of=date_text(entry.get("as_of")),
        claimant=entry.get("claimant") or "",
        status=entry["status"],
        sources=as_tuple(entry.get("sources")),
        where=Where(path, line_of(entry)),
        value=value,
        low=low,
        high=high,
        decimals=entry.get("decimals"),
        label=entry.get("label") or "",
        quote=entry.get("quote") or "",
        note=entry.get("note") or "",
        expression=(entry.get("derived") or entry.get("data") or "").strip(),
    )


CSV_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
# 55,100,000  55 100 000  1.234,5  1'000 (the separator the same throughout), and 3,5 (a decimal comma).
GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}([,.' _\u00a0\u2009\u202f])[0-9]{3}(?:\1[0-9]{3})*(?:([.,])[0-9]+)?")
DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")


def csv_number(text: str) -> int | float | None:
    """The number a CSV cell writes (digits, a sign, a decimal point, an exponent; finite), else None."""
    text = text.strip()
    if not CSV_NUMBER.fullmatch(text):
        return None
    try:
        value = int(text) if text.lstrip("+-").isdigit() else float(text)
    except ValueError:  # an integer of more digits than Python converts (4,300)
        return None
    return value if is_number(value) else None


def number_hint(text: str) -> str | None:
    """How to write a number written with thousands separators or a decimal comma, else None."""
    text = text.strip()
    grouped = GROUPED_NUMBER.fullmatch(text)
    if grouped and grouped.group(2) != grouped.group(1):
        decimal = grouped.group(2)
        plain = text.replace(grouped.group(1), "").replace(",", ".")
        point = " and with a decimal point" if decimal == "," else ""
        return f"write numbers without thousands separators{point} ({plain})"
    if DECIMAL_COMMA.fullmatch(text):
        return f"write numbers with a decimal point ({text.replace(',', '.')})"
    return None


def odd_cell(column: str, text: str, declared: bool) -> str:
    """Why a cell of a number column is refused, and what to write instead."""
    hint = number_hint(text)
    if declared:
        return f'column "{column}" is declared number, but this cell is "{text}": ' + (
            hint or "write a number, or leave the cell empty for a missing value"
        )
    return (
        f'column "{column}" holds numbers, but this cell is "{text}": '
        f"{hint or 'leave it empty for a missing value'}, or declare the column as text in the dataset's columns:"
    )


def csv_column_types(table: RawTable, declared: Mapping[str, str]) -> tuple[dict[str, str], list[ContentError]]:
    """Each CSV column's type: as declared, else "number" when every filled cell is a number, else "text".
    A column most of whose filled cells are numbers (more of them than of other cells; one written with
    thousands separators or a decimal comma counts) but not all is refused at its first odd cell."""
    lines = table.lines or tuple(range(2, len(table.rows) + 2))
    types, errors = {}, []
    for index, column in enumerate(table.header):
        if column in declared:
            types[column] = declared[column]
            continue
        cells = [(row[index], line) for row, line in zip(table.rows, lines, strict=True) if row[index].strip()]
        odd = [(text, line) for text, line in cells if csv_number(text) is None]
        numbers = len(cells) - len(odd) + sum(number_hint(text) is not None for text, _ in odd)
        types[column] = "number" if cells and not odd else "text"
        if odd and numbers > len(cells) - numbers:
            text, line = odd[0]
            errors.append(ContentError(table.path, line, odd_cell(column, text, declared=False)))
    return types, errors


def convert_cell(text: str, column_type: str | None, column: str = "") -> float | str | None:
    """A CSV cell as its column's type reads it: nothing when empty, a number in a number column
    (ValueError saying why when it is not one), else the text. A column of no known type: a number
    where the cell reads as one, else text."""
    if text == "":
        return None
    if column_type in ("text", "date"):
        return text
    value = csv_number(text)
    if column_type != "number":
        return text if value is None else value
    if value is None and text.strip():
        raise ValueError(odd_cell(column, text, declared=True))
    return value


def row_problems(row: Entry, path: str) -> list[ContentError]:
    """A row maps column names (text) to cells: text, a finite number, true/false or nothing."""
    errors = []
    for column, cell in row.items():
        if not isinstance(column, str) or not column.strip():
            errors.append(ContentError(path, line_of(row, column), f"column name {column!r} must be text"))
        elif not (cell is None or isinstance(cell, (str, bool)) or is_number(cell)):
            errors.append(field_error(row, column, path, "a cell must be text, a number, true/false or empty"))
    return errors


def undrawable_cell(rows: list[dict[str, Any]], lines: Iterable[int | None], path: str) -> list[ContentError]:
    """An error at the first cell holding a character no chart or feed can hold (errors.NOT_IN_XML)."""
    for row, line in zip(rows, lines, strict=True):
        for column, cell in row.items():
            if isinstance(cell, str) and not_in_xml(cell):
                return [
                    ContentError(
                        path,
                        line,
                        f'column "{column}" holds the character {not_in_xml(cell)} (a control character),'
                        " which charts cannot draw and pages should not hold: remove it",
                    )
                ]
    return []


def build_dataset(path: str, entry: Entry, tables: Mapping[str, RawTable]) -> tuple[Dataset | None, list[ContentError]]:
    has_csv, has_rows = "csv" in entry, "rows" in entry
    if has_csv == has_rows:
        return None, [ContentError(path, line_of(entry), 'a dataset needs exactly one of "csv" or "rows"')]
    declared = entry.get("columns") or {}
    errors = [
        field_error(entry, "columns", path, f'column "{name}" has type "{kind}"; use one of {", ".join(COLUMN_TYPES)}')
        for name, kind in declared.items()
        if kind not in COLUMN_TYPES
    ]
    if has_csv:
        table, rename_errors = renamed(tables[entry["csv"]], entry, path)
        errors.extend(rename_errors)
        columns = table.header
        types, type_errors = csv_column_types(table, declared)
        errors.extend(type_errors)
        rows, row_lines = [], []  # the rows read, and where each is in the file (a row refused is left out)
        for number, cells in zip(table.lines or range(2, len(table.rows) + 2), table.rows, strict=True):
            try:
                rows.append({c: convert_cell(v, types.get(c), c) for c, v in zip(columns, cells, strict=True)})
                row_lines.append(number)
            except ValueError as exc:
                errors.append(ContentError(table.path, number, str(exc)))
    else:
        if "rename" in entry:
            return None, [field_error(entry, "rename", path, "rename: is for the headers of a csv: file")]
        raw_rows = entry["rows"]
        if not raw_rows or not all(isinstance(r, dict) for r in raw_rows):
            return None, [field_error(entry, "rows", path, "must be a list of mappings, one per row")]
        row_errors = [problem for row in raw_rows for problem in row_problems(row, path)]
        if row_errors:
            return None, row_errors
        columns = tuple(dict.fromkeys(k for r in raw_rows for k in r))
        rows = [dict(r) for r in raw_rows]
    errors.extend(
        field_error(
            entry,
            "columns",
            path,
            f'declares column "{name}", which the data does not have{did_you_mean(name, columns)}',
        )
        for name in declared
        if name not in columns
    )
    if has_csv:
        errors.extend(undrawable_cell(rows, row_lines, table.path))
    else:
        errors.extend(undrawable_cell(rows, [line_of(row) for row in raw_rows], path))
    dataset = Dataset(
        id=entry["id"],
        title=entry["title"],
        sources=as_tuple(entry["sources"]),
        columns=tuple(columns),
        rows=tuple(rows),
        where=Where(path, line_of(entry)),
        csv=entry.get("csv") or "",
        note=entry.get("note") or "",
        license=entry.get("license") or "",
        license_url=entry.get("license_url") or "",
    )
    names, name_errors = display_names(entry, path, dataset)
    headers = {name: header for header, name in (entry.get("rename") or {}).items() if isinstance(name, str)}
    return replace(dataset, names=names, headers=headers), errors + name_errors


def renamed(table: RawTable, entry: dict[str, Any], path: str) -> tuple[RawTable, list[ContentError]]:
    """The CSV with the headers its entry's rename: gives a name to ({"Per Capita": per_capita}):
    a header as a publisher wrote it is kept in the file, and expressions use the name."""
    rename = entry.get("rename") or {}
    errors = [
        field_error(
            entry,
            "rename",
            path,
            f'renames "{header}", which is not a header of {entry["csv"]}{did_you_mean(str(header), table.header)};'
            f" its headers are {', '.join(table.header)}",
        )
        for header in rename
        if header not in table.header
    ] + [
        field_error(
            entry,
            "rename",
            path,
            f'"{header}" is renamed "{name}": a name is lower-case letters, digits and _,'
            f" such as {name_for(str(header))}",
        )
        for header, name in rename.items()
        if not (isinstance(name, str) and ID_PATTERN.match(name))
    ]
    header = tuple(rename.get(name, name) for name in table.header)
    errors += [
        field_error(entry, "rename", path, f'two columns would be named "{name}"')
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    return (table, errors) if errors else (replace(table, header=header), [])


def display_names(
    entry: dict[str, Any], path: str, dataset: Dataset
) -> tuple[dict[str, dict[str, str]], list[ContentError]]:
    """The entry's values: how cells read in the site's language ({country: {"CHINA (MAINLAND)": China}}),
    each a text cell of a column the dataset has."""
    given = entry.get("values") or {}
    names: dict[str, dict[str, str]] = {}
    errors = []
    for column, cells in given.items():
        if column not in dataset.columns:
            errors.append(
                field_error(
                    entry,
                    "values",
                    path,
                    f'no column "{column}"{did_you_mean(str(column), dataset.columns)};'
                    f" its columns are {', '.join(dataset.columns)}",
                )
            )
            continue
        if not (isinstance(cells, dict) and all(isinstance(n, str) and n.strip() for n in cells.values())):
            errors.append(
                field_error(
                    entry, "values", path, f'"{column}": give each cell its name, such as {{"USA": United States}}'
                )
            )
            continue
        written = {row[column] for row in dataset.rows}
        errors += [
            field_error(
                entry,
                "values",
                path,
                f'"{column}" has no cell "{cell}"{did_you_mean(str(cell), [str(w) for w in written if w is not None])}',
            )
            for cell in cells
            if cell not in written
        ]
        names[column] = {str(cell): name for cell, name in cells.items()}
    return names, errors


def build_corrections(
    entries: list[tuple[str, Entry]], facts: Mapping[str, Fact]
) -> tuple[tuple[Correction, ...], list[ContentError]]:
    """The corrections log, newest first; each entry's fact, when named, must exist."""
    corrections: list[Correction] = []
    errors: list[ContentError] = []
    positions: dict[str, int] = {}  # facts file -> the number of its latest entry
    for path, entry in entries:
        position = positions[path] = positions.get(path, -1) + 1
        problems = check_fields(entry, CORRECTION_FIELDS, path, "correction")
        fact_id = entry.get("fact") if not problems else None
        if fact_id and fact_id not in facts:
            problems.append(field_error(entry, "fact", path, f'unknown fact "{fact_id}"{did_you_mean(fact_id, facts)}'))
        errors.extend(problems)
        if not problems:
            corrections.append(
                Correction(
                    date_text(entry["date"]),
                    entry["change"],
                    entry["reason"],
                    fact_id or "",
                    Where(path, line_of(entry)),
                    (path, position),
                )
            )
    corrections.sort(key=lambda c: c.date, reverse=True)
    return tuple(corrections), errors


def build_tables(
    entries: list[tuple[str, dict[str, Any]]], datasets: dict[str, Dataset], facts: dict[str, Fact], broken: set[str]
) -> tuple[dict[str, DataTable], list[ContentError]]:
    """The facts files' tables:, each checked against its dataset; one on a dataset reported already
    is left out without another message."""
    built: dict[str, DataTable] = {}
    errors: list[ContentError] = []
    for path, entry in entries:
        problems = check_fields(entry, TABLE_FIELDS, path, "table")
        if not problems and entry["id"] in built:
            other = built[entry["id"]].where
            problems = [field_error(entry, "id", path, f'table "{entry["id"]}" is also at {other.path}:{other.line}')]
        if not problems and entry["dataset"] in broken:
            continue
        if not problems:
            table, problems = build_table(path, entry, datasets, facts)
            if table:
                built[table.id] = table
        errors.extend(problems)
    return built, errors


def facts_declared(fact_entries: Iterable[tuple[str, Any]]) -> set[str]:
    return {e["id"] for _, e in fact_entries if isinstance(e, dict) and isinstance(e.get("id"), str)}


# ---- pages --------------------------------------------------------------------------------


def reference_in(node: nodes.Expr, where: Where, formats_ok: Callable[[str], bool]) -> Reference | ContentError:
    """The fact() or chart() call inside one {{ }}, or why it is not one."""
    unknown = [
        n.name for n in [node, *node.find_all(nodes.Name)] if isinstance(n, nodes.Name) and n.name not in PROSE_CALLS
    ]
    if unknown:
        return ContentError(
            where.path,
            where.line,
            f'"{unknown[0]}" is not known in prose: use fact("id"), chart("id"), table("id") or check("id")',
        )
    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)):
        return ContentError(
            where.path, where.line, 'only fact("id"), chart("id"), table("id") and check("id") may be used inside {{ }}'
        )
    name, args = node.node.name, node.args
    noun_only = not node.kwargs or (
        name == "fact"
        and all(
            k.key == "noun" and isinstance(k.value, nodes.Const) and isinstance(k.value.value, str) for k in node.kwargs
        )
    )
    if (
        not args
        or not all(isinstance(a, nodes.Const) and isinstance(a.value, str) for a in args)
        or not noun_only
        or node.dyn_args
        or node.dyn_kwargs
    ):
        return ContentError(where.path, where.line, f'{name}() takes an id in quotes, e.g. {name}("some_id")')
    if len(args) > ARGUMENTS.get(name, 1):
        return ContentError(where.path, where.line, f"too many arguments to {name}()")
    texts = [a.value for a in args if isinstance(a, nodes.Const)]  # (all of them, checked above)
    if name == "fact" and len(texts) == ARGUMENTS["fact"] and not formats_ok(texts[1]):
        return ContentError(where.path, where.line, f'unknown format "{texts[1]}": use one of {", ".join(FORMATS)}')
    return Reference(name, texts[0], where, texts[1] if len(texts) == ARGUMENTS["fact"] else "number")


def find_references(
    page: RawPage, formats_ok: Callable[[str], bool] = FORMATS.__contains__
) -> tuple[list[Reference], list[ContentError]]:
    """Every fact() and chart() call in a page body, found in Jinja's syntax tree (nothing runs).

    Prose may hold text and {{ fact(...) }} / {{ chart(...) }} only: any other expression or
    statement is refused, so nothing but those two calls can put text into the page.
    """
    parts, errors = prose_parts(page.body, page.path, page.body_line, formats_ok)
    return [part for part in parts if isinstance(part, Reference)], errors


def prose_parts(
    body: str,
    path: str,
    body_line: int,
    formats_ok: Callable[[str], bool] = FORMATS.__contains__,
) -> tuple[list[str | Reference], list[ContentError]]:
    """A page body as Jinja reads it, in order: its text (Jinja comments left out) and its calls.
    find_references takes the calls; diff quotes the sentences around them."""
    brace_ids = brace_id_problems(body, path, body_line)  # {#id}: Jinja would read a comment
    if brace_ids:
        return [], brace_ids
    calls = simple_calls(body)  # the usual body, read without Jinja (the same references)
    if calls is not None and all(
        len(c.args) == 1 or (c.name == "fact" and len(c.args) == ARGUMENTS["fact"] and formats_ok(c.args[1]))
        for c in calls
    ):
        parts: list[str | Reference] = []
        position = 0
        for c in calls:
            style = c.args[1] if len(c.args) == ARGUMENTS["fact"] else "number"
            parts += [
                body[position : c.start],
                Reference(c.name, c.args[0], Where(path, body_line + c.line - 1), style),
            ]
            position = c.end
        return [*parts, body[position:]], []
    try:
        tree = jinja2.Environment().parse(body)
    except jinja2.TemplateSyntaxError as exc:
        return [], [ContentError(path, body_line + (exc.lineno or 1) - 1, f"template syntax: {exc.message}")]
    parts, errors = [], []
    for statement in tree.body:
        line = body_line + statement.lineno - 1
        if not isinstance(statement, nodes.Output):
            errors.append(ContentError(path, line, "template statements ({% %}) are not allowed in prose"))
            continue
        for node in statement.nodes:
            if isinstance(node, nodes.TemplateData):
                parts.append(node.data)
                continue
            found = reference_in(node, Where(path, body_line + node.lineno - 1), formats_ok)
            if isinstance(found, Reference):
                parts.append(found)
            else:
                errors.append(found)
    return parts, errors


def remembered_references(
    raw: RawPage, memo: RememberedReferences | None
) -> tuple[list[Reference], list[ContentError]]:
    """find_references, looked up by body hash in `memo` when given (parsing prose is most of validation's time)."""
    if memo is None:
        return find_references(raw)
    key = body_key(raw.body)
    if key in memo:
        return [
            Reference(kind, ref_id, Where(raw.path, raw.body_line + offset), style)
            for kind, ref_id, offset, style in memo[key]
        ], []
    references, errors = find_references(raw)
    if not errors:
        memo[key] = tuple((r.kind, r.id, (r.where.line or raw.body_line) - raw.body_line, r.style) for r in references)
    return references, errors


def charts_placed_twice(references: list[Reference]) -> list[ContentError]:
    """A chart (or table) appears once per page: its figure carries the page-wide id chart-<id> (table-<id>)."""
    first: dict[tuple[str, str], Where] = {}
    errors = []
    for ref in (r for r in references if r.kind in ("chart", "table")):
        if (ref.kind, ref.id) in first:
            errors.append(
                ContentError(
                    ref.where.path,
                    ref.where.line,
                    f'{ref.kind} "{ref.id}" is already placed on line {first[ref.kind, ref.id].line};'
                    f" a {ref.kind} appears once per page",
                )
            )
        first.setdefault((ref.kind, ref.id), ref.where)
    return errors


def build_claims(raw: RawPage) -> tuple[tuple[Claim, ...], list[ContentError]]:
    """The front matter's `claims:` entries, checked field by field (page slugs are checked later)."""
    claims, errors, seen = [], [], set()
    for entry in raw.front.get("claims") or []:
        problems = check_fields(entry, CLAIM_FIELDS, raw.path, "claim")
        kind = entry.get("claimant_type", "Organization") if not problems else None
        if kind is not None and kind not in CLAIMANT_TYPES:
            problems.append(
                field_error(
                    entry,
                    "claimant_type",
                    raw.path,
                    f"must be one of {', '.join(CLAIMANT_TYPES)}{did_you_mean(kind, CLAIMANT_TYPES)}",
                )
            )
        if not problems and entry["id"] in seen:
            problems.append(field_error(entry, "id", raw.path, f'duplicate claim id "{entry["id"]}"'))
        errors.extend(problems)
        if not problems:
            seen.add(entry["id"])
            claims.append(
                Claim(
                    id=entry["id"],
                    claim=entry["claim"],
                    claimant=entry["claimant"],
                    date=date_text(entry["date"]),
                    verdict=entry["verdict"],
                    page=entry["page"],
                    where=Where(raw.path, line_of(entry)),
                    claimant_type=kind or "Organization",  # (kind is set when there are no problems)
                    appearance=entry.get("appearance") or "",
                    color=entry.get("color") or "",
                )
            )
    return tuple(claims), errors


def check_claim_pages(pages: list[Page], claimant_colors: set[str]) -> list[ContentError]:
    """Each claim's page exists, and its colour is a claimant's of site.yaml's colors:."""
    slugs = {p.slug for p in pages}
    return [
        ContentError(
            claim.where.path,
            claim.where.line,
            f'claim "{claim.id}": no page "{claim.page}"{did_you_mean(claim.page, slugs)}',
        )
        for page in pages
        for claim in page.claims
        if claim.page not in slugs
    ] + [
        ContentError(
            claim.where.path,
            claim.where.line,
            f'claim "{claim.id}": color "{claim.color}" is not a claimant\'s colour'
            f" under colors: claimants: in site.yaml{did_you_mean(claim.color, claimant_colors)}",
        )
        for page in pages
        for claim in page.claims
        if claim.color and claim.color not in claimant_colors
    ]


def build_page(
    raw: RawPage, template_names: set[str], memo: RememberedReferences | None = None
) -> tuple[Page | None, list[ContentError]]:
    errors = (
        check_fields(raw.front, PAGE_FIELDS, raw.path, "front matter")
        if raw.front
        else [ContentError(raw.path, 1, "page needs front matter with title: and description: between --- lines")]
    )
    if not all(PAGE_NAME.match(part) for part in raw.slug.split("/")):
        errors.append(
            ContentError(
                raw.path,
                None,
                f'page file name "{raw.slug}.md": use lower-case letters, digits, - and _'
                " (night-buses.md), in folders named the same way",
            )
        )
    template = raw.front.get("template") or "page.html"
    references, problems = template_and_calls(raw, template, template_names, memo)
    errors += problems
    claims, claim_errors = build_claims(raw) if not errors else ((), [])
    errors.extend(claim_errors)
    if errors:
        return None, errors
    return page_of(raw, template, references, claims, front_matter(raw.front), version=source_version(raw.text)), []


# Front matter read into Page's fields of the same names, each as that field's type.
FRONT_MATTER: dict[str, Callable[[Any], object]] = {
    "share_chart": str,
    "plain_numbers": lambda numbers: tuple(str(number) for number in numbers),
    "date": date_text,
    "updated": date_text,
    "draft": bool,
    "css": str,
    "standfirst": str,
}


def front_matter(front: Mapping[str, Any], keys: Iterable[str] = FRONT_MATTER) -> dict[str, Any]:
    """The FRONT_MATTER among `keys` that the page gives, typed as Page's fields."""
    return {key: FRONT_MATTER[key](front[key]) for key in keys if front.get(key) is not None}


def template_and_calls(
    raw: RawPage, template: Any, names: set[str], memo: RememberedReferences | None
) -> tuple[list[Reference], list[ContentError]]:
    """The page's fact(), chart() and check() calls, and problems with them and with its template."""
    errors = []
    if isinstance(template, str) and template not in names:
        errors.append(
            field_error(
                raw.front,
                "template",
                raw.path,
                f'no template "{template}" in templates/ or the theme{did_you_mean(template, names)}',
            )
        )
    references, reference_errors = remembered_references(raw, memo)
    return references, errors + reference_errors + charts_placed_twice(references)


def page_of(
    raw: RawPage,
    template: str,
    references: list[Reference],
    claims: tuple[Claim, ...],
    fields: dict[str, Any],
    **more: Any,
) -> Page:
    """The checked page, from its file and what was found in it."""
    return Page(
        slug=raw.slug,
        title=raw.front["title"],
        description=raw.front["description"],
        body=raw.body,
        where=Where(raw.path, 1),
        body_line=raw.body_line,
        template=template,
        nav_title=raw.front.get("nav_title") or "",
        references=tuple(references),
        claims=claims,
        **fields,
        **more,
    )


def build_translation(
    raw: RawPage, source: Page | None, names: set[str], memo: RememberedReferences | None
) -> tuple[Page | None, list[ContentError]]:
    """A translated page: its own words and prose; its template, claims and share chart its source's unless given."""
    if source is None:
        return None, [
            ContentError(
                raw.path,
                None,
                f'"{raw.language}" translation of content/{raw.slug}.md, which does not exist'
                " (a translation sits beside its page: regions.md, regions.ru.md)",
            )
        ]
    errors = (
        check_fields(raw.front, TRANSLATION_FIELDS, raw.path, "translation's front matter")
        if raw.front
        else [
            ContentError(
                raw.path,
                1,
                f"a translation needs front matter with title:, description: and source_version: {source.version}",
            )
        ]
    )
    template = raw.front.get("template") or source.template
    references, problems = template_and_calls(raw, template, names, memo)
    errors += problems
    claims, claim_errors = translated_claims(source, raw.front, raw.path) if not errors else ((), [])
    errors.extend(claim_errors)
    if source.standfirst and not raw.front.get("standfirst"):
        errors.append(ContentError(raw.path, 1, f"{source.where.path} has a standfirst: give this translation its own"))
    if errors:
        return None, errors
    fields = {key: getattr(source, key) for key in FRONT_MATTER if key not in TRANSLATED_WORDS}
    fields |= front_matter(raw.front, TRANSLATION_OWN)
    return page_of(
        raw,
        template,
        references,
        claims,
        fields,
        language=raw.language,
        source_version=raw.front["source_version"],
        source_version_line=getattr(raw.front, "key_lines", {}).get("source_version"),
    ), []


def language_problems(config: Any, path: str, site_locales: str) -> list[ContentError]:
    """The site's language and its other languages must be language tags CLDR knows, each once, each
    with interface words (the site's `site_locales`, else the theme's)."""
    if not isinstance(config, dict):
        return []
    errors = []
    problem = valid_tag(config.get("language"))
    if problem and "language" in config:
        errors.append(field_error(config, "language", path, problem))
    elif not problem:
        broken = catalog_problems(config["language"], site_locales)
        errors += broken
        try:
            if not broken:
                catalog(config["language"], site_locales)  # the interface words render will need
        except ValueError as exc:
            errors.append(field_error(config, "language", path, str(exc)))
    seen = {base_language(config["language"])} if not problem else set()
    listed, sound, listed_errors = other_languages(config.get("languages") or [], seen, path, site_locales)
    errors += listed_errors
    seen.update(listed)
    for language in sorted(seen):  # the site's own catalogs come from pull requests: each translation checked
        found = site_catalog_file(language, site_locales)
        unreadable = {error.path for error in errors}
        errors += (
            translation_problems(found, display_path(found), language) if found and str(found) not in unreadable else []
        )
    return errors + untitled_translations(config, sound, path)


def other_languages(
    languages: list[Any], own: set[str], path: str, site_locales: str
) -> tuple[list[str], list[str], list[ContentError]]:
    """(the languages: listed once each as language tags, those of them whose interface words read
    without a problem, the errors) for site.yaml's `languages:` besides the site's `own`."""
    listed: list[str] = []
    sound: list[str] = []  # whose translations: are asked for
    errors: list[ContentError] = []
    for tag, line in zip(languages, getattr(languages, "item_lines", [None] * len(languages)), strict=True):
        problem = valid_tag(tag)
        if problem:
            errors.append(ContentError(path, line, problem))
        elif base_language(tag) in own or base_language(tag) in listed:
            errors.append(ContentError(path, line, f'"{tag}" is listed twice, or is the site\'s own language'))
        elif tag != base_language(tag):
            errors.append(
                ContentError(
                    path, line, f'list the language, "{base_language(tag)}": it names the folder and files of its pages'
                )
            )
        else:
            listed.append(tag)
            broken = catalog_problems(tag, site_locales)
            errors += broken
            try:
                if not broken:  # babel reads a broken catalog by guessing, with warnings on stdout
                    catalog(tag, site_locales)
                sound.append(tag)
            except ValueError as exc:
                errors.append(ContentError(path, line, str(exc)))
    return listed, sound, errors


def untitled_translations(config: Entry, languages: list[str], path: str) -> list[ContentError]:
    """An error for each of `languages` that site.yaml's translations: give no title: and description:."""
    translations = config.get("translations") or {}
    errors = []
    for tag in languages:
        words = translations.get(tag) if isinstance(translations, dict) else None
        if not (
            isinstance(words, dict)
            and isinstance(words.get("title"), str)
            and isinstance(words.get("description"), str)
        ):
            errors.append(
                ContentError(
                    path,
                    line_of(config, "languages"),
                    f'give the site\'s title: and description: in "{tag}" under translations: {tag}: in site.yaml',
                )
            )
    return errors


def css_problems(raw_pages: Iterable[RawPage], static_files: Iterable[tuple[str, str]]) -> list[ContentError]:
    """A page's `css:` names a stylesheet in static/ (the site's or the theme's); base.html links it."""
    static = {name for name, _ in static_files}
    errors = []
    for raw in raw_pages:
        css = raw.front.get("css") if isinstance(raw.front, dict) else None
        if not isinstance(css, str) or not css.strip():
            continue
        if not css.endswith(".css"):
            errors.append(
                field_error(raw.front, "css", raw.path, f'"{css}" is not a stylesheet: name a .css file in static/')
            )
        elif css not in static:
            sheets = [name for name in static if name.endswith(".css")]
            errors.append(
                field_error(
                    raw.front,
                    "css",
                    raw.path,
                    f'no file "{css}" in static/ (write the path inside static/,'
                    f" such as css/{css.rsplit('/', 1)[-1]}){did_you_mean(css, sheets)}",
                )
            )
    return errors


def build_statements(
    entries: list[tuple[str, Entry]], raw_pages: Iterable[RawPage]
) -> tuple[list[Statement], list[ContentError]]:
    """Statements from the facts files and from pages' front matter (`statements:`), ids unique across both."""
    found = list(entries) + [
        (raw.path, entry)
        for raw in raw_pages
        if isinstance(raw.front, dict)
        for entry in (raw.front.get("statements") or [])
        if isinstance(raw.front.get("statements"), list)
    ]
    statements: list[Statement] = []
    errors: list[ContentError] = []
    seen: dict[str, str] = {}  # id -> "path:line" of its definition
    for path, entry in found:
        problems = check_fields(entry, STATEMENT_FIELDS, path, "statement")
        if not problems and entry["id"] in seen:
            problems = [
                field_error(
                    entry, "id", path, f'duplicate statement id "{entry["id"]}" (also defined at {seen[entry["id"]]})'
                )
            ]
        errors.extend(problems)
        if not problems:
            seen[entry["id"]] = f"{path}:{line_of(entry, 'id')}"
            statements.append(
                Statement(entry["id"], entry["says"].strip(), entry["check"].strip(), Where(path, line_of(entry)))
            )
    return statements, errors


def check_references(
    pages: Iterable[Page],
    facts: Mapping[str, Fact],
    charts: Mapping[str, Any],
    statements: Mapping[str, Statement],
    broken: set[str],
    tables: Iterable[str] = (),
) -> list[ContentError]:
    """Each call names something the site has; `tables`: the ids of the tables declared (a table
    whose entry is wrong is reported there, not at each use)."""
    known: dict[str, Any] = {"fact": facts, "chart": charts, "check": statements, "table": set(tables)}
    return [
        ContentError(
            ref.where.path, ref.where.line, f'unknown {ref.kind} "{ref.id}"{did_you_mean(ref.id, known[ref.kind])}'
        )
        for page in pages
        for ref in page.references
        if ref.id not in known[ref.kind] and not (ref.kind == "fact" and ref.id in broken)
    ]


# ---- the stage ----------------------------------------------------------------------------


def template_names(template_dirs: Iterable[str]) -> set[str]:
    """Every template a page may name: the site's and the theme's."""
    return {p.relative_to(folder).as_posix() for folder in map(Path, template_dirs) for p in folder.rglob("*.html")}


def languages_refused(config: Any, config_errors: list[ContentError]) -> bool:
    """Whether site.yaml's `languages:` has an error. Load told translations (regions.ru.md) and
    words files (main.ru.yaml) from pages and facts files by that list, so with a wrong one every
    such file is misread, and its errors (dozens on a translated site) would bury the real one."""
    if not isinstance(config, dict) or "languages" not in config:
        return False
    lines = {line_of(config, "languages"), *getattr(config["languages"], "item_lines", ())}
    return any(error.line in lines for error in config_errors)


def page_collisions(pages: Iterable[RawPage], languages: Iterable[str]) -> list[ContentError]:
    """Pages published where a generated page or another page is (content/404.md, content/ru/index.md
    beside index.ru.md): one would silently replace the other, so each is refused."""
    generated = {"404.html": "the page for a missing address", "sources.html": "the sources page"}
    generated.update({f"{language}/sources.html": f"the {language} sources page" for language in languages})
    first: dict[str, Any] = {}
    errors = []
    for raw in sorted(pages, key=lambda raw: not raw.language):  # a translation keeps its place, a look-alike moves
        name = raw.filename
        if name in generated:
            errors.append(
                ContentError(
                    raw.path,
                    None,
                    f'this page would be published as "{name}", where the build'
                    f" writes {generated[name]}; rename this page",
                )
            )
        elif name in first:
            errors.append(
                ContentError(
                    raw.path,
                    None,
                    f'this page would be published as "{name}", where'
                    f" {first[name].path} is published; rename this page",
                )
            )
        else:
            first[name] = raw
    return errors


# To be split along its stages (config, facts files, pages, editions) once the changes other
# helpers are making inside it for issue 23 have merged; until then its size is allowed here.
def build_sources(entries: list[tuple[str, Entry]]) -> tuple[dict[str, Source], list[ContentError]]:
    """The facts files' sources:, each checked."""
    sources: dict[str, Source] = {}
    errors: list[ContentError] = []
    for path, entry in entries:
        problems = check_fields(entry, SOURCE_FIELDS, path, "source")
        errors.extend(problems)
        if not problems:
            sources[entry["id"]] = build_source(path, entry)
    return sources, errors


def build_facts(
    entries: list[tuple[str, Entry]], sources: Mapping[str, Source]
) -> tuple[dict[str, Fact], set[str], list[ContentError]]:
    """The facts files' facts:, each checked (figures drawn from data are computed later), and the ids
    of those reported (their uses add no more errors)."""
    facts: dict[str, Fact] = {}
    broken: set[str] = set()
    errors: list[ContentError] = []
    for path, entry in entries:
        problems = check_fields(entry, FACT_FIELDS, path, "fact")
        problems += fact_problems(entry, path, sources) if not problems else []
        errors.extend(problems)
        if not problems:
            facts[entry["id"]] = build_fact(path, entry)
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            broken.add(entry["id"])
    return facts, broken, errors


def build_datasets(
    entries: list[tuple[str, Entry]],
    sources: Mapping[str, Source],
    facts: Mapping[str, Fact],
    broken: set[str],
    tables: Mapping[str, RawTable],
) -> tuple[dict[str, Dataset], list[ContentError]]:
    """The facts files' datasets:, each checked and read (from its CSV, its rows or the dataset it
    groups); the id of each one reported is added to `broken`, so facts reading it are dropped without
    another message."""
    datasets: dict[str, Dataset] = {}
    errors: list[ContentError] = []
    # Datasets grouped from another come after those read from files, so their base is ready.
    for path, entry in sorted(entries, key=lambda item: isinstance(item[1], dict) and "group" in item[1]):
        base = entry.get("group") if isinstance(entry, dict) else None
        reported = isinstance(base, dict) and str(base.get("dataset")) in broken
        if reported and not dataset_entry_problems(entry, path, sources, facts):
            broken.add(entry["id"])  # its base dataset is reported already
            continue
        dataset, problems = dataset_of(entry, path, sources, facts, datasets, tables)
        if dataset is not None:
            datasets[dataset.id] = dataset
        if problems and isinstance(entry, dict) and isinstance(entry.get("id"), str):
            broken.add(entry["id"])
        errors.extend(problems)
    return datasets, errors


def dataset_entry_problems(
    entry: Entry, path: str, sources: Mapping[str, Source], facts: Mapping[str, Fact]
) -> list[ContentError]:
    """What is wrong with a dataset's entry itself: its fields, its sources or an id a fact has too."""
    problems = check_fields(entry, DATASET_FIELDS, path, "dataset")
    if not problems:
        problems = check_source_ids(as_tuple(entry["sources"]), sources, path, entry, "sources")
    if not problems and entry["id"] in facts:
        other = facts[entry["id"]].where
        problems = [
            field_error(
                entry,
                "id",
                path,
                f'"{entry["id"]}" is also a fact id ({other.path}:{other.line}); give the dataset another',
            )
        ]
    return problems


def dataset_of(
    entry: Entry,
    path: str,
    sources: Mapping[str, Source],
    facts: Mapping[str, Fact],
    datasets: dict[str, Dataset],
    tables: Mapping[str, RawTable],
) -> tuple[Dataset | None, list[ContentError]]:
    """One dataset as its entry declares it, with its computed columns, or the problems."""
    problems = dataset_entry_problems(entry, path, sources, facts)
    if not problems and "group" in entry and ("csv" in entry or "rows" in entry):
        problems = [ContentError(path, line_of(entry), 'a dataset needs exactly one of "csv", "rows" or "group"')]
    if problems:
        return None, problems
    dataset, problems = (
        grouped_dataset(entry, path, datasets) if "group" in entry else build_dataset(path, entry, tables)
    )
    if dataset and not problems:
        dataset, problems = with_computed_columns(
            replace(dataset, claimant=entry.get("claimant") or ""),
            entry.get("computed"),
            path,
            getattr(entry.get("computed"), "key_lines", {}),
        )
    return (dataset if dataset and not problems else None), problems


def build_pages(
    loaded: LoadedSite,
    names: set[str],
    references_memo: RememberedReferences | None,
    known_pages: dict[int, tuple[RawPage, Page]],
) -> tuple[list[Page], list[Page], list[ContentError]]:
    """The site's pages and their translations, each checked; a page whose RawPage is the very object
    `known_pages` holds (an incremental rebuild) is taken as it was."""
    pages: list[Page] = []
    translated: list[Page] = []
    errors: list[ContentError] = []
    for raw in (raw for raw in loaded.pages if not raw.language):
        known = known_pages.get(id(raw))
        page, problems = (known[1], []) if known and known[0] is raw else build_page(raw, names, references_memo)
        errors.extend(problems)
        if page:
            pages.append(page)
    sources_of = {page.slug: page for page in pages}
    for raw in (raw for raw in loaded.pages if raw.language):
        page, problems = build_translation(raw, sources_of.get(raw.slug), names, references_memo)
        errors.extend(problems)
        if page:
            translated.append(page)
    return pages, translated, errors


def share_chart_problems(loaded: LoadedSite, charts: Mapping[str, object]) -> list[ContentError]:
    """A share_chart: (in site.yaml or a page's front matter) naming no chart of the site."""
    errors: list[ContentError] = []
    for settings, path in [(loaded.config, loaded.config_path)] + [(raw.front, raw.path) for raw in loaded.pages]:
        share = settings.get("share_chart") if isinstance(settings, dict) else None
        if isinstance(share, str) and share not in charts:
            errors.append(
                field_error(
                    settings, "share_chart", path, f'no chart "{share}" in content/charts/{did_you_mean(share, charts)}'
                )
            )
    return errors


def validate_site(
    loaded: LoadedSite,
    references_memo: RememberedReferences | None = None,
    known_pages: dict[int, tuple[RawPage, Page]] | None = None,
) -> Site:
    """The typed, checked Site; ContentErrors with every problem found.

    `references_memo` (prose.Memo.references) remembers each page body's fact() and chart() calls.
    `known_pages` (incremental rebuilds) maps id(RawPage) to (that RawPage, its Page) for pages
    validated before with the same set of templates: a RawPage that is the very same object is
    not checked again.
    """
    errors: list[ContentError] = []
    slugs = {p.slug for p in loaded.pages}
    config, config_errors = validate_config(loaded.config, loaded.config_path, slugs, site_locales(loaded))
    errors.extend(config_errors)
    if languages_refused(loaded.config, config_errors):
        raise ContentErrors(config_errors)  # the rest was read by a wrong list of languages: its errors follow from it
    errors.extend(page_collisions(loaded.pages, languages_of(loaded.config)))

    errors.extend(check_fact_file_shape(loaded.fact_files))
    entries = {
        section: collect_entries(loaded.fact_files, section, errors)
        for section in ("sources", "facts", "datasets", "corrections", "statements", "tables")
    }
    fact_entries, table_entries = entries["facts"], entries["tables"]

    sources, source_errors = build_sources(entries["sources"])
    errors.extend(source_errors)
    # broken: ids of facts and datasets already reported, so their uses add no more errors
    facts, broken, fact_errors = build_facts(fact_entries, sources)
    errors.extend(fact_errors)
    datasets, dataset_errors = build_datasets(entries["datasets"], sources, facts, broken, loaded.tables)
    errors.extend(dataset_errors)

    facts, fact_errors = compute_facts(facts, datasets, broken)
    errors.extend(fact_errors)
    data_tables, table_errors = build_tables(table_entries, datasets, facts, broken)
    errors.extend(table_errors)
    corrections, correction_errors = build_corrections(entries["corrections"], facts)
    errors.extend(correction_errors)

    charts = {c.id: c for c in loaded.charts}
    names = template_names(loaded.template_dirs)
    if not names:
        errors.append(
            ContentError(
                loaded.template_dirs[0] if loaded.template_dirs else "templates",
                None,
                "no .html templates: the theme is missing from the factsite package; reinstall it",
            )
        )
    pages, translated, page_errors = build_pages(loaded, names, references_memo, known_pages or {})
    errors.extend(page_errors)
    broken |= {f for f in facts_declared(fact_entries) if f not in facts}
    statements, statement_errors = build_statements(
        entries["statements"], [raw for raw in loaded.pages if not raw.language]
    )
    errors.extend(statement_errors)
    holding: dict[str, Statement] = {}
    if not errors:  # a statement is judged only on figures that are all sound
        holding, statement_errors = evaluate_statements(statements, facts, datasets, statement_uses(pages))
        errors.extend(statement_errors)
    errors.extend(
        check_references(
            pages + translated,
            facts,
            charts,
            {s.id: s for s in statements},
            broken,
            facts_declared(table_entries),
        )
    )
    colors = loaded.config.get("colors") if isinstance(loaded.config, dict) else None
    claimants = colors.get("claimants") if isinstance(colors, dict) else None
    errors.extend(check_claim_pages(pages, set(claimants) if isinstance(claimants, dict) else set()))
    errors.extend(share_chart_problems(loaded, charts))
    errors.extend(css_problems(loaded.pages, loaded.static_files))
    if errors:
        raise ContentErrors(errors)
    assert config is not None  # (validate_config gives None only with errors, raised above)
    order = {slug: i for i, slug in enumerate(config.nav)}
    pages.sort(key=lambda p: (order.get(p.slug, len(order)), p.slug))
    translated.sort(key=lambda p: (order.get(p.slug, len(order)), p.slug))
    site = Site(
        root=loaded.root,
        config=config,
        pages=tuple(pages),
        sources=sources,
        facts=facts,
        datasets=datasets,
        charts=charts,
        template_dirs=loaded.template_dirs,
        static_files=loaded.static_files,
        corrections=corrections,
        statements=holding,
        tables=data_tables,
    )
    return with_chart_words(with_editions(site, loaded, translated), loaded)


def site_locales(loaded: LoadedSite) -> str:
    """The site's own interface words (locales/<language>/LC_MESSAGES/messages.po), before the theme's."""
    return str(Path(loaded.root) / "locales")


def omitted_home_problems(site: Site, loaded: LoadedSite, language: str, translated: set[str]) -> list[ContentError]:
    """An edition cannot leave out its home page (untranslated: omit): every page's site title and
    the language switchers lead there."""
    if site.config.untranslated != "omit" or HOME not in {page.slug for page in site.pages} or HOME in translated:
        return []
    return [
        field_error(
            loaded.config,
            "untranslated",
            loaded.config_path,
            f"omit would leave the {language} edition without its home page: translate it first"
            f" (content/{HOME}.{language}.md), or use fallback until then",
        )
    ]


def with_editions(site: Site, loaded: LoadedSite, translated: list[Page]) -> Site:
    """The site with each of its other languages' editions: the same figures in that language's words."""
    facts_files = {path for path, _ in loaded.fact_files}
    words, errors = read_words([entry for entry in loaded.word_files if words_source(entry[0]) in facts_files], site)
    errors += [
        ContentError(
            path,
            1,
            f"the words of {words_source(path)}, which does not exist: a words file is named"
            f" after the facts file it translates (regions.{language}.yaml for regions.yaml)",
        )
        for path, language, _ in loaded.word_files
        if words_source(path) not in facts_files
    ]
    editions = {}
    for language in site.config.languages:
        pages = tuple(page for page in translated if page.language == language)
        found = words.get(language) or Words(language)
        said = {
            statement_id: says
            for raw in loaded.pages
            if raw.language == language
            for statement_id, says in (raw.front.get("statements") or {}).items()
        }
        found = replace(found, statements={**found.statements, **said})
        shown = shown_by(pages, site)
        edition, problems = localized(
            site, language, pages, found, catalog(language, site_locales(loaded)).gettext, shown
        )
        errors.extend(problems)
        translated_slugs = {page.slug for page in pages}
        errors += omitted_home_problems(site, loaded, language, translated_slugs)
        fallback = (
            tuple(page for page in site.pages if page.slug not in translated_slugs)
            if site.config.untranslated == "fallback"
            else ()
        )
        site_words = (loaded.config.get("translations") or {}).get(language) or {}
        config = replace(
            site.config,
            language=language,
            title=site_words.get("title", ""),
            description=site_words.get("description", ""),
            author=site_words.get("author", site.config.author),
            legend=dict(site_words.get("legend") or {}),
            footer=site_words.get("footer", ""),
            nouns=dict(site_words.get("nouns") or {}),
        )
        # Charts are drawn in the language only for its translated pages; untranslated ones show the source's.
        charts = {chart_id: site.charts[chart_id] for chart_id in sorted(shown.charts)}
        editions[language] = replace(
            edition, config=config, editions={}, charts=charts, fallback_pages=fallback, fallback_language=site.language
        )
    unused = [page for page in translated if page.language not in site.config.languages]
    errors += [
        ContentError(page.where.path, None, f'translation into "{page.language}", which site.yaml does not list')
        for page in unused
    ]
    if errors:
        raise ContentErrors(errors)
    found_versions: dict[str, list[tuple[str, str]]] = {}
    for edition in [site, *editions.values()]:
        for page in edition.pages:
            found_versions.setdefault(page.slug, []).append((edition.language, page.filename))
        found_versions.setdefault("sources", []).append((edition.language, f"{edition.prefix}sources.html"))
    versions = {slug: tuple(found) for slug, found in found_versions.items()}
    editions = {language: replace(edition, versions=versions) for language, edition in editions.items()}
    return replace(site, editions=editions, versions=versions)
