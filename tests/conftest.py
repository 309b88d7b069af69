"""Shared helpers: a fresh copy of the fixture site (with the project's templates) and a build runner."""
from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def built_explainer(tmp_path_factory) -> Path:
    """The project's own explainer built once for read-only tests; returns the output folder."""
    out = tmp_path_factory.mktemp("explainer") / "_site"
    assert run("build", "--site", str(PROJECT), "--out", str(out), "--quiet") == 0
    return out
