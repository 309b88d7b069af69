"""Tables from datasets: {{ table("id") }} in prose shows rows of a dataset, as a `tables:` entry of
a facts file chooses them (columns and headings, a filter, an order, a limit), each cell a cell of the
dataset, with the dataset's sources under it.

Validate builds a DataTable (which rows, in which order: the choice depends on the data alone);
render writes its HTML in the reader's language. Neither stage is imported here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from markupsafe import escape

from . import expressions
from .errors import ContentError, did_you_mean
from .formatting import format_date, format_figure, fraction_digits
from .model import Dataset, DataTable, Fact, TableColumn, Where
from .safe_yaml import line_of

NBSP = "\u00a0"
HEADING_LINES = 2  # the most a heading takes on a phone (the theme's rule for tables)
MAX_TABLE_ROWS = 500  # rows a table shows: a page is read, not searched like a spreadsheet (the CSV is there)
COLUMN_FORMATS = ("number", "compact", "percent", "plain", "date")  # date: 2023, 2023-03 or 2023-03-12
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ORDERS = ("ascending", "descending")
COLUMN_KEYS = ("column", "heading", "format", "decimals", "unit")
MAX_DECIMALS = 10
DEFAULT_DECIMALS = 2  # the most a column shows when its entry does not say


def cell_name(dataset: Dataset, column: str, cell: str) -> str:
    """A text cell as the reader's language names it: the edition's words (values: in its words
    file), else the display name the dataset's entry gives (values:), else the cell as written."""
    words = dataset.labels.get(column) or {}
    if cell in words:
        return str(words[cell])
    return str((dataset.names.get(column) or {}).get(cell, cell))


def named_fact(fact: Fact, datasets: Mapping[str, Dataset]) -> Fact:
    """A fact drawn from a text cell, showing the name its dataset's entry gives the cell in the
    site's language (values:); any other fact as it is."""
    if not isinstance(fact.value, str):
        return fact
    for dataset_id in fact.datasets:
        dataset = datasets.get(dataset_id)
        for cells in (dataset.names if dataset else {}).values():
            if fact.value in cells:
                return replace(fact, value=cells[fact.value])
    return fact


def name_for(header: str) -> str:
    """A name an expression can use for a column headed `header`: "Per Capita" -> per_capita."""
    name = re.sub(r"\W+", "_", header.strip().lower()).strip("_") or "column"
    return name if name.isidentifier() else f"c_{name}"


# ---- building a table (validate) ---------------------------------------------------------------


def table_columns(path: str, entry: dict[str, Any], dataset: Dataset) -> tuple[list[TableColumn], list[ContentError]]:
    """The entry's columns:, each a column of the dataset with a heading."""
    listed = entry["columns"]
    if not listed:
        return [], [ContentError(path, line_of(entry, "columns"), "a table needs at least one column")]
    columns, errors = [], []
    for item in listed:
        line = line_of(item) or line_of(entry, "columns")
        if not isinstance(item, dict) or "column" not in item or "heading" not in item:
            errors.append(
                ContentError(path, line, "each column is a mapping such as {column: per_capita, heading: Per person}")
            )
            continue
        problem = column_problem(item, dataset)
        if problem:
            errors.append(ContentError(path, line, problem))
            continue
        columns.append(
            TableColumn(
                column=item["column"],
                heading=item["heading"],
                format=item.get("format") or "number",
                decimals=item.get("decimals"),
                unit=item.get("unit") or "",
            )
        )
    return columns, errors


def column_problem(item: dict[str, Any], dataset: Dataset) -> str | None:
    """Why a column entry cannot be shown, or None: the first of its problems."""
    unknown = [key for key in item if key not in COLUMN_KEYS]
    name, heading, decimals = item.get("column"), item.get("heading"), item.get("decimals")
    whole = isinstance(decimals, int) and not isinstance(decimals, bool) and 0 <= decimals <= MAX_DECIMALS
    problems = [
        (
            bool(unknown),
            f'unknown field "{unknown[0] if unknown else ""}" in a table column'
            f"{did_you_mean(str(unknown[0]), COLUMN_KEYS) if unknown else ''}",
        ),
        (
            not isinstance(name, str) or name not in dataset.columns,
            f'dataset "{dataset.id}" has no column "{name}"{did_you_mean(str(name), dataset.columns)};'
            f" its columns are {', '.join(dataset.columns)}",
        ),
        (not isinstance(heading, str) or not heading.strip(), f'column "{name}": heading must be non-empty text'),
        (
            item.get("format", "number") not in COLUMN_FORMATS,
            f'column "{name}": format must be one of {", ".join(COLUMN_FORMATS)}',
        ),
        (
            decimals is not None and not whole,
            f'column "{name}": decimals must be a whole number from 0 to {MAX_DECIMALS}',
        ),
        (not isinstance(item.get("unit", ""), str), f'column "{name}": unit must be text, such as % or £'),
    ]
    return next((message for found, message in problems if found), None)


def row_expression(
    path: str, entry: dict[str, Any], key: str, dataset: Dataset
) -> tuple[ast.expr | None, list[ContentError]]:
    """The entry's where: or by:, parsed; an error at its line when it cannot be read."""
    if not entry.get(key):
        return None, []
    try:
        return expressions.parse(str(entry[key])), []
    except expressions.ExpressionError as exc:
        return None, [ContentError(path, line_of(entry, key), f"{key}: {exc}{quoting_hint(str(entry[key]), dataset)}")]


def quoting_hint(text: str, dataset: Dataset) -> str:
    """For an expression that cannot be read: how to name a column whose header it holds (its name,
    or a rename: to give one), or ""."""
    for name, header in dataset.headers.items():
        if header in text:
            return f' (write {name} for the column headed "{header}")'
    spaced = [column for column in dataset.columns if not column.isidentifier() and column in text]
    if spaced:
        return (
            f' (an expression names the column "{spaced[0]}" once the dataset\'s entry gives it a name:'
            f' rename: {{"{spaced[0]}": {name_for(spaced[0])}}})'
        )
    return ""


def row_values(
    path: str,
    entry: dict[str, Any],
    key: str,
    node: ast.expr,
    dataset: Dataset,
    facts: Mapping[str, Fact],
) -> tuple[list[Any], list[ContentError]]:
    """The expression worked out on each row of the dataset (names are its columns, else fact ids)."""
    tables = {dataset.id: expressions.Table(dataset.columns, dataset.rows)}
    steps = expressions.cost(node, tables) * max(len(dataset.rows), 1)
    where = line_of(entry, key)
    if steps > expressions.MAX_COST:
        return [], [
            ContentError(
                path,
                where,
                f"{key}: working this out on every row would take {steps:,} steps, more than the limit of"
                f" {expressions.MAX_COST:,}: work the inner dataset function out as a fact of its own",
            )
        ]
    lookup = {f.id: (f.value, f.low, f.high) for f in facts.values()}
    values = []
    for row in dataset.rows:
        try:
            values.append(expressions.compute(node, lookup, tables, row))
        except expressions.ExpressionError as exc:
            return [], [
                ContentError(path, where, f"{key}: {exc}; the columns of {dataset.id} are {', '.join(dataset.columns)}")
            ]
        except RecursionError:
            return [], [ContentError(path, where, f"{key}: expression is nested too deeply")]
    return values, []


def kept_rows(
    path: str, entry: dict[str, Any], dataset: Dataset, facts: Mapping[str, Fact]
) -> tuple[list[int], list[ContentError]]:
    """The places of the rows where: keeps (all when it is not given), in the order by: sets."""
    rows = list(range(len(dataset.rows)))
    condition, errors = row_expression(path, entry, "where", dataset)
    key, key_errors = row_expression(path, entry, "by", dataset)
    errors += key_errors
    if errors:
        return [], errors
    if condition is not None:
        holds, errors = row_values(path, entry, "where", condition, dataset, facts)
        wrong = next((value for value in holds if value is not None and not isinstance(value, bool)), None)
        if wrong is not None:
            errors.append(
                ContentError(
                    path,
                    line_of(entry, "where"),
                    f"where: gives {expressions.shown(wrong)} for a row: it must be a condition, such as year == 2020",
                )
            )
        rows = [place for place, value in zip(rows, holds, strict=True) if value is True] if not errors else []
    if key is not None and not errors:
        values, errors = row_values(path, entry, "by", key, dataset, facts)
        if not errors:
            ordered = sort_problem(values, rows)
            if isinstance(ordered, str):
                errors.append(ContentError(path, line_of(entry, "by"), f"by: {ordered}"))
            else:
                rows = ordered[::-1] if entry.get("order") == "descending" else ordered
                # empty values stay last either way
                rows = [r for r in rows if values[r] is not None] + [r for r in rows if values[r] is None]
    elif entry.get("order") == "descending" and not errors:
        rows = rows[::-1]
    return rows, errors


def sort_problem(values: list[Any], rows: list[int]) -> list[int] | str:
    """`rows` in the order of their values (ties in the file's order), or why they cannot be ordered."""
    filled = [values[place] for place in rows if values[place] is not None]
    numbers = all(expressions.is_number(v) for v in filled)
    if not numbers and not all(isinstance(v, str) for v in filled):
        return "its values are numbers on some rows and text on others: order by one kind"
    return sorted(rows, key=lambda place: (values[place] is None, values[place] if values[place] is not None else 0))


def limited_rows(path: str, entry: dict[str, Any], rows: list[int]) -> tuple[list[int], list[ContentError]]:
    """The first limit: rows; more than MAX_TABLE_ROWS is an error that says how to show fewer."""
    limit = entry.get("limit")
    if limit is not None:
        if not (isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= MAX_TABLE_ROWS):
            return [], [
                ContentError(path, line_of(entry, "limit"), f"limit: must be a whole number from 1 to {MAX_TABLE_ROWS}")
            ]
        return rows[:limit], []
    if len(rows) > MAX_TABLE_ROWS:
        return [], [
            ContentError(
                path,
                line_of(entry),
                f'table "{entry["id"]}" would show {len(rows):,} rows; a table shows at most {MAX_TABLE_ROWS}:'
                " keep fewer with where:, or the first ones with limit: (readers can download the whole dataset)",
            )
        ]
    return rows, []


def build_table(
    path: str, entry: dict[str, Any], datasets: Mapping[str, Dataset], facts: Mapping[str, Fact]
) -> tuple[DataTable | None, list[ContentError]]:
    """A checked table from its entry (its fields' kinds checked already)."""
    dataset = datasets.get(entry["dataset"])
    if dataset is None:
        return None, [
            ContentError(
                path,
                line_of(entry, "dataset"),
                f'no dataset "{entry["dataset"]}"{did_you_mean(entry["dataset"], datasets)}',
            )
        ]
    errors: list[ContentError] = []
    if entry.get("order", "ascending") not in ORDERS:
        errors.append(ContentError(path, line_of(entry, "order"), f"order: must be {' or '.join(ORDERS)}"))
    findable = entry.get("findable", False)
    if not isinstance(findable, (bool, str)):
        errors.append(
            ContentError(path, line_of(entry, "findable"), "findable: is true, or the search box's label in quotes")
        )
    columns, column_errors = table_columns(path, entry, dataset)
    rows, row_errors = kept_rows(path, entry, dataset, facts)
    errors += column_errors + row_errors
    if not errors:
        rows, errors = limited_rows(path, entry, rows)
    if errors:
        return None, errors
    return DataTable(
        id=entry["id"],
        dataset=dataset.id,
        caption=entry["caption"],
        columns=tuple(columns),
        rows=tuple(rows),
        where=Where(path, line_of(entry)),
        findable=(findable if isinstance(findable, str) else " ") if findable else "",
        note=entry.get("note") or "",
    ), []


# ---- showing a table (render) ------------------------------------------------------------------


def column_decimals(table: DataTable, dataset: Dataset) -> list[int]:
    """Each column's decimals: its entry's, else the most any of its shown numbers has (at most 2),
    so 48.0 stands as 48.0 among 47.3 and 50.1."""
    places = []
    for column in table.columns:
        if column.decimals is not None:
            places.append(column.decimals)
            continue
        numbers = [dataset.rows[r][column.column] for r in table.rows]
        numbers = [n for n in numbers if expressions.is_number(n)]
        if column.format == "percent":  # the decimals of the percentage shown: 0.309 is 30.9%
            numbers = [round(n * 100, 10) for n in numbers]
        places.append(max([0, *(fraction_digits(n, DEFAULT_DECIMALS) for n in numbers)]))
    return places


def date_text(written: str, language: str) -> str:
    """A date as the language writes it (12 March 2023, March 2023, 2023), or "" for text that is none."""
    if not DATE.match(written):
        return ""
    try:
        return format_date(written, language)
    except ValueError:  # 2023-13: not a day of the calendar
        return ""


def cell_text(value: Any, column: TableColumn, decimals: int, dataset: Dataset, language: str) -> str:
    """A cell as readers of `language` write it: a number in its column's format and unit, a text
    cell by its name in the language, an empty cell empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if column.format == "date":
        written = str(int(value)) if expressions.is_number(value) and float(value).is_integer() else str(value)
        return date_text(written, language) or cell_name(dataset, column.column, written)
    if expressions.is_number(value):
        text = format_figure(value, column.unit, decimals, column.format, language)
        own_unit = (
            column.format in ("number", "plain")
            and column.unit
            and text == format_figure(value, "", decimals, column.format, language)
        )
        return f"{text}\u00a0{column.unit}" if own_unit else text
    return cell_name(dataset, column.column, str(value))


def untranslated_cells(table: DataTable, dataset: Dataset, language: str) -> list[ContentError]:
    """In an edition: the first text cell the table shows that has no words in the language (a date
    excepted): nothing is shown in the site's language in its place."""
    for place in table.rows:
        for column in table.columns:
            cell = dataset.rows[place][column.column]
            as_date = column.format == "date" and date_text(cell if isinstance(cell, str) else "", language)
            if isinstance(cell, str) and not as_date and cell not in (dataset.labels.get(column.column) or {}):
                return [
                    ContentError(
                        table.where.path,
                        table.where.line,
                        f'table "{table.id}" shows "{cell}" (column "{column.column}" of dataset "{dataset.id}"),'
                        f" which has no {language} words: add it under values: {column.column}: of the"
                        " dataset in its words file",
                    )
                ]
    return []


def two_lines(heading: str) -> str:
    """The heading with one place left to break it, between two halves as long as can be, and no-break
    spaces elsewhere: on one line where there is room, on two at most on a phone."""
    words = heading.split()
    if len(words) <= HEADING_LINES:
        return heading
    middle = min(
        range(1, len(words)),
        key=lambda at: max(len(" ".join(words[:at])), len(" ".join(words[at:]))),
    )
    return f"{NBSP.join(words[:middle])} {NBSP.join(words[middle:])}"


def table_html(table: DataTable, dataset: Dataset, language: str, sources: str, sources_label: str) -> str:
    """The table's figure: a caption, headings, a row for each row chosen, and the dataset's sources
    (`sources`: their links, HTML; `sources_label`: "Sources" in the language). Every cell is escaped
    text; the markup is the chart tables' (the theme's CSS keeps the first column in view and the
    caption whole on a phone, and never makes a box that scrolls up and down)."""
    places = column_decimals(table, dataset)
    caption = escape(table.caption)
    findable = f' data-findable="{escape(table.findable.strip())}"' if table.findable else ""
    head = "".join(f'<th scope="col">{escape(two_lines(column.heading))}</th>' for column in table.columns)
    body = []
    for place in table.rows:
        row = dataset.rows[place]
        cells = []
        for column, decimals in zip(table.columns, places, strict=True):
            value = row[column.column]
            numeric = ' class="num"' if expressions.is_number(value) else ""
            cells.append(f"<td{numeric}>{escape(cell_text(value, column, decimals, dataset, language))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    note = f'<p class="table-note">{escape(table.note)}</p>' if table.note else ""
    return (
        f'<figure class="data-table" id="table-{escape(table.id)}">'
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="{caption}">'
        f"<table{findable}><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
        f'<figcaption>{note}<p class="table-sources">{escape(sources_label)}:'
        f" {sources}.</p></figcaption></figure>"
    )
