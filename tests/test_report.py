"""What the terminal shows: summary, progress for long builds, --quiet, --verbose, colour."""

from __future__ import annotations

import io
import time

from conftest import run

import factsite.report
from factsite.report import Reporter, duration, summary


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_summary_line():
    assert summary(9, 7, 2, 1.44, "built") == "built 9 pages, 7 charts in 1.4 s; 2 re-rendered"
    assert summary(1, 1, 0, 0.0484, "checked") == "checked 1 page, 1 chart in 48 ms; 0 re-rendered"
    assert duration(0.2996) == "300 ms" and duration(12.34) == "12.3 s"


def test_progress_shows_only_once_a_build_runs_long_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = Terminal()
    reporter = Reporter(quiet=False, verbose=False, stream=terminal)
    reporter.begin()
    reporter.progress("reading")
    assert terminal.getvalue() == ""
    reporter.started -= 2  # as if the build had run two seconds
    reporter.progress("rendering chart 1 of 7: a")
    assert terminal.getvalue().startswith("\r\033[K") and "rendering chart 1 of 7: a" in terminal.getvalue()
    reporter.info("built")
    assert terminal.getvalue().endswith("\r\033[Kbuilt\n"), "the summary must overwrite the status line"


def test_a_long_step_shows_while_it_runs(monkeypatch):
    monkeypatch.setattr(factsite.report, "PROGRESS_AFTER", 0.05)
    terminal = Terminal()
    reporter = Reporter(quiet=False, verbose=False, stream=terminal)
    reporter.begin()
    reporter.progress("rendering chart 1 of 7: a")  # starts before the threshold, then takes long
    deadline = time.monotonic() + 5
    while "rendering chart 1 of 7: a" not in terminal.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "rendering chart 1 of 7: a" in terminal.getvalue()
    reporter.info("built")
    assert terminal.getvalue().endswith("\r\033[Kbuilt\n")


def test_progress_is_silent_in_a_pipe_and_when_quiet():
    for reporter in (Reporter(False, False, stream=io.StringIO()), Reporter(True, False, stream=Terminal())):
        reporter.started -= 5
        reporter.progress("rendering pages")
        assert reporter.stream.getvalue() == ""


def test_verbose_prints_a_line_per_step(site, capsys):
    assert run("build", "--site", str(site), "--verbose") == 0
    err = capsys.readouterr().err
    for step in ("reading and checking content", "rendering chart 1 of 2: rises", "rendering pages", "writing"):
        assert step in err
    assert err.strip().splitlines()[-1].startswith("built 3 pages, 2 charts in ")


def test_quiet_prints_nothing_on_success(site, capsys):
    assert run("build", "--site", str(site), "--quiet") == 0
    assert capsys.readouterr().err == ""


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = Terminal()
    Reporter(False, False, stream=terminal).error("a.yaml:1: error: bad")
    assert "\033[1;31merror:\033[0m" in terminal.getvalue()
    pipe = io.StringIO()
    Reporter(False, False, stream=pipe).error("a.yaml:1: error: bad")
    assert pipe.getvalue() == "a.yaml:1: error: bad\n"
    monkeypatch.setenv("NO_COLOR", "1")
    terminal = Terminal()
    Reporter(False, False, stream=terminal).error("a.yaml:1: error: bad")
    assert terminal.getvalue() == "a.yaml:1: error: bad\n"
