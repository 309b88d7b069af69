"""Hostile and broken YAML in fact files, front matter and site.yaml: refused with file, line and column."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from conftest import CHART_CACHE, PROJECT, run_captured, write

FACT = """\
  - id: extra
    value: 12
    unit: people
    counts: killed
    as_of: 2023-03-01
    claimant: Someone
    status: claim
    sources: agency_report
"""


def build(capsys, site):
    return run_captured(capsys, "build", "--site", str(site))


def only_error(outcome, path_end: str):
    """The one error of a content failure, checked to name the file."""
    assert outcome.code == 1, outcome.stderr
    errors = outcome.errors
    assert len(errors) == 1, outcome.stderr
    assert errors[0]["path"].endswith(path_end)
    return errors[0]


def test_syntax_error_names_file_line_and_column(site, capsys):
    write(site, "content/facts/extra.yaml", "facts:\n  - id: extra\n    unit: people: many\n")
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert (error["line"], error["col"]) == ("3", "17")
    assert "invalid YAML" in error["message"]


def test_front_matter_syntax_error_counts_lines_from_the_top_of_the_page(site, capsys):
    write(site, "content/index.md", "---\ntitle: Home\ndescription: [unclosed\n---\nBody.\n")
    error = only_error(build(capsys, site), "content/index.md")
    assert int(error["line"]) in (3, 4)  # the flow sequence is left open on line 3; PyYAML notices at its end
    assert error["col"]


def test_unclosed_front_matter_is_reported(site, capsys):
    write(site, "content/second.md", "---\ntitle: Second\n\nNo closing line.\n")
    error = only_error(build(capsys, site), "content/second.md")
    assert error["line"] == "1" and "closing ---" in error["message"]


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:subprocess.call [['touch', '{marker}']]",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!shell 'touch {marker}'",
    ],
)
def test_object_constructing_tags_run_nothing(site, capsys, tmp_path, tag):
    marker = tmp_path / "created-by-yaml"
    text = FACT + f"    note: {tag.format(marker=marker)}\n"
    write(site, "content/facts/extra.yaml", "facts:\n" + text)
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"] == "10"
    assert "is not allowed in content" in error["message"]
    assert not marker.exists()


def test_object_constructing_tag_in_front_matter_runs_nothing(site, capsys, tmp_path):
    marker = tmp_path / "created-by-front-matter"
    write(
        site,
        "content/second.md",
        f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\ndescription: x\n---\nBody.\n",
    )
    error = only_error(build(capsys, site), "content/second.md")
    assert error["line"] == "2"
    assert not marker.exists()


BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + n)}: &{chr(98 + n)} [" + ", ".join([f"*{chr(97 + n)}"] * 9) + "]" for n in range(8)]
)


def test_alias_bomb_is_refused_in_bounded_time(site):
    """Nine levels of nine aliases: 387 million values once expanded. Refused in seconds, in a
    subprocess so that a regression shows as a timeout instead of hanging the suite."""
    write(site, "content/facts/extra.yaml", BOMB + "\n")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "build", "--site", str(site), "--cache", str(CHART_CACHE), "-q"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=PROJECT,
        check=False,
    )
    assert time.monotonic() - started < 10
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "content/facts/extra.yaml:" in result.stderr
    assert "through aliases" in result.stderr


def test_recursive_alias_is_refused(site, capsys):
    write(site, "content/facts/extra.yaml", "facts: &loop\n  - *loop\n")
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"]


def test_duplicate_key_names_both_lines(site, capsys):
    write(site, "content/facts/extra.yaml", "facts:\n" + FACT + "    unit: men\n")
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"] == "10"
    assert 'duplicate key "unit" (first given on line 4)' in error["message"]


def test_duplicate_key_in_front_matter(site, capsys):
    write(site, "content/second.md", "---\ntitle: A\ndescription: B\ntitle: C\n---\nBody.\n")
    error = only_error(build(capsys, site), "content/second.md")
    assert error["line"] == "4" and 'duplicate key "title"' in error["message"]


@pytest.mark.parametrize(
    "field, written, expected",
    [
        ("value", '"lots"', "must be a number"),
        ("value", ".inf", "must be a number"),
        ("value", ".nan", "must be a number"),
        ("value", "1" + "0" * 400, "must be a number"),
        ("value", "{low: 5, high: 1}", "low <= high"),
        ("sources", "42", "must be a source id"),
        ("as_of", "March", "must be a date"),
        ("as_of", "2023-02-30", "must be a date"),
        ("decimals", "-1", "whole number"),
        ("decimals", "100000000000", "whole number"),
        ("claimant", "[a, b]", "must be non-empty text"),
        ("unit", "!!binary aGVsbG8=", "must be non-empty text"),
    ],
)
def test_wrong_type_names_the_field_and_its_line(site, capsys, field, written, expected):
    lines = FACT.splitlines()
    lines = [line for line in lines if not line.startswith(f"    {field}:")] + [f"    {field}: {written}"]
    write(site, "content/facts/extra.yaml", "facts:\n" + "\n".join(lines) + "\n")
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"] == str(len(lines) + 1)
    assert error["message"].startswith(f'"{field}": ') and expected in error["message"]


@pytest.mark.parametrize(
    "relative, text, missing",
    [
        ("content/facts/extra.yaml", "facts:\n" + FACT.replace("    unit: people\n", ""), "unit"),
        (
            "content/facts/extra.yaml",
            "sources:\n  - id: s\n    publisher: P\n    title: T\n    published: 2023-01-01\n",
            "url",
        ),
        ("content/facts/extra.yaml", "datasets:\n  - id: d\n    sources: survey\n    rows: [{a: 1}]\n", "title"),
        ("content/second.md", "---\ntitle: Second\n---\nBody.\n", "description"),
    ],
)
def test_missing_required_field(site, capsys, relative, text, missing):
    write(site, relative, text)
    error = only_error(build(capsys, site), relative)
    assert error["line"] == "2"
    assert f'missing required field "{missing}"' in error["message"]


def test_missing_field_in_site_yaml(site, capsys):
    text = (site / "site.yaml").read_text()
    (site / "site.yaml").write_text("\n".join(line for line in text.splitlines() if not line.startswith("url:")) + "\n")
    error = only_error(build(capsys, site), "site.yaml")
    assert error["line"] == "1" and 'missing required field "url"' in error["message"]


@pytest.mark.parametrize(
    "relative, text, line, wanted",
    [
        ("content/facts/extra.yaml", "facts:\n" + FACT + "    claimaint: Someone else\n", "10", "claimant"),
        ("content/second.md", "---\ntitle: Second\ndescription: B\ntitel: C\n---\nBody.\n", "4", "title"),
        ("content/facts/extra.yaml", "fatcs:\n" + FACT, "1", "facts"),
    ],
)
def test_unknown_field_suggests_the_nearest(site, capsys, relative, text, line, wanted):
    write(site, relative, text)
    error = only_error(build(capsys, site), relative)
    assert error["line"] == line
    assert f'(did you mean "{wanted}"?)' in error["message"]


def test_unknown_field_in_site_yaml(site, capsys):
    with (site / "site.yaml").open("a") as config:
        config.write("languge: en\n")
    error = only_error(build(capsys, site), "site.yaml")
    assert error["line"] == "7" and '(did you mean "language"?)' in error["message"]


def test_non_mapping_fact_file(site, capsys):
    write(site, "content/facts/extra.yaml", "- just\n- a list\n")
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"] == "1"


def test_nul_byte_in_yaml_names_its_line(site, capsys):
    write(site, "content/facts/extra.yaml", "facts:\n" + FACT + "    note: a\x00b\n")
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"] == "10"


def test_quoted_content_cannot_break_the_message_line_or_drive_the_terminal(site, capsys):
    write(site, "content/facts/extra.yaml", "facts:\n" + FACT + '    "claim\\nant\\e[31m": x\n')
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"] == "10"
    assert "U+001B cannot be published" in error["message"], "an escape character is refused where it is written"
    write(site, "content/facts/extra.yaml", "facts:\n" + FACT + '    "claim\\nant": x\n')
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"] == "10"
    assert '"claim\\nant": unknown field' in error["message"]


def test_nesting_too_deep_is_refused(site, capsys):
    write(site, "content/facts/extra.yaml", "facts: " + "[" * 5000 + "\n")
    error = only_error(build(capsys, site), "content/facts/extra.yaml")
    assert error["line"] == "1" and "nested too deeply" in error["message"]
