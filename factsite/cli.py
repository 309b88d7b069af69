"""The command line: build, check, serve, new. Exit codes: 0 clean, 1 content problems, 2 usage."""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .check import check_site
from .errors import ContentError, ContentErrors
from .load import load_site
from .model import Site
from .render import Rendered, render_site
from .validate import validate_site
from .write import OutputError, write_site

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_CODES_HELP = (
    "Exit codes: 0 clean, 1 content problems (each printed as path:line: error: ...),"
    " 2 usage errors (a bad argument, or an --out folder the build must not replace)."
)


@dataclass(frozen=True)
class Options:
    site: Path
    out: Path
    cache: Path
    quiet: bool
    verbose: bool


class Reporter:
    """Messages for the terminal: errors always, the summary unless --quiet; colour only on a tty."""

    def __init__(self, quiet: bool, verbose: bool, stream=None):
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stderr
        self.colour = self.stream.isatty() and os.environ.get("NO_COLOR") is None

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def error(self, error: ContentError | str) -> None:
        text = str(error)
        if ": error: " in text:
            where, message = text.split(": error: ", 1)
            text = f"{where}: {self.paint('error:', '1;31')} {message}"
        else:
            text = f"{self.paint('error:', '1;31')} {text}"
        print(text, file=self.stream)

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            print(text, file=self.stream)


def render(options: Options, reporter: Reporter) -> tuple[Site, Rendered]:
    started = time.perf_counter()
    site = validate_site(load_site(options.site))
    reporter.detail(f"loaded and validated {len(site.pages)} pages, {len(site.facts)} facts, {len(site.charts)} charts"
                    f" in {time.perf_counter() - started:.2f} s")
    return site, render_site(site, options.cache)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(rendered: Rendered, seconds: float, verb: str) -> str:
    return (
        f"{verb} {plural(rendered.pages, 'page')}, {plural(rendered.charts, 'chart')} in {seconds:.1f} s;"
        f" {rendered.charts_rendered} re-rendered"
    )


def run_build(options: Options, reporter: Reporter) -> int:
    started = time.perf_counter()
    _, rendered = render(options, reporter)
    write_site(rendered.files, options.out, options.site)
    reporter.info(summary(rendered, time.perf_counter() - started, "built") + f" -> {options.out}")
    return EXIT_OK


def run_check(options: Options, reporter: Reporter) -> int:
    started = time.perf_counter()
    site, rendered = render(options, reporter)
    problems = check_site(site, rendered.files, list(rendered.uses))
    for problem in sorted(problems, key=lambda e: (e.path, e.line or 0, e.col or 0)):
        reporter.error(problem)
    if problems:
        reporter.info(f"check found {plural(len(problems), 'problem')}")
        return EXIT_CONTENT
    reporter.info(summary(rendered, time.perf_counter() - started, "checked") + "; no problems")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="build.py",
        description="Build a data explainer in which every figure has a source.",
        epilog=EXIT_CODES_HELP,
    )
    commands = main.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--site", default=".", type=Path, help="site folder holding site.yaml (default: .)")
        sub.add_argument("--out", type=Path, help="output folder (default: SITE/_site)")
        sub.add_argument("--cache", type=Path, help="cache folder for rendered charts (default: SITE/.cache)")
        noise = sub.add_mutually_exclusive_group()
        noise.add_argument("--quiet", "-q", action="store_true", help="print errors only")
        noise.add_argument("--verbose", "-v", action="store_true", help="print each step")

    common(commands.add_parser("build", help="build the site into _site/ (the default command)", epilog=EXIT_CODES_HELP))
    common(commands.add_parser("check", help="validate everything, plus links, unused entries and bare numbers",
                               epilog=EXIT_CODES_HELP))
    return main


def options_from(args: argparse.Namespace) -> Options:
    site = args.site
    return Options(
        site=site,
        out=args.out or site / "_site",
        cache=args.cache or site / ".cache",
        quiet=args.quiet,
        verbose=args.verbose,
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    options = options_from(args)
    reporter = Reporter(options.quiet, options.verbose)
    commands = {"build": run_build, "check": run_check}
    try:
        return commands[args.command](options, reporter)
    except ContentErrors as many:
        for error in many.errors:
            reporter.error(error)
        reporter.info(f"{plural(len(many.errors), 'problem')}; nothing was written")
        return EXIT_CONTENT
    except ContentError as error:
        reporter.error(error)
        reporter.info("nothing was written")
        return EXIT_CONTENT
    except OutputError as error:
        reporter.error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        reporter.error("interrupted; the previous output is untouched")
        return 130
