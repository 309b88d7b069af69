"""Shared helpers: a fresh copy of the fixture site (with the project's templates), a build runner,
and the test tools' guard with one headless Chromium for the session."""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser.harness import launch, missing_browser
from hypothesis import settings
from playwright.sync_api import sync_playwright

from factsite.cli import main

# Hypothesis tests assert what happens, never how fast: a per-example deadline fails by chance on a
# loaded machine (CI shares 2 cores between the build and the browsers). Speed is measured in bench/.
settings.register_profile("no-deadlines", deadline=None)
settings.load_profile("no-deadlines")

PROJECT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"
CHART_CACHE = PROJECT / ".cache" / "test-charts"  # shared between tests so charts render once per machine


def make_site(folder: Path) -> Path:
    """A copy of the fixture site; its templates and static files come from the theme in the package."""
    shutil.copytree(FIXTURE, folder)
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
        bad = [line for line, match in zip(lines, parsed, strict=True) if not match]
        assert not bad, f"stderr lines not of the form path:line: error: message: {bad}"
        return parsed


def run_captured(capsys, *args: str, cache: Path = CHART_CACHE) -> Outcome:
    """run(*args, "--quiet") and its stderr; asserts no traceback reached the editor."""
    capsys.readouterr()
    code = run(*args, "--quiet", cache=cache)
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr
    return Outcome(code, stderr)


def chart_specs(folder: Path, chart_id: str) -> tuple[dict, dict | None]:
    """A chart's wide and narrow specs as its interactive view gets them (charts/<id>.spec.js of the
    language folder `folder`), the narrow one without the rows it shares with the wide."""
    text = (folder / "charts" / f"{chart_id}.spec.js").read_text()
    prefix = f'(self.factsiteSpecs = self.factsiteSpecs || {{}})["{chart_id}"] = '
    assert text.startswith(prefix) and text.endswith(";\n"), text[:200]
    wide, narrow = json.loads(text[len(prefix) : -2])
    return wide, narrow


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file with `new`; `old` must be there (a test editing nothing proves nothing)."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def write(site: Path, relative: str, text: str) -> Path:
    """Write dedented `text` to a file of the site, creating folders; returns the path."""
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


@pytest.fixture(scope="session")
def built_explainer(tmp_path_factory) -> Path:
    """The project's own explainer built once for read-only tests; returns the output folder."""
    out = tmp_path_factory.mktemp("explainer") / "_site"
    assert run("build", "--site", str(PROJECT), "--out", str(out), "--quiet") == 0
    return out


def require_tool(available: bool, reason: str) -> None:
    """Skip when a test tool is missing on a developer's machine; with CI=true the same gap fails the run."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing test tool is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """The local Chromium or Chrome (see browser.harness.find_browser), headless, once for the whole
    session (never a downloaded browser)."""
    problem = missing_browser()
    require_tool(problem is None, problem or "")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
