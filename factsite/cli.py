"""The command line: build, check, serve, new. Exit codes: 0 clean, 1 content problems, 2 usage."""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .check import check_site
from .errors import ContentError, ContentErrors, UsageError, listed
from .load import load_site
from .model import Site
from .new import write_starter
from .render import Rendered, render_site
from .report import Reporter, plural, summary
from .serve import serve_site
from .validate import validate_site
from .write import write_site

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
    port: int = 0


def render(options: Options, reporter: Reporter) -> tuple[Site, Rendered]:
    reporter.begin()
    reporter.progress("reading and checking content")
    site = validate_site(load_site(options.site))
    reporter.detail(f"read {plural(len(site.pages), 'page')}, {plural(len(site.facts), 'fact')},"
                    f" {plural(len(site.charts), 'chart')}")
    return site, render_site(site, options.cache, reporter.progress)


def rendered_summary(rendered: Rendered, reporter: Reporter, verb: str) -> str:
    seconds = time.perf_counter() - reporter.started
    return summary(rendered.pages, rendered.charts, rendered.charts_rendered, seconds, verb)


def run_build(options: Options, reporter: Reporter) -> int:
    _, rendered = render(options, reporter)
    reporter.progress(f"writing {plural(len(rendered.files), 'file')}")
    write_site(rendered.files, options.out, options.site)
    reporter.info(rendered_summary(rendered, reporter, "built") + f" -> {options.out}")
    return EXIT_OK


def run_check(options: Options, reporter: Reporter) -> int:
    site, rendered = render(options, reporter)
    reporter.progress("checking links, unused entries and numbers in prose")
    problems = check_site(site, rendered.files, list(rendered.uses))
    for problem in sorted(problems, key=lambda e: (e.path, e.line or 0, e.col or 0)):
        reporter.error(problem)
    if problems:
        reporter.info(f"check found {plural(len(problems), 'problem')}")
        return EXIT_CONTENT
    reporter.info(rendered_summary(rendered, reporter, "checked") + "; no problems")
    return EXIT_OK


def run_serve(options: Options, reporter: Reporter) -> int:
    def build() -> tuple[Site, Rendered]:
        site, rendered = render(options, reporter)
        reporter.info(rendered_summary(rendered, reporter, "built"))
        return site, rendered

    return serve_site(options.site, options.port, build, reporter)


def run_new(options: Options, reporter: Reporter) -> int:
    write_starter(options.site)
    reporter.info(f"wrote a new explainer in {options.site}; build it with: python build.py build --site {options.site}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="build.py",
        description="Build a data explainer in which every figure has a source.",
        epilog=EXIT_CODES_HELP,
    )
    commands = main.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser, out: bool = True) -> argparse.ArgumentParser:
        sub.add_argument("--site", default=".", type=Path, help="site folder holding site.yaml (default: .)")
        if out:
            sub.add_argument("--out", type=Path, help="output folder (default: SITE/_site)")
        sub.add_argument("--cache", type=Path, help="cache folder for rendered charts (default: SITE/.cache)")
        noise = sub.add_mutually_exclusive_group()
        noise.add_argument("--quiet", "-q", action="store_true", help="print errors only")
        noise.add_argument("--verbose", "-v", action="store_true", help="print each step")
        return sub

    common(commands.add_parser("build", help="build the site into _site/ (the default command)", epilog=EXIT_CODES_HELP))
    common(commands.add_parser("check", help="validate everything, plus links, unused entries and bare numbers",
                               epilog=EXIT_CODES_HELP))
    serve = common(
        commands.add_parser(
            "serve",
            help="preview on 127.0.0.1: rebuild on every change and reload the page",
            description="Build, serve the site on 127.0.0.1 and rebuild when content/, templates/, static/"
            " or site.yaml change; open pages reload. A broken edit shows its error and the last good"
            " build stays served. Nothing is written to the output folder.",
        ),
        out=False,
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    new = commands.add_parser(
        "new",
        help="write a minimal new explainer to start from",
        description="Write a small site that builds and passes check as it is: one page, one source,"
        " one fact, one derived fact, one chart, the templates and the static files.",
    )
    new.add_argument("path", type=Path, metavar="PATH", help="folder to create; it must not exist or be empty")
    new.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    return main


def options_from(args: argparse.Namespace) -> Options:
    site = args.path if args.command == "new" else args.site
    return Options(
        site=site,
        out=getattr(args, "out", None) or site / "_site",
        cache=getattr(args, "cache", None) or site / ".cache",
        quiet=args.quiet,
        verbose=getattr(args, "verbose", False),
        port=getattr(args, "port", 0),
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)
    options = options_from(args)
    reporter = Reporter(options.quiet, options.verbose)
    commands = {"build": run_build, "check": run_check, "serve": run_serve, "new": run_new}
    try:
        return commands[args.command](options, reporter)
    except (ContentError, ContentErrors) as exc:
        errors = listed(exc)
        for error in errors:
            reporter.error(error)
        reporter.info(f"{plural(len(errors), 'problem')}; nothing was written")
        return EXIT_CONTENT
    except UsageError as error:
        reporter.error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        reporter.error("interrupted; the previous output is untouched")
        return 130
