"""Shared helpers: a fresh copy of the fixture site (with the project's templates) and a build runner."""
from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from factsite.cli import main

PROJECT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"
CHART_CACHE = PROJECT / ".cache" / "test-charts"  # shared between tests so charts render once per machine


def make_site(folder: Path) -> Path:
    """A copy of the fixture site with the project's templates and static files."""
    shutil.copytree(FIXTURE, folder)
    shutil.copytree(PROJECT / "templates", folder / "templates")
    shutil.copytree(PROJECT / "static", folder / "static")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


def run(*args: str, cache: Path = CHART_CACHE) -> int:
    """build.py with arguments; the chart cache is shared unless a test passes its own."""
    return main([*args, "--cache", str(cache)])


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Path:
    """The fixture site built once for read-only tests; returns the output folder."""
    folder = make_site(tmp_path_factory.mktemp("built") / "site")
    assert run("build", "--site", str(folder), "--quiet") == 0
    return folder / "_site"


# One reported problem: `path:line[:col]: error: message`, line and column where there is one.
ERROR_LINE = re.compile(r"^(?P<path>\S+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: error: (?P<message>.+)$")


@dataclass(frozen=True)
class Outcome:
    """Exit code and stderr of one CLI run, with the error lines parsed."""

    code: int
    stderr: str

    @property
    def errors(self) -> list[re.Match]:
        """Every stderr line as a parsed error; fails the test on any line of another form."""
        lines = self.stderr.splitlines()
        parsed = [ERROR_LINE.match(line) for line in lines]
        bad = [line for line, match in zip(lines, parsed) if not match]
        assert not bad, f"stderr lines not of the form path:line: error: message: {bad}"
        return parsed


def run_captured(capsys, *args: str, cache: Path = CHART_CACHE) -> Outcome:
    """run(*args, "--quiet") and its stderr; asserts no traceback reached the editor."""
    capsys.readouterr()
    code = run(*args, "--quiet", cache=cache)
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    return Outcome(code, stderr)


def write(site: Path, relative: str, text: str) -> Path:
    """Write dedented `text` to a file of the site, creating folders; returns the path."""
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path
