"""The documentation in docs/ is a factsite site: it builds and passes check, and every example of a
site's files it shows (YAML, Markdown, Python, CSV) is a part of a site that builds and passes check,
so an example the engine would refuse, or one that drifted from the files it quotes, fails here."""

from __future__ import annotations

import re
import shutil
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, edit, run, run_captured

DOCS = PROJECT / "docs"
EXAMPLE_SITES = sorted(path.parent for path in (DOCS / "examples").glob("*/site.yaml"))
# Blocks in these languages show a site's files, so each must quote one; shell commands and printed
# output ("sh", "text") are not files of a site.
QUOTED_LANGUAGES = ("yaml", "markdown", "python", "csv")


class CodeBlocks(HTMLParser):
    """Each <pre><code class="language-X"> of a page: (X, its text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._in_pre = False
        self._language: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self._in_pre = True
        elif tag == "code" and self._in_pre:
            found = re.search(r"\blanguage-(\S+)", dict(attrs).get("class") or "")
            self._language, self._text = (found.group(1) if found else ""), []

    def handle_endtag(self, tag):
        if tag == "code" and self._language is not None:
            self.blocks.append((self._language, "".join(self._text)))
            self._language = None
        elif tag == "pre":
            self._in_pre = False

    def handle_data(self, data):
        if self._language is not None:
            self._text.append(data)


def code_blocks(page: str) -> list[tuple[str, str]]:
    parser = CodeBlocks()
    parser.feed(page)
    parser.close()
    return parser.blocks


def lines_of(text: str) -> list[str]:
    """The text's lines, dedented together, without trailing spaces or blank lines at either end."""
    return [line.rstrip() for line in textwrap.dedent(text).strip("\n").split("\n")]


def is_excerpt(block: str, text: str) -> bool:
    """True when the block's lines are consecutive lines of `text`, indented alike (YAML entries are
    shown without the indentation of the list they sit in)."""
    wanted = lines_of(block)
    lines = text.split("\n")
    return any(
        lines_of("\n".join(lines[start : start + len(wanted)])) == wanted
        for start in range(len(lines) - len(wanted) + 1)
    )


# What a page shows as an example, not a part of the site itself: a fenced block or a <pre> block.
SHOWN = re.compile(r"^```.*?^```|<pre>.*?</pre>", re.S | re.M)


def site_text(path: Path) -> str:
    """A file as the site uses it: a page without the examples it shows, so that they quote another file."""
    text = path.read_text(encoding="utf-8")
    return SHOWN.sub("", text) if path.suffix == ".md" else text


def site_files(root: Path) -> dict[str, str]:
    """Every file of the documentation at `root` and of its example sites, which the tests build, by
    path, as site_text: site.yaml and what content/ holds."""
    sites = [root, *sorted(path.parent for path in (root / "examples").glob("*/site.yaml"))]
    paths = [path for site in sites for path in [site / "site.yaml", *sorted((site / "content").rglob("*"))]]
    return {
        path.relative_to(root).as_posix(): site_text(path)
        for path in paths
        if path.is_file() and path.suffix in (".yaml", ".md", ".py", ".csv")
    }


def unquoted_blocks(out: Path, files: dict[str, str]) -> list[str]:
    """Each example block of the built pages that is not a part of any file in `files`."""
    problems = []
    for page in sorted(out.rglob("*.html")):
        for language, block in code_blocks(page.read_text(encoding="utf-8")):
            if language in QUOTED_LANGUAGES and not any(is_excerpt(block, text) for text in files.values()):
                problems.append(
                    f"{page.relative_to(out)}: a {language} example that no file of docs/ holds:"
                    f" {lines_of(block)[0]!r}..."
                )
    return problems


def build_into(out: Path, site: Path) -> Path:
    assert run("build", "--site", str(site), "--out", str(out), "--quiet") == 0, f"{site} does not build"
    return out


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory) -> Path:
    return build_into(tmp_path_factory.mktemp("docs") / "out", DOCS)


def test_docs_site_builds_and_passes_check(capsys):
    outcome = run_captured(capsys, "check", "--site", str(DOCS))
    assert outcome.code == 0 and outcome.stderr == "", outcome.stderr


@pytest.mark.parametrize("example", EXAMPLE_SITES, ids=lambda path: path.name)
def test_each_example_site_builds_and_passes_check(example, capsys, tmp_path):
    outcome = run_captured(capsys, "check", "--site", str(example))
    assert outcome.code == 0 and outcome.stderr == "", outcome.stderr
    build_into(tmp_path / "out", example)


def test_every_example_shown_is_part_of_a_site_that_builds(built_docs):
    problems = unquoted_blocks(built_docs, site_files(DOCS))
    assert not problems, "\n".join(problems)


def test_the_docs_show_examples_of_every_kind(built_docs):
    """The test above proves nothing if the pages show no examples, or the blocks are not found; nor
    does the one before it when there is no example site to build."""
    assert EXAMPLE_SITES
    shown = {
        language for page in built_docs.rglob("*.html") for language, _ in code_blocks(page.read_text(encoding="utf-8"))
    }
    assert set(QUOTED_LANGUAGES) <= shown, shown


def test_an_example_that_differs_from_the_site_is_found(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_site", ".cache"))
    edit(
        docs / "content" / "datasets.md",
        "{park: Riverside, district: South, hectares: 20.0, trees: 1150}",
        "{park: Riverside, district: South, hectares: 20.0, trees: 1151}",
    )
    out = build_into(tmp_path / "out", docs)
    problems = unquoted_blocks(out, site_files(docs))
    assert len(problems) == 1 and problems[0].startswith("datasets.html: a yaml example"), problems


def test_a_page_example_in_html_is_read_as_its_reader_sees_it(built_docs):
    """Markdown examples that hold calls are written with &lbrace; entities; their text is the call."""
    page = (built_docs / "format.html").read_text(encoding="utf-8")
    markdown = [block for language, block in code_blocks(page) if language == "markdown"]
    assert markdown and '{{ fact("trees_planted_2024") }}' in markdown[0]
    assert is_excerpt(markdown[0], (DOCS / "content" / "example.md").read_text(encoding="utf-8"))


def test_excerpts_keep_their_indentation_and_order():
    text = "facts:\n  - id: a\n    value: 1\n  - id: b\n    value: 2\n"
    assert is_excerpt("- id: a\n  value: 1", text)
    assert is_excerpt("  - id: a\n    value: 1\n  - id: b", text)
    assert not is_excerpt("- id: a\nvalue: 1", text)
    assert not is_excerpt("- id: b\n  value: 1", text)


def docs_url() -> str:
    return yaml.safe_load((DOCS / "site.yaml").read_text(encoding="utf-8"))["url"]


@pytest.mark.parametrize(
    "path", ["README.md", "factsite/starter/README.md", "factsite/starter/CONTRIBUTING.md", "CONTRIBUTING.md"]
)
def test_readmes_link_to_the_docs(path):
    assert docs_url() in (PROJECT / path).read_text(encoding="utf-8")


def test_docs_are_published_beside_the_explainer():
    """The Pages workflow checks docs/ and builds it into _site/docs/, for the address Pages reports,
    after the explainer's own build (which replaces _site/ whole) and before the upload."""
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    order = [step.get("uses", step.get("run", "")).split("@")[0] for step in workflow["jobs"]["build"]["steps"]]
    address = '"${{ steps.pages.outputs.base_url }}/docs/"'
    docs_check = order.index(f".venv/bin/python build.py check --site docs --base-url {address}")
    docs_build = order.index(f".venv/bin/python build.py build --site docs --out _site/docs --base-url {address}")
    main_build = next(number for number, step in enumerate(order) if step.startswith("make "))
    assert main_build < docs_check < docs_build < order.index("actions/upload-pages-artifact")
    assert docs_url().endswith("/docs/")


def test_the_example_page_shows_every_kind_of_markdown_it_documents(built_docs):
    """The Markdown the format page lists, as its example page writes it, gives what it promises."""
    page = (built_docs / "example.html").read_text(encoding="utf-8")
    for shown in (
        '<div class="toc">',
        '<h2 id="trees-2024">',
        '<h2 class="wide" id="words">',
        'href="sources.html"',
        'class="footnote-ref"',
        "<dt>Aim</dt>",
        '<div class="admonition note">',
        '<abbr title="hectare">ha</abbr>',
        '<div data-findable="Find a park">',
        'data-fact="trees_planted_2024"',
        'data-fact="densest_park"',
    ):
        assert shown in page, shown


# Each group breaks this documentation's own files in ways that do not hide one another's messages;
# the messages page shows what check prints for them.
BREAKS = [
    [
        (
            "content/facts/trees.yaml",
            "    counts: trees to be planted in one year\n    as_of",
            "    count: trees to be planted in one year\n    as_of",
        ),
        ("content/facts/trees.yaml", "    value: 20000\n", "    value: 20,000\n"),
        ("content/facts/trees.yaml", "    as_of: 2025-02-03\n", "    as_of: 3 February 2025\n"),
        ("site.yaml", "  - start\n", "  - starting\n"),
    ],
    [("content/facts/trees.yaml", "    status: claim\n", "    status: claimed\n")],
    [
        (
            "content/facts/trees.yaml",
            "    sources: council_report_2024            # one",
            "    sources: council_report_2025            # one",
        )
    ],
    [
        ("content/index.md", '{{ fact("trees_planted_2024") }} trees in 2024', "12,410 trees in 2024"),
        ("content/index.md", "[Getting started](start.md)", "[Getting started](start.md#installing)"),
        ("content/index.md", "[Datasets](datasets.md)", "[Datasets](dataset.md)"),
    ],
    [("content/example.md", 'fact("trees_planted_2024") }} trees', 'fact("trees_planted_2023") }} trees')],
    [("content/data/trees_by_year.csv", "2023,10870", "2023,n/a")],
    [("content/facts/trees.yaml", 'year="2024")\n', 'year="2025")\n')],
    [
        (
            "content/facts/trees.yaml",
            '    data: lookup(trees_by_year, trees, year="2024")\n',
            "    value: 12410\n    sources: council_report_2024\n",
        )
    ],
    [("content/data/trees_by_year.csv", "2023,10870", "2023,13000")],
    [("content/charts/trees_by_year.py", 'facts.dataset("trees_by_year")', 'facts.dataset("trees_by_years")')],
]


class FirstColumn(HTMLParser):
    """The text of each table row's first cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._cell: list[str] | None = None
        self._first = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._first = True
        elif tag == "td" and self._first:
            self._cell, self._first = [], False

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_the_messages_shown_are_what_check_prints(built_docs, tmp_path, capsys, monkeypatch):
    parser = FirstColumn()
    parser.feed((built_docs / "messages.html").read_text(encoding="utf-8"))
    shown = set(parser.cells)
    printed: set[str] = set()
    for number, group in enumerate(BREAKS):
        broken = tmp_path / str(number)
        shutil.copytree(DOCS, broken, ignore=shutil.ignore_patterns("_site", ".cache", "examples"))
        for path, old, new in group:
            edit(broken / path, old, new)
        monkeypatch.chdir(broken)  # paths in messages are relative to the working folder, as on the page
        outcome = run_captured(capsys, "check", "--site", ".")
        assert outcome.code == 1
        printed |= set(outcome.stderr.splitlines())
    assert len(shown) >= len(BREAKS)
    missing = "\n".join(sorted(shown - printed))
    assert not missing, f"messages.md shows:\n{missing}\nbut check printed:\n" + "\n".join(sorted(printed))
