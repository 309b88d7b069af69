"""Benchmark: our build against Pelican, MkDocs, Hugo and a bare Markdown + Jinja2 loop, then the
reader's side (bytes per page, Lighthouse). Prints every target of issues 23 and 12 with "met" or
"NOT met", cold builds first.

    make bench                                    # sizes 100, 1,000, 10,000 pages; everything
    make bench BENCH_ARGS="--sizes 100,1000 --runs 3 --skip-lighthouse"
    make bench BENCH_ARGS="--sizes '' --skip-startup --skip-charts --skip-incremental --skip-reader"  # issue 23 only

Issue 23's targets come first: this explainer (site.yaml, content/ with its charts, templates/,
locales/) copied with 1,000 synthetic pages added (--explainer-pages), built cold, against Pelican
building the same 1,000 pages with the same Markdown extensions (extra, toc, sane_lists, smarty,
admonition; at most 0.8x, moonshot 0.5x), Pelican's default beside it; and the explainer alone
built again with its cache and output kept and nothing changed (under 0.3 s). Pelican builds only the
synthetic pages: the explainer's pages need our fact() and chart() calls, so ours does more work.
    bench/.venv/bin/python ... (see `make bench`) bench/run.py --help

Every tool builds the same synthetic pages (bench/make_site.py); Pelican, MkDocs and Hugo as they
come (MkDocs without its search index, which ours does not make either); the bare loop with our
Markdown extensions (extra, toc, sane_lists, smarty) and with none. Each build is a fresh process
started by bench/measure.py; runs alternate between tools (the order turns each round) after one
untimed warm-up build each. Reported: median wall time (with min and max), median CPU time (user +
system of the build and every process it started: a fork server and its workers too), largest
resident memory of any one of its processes, and ratios.

Our build is timed cold (a new, empty .cache each run: a fresh clone, every CI run and Pages deploy
without a kept cache; the headline) and with caches warm (the chart and prose cache kept from the
warm-up, as an editor's would be), and cold in one process (--jobs 1), which shows what the worker
processes save and cost. The Vega bundle comes from the user cache (FACTSITE_USER_CACHE, here a
folder of the benchmark's), where the first build of a vl-convert version puts it; a separate
check shows it is made once. Pelican is timed as configured by default, with its own content
cache on, and with our Markdown extensions added to its own (the same Markdown work as ours: its
defaults leave out smarty, which alone costs about half of our Markdown time). Pelican and MkDocs
are slow at 10,000 pages, so they run only up to --slow-tools-up-to.

Then: what starting the worker processes costs alone; 100 charts built cold; the incremental
rebuild of one edited page in a 1,000-page site, and edits seen through `build.py serve` (a page, a
chart); the explainer's own pages: bytes per page until a reader reaches for a chart (before: with
the Vega bundle loaded at once), and Lighthouse (mobile) on every page (bench/lighthouse.mjs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from make_site import make_explainer_sites, make_sites

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
OURS = Path(sys.executable)  # run with the project's environment
TOOLS_BIN = BENCH / ".venv" / "bin"
LIGHTHOUSE = BENCH / "node_modules" / "lighthouse"


@dataclass
class Tool:
    name: str
    command: Callable[[Path], list[str]]  # work folder -> command
    prepare: Callable[[Path], None] = lambda work: None  # before each timed run
    cwd: str = ""  # relative to the work folder
    slow: bool = False  # skipped above --slow-tools-up-to pages
    ours: bool = False


def hugo_binary() -> str:
    """The Hugo executable itself, not the Python wrapper script that would add its own start-up."""
    found = sorted((BENCH / ".venv" / "lib").glob("python*/site-packages/hugo/binaries/hugo"))
    if not found:
        sys.exit("Hugo not found in bench/.venv: run `make bench`")
    return str(found[0])


def empty_cache(name: str) -> Callable[[Path], None]:
    return lambda work: shutil.rmtree(work / name, ignore_errors=True)


def ours_command(cache: str, *more: str) -> Callable[[Path], list[str]]:
    return lambda w: [
        *(str(OURS), str(PROJECT / "build.py"), "--site", str(w / "factsite"), "--out", str(w / "out" / cache)),
        *("--cache", str(w / cache), "-q", *more),
    ]


def pelican_command(settings: str, out: str) -> Callable[[Path], list[str]]:
    return lambda w: [str(TOOLS_BIN / "pelican"), "content", "-s", settings, "-o", str(w / "out" / out), "-q"]


def mkdocs_command(w: Path) -> list[str]:
    return [
        str(TOOLS_BIN / "mkdocs"),
        "build",
        "-q",
        "-f",
        str(w / "mkdocs" / "mkdocs.yml"),
        "-d",
        str(w / "out" / "mkdocs"),
    ]


def hugo_command(w: Path) -> list[str]:
    return [hugo_binary(), "--source", str(w / "hugo"), "--destination", str(w / "out" / "hugo"), "--quiet"]


def bare_command(*options: str) -> Callable[[Path], list[str]]:
    return lambda w: [str(TOOLS_BIN / "python"), str(BENCH / "bare_loop.py"), str(w / "bare"),
                      str(w / "out" / f"bare{''.join(options)}"), *options]  # fmt: skip


COLD, WARM, ONE = "factsite (cold cache)", "factsite (warm cache)", "factsite (cold, 1 process)"
BARE = "bare loop, our extensions"
BARE_PLAIN = "bare loop, plain Markdown"
PELICAN_OURS = "pelican (our Markdown ext.)"
TOOLS = [
    Tool(COLD, ours_command("cache-cold"), prepare=empty_cache("cache-cold"), ours=True),
    Tool(WARM, ours_command("cache-warm"), ours=True),
    Tool(ONE, ours_command("cache-one", "--jobs", "1"), prepare=empty_cache("cache-one"), ours=True, slow=True),
    Tool("pelican", pelican_command("pelicanconf.py", "pelican"), cwd="pelican", slow=True),
    Tool(
        "pelican (content cache)", pelican_command("pelicanconf_cached.py", "pelican-cached"), cwd="pelican", slow=True
    ),
    Tool(
        PELICAN_OURS, pelican_command("pelicanconf_our_markdown.py", "pelican-our-markdown"), cwd="pelican", slow=True
    ),
    Tool("mkdocs", mkdocs_command, slow=True),
    Tool("hugo", hugo_command),
    Tool(BARE, bare_command()),
    Tool(BARE_PLAIN, bare_command("--plain")),
]
BASELINES = ("pelican", "pelican (content cache)", PELICAN_OURS, "mkdocs", "hugo", BARE, BARE_PLAIN)


# Issue 23's comparison: this explainer with synthetic pages added (its own charts, none added), cold,
# against Pelican building the same synthetic pages; and the explainer alone rebuilt with nothing changed.
GROWN_COLD = "factsite, explainer + pages (cold)"
GROWN_PAGES = "factsite, explainer + pages (cold, charts cached)"
EXPLAINER_COLD = "factsite, explainer (cold)"
EXPLAINER_WARM = "factsite, explainer (warm, unchanged)"
CHART_CACHE = ("charts", "svg", "png")  # the chart cache's folders in a site's .cache


def all_but_charts(name: str) -> Callable[[Path], None]:
    """Empty the cache `name` but for the chart cache: what the pages cost, the charts drawn before."""

    def prepare(work: Path) -> None:
        for entry in (work / name).glob("*"):
            if entry.name in CHART_CACHE:
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    return prepare


def explainer_command(cache: str) -> Callable[[Path], list[str]]:
    """The explainer alone, with the cache `cache`."""
    return lambda w: [str(OURS), str(PROJECT / "build.py"), "--site", str(w / "explainer"),
                      "--out", str(w / "out" / cache), "--cache", str(w / cache), "-q"]  # fmt: skip


EXPLAINER_TOOLS = [
    Tool(GROWN_COLD, ours_command("cache-cold"), prepare=empty_cache("cache-cold"), ours=True),
    Tool(GROWN_PAGES, ours_command("cache-pages"), prepare=all_but_charts("cache-pages"), ours=True),
    Tool(EXPLAINER_COLD, explainer_command("explainer-cold"), prepare=empty_cache("explainer-cold"), ours=True),
    Tool(EXPLAINER_WARM, explainer_command("cache-explainer"), ours=True),  # its cache and output kept: unchanged
    Tool("pelican", pelican_command("pelicanconf.py", "pelican"), cwd="pelican"),
    Tool(PELICAN_OURS, pelican_command("pelicanconf_our_markdown.py", "pelican-our-markdown"), cwd="pelican"),
]
COLD_TARGET, COLD_MOONSHOT, WARM_TARGET = 0.8, 0.5, 0.3  # x Pelican with our Markdown; seconds


def measure(command: list[str], cwd: Path) -> dict:
    """One build in a fresh process, measured by bench/measure.py."""
    line = subprocess.run(
        [sys.executable, str(BENCH / "measure.py"), *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    result = json.loads(line.stdout)
    if result["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result['stderr']}")
    return result


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def time_tools(tools: list[Tool], work: Path, runs: int) -> dict[str, list[dict]]:
    """runs x each tool, alternating, after one warm-up each; tool name -> list of measurements."""
    for tool in tools:
        tool.prepare(work)
        measure(tool.command(work), work / tool.cwd)
    results: dict[str, list[dict]] = {tool.name: [] for tool in tools}
    for round_number in range(runs):
        turn = round_number % len(tools)
        for tool in tools[turn:] + tools[:turn]:
            tool.prepare(work)
            results[tool.name].append(measure(tool.command(work), work / tool.cwd))
    return results


def median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in results)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def print_table(pages: int, results: dict[str, list[dict]], note: str, cold_name: str = COLD) -> None:
    cold = median(results[cold_name], "wall")
    print(f"\n{pages:,} pages ({note})")
    width = max(28, *(len(name) + 2 for name in results))
    print(f"{'tool':<{width}}{'wall s (median)':>16}{'min-max':>15}{'CPU s':>8}{'peak MB':>9}{'ours(cold) / it':>17}")
    for name, found in results.items():
        walls = [r["wall"] for r in found]
        ratio = f"{cold / median(found, 'wall'):.2f}x" if name in BASELINES else ""
        print(
            f"{name:<{width}}{median(found, 'wall'):>16.3f}{f'{min(walls):.2f}-{max(walls):.2f}':>15}"
            f"{median(found, 'cpu'):>8.2f}{max(r['rss_mb'] for r in found):>9.0f}{ratio:>17}"
        )
    if not all(r.get("all_processes_counted") for found in results.values() for r in found):
        print(
            "  (this system cannot hand orphaned processes to the benchmark: CPU and memory of a fork server may be "
            "missing)"
        )


# ---- targets ---------------------------------------------------------------------------------


def cold_summary(by_size: dict[int, dict[str, list[dict]]]) -> list[str]:
    """The cold figures, first: per size, ours cold against Pelican, the bare loop and ours in one process."""
    lines = []
    for size, found in sorted(by_size.items()):
        parts = [
            f"ours {median(found[COLD], 'wall'):.2f} s (CPU {median(found[COLD], 'cpu'):.2f} s,"
            f" peak {max(r['rss_mb'] for r in found[COLD]):.0f} MB)"
        ]
        for name, label in (
            ("pelican", "Pelican"),
            (PELICAN_OURS, "Pelican with our Markdown extensions"),
            (BARE, "bare loop with our extensions"),
            (BARE_PLAIN, "bare loop, plain"),
            (ONE, "ours in 1 process"),
            ("hugo", "Hugo"),
        ):
            if name in found:
                parts.append(f"{label} {median(found[name], 'wall'):.2f} s (CPU {median(found[name], 'cpu'):.2f} s)")
        lines.append(f"  {size:,} pages cold: " + "; ".join(parts))
    return lines


def print_build_targets(by_size: dict[int, dict[str, list[dict]]]) -> None:
    print("\nCold builds (the headline: a fresh clone, every CI run and Pages deploy without a kept .cache/)")
    for line in cold_summary(by_size):
        print(line)
    print("\nTargets")
    if 1000 in by_size:
        found = by_size[1000]
        cold, cold_cpu = median(found[COLD], "wall"), median(found[COLD], "cpu")
        if "pelican" in found:
            ratio = cold / median(found["pelican"], "wall")
            print(
                f"  1,000 pages, cold: ours / Pelican (default settings) = {ratio:.2f}x (target <= 1.0): "
                f"{verdict(ratio <= 1.0)}"
            )
        if PELICAN_OURS in found:  # not a target: the same Markdown work on both sides
            ratio = cold / median(found[PELICAN_OURS], "wall")
            print(
                f"  1,000 pages, cold: ours / Pelican with our Markdown extensions (smarty, toc, ...) = {ratio:.2f}x"
                " (for comparison: Pelican's defaults leave out smarty, about half of our Markdown time)"
            )
        if BARE in found:
            beyond = cold_cpu / median(found[BARE], "cpu") - 1
            print(
                f"  1,000 pages, cold: our CPU beyond the bare loop with our extensions = {100 * beyond:+.0f}%"
                f" ({cold_cpu:.2f} s against {median(found[BARE], 'cpu'):.2f} s; target <= 25%): "
                f"{verdict(beyond <= 0.25)}"
            )
        if ONE in found:
            one = median(found[ONE], "wall")
            print(
                f"  1,000 pages, cold: with worker processes {cold:.2f} s, in one process {one:.2f} s"
                f" (x{one / cold:.2f}); CPU {cold_cpu:.2f} s against {median(found[ONE], 'cpu'):.2f} s"
            )
        warm = median(found[WARM], "wall")
        # The warm targets of the issue before (#10), kept; then the same bar against faster variants.
        for name, limit, kind in (
            ("pelican", 0.5, "target"),
            (BARE, 0.8, "target"),
            ("hugo", 3.0, "goal"),
            ("pelican (content cache)", 0.5, "stricter check"),
            (BARE_PLAIN, 0.8, "stricter check"),
        ):
            if name in found:
                ratio = warm / median(found[name], "wall")
                print(
                    f"  1,000 pages, warm: ours / {name} = {ratio:.2f} ({kind} <= {limit}): {verdict(ratio <= limit)}"
                )
        peak = max(r["rss_mb"] for name in (COLD, WARM) for r in found[name])
        print(f"  1,000 pages: peak memory of our build {peak:.0f} MB (target < 300): {verdict(peak < 300)}")
    sizes = sorted(by_size)
    for label, name in (("cold", COLD), ("warm", WARM)):
        curve = [(size, median(by_size[size][name], "wall")) for size in sizes]
        print(
            f"  growth, {label}: "
            + ", ".join(
                f"{size:,} pages {seconds:.2f} s ({1000 * seconds / size:.2f} ms/page)" for size, seconds in curve
            )
        )
        for (small, t_small), (big, t_big) in pairwise(curve):
            print(
                f"  {small:,} -> {big:,} pages, {label}: time x{t_big / t_small:.1f} for pages x{big / small:.0f}:"
                f" {verdict(t_big / t_small <= big / small)} (no worse than linear)"
            )
    if 10_000 in by_size:
        peak = max(r["rss_mb"] for r in by_size[10_000][COLD])
        print(f"  10,000 pages, cold: peak memory {peak:.0f} MB (largest process; target < 600): {verdict(peak < 600)}")


def built_summary(site: Path, folder: Path) -> str:
    """What our build says it built ("built 1016 pages, 14 charts ..."), from one more build of `site`
    (with the cache the last cold run left, so it takes little time)."""
    finished = subprocess.run(
        [str(OURS), str(PROJECT / "build.py"), "--site", str(site), "--out", str(folder / "out" / "summary"),
         "--cache", str(folder / "cache-cold")], capture_output=True, text=True, check=True,
    )  # fmt: skip
    return finished.stderr.strip().splitlines()[-1].split(" in ")[0]


def explainer_benchmark(folder: Path, pages: int, runs: int) -> list[str]:
    """Issue 23's targets: the explainer with `pages` pages added, cold, against Pelican with the same
    Markdown extensions (and by default); the explainer alone, warm, nothing changed. Returns the lines."""
    work = folder / "explainer-plus"
    grown, _ = make_explainer_sites(work, PROJECT, pages)
    before = load()
    found = time_tools(EXPLAINER_TOOLS, work, runs)
    built = built_summary(grown, work)
    print_table(
        pages, found, f"added to the explainer: {built}; {runs} runs each; {before}, after: {load()}", GROWN_COLD
    )
    shutil.rmtree(work)
    cold, cold_cpu = median(found[GROWN_COLD], "wall"), median(found[GROWN_COLD], "cpu")
    same, default = median(found[PELICAN_OURS], "wall"), median(found["pelican"], "wall")
    warm, warm_cpu = median(found[EXPLAINER_WARM], "wall"), median(found[EXPLAINER_WARM], "cpu")
    pages_only, pages_cpu = median(found[GROWN_PAGES], "wall"), median(found[GROWN_PAGES], "cpu")
    alone, alone_cpu = median(found[EXPLAINER_COLD], "wall"), median(found[EXPLAINER_COLD], "cpu")
    ratio = cold / same
    return [
        f"  cold, {pages:,} pages added to the explainer ({built}): ours {cold:.2f} s (CPU {cold_cpu:.2f} s);"
        f" Pelican with the same Markdown (extra, toc, sane_lists, smarty, admonition) {same:.2f} s"
        f" (CPU {median(found[PELICAN_OURS], 'cpu'):.2f} s): {ratio:.2f}x",
        f"    target <= {COLD_TARGET}x: {verdict(ratio <= COLD_TARGET)}; moonshot <= {COLD_MOONSHOT}x:"
        f" {verdict(ratio <= COLD_MOONSHOT)}; beside it, Pelican's default {default:.2f} s"
        f" (CPU {median(found['pelican'], 'cpu'):.2f} s): ours {cold / default:.2f}x",
        f"    where the time goes: the same build with the charts in the chart cache (its pages cold)"
        f" {pages_only:.2f} s (CPU {pages_cpu:.2f} s): {pages_only / same:.2f}x; the explainer alone, cold"
        f" (its charts drawn, in two layouts and a PNG each, in both languages) {alone:.2f} s (CPU {alone_cpu:.2f} s)"
        f" on {usable_cores()} cores",
        f"  warm, the explainer with nothing changed: {warm:.2f} s (CPU {warm_cpu:.2f} s), target < {WARM_TARGET} s:"
        f" {verdict(warm < WARM_TARGET)}; beside it, Pelican's default on the {pages:,} pages"
        f" {default:.2f} s ({warm / default:.2f}x)",
    ]


# ---- worker processes, the Vega bundle, charts -------------------------------------------------


def worker_start_benchmark(runs: int = 5) -> None:
    """What starting the workers costs alone: the fork server importing the engine, and the workers."""
    results = [measure([str(OURS), str(BENCH / "worker_start.py")], PROJECT) for _ in range(runs)]
    print(
        f"\nWorker processes: started by a fork server ({start_method()}), never forked from the build's process, which"
        f" may run threads (vl-convert's runtime, serve's server and watcher): a fresh Python that imports the engine"
        f" once, then forks each worker. Starting it and {usable_cores()} workers, alone, in a fresh process:"
        f" median {median(results, 'wall'):.2f} s wall, {median(results, 'cpu'):.2f} s CPU (the probe's own Python "
        "included)."
    )


def start_method() -> str:
    return subprocess.run(
        [str(OURS), "-c", "from factsite.parallel import start_method; print(start_method())"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def bundle_benchmark(folder: Path) -> None:
    """The Vega bundle is made once per vl-convert version into the user cache; a later cold build
    (an empty site cache) reads it. Shown with a user cache of its own, on the explainer."""
    user_cache = folder / "bundle-user-cache"
    environment = {**os.environ, "FACTSITE_USER_CACHE": str(user_cache)}
    times, stamps = [], []
    for run in range(2):
        cache = folder / f"bundle-site-cache-{run}"
        command = [
            str(OURS),
            str(PROJECT / "build.py"),
            "--site",
            str(PROJECT),
            "--out",
            str(folder / f"bundle-out-{run}"),
            "--cache",
            str(cache),
            "-q",
        ]
        line = subprocess.run(
            [sys.executable, str(BENCH / "measure.py"), *command],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        )
        times.append(json.loads(line.stdout)["wall"])
        made = sorted(user_cache.glob("vega-embed-*.js"))
        stamps.append([(path.name, path.stat().st_mtime_ns) for path in made])
    reused = bool(stamps[0]) and stamps[0] == stamps[1]
    print(
        f"\nVega bundle: the explainer built cold with an empty user cache {times[0]:.2f} s (the bundle made, once per"
        f" vl-convert version), then cold again (a new, empty site cache) {times[1]:.2f} s, the bundle read from the"
        f" user cache; made once, not on every cold build: {verdict(reused)}"
    )


def chart_benchmark(folder: Path, runs: int) -> None:
    site = make_sites(folder / "charts", 100, 100, 1300, others=False)

    def command(cache: Path) -> list[str]:
        return [str(OURS), str(PROJECT / "build.py"), "--site", str(site), "--cache", str(cache)]

    cold = []
    for run in range(runs):
        cache = folder / f"chart-cache-{run}"
        cold.append(measure([*command(cache), "-q"], folder))
        if run < runs - 1:
            shutil.rmtree(cache)
    summary = subprocess.run(
        command(folder / f"chart-cache-{runs - 1}"), capture_output=True, text=True, check=True
    ).stderr.strip()
    seconds = median(cold, "wall")
    print(
        f"\nCharts: 100 pages with 100 charts, cold cache, charts run and drawn in {usable_cores()} worker processes:"
        f" median {seconds:.2f} s over {runs} runs, CPU {median(cold, 'cpu'):.2f} s,"
        f" peak {max(r['rss_mb'] for r in cold):.0f} MB (target < 8 s on 2 cores): {verdict(seconds < 8)}"
    )
    print(f"  rebuilt unchanged: {summary}  (every SVG from the cache: no vl-convert call)")


# ---- the reader's side ------------------------------------------------------------------------


def reader_benchmark(folder: Path, lighthouse: bool, lighthouse_pages: str | None) -> None:
    """The explainer's own pages: bytes until a reader reaches for a chart, then Lighthouse on each."""
    from page_bytes import report

    site = folder / "explainer"
    subprocess.run([str(OURS), str(PROJECT / "build.py"), "--site", str(PROJECT), "--out", str(site),
                    "--cache", str(folder / "explainer-cache"), "-q"], check=True)  # fmt: skip
    report(site)
    if not lighthouse:
        return
    if not (LIGHTHOUSE / "package.json").is_file() or not shutil.which("node"):
        print(
            "\nLighthouse: not installed (make bench installs it into bench/node_modules with npm): NOT met (not "
            "measured)"
        )
        return
    command = ["node", str(BENCH / "lighthouse.mjs"), str(site), "--json", str(folder / "lighthouse.json")]
    if lighthouse_pages:
        command += ["--pages", lighthouse_pages]
    version = json.loads((LIGHTHOUSE / "package.json").read_text())["version"]
    print(
        f"\nLighthouse {version}, mobile emulation (simulated slow 4G, 4x slower CPU), the explainer served locally"
        f" with gzip; targets: performance >= 95, accessibility, best practices and SEO = 100:"
    )
    environment = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    print("\n".join(f"  {line}" for line in finished.stdout.splitlines()))
    if finished.returncode != 0:
        print(f"  Lighthouse could not run: {finished.stderr.strip()[-1500:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        default="100,1000,10000",
        help='synthetic sites\' page counts, comma-separated (default: 100,1000,10000; "" for none)',
    )
    parser.add_argument(
        "--explainer-pages",
        type=int,
        default=1000,
        help="pages added to the explainer for issue 23's cold target (default 1000; 0 leaves it out)",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per tool (default 5; 3 at 10,000 pages and more)"
    )
    parser.add_argument("--charts", type=int, default=8, help="charts in our site (default 8)")
    parser.add_argument(
        "--slow-tools-up-to",
        type=int,
        default=1000,
        help="largest site Pelican, MkDocs and our one-process build build (default 1000)",
    )
    parser.add_argument("--skip-charts", action="store_true", help="leave out the 100-chart benchmark")
    parser.add_argument(
        "--skip-startup", action="store_true", help="leave out the worker start and Vega bundle measurements"
    )
    parser.add_argument(
        "--skip-incremental", action="store_true", help="leave out the incremental and serve benchmarks"
    )
    parser.add_argument("--skip-reader", action="store_true", help="leave out bytes per page and Lighthouse")
    parser.add_argument("--skip-lighthouse", action="store_true", help="leave out Lighthouse (bytes per page stay)")
    parser.add_argument("--lighthouse-pages", help="pages for Lighthouse, comma-separated (default: every page)")
    parser.add_argument("--work", type=Path, help="folder for sites and output (default: a temporary folder)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"{os.cpu_count()} cores; {load()}")
    headline: list[str] = []
    with tempfile.TemporaryDirectory(dir=args.work) as folder:
        # Our builds take the Vega bundle from a user cache of the benchmark's own (made by the first
        # build, as on a machine where factsite has built once); bundle_benchmark shows it made once.
        os.environ["FACTSITE_USER_CACHE"] = str(Path(folder) / "user-cache")
        if args.explainer_pages:
            headline = explainer_benchmark(Path(folder), args.explainer_pages, args.runs)
            print("\nIssue 23's targets")
            print("\n".join(headline))
        by_size = {}
        for pages in sizes:
            work = Path(folder) / str(pages)
            make_sites(work, pages, args.charts, 300, others=True)
            tools = [t for t in TOOLS if not (t.slow and pages > args.slow_tools_up_to)]
            runs = args.runs if pages < 10_000 else min(args.runs, 3)
            before = load()
            by_size[pages] = time_tools(tools, work, runs)
            print_table(
                pages,
                by_size[pages],
                f"{args.charts} charts in ours, 300 facts; {runs} runs each; {before}, after: {load()}",
            )
            shutil.rmtree(work)
        if by_size:
            print_build_targets(by_size)
        if not args.skip_startup:
            worker_start_benchmark()
            bundle_benchmark(Path(folder))
        if not args.skip_charts:
            chart_benchmark(Path(folder), 3)
        if not args.skip_incremental:
            from incremental_bench import incremental_benchmark, serve_benchmark

            incremental_benchmark(Path(folder), 1000)
            serve_benchmark(Path(folder), 1000)
        if not args.skip_reader:
            reader_benchmark(Path(folder), not args.skip_lighthouse, args.lighthouse_pages)
    if headline:
        print("\nIssue 23's targets (as above)")
        print("\n".join(headline))
    print(f"\n{load()}")


if __name__ == "__main__":
    main()
