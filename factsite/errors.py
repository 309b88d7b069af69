"""Errors that editors read: every one names a file and, where there is one, a line."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass
class ContentError(Exception):
    """A problem in the site's content, reported as `path:line[:col]: error: message`."""

    path: str
    line: int | None
    message: str
    col: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return one_line(f"{where}: error: {self.message}")


def one_line(text: str) -> str:
    """`text` with line breaks and control characters written as escapes (\\n, \\x1b), so a
    message quoting content stays one line and cannot drive the terminal."""
    return "".join(ascii(char)[1:-1] if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text)


NAMES_SHOWN = 3  # a message names this many of a long list, then says how many more


def first_names(names: Sequence[str], shown: int = NAMES_SHOWN) -> str:
    """The first `shown` of `names`, joined by commas, then "and N more" for the rest: a message stays short."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


# Characters XML 1.0 cannot hold: C0 controls other than tab and line breaks, U+FFFE, U+FFFF, lone
# surrogates. Charts are drawn as SVG, and vl-convert aborts the whole process (a Rust panic) on one.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def not_in_xml(text: str) -> str:
    """'U+0001' for the first character of `text` that XML cannot hold, else ''."""
    found = NOT_IN_XML.search(text)
    return f"U+{ord(found.group()):04X}" if found else ""


class UsageError(Exception):
    """The command cannot run as asked (a folder, a port); the message says what to do instead."""


class ContentErrors(Exception):
    """Several content errors found in one pass, so an editor can fix them all at once."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = sorted(errors, key=lambda e: (e.path, e.line or 0, e.col or 0, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the nearest known name, or '' when nothing is near."""
    matches = difflib.get_close_matches(
        str(name), sorted({str(k) for k in known}), n=1, cutoff=0.6
    )  # YAML keys may be numbers
    return f' (did you mean "{matches[0]}"?)' if matches else ""


def listed(exc: ContentError | ContentErrors) -> list[ContentError]:
    """The content errors an exception carries, one or many."""
    return list(exc.errors) if isinstance(exc, ContentErrors) else [exc]


def as_values(exc: ContentError | ContentErrors) -> list[tuple[str, int | None, str, int | None]]:
    """The content errors as (path, line, message, col) tuples, which travel back from a worker
    process whole; ContentError(*value) makes each again."""
    return [(e.path, e.line, e.message, e.col) for e in listed(exc)]
