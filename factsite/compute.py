"""Figures the build works out, for the validate stage: datasets' computed columns, facts drawn
from expressions over facts and datasets (`derived:` and `data:`), and checked statements.

Every function takes values and returns new ones with the problems found, each naming the
file and line an editor must look at.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from . import expressions
from .errors import ContentError, did_you_mean
from .i18n import localized_claimant
from .model import Dataset, Fact, Page, Statement, Where
from .tables import quoting_hint


def tables_of(datasets: Mapping[str, Dataset]) -> dict[str, expressions.Table]:
    return {d.id: expressions.Table(d.columns, d.rows) for d in datasets.values()}


def columns_of(datasets: Mapping[str, Dataset]) -> dict[str, tuple[str, ...]]:
    return {d.id: d.columns for d in datasets.values()}


# ---- computed columns ---------------------------------------------------------------------


def with_computed_columns(
    dataset: Dataset, computed: Any, path: str, lines: Mapping[str, int]
) -> tuple[Dataset, list[ContentError]]:
    """The dataset with each `computed:` column worked out row by row from the row's own cells
    (and columns computed before it); facts are not read here, so datasets never wait for facts."""
    rows = [dict(row) for row in dataset.rows]
    columns = list(dataset.columns)
    done = []
    for column, text in (computed or {}).items():
        line = lines.get(column, dataset.where.line)
        if not isinstance(text, str) or not text.strip():
            return dataset, [
                ContentError(path, line, f'computed column "{column}" must be an expression over the columns')
            ]
        if column in columns:
            return dataset, [
                ContentError(path, line, f'computed column "{column}" has the name of a column the data already has')
            ]
        number = 0  # the row being computed; 0 while the expression is read
        try:
            node = expressions.parse(text)
            for number, row in enumerate(rows, start=1):  # noqa: B007 - the except clause names the row
                value = expressions.compute(node, {}, {}, row)
                row[column] = round(value, 10) if expressions.is_number(value) else value
        except expressions.ExpressionError as exc:
            message = str(exc)
            if "unknown fact or column" in message:
                name = message.split('"')[1]
                message += f"{did_you_mean(name, columns)}; a computed column reads only the dataset's columns"
            where = f", row {number}" if number else ""
            return dataset, [ContentError(path, line, f'computed column "{column}"{where}: {message}')]
        columns.append(column)
        done.append((column, text.strip()))
    return replace(dataset, columns=tuple(columns), rows=tuple(rows), computed=tuple(done)), []


# ---- facts from expressions -------------------------------------------------------------


def unknown_names(found: expressions.Reads, known_facts: Mapping[str, Fact]) -> list[str]:
    return [name for name in found.facts if name not in known_facts]


def unknown_message(
    subject: str, name: str, facts: Mapping[str, Fact], datasets: Mapping[str, Dataset], used: tuple[str, ...]
) -> str:
    candidates = [*facts, *datasets, *(c for d in used for c in datasets[d].columns)]
    if not used:
        return f'{subject} uses unknown fact "{name}"{did_you_mean(name, candidates)}'
    tables = " or ".join(f'"{d}"' for d in used)
    return f'{subject} uses "{name}", which is no fact and no column of {tables}{did_you_mean(name, candidates)}'


def order_facts(facts: dict[str, Fact], found: dict[str, expressions.Reads]) -> tuple[list[str], list[ContentError]]:
    """Ids of facts with expressions, each after the facts it reads; an error for each cycle."""
    errors: list[ContentError] = []
    order: list[str] = []
    state: dict[str, str] = {}  # fact id -> "visiting" or "done"

    def visit(fact_id: str, trail: list[str]) -> None:
        if state.get(fact_id) == "done":
            return
        if state.get(fact_id) == "visiting":
            cycle = " -> ".join([*trail[trail.index(fact_id) :], fact_id])
            fact = facts[fact_id]
            errors.append(ContentError(fact.where.path, fact.where.line, f"derived facts form a cycle: {cycle}"))
            return
        state[fact_id] = "visiting"
        for name in found[fact_id].facts:
            if name in found:
                visit(name, [*trail, fact_id])
        state[fact_id] = "done"
        order.append(fact_id)

    for fact_id in sorted(found):
        visit(fact_id, [])
    return order, errors


def reads_of(text: str, datasets: Mapping[str, Dataset]) -> tuple[ast.expr, expressions.Reads] | str:
    """(parsed, what it reads), or the problem when it does not parse."""
    try:
        node = expressions.parse(text)
    except expressions.ExpressionError as exc:
        hints = (quoting_hint(text, dataset) for dataset in datasets.values())
        return str(exc) + next((hint for hint in hints if hint), "")
    return node, expressions.reads(node, columns_of(datasets))


def drawn_from(
    fact: Fact,
    value: Any,
    inputs: tuple[str, ...],
    used: tuple[str, ...],
    computed: Mapping[str, Fact],
    datasets: Mapping[str, Dataset],
) -> tuple[Fact | None, str]:
    """The fact with its value, sources, date and claimant filled in from what it read; or why not."""
    if isinstance(value, bool):
        return None, "gives true or false: a fact needs a number or text (put a condition in statements:)"
    sources = tuple(
        dict.fromkeys(
            [*(s for i in inputs for s in computed[i].sources), *(s for d in used for s in datasets[d].sources)]
        )
    )
    as_of = fact.as_of or max((computed[i].as_of for i in inputs), default="")
    if not as_of:
        return None, "reads only datasets: give it an as_of: date"
    made = replace(fact, value=value, inputs=inputs, datasets=used, sources=fact.sources or sources, as_of=as_of)
    if fact.claimant:
        return made, ""
    without = [d for d in used if not datasets[d].claimant]
    if without:
        return None, f'needs a claimant:, or dataset "{without[0]}" one, to say whose figures it is calculated from'
    origins = tuple(
        dict.fromkeys(
            [
                *(o for i in inputs for o in (computed[i].calculated_from or (("fact", i),))),
                *(("dataset", d) for d in used),
            ]
        )
    )
    made = replace(made, calculated_from=origins)
    return replace(made, claimant=localized_claimant(made, computed, datasets, str)), ""


def expression_problems(
    fact: Fact, reads: expressions.Reads, facts: Mapping[str, Fact], datasets: Mapping[str, Dataset]
) -> list[ContentError]:
    """What is wrong with what a fact's expression reads: nothing for its status, or unknown names."""
    where = (fact.where.path, fact.where.line)
    if fact.status == "derived" and not (reads.facts or reads.datasets):
        return [
            ContentError(
                *where,
                f'fact "{fact.id}": "derived" must use at least one fact or dataset id;'
                " a number typed in is a value: with its own source",
            )
        ]
    if fact.status != "derived" and not reads.datasets:
        return [
            ContentError(
                *where,
                f'fact "{fact.id}": "data" must read a dataset, such as'
                ' lookup(some_dataset, column, key_column="row name")',
            )
        ]
    return [
        ContentError(*where, unknown_message(f'fact "{fact.id}"', name, facts, datasets, reads.datasets))
        for name in unknown_names(reads, facts)
    ]


def read_expressions(
    facts: dict[str, Fact], datasets: Mapping[str, Dataset], broken: set[str]
) -> tuple[dict[str, ast.expr], dict[str, expressions.Reads], list[ContentError]]:
    """Each fact's expression parsed, and what it reads, by fact id; a fact reading a `broken` one is
    added to `broken`."""
    errors: list[ContentError] = []
    parsed: dict[str, ast.expr] = {}
    found: dict[str, expressions.Reads] = {}
    for fact in [f for f in facts.values() if f.expression]:
        read = reads_of(fact.expression, datasets)
        if isinstance(read, str):
            errors.append(ContentError(fact.where.path, fact.where.line, f'fact "{fact.id}": {read}'))
        elif set(read[1].facts) & broken:
            broken.add(fact.id)
        else:
            problems = expression_problems(fact, read[1], facts, datasets)
            errors.extend(problems)
            if not problems:
                parsed[fact.id], found[fact.id] = read
    return parsed, found, errors


def work_out(
    order: list[str],
    facts: dict[str, Fact],
    parsed: Mapping[str, ast.expr],
    found: Mapping[str, expressions.Reads],
    datasets: Mapping[str, Dataset],
) -> tuple[dict[str, Fact], list[ContentError]]:
    """The facts with their expressions worked out in `order`; a fact reading one that failed is left
    out without another error."""
    errors: list[ContentError] = []
    computed, failed = dict(facts), set[str]()
    tables = tables_of(datasets)
    for fact_id in order:
        fact, reads = computed[fact_id], found[fact_id]
        if set(reads.facts) & failed:  # reported already, at the fact it reads
            failed.add(fact_id)
            continue
        failed.add(fact_id)
        try:
            value = expressions.evaluate(parsed[fact_id], lookup_of(computed, reads.facts), tables)
        except expressions.ExpressionError as exc:
            errors.append(ContentError(fact.where.path, fact.where.line, f'fact "{fact_id}": {exc}'))
            continue
        made, problem = drawn_from(fact, value, reads.facts, reads.datasets, computed, datasets)
        if made is None:
            errors.append(ContentError(fact.where.path, fact.where.line, f'fact "{fact_id}" {problem}'))
        else:
            computed[fact_id] = made
            failed.discard(fact_id)
    return {i: f for i, f in computed.items() if i not in failed}, errors


def compute_facts(
    facts: dict[str, Fact], datasets: Mapping[str, Dataset], broken: set[str]
) -> tuple[dict[str, Fact], list[ContentError]]:
    """Facts with every expression worked out (`derived:` over facts and datasets, `data:` drawn
    from datasets), each carrying the sources and latest as-of date of what it read.

    A fact that reads a `broken` fact (reported already) is dropped without another error."""
    parsed, found, errors = read_expressions(facts, datasets, broken)
    facts = {i: f for i, f in facts.items() if i not in broken}
    parsed = {i: n for i, n in parsed.items() if i in facts}
    found = {i: r for i, r in found.items() if i in facts and not set(r.facts) & broken}
    order, order_errors = order_facts(facts, found)
    errors.extend(order_errors)
    if errors:
        return facts, errors
    over = over_budget([(facts[i].where, parsed[i]) for i in order], tables_of(datasets), "facts")
    if over:
        return facts, [over]
    return work_out(order, facts, parsed, found, datasets)


def over_budget(
    expressions_at: list[tuple[Where, ast.expr]], tables: Mapping[str, expressions.Table], what: str
) -> ContentError | None:
    """An error at the expression that takes the site's `what` past MAX_SITE_COST steps, counted
    before any runs (each alone is held to MAX_COST where it is worked out)."""
    total = 0
    for where, node in expressions_at:
        steps = expressions.cost(node, tables)
        total += steps if steps <= expressions.MAX_COST else 0  # one beyond MAX_COST is refused on its own
        if total > expressions.MAX_SITE_COST:
            return ContentError(
                where.path,
                where.line,
                f"the site's {what} together would take more than"
                f" {expressions.MAX_SITE_COST:,} steps over the datasets' rows, with this one: work fewer out"
                " over large datasets, or draw shared parts into facts of their own",
            )
    return None


def lookup_of(facts: Mapping[str, Fact], ids: Iterable[str]) -> dict[str, tuple[Any, Any, Any]]:
    return {i: (facts[i].value, facts[i].low, facts[i].high) for i in ids if i in facts}


# ---- checked statements ------------------------------------------------------------------


def evaluate_statements(
    statements: list[Statement],
    facts: Mapping[str, Fact],
    datasets: Mapping[str, Dataset],
    uses: Mapping[str, list[Where]],
) -> tuple[dict[str, Statement], list[ContentError]]:
    """Statements that hold, by id; an error for each that does not, at every sentence resting on it
    (`{{ check("id") }}` in a page), or where it is defined when no sentence names it yet."""
    holding: dict[str, Statement] = {}
    errors: list[ContentError] = []
    tables = tables_of(datasets)
    read = {s.id: reads_of(s.check, datasets) for s in statements}
    over = over_budget(
        [(s.where, found[0]) for s in statements if not isinstance(found := read[s.id], str)],
        tables,
        "checked statements",
    )
    if over:
        return holding, [over]
    for statement in statements:
        where, found = statement.where, read[statement.id]
        if isinstance(found, str):
            errors.append(ContentError(where.path, where.line, f'statement "{statement.id}": {found}'))
            continue
        node, reads = found
        lookup = lookup_of(facts, reads.facts)
        result, problem = statement_result(node, reads, facts, datasets, tables)
        if problem:
            errors.append(ContentError(where.path, where.line, f'statement "{statement.id}": {problem}'))
            continue
        if result:
            holding[statement.id] = replace(statement, inputs=reads.facts, datasets=reads.datasets)
            continue
        detail = expressions.explain(node, lookup, tables)
        message = f'statement "{statement.id}" no longer holds: {statement.says} (the data has: {detail})'
        for place in uses.get(statement.id) or [where]:
            errors.append(ContentError(place.path, place.line, message))
    return holding, errors


def statement_result(
    node: ast.expr,
    reads: expressions.Reads,
    facts: Mapping[str, Fact],
    datasets: Mapping[str, Dataset],
    tables: Mapping[str, expressions.Table],
) -> tuple[bool, str]:
    """(whether a statement's check holds, ""), or (False, why it cannot be judged)."""
    unknown = unknown_names(reads, facts)
    if unknown:
        return False, unknown_message("the check", unknown[0], facts, datasets, reads.datasets)
    try:
        result = expressions.evaluate(node, lookup_of(facts, reads.facts), tables)
    except expressions.ExpressionError as exc:
        return False, str(exc)
    if not isinstance(result, bool):
        return False, f"check gives {expressions.shown(result)}: it must be a condition, such as x < y"
    return result, ""


def statement_uses(pages: Iterable[Page]) -> dict[str, list[Where]]:
    """Where each statement is named in prose by {{ check("id") }}: the sentences resting on it."""
    uses: dict[str, list[Where]] = {}
    for page in pages:
        for reference in page.references:
            if reference.kind == "check":
                uses.setdefault(reference.id, []).append(reference.where)
    return uses


# ---- datasets grouped from another -------------------------------------------------------


def sum_problem(sums: Any, base: Dataset) -> str | None:
    """What is wrong with a group's `sum:` (the columns of `base` to add up), or None."""
    if not isinstance(sums, list) or not sums:
        return "list the columns to add up, such as [population, deaths]"
    for column in sums:
        if column not in base.columns:
            return f'dataset "{base.id}" has no column "{column}"{did_you_mean(str(column), base.columns)}'
        text = next((row[column] for row in base.rows if isinstance(row.get(column), str)), None)
        if text is not None:
            return f'column "{column}" of "{base.id}" holds text ("{text}"), which cannot be added up'
    return None


def group_problem(group: Mapping[str, Any], datasets: Mapping[str, Dataset]) -> tuple[str, str] | None:
    """(field, message) for the first thing wrong with a `group:` entry, or None."""
    unknown = [key for key in group if key not in ("dataset", "by", "sum")]
    if unknown:
        return unknown[0], f'unknown field "{unknown[0]}"; a group has dataset:, by: and sum:'
    base = datasets.get(group["dataset"]) if isinstance(group.get("dataset"), str) else None
    if base is None:
        return (
            "dataset",
            f'no dataset "{group.get("dataset")}"{did_you_mean(str(group.get("dataset")), datasets)}'
            " (a group is made from a dataset with csv: or rows:)",
        )
    by = group.get("by")
    if by not in base.columns:
        return "by", f'dataset "{base.id}" has no column "{by}"{did_you_mean(str(by), base.columns)}'
    problem = sum_problem(group.get("sum"), base)
    return ("sum", problem) if problem else None


def grouped_dataset(
    entry: Mapping[str, Any], path: str, datasets: Mapping[str, Dataset]
) -> tuple[Dataset | None, list[ContentError]]:
    """A dataset made from another by `group:` (dataset, by, sum): one row per value of `by`, in the
    order each first appears, with the `sum` columns added up (empty cells count as nothing)."""
    group = entry["group"]
    problem = group_problem(group, datasets)
    if problem:
        key, message = problem
        line = getattr(group, "key_lines", {}).get(key, getattr(group, "line", None))
        return None, [ContentError(path, line, f'"group": {message}')]
    base, by, sums = datasets[group["dataset"]], group["by"], group["sum"]
    totals: dict[Any, dict[str, Any]] = {}
    for row in base.rows:
        total = totals.setdefault(row.get(by), {by: row.get(by), **dict.fromkeys(sums, 0)})
        for column in sums:
            total[column] += row.get(column) or 0
    return Dataset(
        id=entry["id"],
        title=entry["title"],
        sources=tuple([entry["sources"]] if isinstance(entry["sources"], str) else entry["sources"]),
        columns=(by, *sums),
        rows=tuple(totals.values()),
        where=Where(path, getattr(entry, "line", None)),
        note=entry.get("note") or "",
    ), []
