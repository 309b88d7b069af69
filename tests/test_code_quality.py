"""Code quality: ruff's lint and its formatter's check on all the Python here, and mypy --strict on
the engine. Each test fails with the tool's own report. Under CI=true a missing tool fails the test
(test_publishing.tool), so a pull request can never pass by skipping them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import PROJECT
from test_publishing import tool

# Everything Python in the repository: the engine, its tests, the entry point, the benchmark, the
# documentation site's and the explainer's chart modules.
PYTHON_PATHS = ("factsite", "tests", "build.py", "bench", "docs", "content")

# mypy --strict checks the whole engine (pyproject.toml's [tool.mypy] names it and what it leaves out).
TYPED = ("factsite",)


def run_tool(*command: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    """The tool's exit status and report; its configuration comes from ruff.toml and pyproject.toml."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def mypy(*paths: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    """mypy with pyproject.toml's settings (strict) on `paths`. Modules they import are read for their
    types, but only errors in `paths` are reported (--follow-imports=silent)."""
    return run_tool(
        tool("mypy"), "--config-file", str(PROJECT / "pyproject.toml"), "--follow-imports=silent", *paths, cwd=cwd
    )


def test_ruff_finds_nothing():
    result = run_tool(tool("ruff"), "check", "--no-fix", *PYTHON_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted_with_ruff_format():
    result = run_tool(tool("ruff"), "format", "--check", "--diff", *PYTHON_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_engine_passes_mypy_strict():
    result = mypy(*TYPED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_strict(tmp_path):
    """The settings really are strict: a function without annotations is an error."""
    (tmp_path / "untyped.py").write_text("def double(number):\n    return number * 2\n")
    result = mypy(str(tmp_path / "untyped.py"), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Function is missing a type annotation" in result.stdout
