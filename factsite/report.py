"""What the terminal shows: errors, the one-line summary, and progress while a long build runs."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TextIO

from .errors import ContentError

PROGRESS_AFTER = 1.0  # seconds; quicker builds show only their summary


class Reporter:
    """Errors always; the summary unless --quiet; each step with --verbose; colour only on a tty.

    On a terminal, a build still running after a second shows the step it is on, on one line
    that the next message overwrites; a timer shows it even while one step takes long.
    """

    def __init__(self, quiet: bool, verbose: bool, stream: TextIO | None = None) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stderr  # looked up now, so a replaced sys.stderr is used
        self.tty = self.stream.isatty()
        self.colour = self.tty and os.environ.get("NO_COLOR") is None
        self.started = time.perf_counter()
        self.step = ""  # the step the running build is on; "" when no build runs
        self.status_shown = False
        self.lock = threading.Lock()  # the timer thread writes too
        self.timer: threading.Timer | None = None

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def write(self, text: str) -> None:
        """A line of output; it ends the running build's status line."""
        with self.lock:
            self.step = ""
            if self.timer:
                self.timer.cancel()
            if self.status_shown:
                self.stream.write("\r\033[K")
                self.status_shown = False
            print(text, file=self.stream, flush=True)

    def error(self, error: ContentError | str) -> None:
        text = str(error)
        if ": error: " in text:
            where, message = text.split(": error: ", 1)
            text = f"{where}: {self.paint('error:', '1;31')} {message}"
        else:
            text = f"{self.paint('error:', '1;31')} {text}"
        self.write(text)

    def info(self, text: str) -> None:
        if not self.quiet:
            self.write(text)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            self.write(text)

    def begin(self) -> None:
        """Start timing a build, for its progress."""
        self.started = time.perf_counter()
        if self.tty and not (self.quiet or self.verbose):
            self.timer = threading.Timer(PROGRESS_AFTER, self.show_status)
            self.timer.daemon = True
            self.timer.start()

    def elapsed(self) -> str:
        return self.paint(f"{time.perf_counter() - self.started:5.1f} s", "2")

    def progress(self, step: str) -> None:
        """The step a build starts: a line with --verbose; on a tty, the status once it runs long."""
        if self.quiet:
            return
        if self.verbose:
            self.write(f"{self.elapsed()} {step}")
            return
        self.step = step
        if self.tty and time.perf_counter() - self.started >= PROGRESS_AFTER:
            self.show_status()

    def show_status(self) -> None:
        with self.lock:
            if self.step:
                self.stream.write(f"\r\033[K{self.elapsed()} {self.step}")
                self.stream.flush()
                self.status_shown = True


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def summary(pages: int, charts: int, charts_rendered: int, seconds: float, verb: str) -> str:
    """'built 9 pages, 7 charts in 1.4 s; 2 re-rendered'."""
    return (
        f"{verb} {plural(pages, 'page')}, {plural(charts, 'chart')} in {duration(seconds)};"
        f" {charts_rendered} re-rendered"
    )
