"""Leftovers from `factsite new`'s starter that `check` reports: the repository's own documents
naming what the site no longer has, once its example content is replaced.

- The issue form readers use to report a wrong figure (.github/ISSUE_TEMPLATE/*.yml) shows an
  example in its placeholders: a figure with its fact id, "12,410 (trees_planted_2024)". A fact id
  the site does not have tells readers to look for something they will not find.
- CONTRIBUTING.md's list of where things are (a fenced block of `path   what it holds` lines) names
  files the site no longer has.

Both are errors, not notes: `check` is what a pull request's workflow runs, a note in a green log is
not read, and each is fixed by editing one line. Only files inside the site folder are read, never
through a symbolic link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .errors import ContentError
from .load import display_path
from .model import Site

MAX_BYTES = 1_000_000  # a document longer than this is not the starter's: its tail is not read
# A placeholder's example figure with its fact id in brackets: "12,410 (trees_planted_2024)".
PLACEHOLDER_FACT = re.compile(r"^\s*placeholder:.*\(([a-z][a-z0-9_]*)\)")
FENCE = re.compile(r"^\s*(```|~~~)")
# A line of a file list: a path (or a path and names in its folder, "content/index.md, method.md"),
# two or more spaces, then what it holds.
LISTED_FILES = re.compile(r"^((?:[\w.-]+/)*[\w-][\w.-]*\.\w+(?:, [\w-][\w.-]*\.\w+)*) {2,}\S")


def document_lines(path: Path) -> list[str]:
    """The lines of a document of the site folder; none for a link, a folder or an unreadable file."""
    if path.is_symlink() or not path.is_file():
        return []
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES).decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []


def issue_form_leftovers(site: Site) -> list[ContentError]:
    """A fact id in an issue form's placeholder that the site does not have."""
    folder = Path(site.root) / ".github" / "ISSUE_TEMPLATE"
    if folder.is_symlink() or not folder.is_dir():
        return []
    return [
        ContentError(
            display_path(form),
            number,
            f'the placeholder shows readers fact "{found.group(1)}", which the site does not have:'
            " give an example of one of your own figures with its fact id, or none",
        )
        for form in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])
        for number, line in enumerate(document_lines(form), 1)
        if (found := PLACEHOLDER_FACT.match(line)) and found.group(1) not in site.facts
    ]


def listed_files(line: str) -> list[str]:
    """The files a line of a file list names: "content/index.md, method.md" -> both, by their paths."""
    found = LISTED_FILES.match(line)
    if not found:
        return []
    first, *others = found.group(1).split(", ")
    folder = first.rpartition("/")[0]
    return [first, *(f"{folder}/{name}" if folder else name for name in others)]


def contributing_leftovers(site: Site) -> list[ContentError]:
    """A file that CONTRIBUTING.md's list of where things are names, which the site does not have."""
    root = Path(site.root)
    guide = root / "CONTRIBUTING.md"
    return [
        ContentError(
            display_path(guide),
            number,
            f"the list of where things are names {', '.join(missing)}, which the site does not have:"
            " list the site's own files",
        )
        for number, line in fenced_lines(document_lines(guide))
        if (missing := [name for name in listed_files(line) if not (root / name).exists()])
    ]


def fenced_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(number, line) of each line inside a fenced block (``` or ~~~), the fences left out."""
    fenced = False
    for number, line in enumerate(lines, 1):
        if FENCE.match(line):
            fenced = not fenced
        elif fenced:
            yield number, line


def starter_leftovers(site: Site) -> list[ContentError]:
    """What the starter's documents still say about example content the site no longer has."""
    return issue_form_leftovers(site) + contributing_leftovers(site)
