"""The small expression language of derived facts: arithmetic over fact ids, never Python eval.

An expression is parsed with Python's `ast` and only these nodes are accepted: numbers, fact
ids, + - * / and parentheses, unary minus, and the functions below. Anything else is refused.
"""
from __future__ import annotations

import ast
import math
import operator
from typing import Callable, Mapping

OPERATORS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
FUNCTIONS: dict[str, Callable[..., float]] = {
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
}
# How many arguments each function takes: (fewest, most); None for no limit.
ARITY: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "abs": (1, 1), "round": (1, 2)}
RANGE_ENDS = ("low", "high")


class ExpressionError(ValueError):
    """Why an expression cannot be used; the caller adds file and line."""


def parse(expression: str) -> ast.expr:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f'cannot read expression "{expression}": {exc.msg}') from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression is nested too deeply") from None
    check_nodes(tree.body)
    return tree.body


def check_nodes(node: ast.AST) -> None:
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        check_nodes(node.left)
        check_nodes(node.right)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        check_nodes(node.operand)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        pass
    elif isinstance(node, ast.Name):
        pass
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in (*FUNCTIONS, *RANGE_ENDS)
        and not node.keywords
    ):
        if node.func.id in RANGE_ENDS and not (len(node.args) == 1 and isinstance(node.args[0], ast.Name)):
            raise ExpressionError(f"{node.func.id}() takes one fact id")
        check_arguments(node)
        for arg in node.args:
            check_nodes(arg)
    else:
        allowed = ", ".join([*FUNCTIONS, *RANGE_ENDS])
        raise ExpressionError(
            f'"{ast.unparse(node)}" is not allowed: use numbers, fact ids, + - * / ( ) and {allowed}'
        )


def check_arguments(call: ast.Call) -> None:
    name, count = call.func.id, len(call.args)
    if name not in ARITY:
        return
    fewest, most = ARITY[name]
    if count < fewest or (most is not None and count > most):
        wanted = f"{fewest} or more" if most is None else (f"{fewest}" if fewest == most else f"{fewest} or {most}")
        raise ExpressionError(f"{name}() takes {wanted} arguments, not {count}")
    if name == "round" and count == 2 and not (isinstance(call.args[1], ast.Constant) and type(call.args[1].value) is int):
        raise ExpressionError("round()'s second argument is a whole number of decimals, such as round(x, 1)")


def names(node: ast.expr) -> list[str]:
    """Fact ids the expression reads, in order of appearance, without repeats."""
    found = [
        n
        for n in ast.walk(node)
        if isinstance(n, ast.Name) and n.id not in FUNCTIONS and n.id not in RANGE_ENDS
    ]
    return list(dict.fromkeys(n.id for n in sorted(found, key=lambda n: n.col_offset)))


Lookup = Mapping[str, tuple[float | None, float | None, float | None]]


def evaluate(node: ast.expr, lookup: Lookup) -> float:
    """Value of the expression; `lookup` maps a fact id to (value, low, high)."""
    try:
        value = compute(node, lookup)
        if math.isfinite(float(value)):
            return value
    except OverflowError:
        pass
    raise ExpressionError(f'"{ast.unparse(node)}" is too large to be a number')


def compute(node: ast.expr, lookup: Lookup) -> float:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        value, _, _ = lookup[node.id]
        if value is None:
            raise ExpressionError(f'"{node.id}" is a range: use low({node.id}) or high({node.id})')
        return value
    if isinstance(node, ast.UnaryOp):
        operand = compute(node.operand, lookup)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = compute(node.left, lookup), compute(node.right, lookup)
        if isinstance(node.op, ast.Div) and right == 0:
            raise ExpressionError(f'division by zero in "{ast.unparse(node)}"')
        return OPERATORS[type(node.op)](left, right)
    name = node.func.id
    if name in RANGE_ENDS:
        value, low, high = lookup[node.args[0].id]
        end = low if name == "low" else high
        return value if end is None else end
    return FUNCTIONS[name](*(compute(arg, lookup) for arg in node.args))
