"""The command line: build, check, serve, new, diff. Exit codes: 0 clean, 1 content problems, 2 usage.

Three entries run it: `factsite` (the package's command), `python -m factsite` and this repository's
build.py. `new` needs only the standard library, so it works with any Python 3.11 or later; the
other commands import the engine as they start, and a Python without its dependencies gets a usage
error saying how to install them, not a traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shlex
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentError, ContentErrors, UsageError, listed
from .report import Reporter, duration, plural, summary

if TYPE_CHECKING:
    from .model import Site
    from .pipeline import Build, BuildOptions
    from .render import Rendered

VERSION = "0.1.0"  # the package's version (pyproject.toml reads it); `new` pins new sites to it
CHECKOUT = Path(__file__).resolve().parent.parent  # this repository, when factsite runs from a clone
# What the engine imports, by import name (pyproject.toml's dependencies).
DEPENDENCIES = ("altair", "babel", "vl_convert", "jinja2", "markupsafe", "markdown", "yaml", "nh3", "watchfiles")
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
    jobs: int | None = None  # worker processes for pages; None: all cores when many pages need Markdown
    base_url: str | None = None  # --base-url: replaces site.yaml's url for every absolute address
    prog: str = "build.py"  # how the command was started, for what `new` prints next
    drafts: bool = False  # build --drafts: draft pages too (serve always shows them)
    base: str = ""  # diff: the git commit, branch or tag to compare the working tree with
    report_format: str = ""  # diff --format: "markdown" or "text"; "" picks text on a terminal


def build_options(options: Options, drafts: bool | None = None) -> BuildOptions:
    from .pipeline import BuildOptions

    return BuildOptions(
        site=options.site,
        cache=options.cache,
        jobs=options.jobs,
        drafts=options.drafts if drafts is None else drafts,
        base_url=options.base_url,
    )


def built(options: Options, reporter: Reporter) -> Build:
    from .pipeline import build

    reporter.begin()
    made = build(build_options(options), progress=reporter.progress)
    site = made.site
    reporter.detail(
        f"read {plural(len(site.pages), 'page')}, {plural(len(site.facts), 'fact')},"
        f" {plural(len(site.charts), 'chart')}"
    )
    return made


def rendered_summary(rendered: Rendered, reporter: Reporter, verb: str) -> str:
    seconds = time.perf_counter() - reporter.started
    return summary(rendered.page_count, rendered.chart_count, rendered.charts_rendered, seconds, verb)


def run_build(options: Options, reporter: Reporter) -> int:
    from .load import links_out
    from .unchanged import inputs_key, record_build, unchanged_build

    # Taken before anything is read; not through a link leading out of the site, which render() refuses.
    key = None if links_out(options.site) else inputs_key(options.site, options.out, options.drafts, options.base_url)
    last = unchanged_build(options.cache, key, options.out) if key else None
    if last is not None:  # the output folder already holds what this build would write
        seconds = time.perf_counter() - reporter.started
        reporter.info(summary(last.pages, last.charts, 0, seconds, "built") + f", nothing changed -> {options.out}")
        return EXIT_OK
    from .write import write_site

    rendered = built(options, reporter).rendered
    reporter.progress(f"writing {plural(len(rendered.files), 'file')}")
    write_site(rendered.files, options.out, options.site)
    if key:
        record_build(options.cache, key, options.out, rendered.page_count, rendered.chart_count)
    reporter.info(rendered_summary(rendered, reporter, "built") + f" -> {options.out}")
    return EXIT_OK


def run_check(options: Options, reporter: Reporter) -> int:
    from .check import check_site
    from .i18n import untranslated_summary

    made = built(options, reporter)
    site, rendered = made.site, made.rendered
    for draft in site.config.drafts:
        reporter.info(f"{draft.path}: a draft (draft: true), left out of check and build; serve shows it")
    for line in untranslated_summary(site):
        reporter.info(line)
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
    from .charts import warm_up_in_background
    from .pipeline import build
    from .serve import serve_site

    last: Build | None = None  # the last good build: each change renders again only what depends on it
    wanted = build_options(options, drafts=True)  # serve shows drafts

    def preview() -> tuple[Site, Rendered]:
        nonlocal last
        reporter.begin()
        if last is None:
            reporter.progress("building")
            last = build(wanted, progress=reporter.progress)
            reporter.info(rendered_summary(last.rendered, reporter, "built"))
            if any(edition.charts for edition in (last.site, *last.site.editions.values())):
                warm_up_in_background()  # for the first chart edited, once the build is done
        else:
            last = build(wanted, last)
            reporter.info(
                f"rebuilt {plural(len(last.rendered_pages), 'page')} of {last.rendered.page_count},"
                f" {plural(len(last.rendered_charts), 'chart')} in {duration(time.perf_counter() - reporter.started)}"
            )
        return last.site, last.rendered

    return serve_site(options.site, options.port, preview, reporter)


def run_diff(options: Options, reporter: Reporter) -> int:
    """What the change since BASE does to readers (factsite/diff.py); 1 when a published figure
    changed without a correction."""
    import datetime

    from .diff import compare_with
    from .diff_report import correction_message, markdown_report, report_files, report_folder_text, text_report
    from .write import write_site

    reporter.begin()
    comparison = compare_with(options.base, options.site, options.cache, options.jobs, reporter.progress)
    today = datetime.date.today().isoformat()
    markdown = markdown_report(comparison, today)
    write_site(report_files(comparison, markdown), options.out, options.site)
    reporter.info(
        f"compared {comparison.old.label} with the working tree;"
        f" report.md and the charts' drawings are in {options.out}"
    )
    if (options.report_format or ("text" if sys.stdout.isatty() else "markdown")) == "markdown":
        sys.stdout.write(markdown)
    else:
        colour = sys.stdout.isatty() and os.environ.get("NO_COLOR") is None
        sys.stdout.write(text_report(comparison, today, report_folder_text(options.out), colour))
    sys.stdout.flush()
    if comparison.missing_corrections:
        headline, entries = correction_message(comparison, today)
        reporter.error(headline)
        reporter.write(entries)
        return EXIT_CONTENT
    return EXIT_OK


def run_new(options: Options, reporter: Reporter) -> int:
    from .new import write_starter

    wheel = write_starter(options.site, VERSION)
    tool, setup = tool_command(options.prog)
    steps = [*setup, f"cd {shlex.quote(str(options.site))}"]
    from_clone = (CHECKOUT / "pyproject.toml").is_file()
    if wheel is None and from_clone:
        steps.append(
            f"{shortest(sys.executable)} -m pip wheel --no-deps -w wheels {shlex.quote(str(CHECKOUT))}"
            f"    # factsite's wheel: the workflows install factsite=={VERSION} from wheels/ until PyPI has it"
        )
    steps.append(f"{tool} build    # the site into _site/: open _site/index.html")
    steps.append(f"{tool} check    # links, unused facts, numbers without a source: before each commit")
    steps.append(f"{tool} serve    # a preview at http://127.0.0.1:8000/ that reloads as you edit")
    reporter.info(f"wrote a new explainer in {options.site}; next:")
    for step in steps:
        reporter.info(f"  {step}")
    if wheel is None and not from_clone:
        reporter.info(
            f"Its workflows install factsite=={VERSION} from PyPI or from wheels/: if PyPI does not have"
            " it yet, put factsite's wheel in wheels/ before you push (README.md says how)."
        )
    reporter.info(f"README.md in {options.site} says how to publish it on GitHub Pages.")
    return EXIT_OK


def shortest(command: str) -> str:
    """`command` (a path) by its bare name when PATH finds that very file, else in full."""
    name = os.path.basename(command)
    found = shutil.which(name)
    if found and os.path.abspath(found) == os.path.abspath(command):
        return name
    return shlex.quote(os.path.abspath(command))


def engine_installed() -> bool:
    return all(importlib.util.find_spec(name) for name in DEPENDENCIES)


def tool_command(prog: str) -> tuple[str, list[str]]:
    """The command that runs this same factsite from any folder, and any step needed before it."""
    build_py = CHECKOUT / "build.py"
    if prog == "factsite":
        return shortest(sys.argv[0]), []
    if not build_py.is_file():  # python -m factsite, with factsite installed
        return f"{shortest(sys.executable)} -m factsite", []
    if engine_installed():  # build.py, or python -m factsite run inside this repository
        return f"{shortest(sys.executable)} {shlex.quote(str(build_py))}", []
    venv_python = CHECKOUT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    setup = [] if venv_python.is_file() else [f"make -C {shlex.quote(str(CHECKOUT))}    # sets up {venv_python}"]
    return f"{shlex.quote(str(venv_python))} {shlex.quote(str(build_py))}", setup


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


# An address a site is published at: http(s), a host, a path; no spaces, quotes, query or fragment.
BASE_URL = re.compile(r"https?://[^\s<>\"/?#]+(/[^\s<>\"?#]*)?", re.I)


def base_url(text: str) -> str:
    """--base-url: the address the site is published at, ending with "/" (added when missing)."""
    if not BASE_URL.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"must be the http:// or https:// address the site is published at, such as"
            f" https://example.github.io/explainer/, not {text!r}"
        )
    return text.rstrip("/") + "/"


def parser(prog: str = "build.py") -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog=prog,
        description="Build a data explainer in which every figure has a source.",
        epilog=EXIT_CODES_HELP,
    )
    main.add_argument("--version", action="version", version=f"factsite {VERSION}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser, out: bool = True) -> argparse.ArgumentParser:
        sub.add_argument("--site", default=".", type=Path, help="site folder holding site.yaml (default: .)")
        if out:
            sub.add_argument("--out", type=Path, help="output folder (default: SITE/_site)")
        sub.add_argument(
            "--cache",
            type=Path,
            help="cache folder for rendered charts, page markup and compiled templates (default: SITE/.cache)",
        )
        sub.add_argument(
            "--jobs",
            "-j",
            type=positive,
            metavar="N",
            help="processes to render pages with (default: all cores when many pages need Markdown)",
        )
        noise = sub.add_mutually_exclusive_group()
        noise.add_argument("--quiet", "-q", action="store_true", help="print errors only")
        noise.add_argument("--verbose", "-v", action="store_true", help="print each step")
        return sub

    def published(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--base-url",
            type=base_url,
            metavar="URL",
            help="the address the site is published at, for canonical links, og:url, share images,"
            " sitemap.xml, feed.xml and JSON-LD (default: url in site.yaml); GitHub Pages workflows"
            " pass the base_url that actions/configure-pages reports",
        )

    published(
        common(
            commands.add_parser(
                "build", help="build the site into _site/ (the default command)", epilog=EXIT_CODES_HELP
            )
        )
    )
    published(
        common(
            commands.add_parser(
                "check", help="validate everything, plus links, unused entries and bare numbers", epilog=EXIT_CODES_HELP
            )
        )
    )
    commands.choices["build"].add_argument(
        "--drafts",
        action="store_true",
        help="build pages marked draft: true too (check and a plain build leave them out)",
    )
    serve = common(
        commands.add_parser(
            "serve",
            help="preview on 127.0.0.1: rebuild on every change and reload the page",
            description="Build, serve the site on 127.0.0.1 and rebuild when site.yaml, content/, templates/,"
            " static/ or locales/ change; open pages reload. A broken edit shows its error and the last good"
            " build stays served. Nothing is written to the output folder.",
        ),
        out=False,
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    new = commands.add_parser(
        "new",
        help="write a new explainer's repository, ready to push to GitHub",
        description="Write a small site that builds and passes check as it is (a home page, a method page"
        " with the corrections log, a source, a dataset, facts typed, drawn from the dataset and derived,"
        " a checked statement, a chart), with GitHub workflows that check pull requests and publish to"
        " Pages, a README, a short CONTRIBUTING, a wrong-figure issue form and requirements.txt pinning"
        f" factsite=={VERSION}. The look comes from factsite's theme: add templates/ or static/ only to"
        " change a file of it.",
    )
    new.add_argument("path", type=Path, metavar="PATH", help="folder to create; it must not exist or be empty")
    new.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    diff = common(
        commands.add_parser(
            "diff",
            help="what a change does to readers since BASE; fails when a published figure changed without a correction",
            description="Build BASE (a git commit, branch or tag; its site files are taken from git, the working"
            " tree is not touched) and the working tree, and report what readers would see change: figures,"
            " old and new, with the pages and sentences that show them; computed sentences; checked statements;"
            " charts (their BASE and new SVGs beside the report); facts, sources, datasets, pages and"
            " translations. A figure published on BASE whose value changed needs an entry naming it in the"
            " corrections log: without one, diff prints the entry to paste and exits 1.",
            epilog="Exit codes: 0 no correction missing, 1 a published figure changed without a correction"
            " (or a content problem), 2 usage errors (not a git repository, an unknown BASE, an --out folder"
            " it must not replace).",
        ),
        out=False,
    )
    diff.add_argument(
        "base", metavar="BASE", help="the commit, branch or tag to compare with, such as origin/main or HEAD~1"
    )
    diff.add_argument("--out", type=Path, help="folder for report.md and the charts' SVGs (default: SITE/diff-report)")
    diff.add_argument(
        "--format",
        dest="report_format",
        choices=("markdown", "text"),
        help="the report on standard output (default: text on a terminal, else markdown)",
    )
    return main


def options_from(args: argparse.Namespace, prog: str = "build.py") -> Options:
    site = args.path if args.command == "new" else args.site
    return Options(
        site=site,
        out=getattr(args, "out", None) or site / ("diff-report" if args.command == "diff" else "_site"),
        cache=getattr(args, "cache", None) or site / ".cache",
        quiet=args.quiet,
        verbose=getattr(args, "verbose", False),
        port=getattr(args, "port", 0),
        jobs=getattr(args, "jobs", None),
        base_url=getattr(args, "base_url", None),
        prog=prog,
        drafts=getattr(args, "drafts", False),
        base=getattr(args, "base", ""),
        report_format=getattr(args, "report_format", None) or "",
    )


def check_cache(folder: Path) -> None:
    """A usage error, before anything is built, when the cache folder cannot be made or written (a file
    in its place, no permission, a full disk): charts, page markup and templates are kept there."""
    probe = folder / f".probe-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(bytes(64 * 1024))
        probe.unlink()
    except OSError as exc:
        reason = (
            "a file is in its place"
            if isinstance(exc, (FileExistsError, NotADirectoryError))
            else exc.strerror or str(exc)
        )
        raise UsageError(
            f"cannot write the cache folder {folder} ({reason}): free some space, let this user"
            " write it, remove a file in its place, or pass --cache with another folder"
        ) from None


def main(argv: list[str] | None = None, prog: str = "build.py") -> int:
    """Run a command; `prog` names the entry that started it (build.py, factsite, python -m factsite)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = parser(prog).parse_args(argv)
    options = options_from(args, prog)
    reporter = Reporter(options.quiet, options.verbose)
    commands = {"build": run_build, "check": run_check, "serve": run_serve, "new": run_new, "diff": run_diff}
    try:
        if args.command != "new":
            check_cache(options.cache)
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
    except ModuleNotFoundError as error:  # a Python without factsite's dependencies
        missing = (error.name or "").partition(".")[0]
        if missing not in DEPENDENCIES:
            raise
        reporter.error(
            f"{missing} is not installed for {sys.executable}, and factsite needs it: install factsite"
            " with pip (in a clone of its repository, `make` sets up .venv/bin/python) and run again"
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        reporter.error("interrupted; the previous output is untouched")
        return 130


def console() -> int:
    """The `factsite` command that pip installs."""
    return main(prog="factsite")
