"""Hostile input that used to hang the build or crash it with a traceback or a signal: each is now
refused with `path:line: error: message`, exit 1, and the previous `_site/` left as it was.

Cases that hung run the build in a subprocess with a generous timeout, so that a regression fails
as a timeout instead of stopping the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHART_CACHE, PROJECT, edit, run, run_captured
from test_languages import bilingual  # noqa: F401 - a fixture used below

from factsite import diff_git

FACTS = "content/facts/main.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(site: Path) -> Path:
    """The fixture site, built once so that each test can show the previous output survives."""
    assert run("build", "--site", str(site), "--quiet") == 0
    return site


def refused(capsys, site: Path, path_end: str, *wanted: str, command: str = "build") -> str:
    """Run `command` on the site in this process; the one error names the file and a line, says
    every `wanted` text, and the output folder is as it was. Returns the message."""
    before = snapshot(site / "_site")
    outcome = run_captured(capsys, command, "--site", str(site))
    assert outcome.code == 1, outcome.stderr
    errors = outcome.errors
    assert errors and errors[0]["path"].endswith(path_end) and errors[0]["line"], outcome.stderr
    for text in wanted:
        assert text in outcome.stderr, outcome.stderr
    assert snapshot(site / "_site") == before
    return errors[0]["message"]


def refused_in_subprocess(site: Path, path_end: str, *wanted: str, command: str = "build", timeout: int = 60) -> str:
    """As refused(), in a child process given `timeout` seconds (a hang fails the test, not the suite)."""
    before = snapshot(site / "_site")
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), command, "--site", str(site), "--cache", str(CHART_CACHE), "-q"],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT,
        check=False,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"{path_end}:" in result.stderr and ": error: " in result.stderr, result.stderr[-2000:]
    for text in wanted:
        assert text in result.stderr, result.stderr[-2000:]
    assert snapshot(site / "_site") == before
    return result.stderr


def add_fact(site: Path, expression: str, kind: str = "derived") -> None:
    """A fact computed by `expression`, before the datasets of the fixture's facts file."""
    extra = (
        "    status: derived\n" if kind == "derived" else "    as_of: 2023-03-01\n    claimant: X\n    status: count\n"
    )
    edit(
        site / FACTS,
        "datasets:",
        f"  - id: evil\n    {kind}: '{expression}'\n    unit: people\n    counts: killed\n{extra}datasets:",
    )


# ---- expressions ----------------------------------------------------------------------------


def nested_sums(levels: int) -> str:
    expression = "rise"
    for _ in range(levels):
        expression = f"sum(rises, {expression})"
    return expression


@pytest.mark.parametrize("command", ["build", "check"])
def test_nested_dataset_functions_are_refused_before_they_run(built, command):
    """Fifteen sums over three rows: 3^15 row readings, 57 million steps, hours of work before the cost was counted."""
    add_fact(built, nested_sums(15), kind="data")
    refused_in_subprocess(built, FACTS, "more than the limit of 2,000,000", command=command)


def test_many_expressions_each_within_the_limit_are_refused_together(built):
    """Thirty facts of eleven nested sums: each 708,586 steps, within the limit; together past 20,000,000."""
    for number in range(30):
        edit(
            built / FACTS,
            "datasets:",
            f"  - id: evil{number}\n    data: '{nested_sums(11)}'\n    unit: people\n"
            "    counts: killed\n    as_of: 2023-03-01\n    claimant: X\n    status: count\ndatasets:",
        )
    refused_in_subprocess(built, FACTS, "the site's facts together would take more than 20,000,000 steps")


def test_nested_dataset_functions_within_the_limit_still_work(site, capsys):
    add_fact(site, f"{nested_sums(3)} / 1000", kind="data")
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 0, outcome.stderr


@pytest.mark.parametrize(
    ("expression", "wanted"),
    [
        ("round(total * 1e400)", "the number 1e400 is too large"),
        ("total + 1" + "0" * 400, "is too large: numbers go up to about 1.8e308"),
        ("round(total * 1e300 * 1e300)", "is too large to be a number"),
        ("round(total, 99999999999999999999)", "round() keeps at most 20 decimals"),
        ("total == [foo()]", "a [list] goes only after `in` or `not in`"),
        ("(" + " + ".join(["total"] * 400) + ") / 0", "nested more than 100 levels deep"),
        (" + ".join(["total"] * 250) + " + 1e308 + 1e308", "nested more than 100 levels deep"),
    ],
    ids=[
        "round-of-1e400",
        "400-zeros",
        "round-of-infinity",
        "round-to-huge-decimals",
        "list-after-==",
        "400-terms",
        "250-terms-to-infinity",
    ],
)
def test_expressions_that_crashed_are_refused_on_their_line(built, capsys, expression, wanted):
    add_fact(built, expression)
    refused(capsys, built, FACTS, wanted)


def test_an_infinite_computed_column_is_refused_at_its_line(built, capsys):
    """It reached the chart's table, where counting its decimals was a traceback."""
    edit(
        built / FACTS,
        "    csv: data/rises.csv",
        "    csv: data/rises.csv\n    computed:\n      big: rise * 1e300 * 1e300",
    )
    edit(built / "content/charts/rises.py", 'title="Rise")', 'title="Rise"), tooltip=["big:Q"]')
    refused(capsys, built, FACTS, 'computed column "big", row 1', "too large to be a number")


# ---- YAML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        (FACTS, "facts: " + "[" * 30_000 + "]" * 30_000 + "\n"),
        (FACTS, "facts:\n" + "- " * 30_000 + "x\n"),
        ("content/second.md", "---\ntitle: " + "{a: " * 30_000 + "\n---\nBody.\n"),
        ("site.yaml", "title: " + "[" * 30_000 + "\n"),
    ],
    ids=["flow-lists", "block-lists", "front-matter", "site.yaml"],
)
def test_yaml_nested_beyond_the_limit_is_refused_before_it_is_built(built, relative, text):
    """30,000 levels overflowed libyaml's builder: a segfault (exit -11) and no message."""
    (built / relative).write_text(text)
    refused_in_subprocess(built, relative, "nested too deeply (more than 100 levels)")


@pytest.mark.parametrize(
    ("relative", "old", "new", "wanted"),
    [
        (FACTS, "value: 159090", "value: " + "1" * 5000, "this number is too long to be read"),
        ("content/data/rises.csv", "900", "1" * 5000, 'column "rise" holds numbers'),
    ],
)
def test_integers_beyond_pythons_digit_limit_are_refused(built, capsys, relative, old, new, wanted):
    """int() refuses more than 4,300 digits with a ValueError, which was a traceback."""
    edit(built / relative, old, new)
    refused(capsys, built, relative, wanted)


def test_an_infinite_number_from_a_chart_module_is_refused_before_drawing(built, capsys):
    edit(
        built / "content/charts/rises.py",
        'rows = facts.dataset("rises")',
        'rows = facts.dataset("rises") + [{"date": "x", "rise": 1, "big": float("inf")}]',
    )
    edit(built / "content/charts/rises.py", 'title="Rise")', 'title="Rise"), tooltip=["big:Q"]')
    refused(capsys, built, "content/charts/rises.py", "chart data holds inf")


# ---- characters charts cannot draw -------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0b", "\x1b", "\ufffe"])
def test_a_csv_cell_holding_a_character_charts_cannot_draw_is_refused(built, character):
    """vl-convert aborted the process (a Rust panic, exit -6) on these in a drawn cell: in a child
    process, so that a regression fails this test instead of stopping the suite."""
    edit(built / "content/data/rises.csv", "2023-03-11", f"2023-03{character}11")
    refused_in_subprocess(built, "content/data/rises.csv", f"holds the character U+{ord(character):04X}")


def test_a_rows_cell_from_a_yaml_escape_is_refused(built):
    edit(built / FACTS, "{group: a,", '{group: "a\\e",')
    refused_in_subprocess(built, FACTS, "the character U+001B cannot be published")  # refused where YAML writes it


def test_chart_text_a_module_writes_is_checked_before_drawing(built):
    """Text a chart module makes itself reaches vl-convert without passing through a dataset or YAML."""
    edit(built / "content/charts/rises.py", 'title="Rises by day"', 'title="Rises by day" + chr(0xFFFE)')
    refused_in_subprocess(built, "content/charts/rises.py", "holds the character U+FFFE")


# ---- diff ------------------------------------------------------------------------------------------

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]


def test_diff_asks_git_for_sizes_before_reading_base(site, capsys, monkeypatch):
    """A gigabyte of zeros packs into 1.5 MB of .git, and diff read it whole (2 GB of memory). Here
    the limit is lowered to 1 MB so that a 2 MB file shows the check without making a gigabyte."""
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "zeros.bin").write_bytes(bytes(2 * 1024 * 1024))
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "site"]):
        subprocess.run([*GIT, *command], cwd=site, check=True, capture_output=True, timeout=60)
    monkeypatch.setattr(diff_git, "MAX_BASE_BYTES", 1024 * 1024)
    outcome = run_captured(capsys, "diff", "HEAD", "--site", str(site), "--out", str(site.parent / "report"))
    assert outcome.code == 1, outcome.stderr
    [error] = outcome.errors
    assert error["path"] == "HEAD:static/zeros.bin"
    assert "more than diff reads (1,048,576)" in error["message"] and "2,097,152 bytes" in error["message"]


# ---- Markdown ----------------------------------------------------------------------------------------

PAGE = "content/second.md"


def add_prose(site: Path, text: str) -> int:
    """`text` after a blank line at the end of the second page; returns the line it starts on."""
    path = site / PAGE
    body = path.read_text().rstrip("\n") + "\n\n"
    path.write_text(body + text + "\n")
    return body.count("\n") + 1


@pytest.mark.parametrize(
    ("text", "offset", "wanted"),
    [
        # 4,000 took 5 s (40,000 on one line took 166 s): time grows with brackets times length.
        (
            "[" * 4000,
            0,
            'with this paragraph (4,000 "[" in 4,000 characters) the page\'s "[" (links, images, footnotes) times'
            " the length of their paragraphs come to 16,000,000; Markdown is given at most 1,000,000",
        ),
        ("\n".join(["[" * 50] * 80), 0, '(4,000 "[" in 4,079 characters)'),
        # A blockquote's lines are one paragraph: 400 of these took 12 s.
        ("\n".join(["> [" + "a " * 45] * 120), 0, '(120 "[" in 11,279 characters)'),
        # Twenty paragraphs each within the limit took 12 s together.
        ("\n\n".join(["[" * 49 + "a " * 4900] * 20), 2 * 2, '(49 "[" in 9,849 characters)'),
        (
            "*)" * 1500,
            0,
            "this paragraph has 3,000 of ] ( ) < > * _ ` ! and abbreviations, more than the 2,000 Markdown is given",
        ),
        ("word " * 2001, 0, "this line is 10,005 characters long; lines of prose may have at most 10,000"),
        (
            "\n".join(["word " * 1000] * 5),
            0,
            "this paragraph has 25,004 characters, more than the 20,000 Markdown is given",
        ),
        # 600 nested lists were a RecursionError inside Python-Markdown.
        ("- " * 600 + "x", 0, "lists and quotes nest too deeply for Markdown"),
        ("".join("  " * level + "- x\n" for level in range(60)), 50, "this line starts with more than 100 characters"),
        ("> " * 600 + "x", 0, "lists and quotes nest too deeply"),
        # Python-Markdown looks each block up among its siblings: 10,000 paragraphs took 26 s.
        ("word\n\n" * 1000, 994, "the page's text has 2,008 lines"),  # the body starts on line 6: 1,006 is its 1,001st
        ("|" + "a|" * 20 + "\n|" + "-|" * 20 + "\n" + ("|" + "b|" * 20 + "\n") * 300, 2 + 236, 'more than 5,000 "|"'),
        ("".join(f"*[A{n}]: x\n" for n in range(60)) + "\nA1 A2", 5, "defines more than 5 abbreviations"),
        # Markup in paragraphs each within the limit: twenty of 1,980 "*" took 7 s.
        ("\n\n".join(["*a* " * 990] * 20), 4 * 2, "(1,980 of ] ( ) < > * _ ` ! and abbreviations) the squares"),
        # Each use is an element among its siblings: 19,800 uses in twenty paragraphs took 4 s.
        ("*[A1]: x\n\n" + "word A1 " * 1100, 2, "this paragraph has 2,200 of ] ( ) < > * _ ` ! and abbreviations"),
        ("\n".join(["word " * 1900] * 22), -6, "the page's text has 209,"),  # reported at the body's first line
    ],
    ids=[
        "brackets-in-a-line",
        "brackets-in-a-paragraph",
        "brackets-in-a-quote",
        "brackets-in-a-page",
        "markup",
        "line",
        "paragraph",
        "lists-on-a-line",
        "indented-lists",
        "quotes",
        "page-lines",
        "table-cells",
        "abbreviations",
        "abbreviations-used",
        "markup-in-a-page",
        "page-characters",
    ],
)
def test_markdown_beyond_its_limits_is_refused_at_its_line(built, capsys, text, offset, wanted):
    line = add_prose(built, text)
    refused(capsys, built, PAGE, wanted, f"{PAGE}:{line + offset}: error: ")


def test_html_blocks_nested_beyond_pythons_recursion_are_an_error(built, capsys):
    """md_in_html nests without indentation, which the line limits do not count."""
    add_prose(built, '<div markdown="1">\n' * 450 + "x\n" + "</div>\n" * 450)
    refused(capsys, built, PAGE, "prose is nested too deeply for Markdown")


# ---- the cache ---------------------------------------------------------------------------------------


def test_a_cache_folder_that_cannot_be_written_is_a_usage_error_before_building(built, capsys, tmp_path):
    """A file where the cache folder should be was a NotADirectoryError traceback, mid-build."""
    cache = tmp_path / "cache"
    cache.write_text("not a folder\n")
    before = snapshot(built / "_site")
    outcome = run_captured(capsys, "build", "--site", str(built), cache=cache)
    assert outcome.code == 2, outcome.stderr
    assert f"error: cannot write the cache folder {cache} (a file is in its place)" in outcome.stderr
    assert snapshot(built / "_site") == before


def test_a_full_disk_under_the_cache_is_a_usage_error_before_building(built, tmp_path):
    """A file size limit makes writes fail as a full disk does (Python ignores SIGXFSZ: EFBIG)."""
    import resource

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    before = snapshot(built / "_site")
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "build",
            "--site",
            str(built),
            "--cache",
            str(tmp_path / "cache"),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT,
        preexec_fn=limited,
        check=False,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "error: cannot write the cache folder" in result.stderr and "(File too large)" in result.stderr
    assert snapshot(built / "_site") == before


# ---- fields of the wrong shape -----------------------------------------------------------------------


@pytest.fixture
def bilingual_built(bilingual: Path) -> Path:  # noqa: F811 - the fixture imported above
    """The fixture site with a Russian edition (test_languages), built once."""
    assert run("build", "--site", str(bilingual), "--quiet") == 0
    return bilingual


@pytest.mark.parametrize(
    ("words", "wanted"),
    [
        ('    legend: "text"\n', '"legend": must be a mapping'),
        ("    author: {a: 1}\n", '"author": must be non-empty text'),
        ("    footer: [1]\n", '"footer": must be non-empty text'),
        ("    legend: {claim: [1]}\n", '"claim": must be text'),
    ],
    ids=["legend", "author", "footer", "legend-words"],
)
def test_a_languages_site_words_of_the_wrong_shape_are_refused(bilingual_built, capsys, words, wanted):
    """They passed validation and failed in render (a ValueError, an AttributeError in the feed)."""
    (bilingual_built / "site.yaml").write_text((bilingual_built / "site.yaml").read_text() + words)
    refused(capsys, bilingual_built, "site.yaml", wanted)


@pytest.mark.parametrize("values", ["7", "[1]"])
def test_a_words_files_values_that_are_not_a_mapping_are_refused(bilingual_built, capsys, values):
    edit(
        bilingual_built / "content/facts/main.ru.yaml",
        "rises: {title: Прирост по дням}",
        f"rises: {{title: Прирост по дням, values: {values}}}",
    )
    refused(capsys, bilingual_built, "content/facts/main.ru.yaml", '"values" maps each column to its cells\' words')


def test_a_group_given_a_list_for_its_dataset_is_refused(built, capsys):
    (built / FACTS).write_text(
        (built / FACTS).read_text() + "  - id: g\n    title: G\n    sources: survey\n"
        "    group: {dataset: [inline_rows], by: group, sum: [share]}\n"
    )
    refused(capsys, built, FACTS, '"group": no dataset')


def test_a_number_as_a_declared_column_name_is_refused(built, capsys):
    edit(built / FACTS, "    csv: data/rises.csv", "    csv: data/rises.csv\n    columns: {5: number}")
    refused(capsys, built, FACTS, 'declares column "5", which the data does not have')


def test_a_site_language_without_interface_words_is_refused_in_validation(built, capsys):
    """language: de passed validation, then render found no catalog for it (a ValueError)."""
    edit(built / "site.yaml", "language: en", "language: de")
    refused(capsys, built, "site.yaml", 'no interface words for "de"')
