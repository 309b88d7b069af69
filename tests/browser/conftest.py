"""Browser-test fixtures: the built sites served three ways, pages in fresh contexts, the npm and Java tools.

The quick checks run on both the project's explainer and the test fixture site; the page-by-page
browser checks on the explainer, whose content is the richer. Each site is copied into a folder
named like the last part of its published URL's path (war-losses-explainer/ for the explainer), so
it can be served at a domain root, under /<that name>/ the way GitHub Pages serves a project site,
and opened from file://.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import require_tool

from .harness import AXE_SCRIPT, PROJECT, VNU_JAR, html_pages, published_folder_name, serve
from .readers import ENGINES, Browsers, Reader, missing_engine, with_recorder

FIXTURE_SOURCE = PROJECT / "tests" / "fixtures" / "site"
# The page a reader without JavaScript gets: the browser runs none of the page's scripts, while the
# tests' own (the checks, axe) still run, as they do not through the page. The same in every engine,
# where switching scripts off would take a browser of its own per engine (Firefox, MiniBrowser).
NO_SCRIPTS = (("Content-Security-Policy", "script-src 'none'"),)


def npm_package(path: Path) -> Path:
    require_tool(path.is_file(), f"{path.relative_to(PROJECT)} is missing: run `make test` (it runs npm ci) first")
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    return npm_package(AXE_SCRIPT).read_text()


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    require_tool(
        java is not None, "java is missing: install a Java runtime (Debian: apt-get install default-jre-headless)"
    )
    return [java, "-jar", str(npm_package(VNU_JAR))]


@pytest.fixture
def new_page(browser):
    """new_page(**context options) -> a page in a fresh context; everything is closed after the test."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def language_folder(folder: Path, page: str) -> str:
    """The folder of a page's language ("ru/" for ru/regions.html), or "" for the site's own."""
    first = page.split("/", maxsplit=1)[0]
    return f"{first}/" if "/" in page and (folder / first / "facts.json").is_file() else ""


@dataclass
class BuiltSite:
    """A built site and where it is reachable: at a server's root, under a subpath, and on disk."""

    folder: Path
    urls: dict[str, str] = field(default_factory=dict)  # location -> URL of the site's folder
    read_facts: dict = field(default_factory=dict)  # language folder -> its facts.json, read once

    @cached_property
    def pages(self) -> list[str]:
        return html_pages(self.folder)

    @cached_property
    def chart_pages(self) -> list[str]:
        """The charts' own pages, which other sites embed (charts/<id>.html in each language's folder):
        the figure alone, without the site's header, menu, skip link and footer."""
        return [
            page for page in self.pages if re.fullmatch(r"(?:[a-z]{2,3}(?:-[A-Za-z0-9]+)*/)?charts/[^/]+\.html", page)
        ]

    @cached_property
    def site_pages(self) -> list[str]:
        """The pages with the site's header, menu and footer: every page but the charts' own."""
        return [page for page in self.pages if page not in self.chart_pages]

    @cached_property
    def facts(self) -> dict[str, dict]:
        return self.facts_in("")

    def facts_in(self, folder: str) -> dict[str, dict]:
        """The facts as a language folder ("" or "ru/") publishes them, in its words."""
        if folder not in self.read_facts:
            document = json.loads((self.folder / folder / "facts.json").read_text())
            self.read_facts[folder] = {fact["id"]: fact for fact in document["facts"]}
        return self.read_facts[folder]

    def facts_of(self, page: str) -> dict[str, dict]:
        """The facts in the words of the page's language."""
        return self.facts_in(language_folder(self.folder, page))

    def chart_description(self, chart_id: str, page: str = "") -> str:
        folder = self.folder / language_folder(self.folder, page)
        return json.loads((folder / "charts" / f"{chart_id}.vl.json").read_text())["description"]

    def pages_at(self, location: str) -> list[str]:
        """The pages that work at a location. GitHub Pages serves 404.html for a missing path at any
        depth, so it links from the published path and works only under the subpath."""
        return [page for page in self.pages if location == "subpath" or page.rsplit("/", 1)[-1] != "404.html"]

    def url(self, page: str, location: str = "subpath") -> str:
        """A page's URL; by default under the subpath, as the site is published."""
        return self.urls[location] + page

    def reader_url(self, engine: str, page: str, location: str = "subpath", scripts: bool = True) -> str:
        """A page's URL for a reader: without scripts, from the server that forbids them; for WebKit,
        which reports no errors or requests itself, from a server that adds readers.RECORDER."""
        if not scripts:
            return self.urls["no-scripts"] + page
        if engine == "webkit":
            return self.urls[f"recorded-{location}"] + page
        return self.url(page, location)


@contextlib.contextmanager
def served(name: str, output: Path, source: Path, tmp_path_factory) -> Iterator[BuiltSite]:
    """A built site copied to a folder named as it is published, and served two ways."""
    parent = tmp_path_factory.mktemp(f"served-{name}")
    folder = parent / published_folder_name(source)
    shutil.copytree(output, folder)
    site = BuiltSite(folder)
    with contextlib.ExitStack() as servers:
        root_url, parent_url, recorded_root, recorded_parent, no_scripts = (
            servers.enter_context(serve(served_folder, **options))
            for served_folder, options in (
                (folder, {}),
                (parent, {}),
                (folder, {"rewrite": with_recorder}),
                (parent, {"rewrite": with_recorder}),
                (parent, {"headers": NO_SCRIPTS}),
            )
        )
        site.urls.update(
            {
                "root": root_url,
                "subpath": f"{parent_url}{folder.name}/",
                "file": f"{folder.as_uri()}/",
                "recorded-root": recorded_root,
                "recorded-subpath": f"{recorded_parent}{folder.name}/",
                "no-scripts": f"{no_scripts}{folder.name}/",
            }
        )
        yield site


@pytest.fixture(scope="session")
def explainer(built_explainer, tmp_path_factory) -> Iterator[BuiltSite]:
    """The project's explainer: the site the slower, page-by-page browser checks run on."""
    with served("explainer", built_explainer, PROJECT, tmp_path_factory) as site:
        yield site


@pytest.fixture(scope="session")
def fixture_site(built_fixture, tmp_path_factory) -> Iterator[BuiltSite]:
    with served("fixture", built_fixture, FIXTURE_SOURCE, tmp_path_factory) as site:
        yield site


@pytest.fixture(scope="session", params=["explainer", "fixture_site"])
def built(request) -> BuiltSite:
    """Each site in turn, for the checks that are quick enough to run on both."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def vnu_report(vnu_command, built_explainer, built_fixture, tmp_path_factory) -> dict[str, list[dict]]:
    """One W3C Nu checker run over every page, stylesheet and SVG image of both sites (the JVM starts once).

    A deliberately broken canary page rides along so a checker that silently checks nothing is caught.
    Returns the checker's messages for each file checked, keyed "<site>/<path in the site>".
    """
    canary = tmp_path_factory.mktemp("vnu") / "canary.html"
    canary.write_text("<!DOCTYPE html><html lang=en><title>canary</title><p><div></p>")
    names = {canary: "canary.html"}
    for site, folder in (("explainer", built_explainer), ("fixture", built_fixture)):
        for pattern in ("*.html", "*.css", "*.svg"):
            names.update({path: f"{site}/{path.relative_to(folder).as_posix()}" for path in folder.rglob(pattern)})
    command = [*vnu_command, "--format", "json", "--also-check-css", "--also-check-svg", *map(str, sorted(names))]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=900, check=False
    )  # a bound on a hang, not a benchmark: the JVM shares the machine
    by_path = {str(path): name for path, name in names.items()}
    report: dict[str, list[dict]] = {name: [] for name in names.values()}
    for message in json.loads(result.stderr)["messages"]:
        path = urlparse(message.get("url", "")).path
        report.setdefault(by_path.get(path, path), []).append(message)
    return report


@pytest.fixture(scope="session")
def browsers(request) -> Iterator[Browsers]:
    """Every engine's browsers, each started the first time a test needs it, closed after the session."""
    started = Browsers(chromium=lambda: request.getfixturevalue("browser"))
    yield started
    started.close()


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """Each engine in turn for a reader test: missing here, it skips saying what to install; with CI=true it fails."""
    problem = missing_engine(request.param)
    require_tool(problem is None, f"{request.param}: {problem}")
    return request.param


@pytest.fixture
def open_reader(engine, browsers):
    """open_reader(width=1280, scheme="light", height=800) -> a Reader of the test's engine; closed after the test."""
    readers: list[Reader] = []

    def open_one(**options) -> Reader:
        reader = browsers.reader(engine, **options)
        readers.append(reader)
        return reader

    yield open_one
    for reader in readers:
        reader.close()
