"""Exit codes of build.py: 0 clean, 1 content problems, 2 usage errors; documented where users look."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import CHART_CACHE, PROJECT, run, run_captured, write

from factsite.cli import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, main


def test_exit_code_values():
    assert (EXIT_OK, EXIT_CONTENT, EXIT_USAGE) == (0, 1, 2)


def test_check_of_a_clean_site_exits_0(site, capsys):
    outcome = run_captured(capsys, "check", "--site", str(site))
    assert outcome.code == 0 and outcome.stderr == ""


def test_check_finding_a_problem_exits_1(site, capsys):
    write(
        site,
        "content/facts/extra.yaml",
        """\
        facts:
          - id: unused
            value: 1
            unit: people
            counts: killed
            as_of: 2023-03-01
            claimant: Someone
            status: claim
            sources: survey
        """,
    )
    outcome = run_captured(capsys, "check", "--site", str(site))
    assert outcome.code == 1
    [error] = outcome.errors
    assert error["path"].endswith("content/facts/extra.yaml") and error["line"] == "2"


def test_check_of_content_that_cannot_build_exits_1(site, capsys):
    write(site, "content/second.md", "---\ntitle: T\n---\n")
    outcome = run_captured(capsys, "check", "--site", str(site))
    assert outcome.code == 1 and outcome.errors


@pytest.mark.parametrize(
    "argv",
    [["check", "--bogus"], ["frobnicate"], ["check", "--site"], ["build", "-q", "-v"], ["--out"]],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert "usage: build.py" in capsys.readouterr().err


def test_usage_error_exits_2_from_the_command_line():
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--bogus"], cwd=PROJECT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_refused_output_folder_exits_2(site, tmp_path):
    write(tmp_path / "other", "notes.txt", "mine\n")
    assert run("build", "--site", str(site), "--out", str(tmp_path / "other"), "--quiet") == 2


@pytest.mark.parametrize("argv", [["-h"], ["check", "-h"], ["build", "-h"]])
def test_help_documents_the_exit_codes(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Exit codes: 0 clean, 1 content problems" in text and "2 usage errors" in text


def test_readme_documents_the_exit_codes():
    readme = " ".join((PROJECT / "README.md").read_text().split()).lower()
    assert "build.py check`" in readme
    assert "exit codes: 0 clean, 1 content problems, 2 usage errors" in readme


def test_content_error_from_the_command_line_has_no_traceback(site):
    write(site, "content/facts/extra.yaml", "facts: [")
    result = subprocess.run(
        [sys.executable, "build.py", "build", "--site", str(site), "--cache", str(CHART_CACHE)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/facts/extra.yaml:1:" in result.stderr and "nothing was written" in result.stderr
