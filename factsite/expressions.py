"""The small expression language of derived facts, data facts and checked statements.

An expression is parsed with Python's `ast` and only these nodes are accepted; nothing is ever
passed to Python's eval. It may hold:

- numbers, "text" in quotes, fact ids, + - * / ( ) and unary minus;
- comparisons (== != < <= > >=, `in` and `not in` a [list] of constants), and, or, not;
- min(a, b, ...), max(...), abs(x), round(x[, decimals]); low(r) and high(r) of a range fact;
- dataset functions, whose first argument is a dataset id. Inside them a name is a column of that
  dataset (else a fact id) and is worked out row by row; `where=` keeps the rows where a condition
  holds and `column="value"` keeps the rows where a column equals a value:

    lookup(ds, expr, region="Tuva")    expr on the one row that matches (more or none is an error)
    min / max / sum / mean(ds, expr)   over the rows
    count(ds)                          how many rows
    share(ds, where=..., within=...)   count where the condition holds / count within (all rows)
    first / last(ds, expr)             expr on the first / last row, in the file's order
    at_min / at_max(ds, expr, by=x)    expr on the row where x is lowest / highest (a tie is an error)
    all / any(ds, condition)           the condition holds on every row / on at least one

An empty cell makes what is computed from it empty: a row whose condition is empty is left out,
aggregates skip empty values, and a result that is empty is an error. Over no rows (none matches, or
none has a value) only count (0) and share (0 of its `within` rows) give a value; every other
function is an error, since all() over nothing would hold whatever it says.
"""

from __future__ import annotations

import ast
import operator
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

ARITHMETIC: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
COMPARISONS: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
FUNCTIONS: dict[str, Callable[..., float]] = {"min": min, "max": max, "abs": abs, "round": round}
# How many arguments each function takes: (fewest, most); None for no limit.
ARITY: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "abs": (1, 1), "round": (1, 2)}
RANGE_ENDS = ("low", "high")
# Dataset functions: does it take an expression after the dataset id, and which keywords it needs.
DATASET_FUNCTIONS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "lookup": (True, ()),
    "min": (True, ()),
    "max": (True, ()),
    "sum": (True, ()),
    "mean": (True, ()),
    "count": (False, ()),
    "share": (False, ("where",)),
    "first": (True, ()),
    "last": (True, ()),
    "at_min": (True, ("by",)),
    "at_max": (True, ("by",)),
    "all": (True, ()),
    "any": (True, ()),
}
SPECIAL_KEYWORDS = ("where", "by", "within")
# Limits that keep an expression's cost known before it runs (SECURITY.md states them).
# Nesting: each operation or call inside another is one level; Python's own tools (ast.unparse in
# messages) need about three stack frames a level, so deeper would end in a RecursionError.
MAX_DEPTH = 100
# Steps: each part of the expression counts one, and a dataset function's arguments count once per
# row of its dataset, so dataset functions nested in each other multiply (a million take 0.4 to 1.3 s).
MAX_COST = 2_000_000
# The same, for all of a site's facts together, and again for all of its checked statements: many
# expressions each within MAX_COST must not add up to hours.
MAX_SITE_COST = 20_000_000
# round(x, n): n decimals either side of the point, no more than a float holds.
MAX_DECIMALS = 20
LONGEST_QUOTE = 60  # characters of a number or expression quoted in a message
ALLOWED = 'numbers, "text", fact ids, + - * / ( ), comparisons, and/or/not, ' + ", ".join(
    dict.fromkeys([*FUNCTIONS, *RANGE_ENDS, *DATASET_FUNCTIONS])
)


class ExpressionError(ValueError):
    """Why an expression cannot be used; the caller adds file and line."""


# ---- parsing -------------------------------------------------------------------------------


def parse(expression: str) -> ast.expr:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f'cannot read expression "{expression.strip()}": {exc.msg}') from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression is nested too deeply") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and too_large(node.value):
            number = shortened(ast.get_source_segment(expression.strip(), node) or "")
            raise ExpressionError(f"the number {number} is too large: numbers go up to about 1.8e308")
    try:
        check_nodes(tree.body)
    except RecursionError:
        raise ExpressionError("expression is nested too deeply") from None
    return tree.body


def check_nodes(node: ast.AST, depth: int = 1) -> None:
    """Refuse every node the language does not have; the rest is checked against the site later."""
    if depth > MAX_DEPTH:
        raise ExpressionError(
            f"expression is nested more than {MAX_DEPTH} levels deep (each operation inside another is a level):"
            " split it into facts of their own"
        )
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        children = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
        children = [node.operand]
    elif isinstance(node, ast.BoolOp):
        children = node.values
    elif isinstance(node, ast.Compare) and all(type(op) in COMPARISONS for op in node.ops):
        children = comparison_parts(node)
    elif (isinstance(node, ast.Constant) and type(node.value) in (int, float, str)) or isinstance(node, ast.Name):
        children = []
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and (node.func.id in FUNCTIONS or node.func.id in RANGE_ENDS or node.func.id in DATASET_FUNCTIONS)
    ):
        children = call_arguments(node, node.func.id)
    else:
        raise ExpressionError(f'"{ast.unparse(node)}" is not allowed: use {ALLOWED}')
    for child in children:
        check_nodes(child, depth + 1)


def comparison_parts(node: ast.Compare) -> list[ast.expr]:
    """The sides of a comparison to check in turn; refused when a [list] stands anywhere but after `in`."""
    for op, right in zip(node.ops, node.comparators, strict=True):
        if isinstance(op, (ast.In, ast.NotIn)) and not constant_list(right):
            raise ExpressionError(f'"{ast.unparse(right)}": `in` takes a list of numbers or "text", such as ["a", "b"]')
        if isinstance(right, (ast.List, ast.Tuple)) and not isinstance(op, (ast.In, ast.NotIn)):
            raise ExpressionError(f'"{ast.unparse(right)}": a [list] goes only after `in` or `not in`')
    return [node.left, *(c for c in node.comparators if not isinstance(c, (ast.List, ast.Tuple)))]


def call_arguments(node: ast.Call, name: str) -> list[ast.expr]:
    """The arguments of a call of the function `name` to check in turn; refused when written with * or
    **, or when low() or high() is given anything but one fact id."""
    if any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args):
        raise ExpressionError(f'"{ast.unparse(node)}": * and ** are not allowed')
    if name in RANGE_ENDS and not (len(node.args) == 1 and isinstance(node.args[0], ast.Name) and not node.keywords):
        raise ExpressionError(f"{name}() takes one fact id")
    return [*node.args, *(k.value for k in node.keywords)]


def too_large(value: Any) -> bool:
    """A number beyond what a float holds: infinite, not a number, or a whole number that long."""
    return is_number(value) and not abs(value) <= sys.float_info.max


def shortened(text: str) -> str:
    """Text of a number or expression as a message quotes it: at most 60 characters."""
    return text if len(text) <= LONGEST_QUOTE else f"{text[:28]}...{text[-28:]}"


def cost(node: ast.AST, tables: Mapping[str, Table]) -> int:
    """Steps working out `node` takes at most: one a part, and a dataset function's arguments once
    per row of its dataset (nested dataset functions multiply). Counted without running anything."""
    if is_dataset_call(node, tables):
        inner = [*node.args[1:], *(k.value for k in node.keywords)]
        passes = 2 if name_of(node.func) == "share" else 1  # share() reads its rows once to filter, once to count
        rows = len(tables[name_of(node.args[0])].rows)
        return 1 + passes * rows * (1 + sum(cost(child, tables) for child in inner))
    return 1 + sum(cost(child, tables) for child in ast.iter_child_nodes(node))


def constant_list(node: ast.AST) -> bool:
    return isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(e, ast.Constant) and type(e.value) in (int, float, str) for e in node.elts
    )


def name_of(node: ast.expr) -> str:
    """The name a Name node stands for: a called function's, a fact's or a dataset's (check_nodes
    lets nothing else stand there); another node as it is written."""
    return node.id if isinstance(node, ast.Name) else ast.unparse(node)


def is_dataset_call(node: ast.AST, datasets: Mapping[str, object]) -> TypeGuard[ast.Call]:
    """A call of a dataset function on a dataset id (min and max also work on plain numbers)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in DATASET_FUNCTIONS
        and bool(node.args)
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id in datasets
    )


# ---- what an expression reads -----------------------------------------------------------


@dataclass(frozen=True)
class Reads:
    facts: tuple[str, ...]  # fact ids, in order of appearance
    datasets: tuple[str, ...]  # dataset ids, in order of appearance


def reads(node: ast.expr, datasets: Mapping[str, Sequence[str]] | None = None) -> Reads:
    """Fact and dataset ids the expression reads; `datasets` maps each dataset id to its columns.

    Inside a dataset function, a name that is one of the dataset's columns is that column."""
    datasets = datasets or {}
    facts: list[tuple[int, int, str]] = []
    found_datasets: list[tuple[int, int, str]] = []

    def visit(item: ast.AST, columns: frozenset[str]) -> None:
        if is_dataset_call(item, datasets):
            first = item.args[0]
            found_datasets.append((first.lineno, first.col_offset, name_of(first)))
            inner = frozenset(datasets[name_of(first)])
            for child in [*item.args[1:], *(k.value for k in item.keywords)]:
                visit(child, inner)
            return
        if isinstance(item, ast.Name) and item.id not in columns:
            facts.append((item.lineno, item.col_offset, item.id))
        if isinstance(item, ast.Call):
            for child in [*item.args, *(k.value for k in item.keywords)]:
                visit(child, columns)
            return
        for part in ast.iter_child_nodes(item):
            visit(part, columns)

    visit(node, frozenset())
    return Reads(
        facts=tuple(dict.fromkeys(name for *_, name in sorted(facts))),
        datasets=tuple(dict.fromkeys(name for *_, name in sorted(found_datasets))),
    )


def names(node: ast.expr) -> list[str]:
    """Fact ids an expression without datasets reads, in order of appearance, without repeats."""
    return list(reads(node).facts)


# ---- evaluating --------------------------------------------------------------------------


Row = dict[str, Any]  # a dataset's row: column -> cell


@dataclass(frozen=True)
class Table:
    """A dataset as expressions see it: its columns and rows (dicts of column -> cell)."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]


Lookup = Mapping[str, tuple[Any, Any, Any]]  # fact id -> (value, low, high)


def evaluate(node: ast.expr, lookup: Lookup, tables: Mapping[str, Table] | None = None) -> Any:
    """The value of the expression: a number, text, or true/false.

    `lookup` maps a fact id to (value, low, high); `tables` maps a dataset id to its Table."""
    tables = tables or {}
    steps = cost(node, tables)
    if steps > MAX_COST:
        raise ExpressionError(
            f"working this out would take {steps:,} steps over the datasets' rows, more than the limit of"
            f" {MAX_COST:,}: a dataset function inside another reads every row again for each row;"
            " work the inner one out as a fact of its own"
        )
    try:
        value = compute(node, lookup, tables, None)
    except RecursionError:
        raise ExpressionError("expression is nested too deeply") from None
    if value is None:
        raise ExpressionError(f'"{ast.unparse(node)}" is empty: a cell it reads has no value')
    if too_large(value):
        raise ExpressionError(f'"{ast.unparse(node)}" is too large to be a number')
    return value


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def shown(value: Any) -> str:
    """A value as a message shows it."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value) and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}" if is_number(value) else "empty"


def number_of(value: Any, node: ast.expr) -> float | None:
    if value is None or is_number(value):
        return value  # type: ignore[no-any-return]  # (is_number: an int or a float)
    raise ExpressionError(f'"{ast.unparse(node)}" is {shown(value)}, not a number')


def condition_of(value: Any, node: ast.expr) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ExpressionError(f'"{ast.unparse(node)}" is {shown(value)}: a condition must be a comparison, such as x > 3')


def compute(node: ast.expr, lookup: Lookup, tables: Mapping[str, Table], row: Row | None) -> Any:
    """The value of `node`; in a dataset function, `row` is the row at hand (its columns come first)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return value_named(node.id, lookup, row)
    if isinstance(node, (ast.List, ast.Tuple)):  # (of constants: check_nodes lets no other list through)
        return [element.value for element in node.elts if isinstance(element, ast.Constant)]
    operation = OPERATIONS.get(type(node))
    if operation is None:  # (check_nodes refused it already)
        raise ExpressionError(f'"{shortened(ast.unparse(node))}" cannot be worked out')
    return operation(node, lookup, tables, row)


def value_named(name: str, lookup: Lookup, row: Row | None) -> Any:
    """A name's value: the row's column of that name, else the fact's (not a range's)."""
    if row is not None and name in row:
        return row[name]
    if name not in lookup:
        raise ExpressionError(f'unknown fact or column "{name}"')
    value, _, _ = lookup[name]
    if value is None:
        raise ExpressionError(f'"{name}" is a range: use low({name}) or high({name})')
    return value


def unary(node: ast.UnaryOp, lookup: Lookup, tables: Mapping[str, Table], row: Row | None) -> Any:
    """not x, -x or +x; empty when x is."""
    operand = compute(node.operand, lookup, tables, row)
    if isinstance(node.op, ast.Not):
        condition = condition_of(operand, node.operand)
        return None if condition is None else not condition
    number = number_of(operand, node.operand)
    return None if number is None else (-number if isinstance(node.op, ast.USub) else number)


def arithmetic(node: ast.BinOp, lookup: Lookup, tables: Mapping[str, Table], row: Row | None) -> Any:
    """+ - * / of two numbers; empty when either is."""
    left = number_of(compute(node.left, lookup, tables, row), node.left)
    right = number_of(compute(node.right, lookup, tables, row), node.right)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Div) and right == 0:
        raise ExpressionError(f'division by zero in "{ast.unparse(node)}"')
    return finite(ARITHMETIC[type(node.op)](left, right), node)


def boolean(node: ast.BoolOp, lookup: Lookup, tables: Mapping[str, Table], row: Row | None) -> bool | None:
    """and / or, stopping early as Python does; an empty operand counts as false."""
    want_all = isinstance(node.op, ast.And)
    for value_node in node.values:
        value = bool(condition_of(compute(value_node, lookup, tables, row), value_node))
        if value != want_all:
            return value
    return want_all


def compare(node: ast.Compare, lookup: Lookup, tables: Mapping[str, Table], row: Row | None) -> bool | None:
    left = compute(node.left, lookup, tables, row)
    left_node = node.left
    for op, right_node in zip(node.ops, node.comparators, strict=True):
        right = compute(right_node, lookup, tables, row)
        if left is None or right is None:
            return None
        if isinstance(op, ORDERING) and not (
            (is_number(left) and is_number(right)) or (isinstance(left, str) and isinstance(right, str))
        ):
            raise ExpressionError(
                f'cannot compare {shown(left)} ("{ast.unparse(left_node)}") with {shown(right)} '
                f'("{ast.unparse(right_node)}")'
            )
        if not COMPARISONS[type(op)](left, right):
            return False
        left, left_node = right, right_node
    return True


def call(node: ast.Call, lookup: Lookup, tables: Mapping[str, Table], row: Row | None) -> Any:
    name = name_of(node.func)
    if is_dataset_call(node, tables):
        return dataset_call(node, lookup, tables)
    if node.keywords:
        raise ExpressionError(f"{name}() takes keywords only over a dataset: its first argument must be a dataset id")
    if name in RANGE_ENDS:
        fact_id = name_of(node.args[0])
        if fact_id not in lookup:
            raise ExpressionError(f'unknown fact "{fact_id}"')
        value, low, high = lookup[fact_id]
        end = low if name == "low" else high
        return value if end is None else end
    if name not in FUNCTIONS:
        raise ExpressionError(f"{name}() takes a dataset id first, such as {name}(some_dataset, ...)")
    check_arguments(node)
    arguments = [number_of(compute(arg, lookup, tables, row), arg) for arg in node.args]
    if any(a is None for a in arguments):
        return None
    return finite(FUNCTIONS[name](*arguments), node)


# What works out each kind of node that takes its parts' values: compute's dispatch.
OPERATIONS: dict[type[ast.expr], Callable[[Any, Lookup, Mapping[str, Table], Row | None], Any]] = {
    ast.UnaryOp: unary,
    ast.BinOp: arithmetic,
    ast.BoolOp: boolean,
    ast.Compare: compare,
    ast.Call: call,
}


def finite(value: Any, node: ast.expr) -> Any:
    """The number, unless it has grown beyond what a float holds (which round() and charts cannot take)."""
    if too_large(value):
        raise ExpressionError(f'"{shortened(ast.unparse(node))}" is too large to be a number')
    return value


def check_arguments(node: ast.Call) -> None:
    name, count = name_of(node.func), len(node.args)
    fewest, most = ARITY[name]
    if count < fewest or (most is not None and count > most):
        wanted = f"{fewest} or more" if most is None else (f"{fewest}" if fewest == most else f"{fewest} or {most}")
        raise ExpressionError(f"{name}() takes {wanted} arguments, not {count}")
    if name == "round" and count > 1:
        decimals = node.args[1]
        if not (isinstance(decimals, ast.Constant) and type(decimals.value) is int):
            raise ExpressionError("round()'s second argument is a whole number of decimals, such as round(x, 1)")
        if abs(decimals.value) > MAX_DECIMALS:
            raise ExpressionError(f"round() keeps at most {MAX_DECIMALS} decimals")


class LazyText:
    """An expression's text, written out only when a message needs it (a nested dataset function
    runs once a row, and writing its text each time cost more than the work)."""

    def __init__(self, node: ast.expr) -> None:
        self.node = node

    def __str__(self) -> str:
        return ast.unparse(self.node)


def dataset_call(node: ast.Call, lookup: Lookup, tables: Mapping[str, Table]) -> Any:
    """A dataset function: filter the rows, then work out the function over them."""
    name, dataset_id = name_of(node.func), name_of(node.args[0])
    table = tables[dataset_id]
    at = RowsAt(node, name, dataset_id, dataset_keywords(node, name, dataset_id, table), lookup, tables)
    rows = [line for line in table.rows if at.keeps(line)]
    if name == "count":
        return len(rows)
    if name == "share":
        return at.share(table.rows)
    return over_rows(at, rows, node.args[1])


def dataset_keywords(node: ast.Call, name: str, dataset_id: str, table: Table) -> dict[str, ast.expr]:
    """The call's keywords by name, refused unless the function takes them and the table has their columns."""
    takes_expression, needs = DATASET_FUNCTIONS[name]
    text = LazyText(node)
    if len(node.args) != (2 if takes_expression else 1):
        shape = f"{name}({dataset_id}, expression, ...)" if takes_expression else f"{name}({dataset_id}, where=...)"
        raise ExpressionError(f'"{text}": write it as {shape}')
    keywords = {k.arg: k.value for k in node.keywords if k.arg}  # (check_nodes refuses **)
    missing = [k for k in needs if k not in keywords]
    if missing:
        raise ExpressionError(f'"{text}": {name}() needs {missing[0]}=')
    for key in keywords:
        if (key in ("by",) and name not in ("at_min", "at_max")) or (key == "within" and name != "share"):
            raise ExpressionError(f'"{text}": {name}() takes no {key}=')
        if key not in SPECIAL_KEYWORDS and key not in table.columns:
            raise ExpressionError(f'"{text}": dataset "{dataset_id}" has no column "{key}"')
    return keywords


@dataclass(frozen=True)
class RowsAt:
    """One dataset function at work: the call, its keywords, and what its expressions read."""

    node: ast.Call
    name: str
    dataset_id: str
    keywords: dict[str, ast.expr]
    lookup: Lookup
    tables: Mapping[str, Table]

    @property
    def text(self) -> LazyText:
        return LazyText(self.node)

    def value_on(self, expression: ast.expr, line: Row | None) -> Any:
        return compute(expression, self.lookup, self.tables, line)

    def holds(self, condition: ast.expr, line: Row) -> bool:
        return bool(condition_of(self.value_on(condition, line), condition))

    def keeps(self, line: Row) -> bool:
        """Whether the row matches every column= keyword and the where= condition."""
        for key, value_node in self.keywords.items():
            if key in SPECIAL_KEYWORDS:
                continue
            if line.get(key) != self.value_on(value_node, None):
                return False
        return "where" not in self.keywords or self.holds(self.keywords["where"], line)

    def share(self, all_rows: Sequence[Row]) -> float:
        """share(): of the rows within=, the part where= holds."""
        within = [
            line for line in all_rows if "within" not in self.keywords or self.holds(self.keywords["within"], line)
        ]
        if not within:
            raise ExpressionError(f'"{self.text}": no row to take a share of')
        return sum(self.holds(self.keywords["where"], line) for line in within) / len(within)


def over_rows(at: RowsAt, rows: list[Row], expression: ast.expr) -> Any:
    """A dataset function that works out `expression` over the rows kept."""
    if at.name in ("lookup", "first", "last"):
        return one_row_value(at, rows, expression)
    if at.name in ("all", "any"):
        return rows_condition(at, rows, expression)
    if at.name in ("at_min", "at_max"):
        return ranked_row_value(at, rows, expression)
    return aggregate(at, rows, expression)


def one_row_value(at: RowsAt, rows: list[Row], expression: ast.expr) -> Any:
    """lookup() (exactly one row kept), first() or last()."""
    if at.name == "lookup" and len(rows) != 1:
        raise ExpressionError(f'"{at.text}": {len(rows)} rows of "{at.dataset_id}" match; a lookup needs exactly one')
    if not rows:
        raise ExpressionError(f'"{at.text}": no row of "{at.dataset_id}" matches')
    return at.value_on(expression, rows[-1] if at.name == "last" else rows[0])


def rows_condition(at: RowsAt, rows: list[Row], expression: ast.expr) -> bool:
    """all() or any() over the rows whose condition has a value."""
    results = [condition_of(at.value_on(expression, line), expression) for line in rows]
    known = [r for r in results if r is not None]
    if not known:  # all() over nothing would hold whatever it says: a typo in where= would pass
        raise ExpressionError(
            f'"{at.text}": no row of "{at.dataset_id}" {"has a value" if rows else "matches"}, so there is nothing to '
            "check"
        )
    return all(known) if at.name == "all" else any(known)


def ranked_row_value(at: RowsAt, rows: list[Row], expression: ast.expr) -> Any:
    """at_min() or at_max(): the expression on the one row ranked lowest or highest by=."""
    by = at.keywords["by"]
    by_rank = [(number_of(at.value_on(by, line), by), line) for line in rows]
    ranked = [(rank, line) for rank, line in by_rank if rank is not None]
    if not ranked:
        raise ExpressionError(f'"{at.text}": no row of "{at.dataset_id}" has a value to rank by')
    best = (min if at.name == "at_min" else max)(rank for rank, _ in ranked)
    winners = [line for rank, line in ranked if rank == best]
    if len(winners) > 1:
        raise ExpressionError(
            f'"{at.text}": {len(winners)} rows share the {"lowest" if at.name == "at_min" else "highest"} value, '
            f"{shown(best)}"
        )
    return at.value_on(expression, winners[0])


def aggregate(at: RowsAt, rows: list[Row], expression: ast.expr) -> Any:
    """min(), max(), sum() or mean() of the expression over the rows where it has a value."""
    values = [v for v in (number_of(at.value_on(expression, line), expression) for line in rows) if v is not None]
    if not values:
        raise ExpressionError(f'"{at.text}": no row of "{at.dataset_id}" has a value')
    if at.name in ("min", "max"):
        return min(values) if at.name == "min" else max(values)
    total = finite(sum(values), at.node)
    return total if at.name == "sum" else total / len(values)


def explain(node: ast.expr, lookup: Lookup, tables: Mapping[str, Table] | None = None) -> str:
    """Why a condition does not hold: the parts that fail, each with what its sides came to,
    e.g. 'at_min(regions, region, by=rate) is "Kemerovo"'."""
    tables = tables or {}

    def value(part: ast.expr) -> Any:
        try:
            return compute(part, lookup, tables, None)
        except ExpressionError as exc:
            return exc

    if isinstance(node, ast.BoolOp):
        failing = [v for v in node.values if isinstance(node.op, ast.Or) or value(v) is not True]
        return "; ".join(filter(None, (explain(v, lookup, tables) for v in failing)))
    if isinstance(node, ast.Compare):
        sides = [
            side for side in (node.left, *node.comparators) if not isinstance(side, (ast.Constant, ast.List, ast.Tuple))
        ]
        return "; ".join(
            f"{ast.unparse(side)} is {shown(found) if not isinstance(found, ExpressionError) else found}"
            for side, found in ((side, value(side)) for side in sides)
        )
    found = value(node)
    return f"{ast.unparse(node)} is {shown(found) if not isinstance(found, ExpressionError) else found}"
