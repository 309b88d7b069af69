"""How prose calls are found in a page body: fact(), chart() and check(), and the {#id} habit Jinja
would misread. Shared by validate (which finds the calls) and prose (which fills them in), below both."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ContentError

# {#id} or {#id .class} after a heading or paragraph, as Pandoc and Quarto write an id; Jinja reads
# "{#" as the start of a comment. A Jinja comment ({# note #}) ends with "#}" and never matches.
BRACE_ID = re.compile(r"\{#([A-Za-z_][\w:.-]*)((?:[ \t]+[.\w][^\s{}#]*)*)[ \t]*\}")
# {{ fact("id") }}, {{ fact("id", "style") }}, {{ chart("id") }} and {{ check("id") }}, each within one
# line, ids in quotes without backslashes: the only template syntax of nearly every page. A body
# that holds nothing else is read with this expression instead of Jinja (the same calls, the same
# text); any other syntax, even one Jinja accepts, goes through Jinja.
QUOTED = r"""("[^"\\\n]*"|'[^'\\\n]*')"""
SIMPLE_CALL = re.compile(
    rf"\{{\{{[ \t]*(fact|chart|check|table)\([ \t]*{QUOTED}(?:[ \t]*,[ \t]*{QUOTED})?[ \t]*\)[ \t]*\}}\}}"
)
ARGUMENTS = {"fact": 2, "chart": 1, "check": 1, "table": 1}  # the most each call takes
# A page body's calls as validate found them, by body_key: (kind, id, line within the body, style).
RememberedReferences = dict[str, tuple[tuple[str, str, int, str], ...]]


def brace_id_problems(body: str, path: str, body_line: int) -> list[ContentError]:
    """{#id} after a heading (the Pandoc and Quarto habit), which Jinja would read as a comment:
    one error per line, saying how Python-Markdown writes it."""
    problems = []
    for number, line in enumerate(body.split("\n")):
        for found in BRACE_ID.finditer(line):
            written = f"#{found.group(1)}{found.group(2)}"
            problems.append(
                ContentError(
                    path,
                    body_line + number,
                    f"write {{: {written} }} (Python-Markdown's attribute list), not {{{written}}}",
                )
            )
    return problems


@dataclass(frozen=True)
class SimpleCall:
    """One {{ call("id", ...) }} found by SIMPLE_CALL."""

    name: str  # fact, chart or check
    args: tuple[str, ...]  # the quoted arguments, unquoted
    start: int  # where {{ starts in the body
    end: int  # just after }}
    line: int  # the line within the body, from 1


def simple_calls(body: str) -> list[SimpleCall] | None:
    """The calls of a body whose only template syntax is SIMPLE_CALL's, in order; None for any other
    body (Jinja must read it). Jinja takes the first "{{" it meets, so text between calls must hold
    none, nor end with "{" (as in "{{{")."""
    if "\r" in body or "{%" in body or "{#" in body:
        return None
    calls: list[SimpleCall] = []
    position, line = 0, 1
    for match in SIMPLE_CALL.finditer(body):
        text = body[position : match.start()]
        if "{{" in text or text.endswith("{"):
            return None
        line += text.count("\n")
        args = tuple(arg[1:-1] for arg in match.group(2, 3) if arg is not None)
        calls.append(SimpleCall(match.group(1), args, match.start(), match.end(), line))
        position = match.end()
    return None if "{{" in body[position:] else calls
