"""Incremental rebuilds in a large site: one page edited, then one fact; time until the output changed.

    python bench/incremental_bench.py [--pages 1000] [--edits 10]

Through the API (factsite/incremental.py): a full build kept in memory, then for each edit the
time from saving the file to the rebuilt files in memory, and to the new output on disk (the
whole output folder swapped in atomically, unchanged files hard-linked). Through `build.py serve`:
the time from saving the file to the first request that gets the new page.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from make_site import make_sites

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from factsite import incremental


def edit_page(site: Path, number: int) -> tuple[Path, str]:
    """Change one word of page_<n>; returns the file and the text the new output must contain."""
    path = site / "content" / f"page_{number}.md"
    marker = f"edited{number}x"
    text = path.read_text()
    heading = text.index("## Section A")
    path.write_text(text[:heading] + f"{marker}\n\n" + text[heading:])
    return path, marker


def edit_chart(site: Path, number: int, edit: int) -> tuple[Path, str]:
    """Retitle chart_<n> (drawn on page_<n>); returns the file and the title the new page must show."""
    path = site / "content" / "charts" / f"chart_{number}.py"
    text = path.read_text()
    title = f"Synthetic chart {number} (edit {edit})"
    path.write_text(re.sub(r'title="Synthetic chart [^"]*"', f'title="{title}"', text))
    return path, title


def incremental_benchmark(folder: Path, pages: int, edits: int = 10) -> None:
    site = make_sites(folder / "incremental", pages, 8, 300, others=False)
    cache, out = folder / "incremental-cache", folder / "incremental-out"
    incremental.write_build(incremental.full_build(site, cache), out)  # fills the caches, as a first build would
    started = time.perf_counter()
    build = incremental.full_build(site, cache)
    first = time.perf_counter() - started
    incremental.write_build(build, out)
    in_memory, on_disk = [], []
    for number in range(1, edits + 1):
        path, marker = edit_page(site, number)
        started = time.perf_counter()
        build = incremental.rebuild(build, [path])
        rebuilt = time.perf_counter()
        incremental.write_build(build, out)
        written = time.perf_counter()
        assert build.rendered_pages == (f"page_{number}.html",), build.rendered_pages
        assert marker in (out / f"page_{number}.html").read_text()
        in_memory.append(rebuilt - started)
        on_disk.append(written - started)
    facts = site / "content" / "facts" / "facts.yaml"
    facts.write_text(facts.read_text().replace("{id: fact_7, value: ", "{id: fact_7, value: 1", 1))
    started = time.perf_counter()
    build = incremental.rebuild(build, [facts])
    fact_seconds = time.perf_counter() - started
    users = {
        use.page for page in build.pages.values() for use in page.uses if use.kind == "fact" and use.id == "fact_7"
    }
    print(f"\nIncremental, {pages:,} pages, {edits} one-page edits (full build in memory first: {first:.2f} s):")
    print(
        f"  edit -> pages rebuilt in memory: median {1000 * statistics.median(in_memory):.0f} ms"
        f" (max {1000 * max(in_memory):.0f}); target < 100 ms: "
        f"{'met' if statistics.median(in_memory) < 0.1 else 'NOT met'}"
    )
    print(
        f"  edit -> new output on disk (atomic swap): median {1000 * statistics.median(on_disk):.0f} ms (max "
        f"{1000 * max(on_disk):.0f})"
    )
    print(
        f"  a fact edit: {1000 * fact_seconds:.0f} ms; rendered {len(build.rendered_pages)} pages"
        f" (the {len(users)} pages using it) and {len(build.rendered_charts)} charts "
        f"({', '.join(build.rendered_charts) or 'none'})"
    )


def served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def serve_benchmark(folder: Path, pages: int, edits: int = 10, chart_edits: int = 5) -> dict:
    """Edit -> page served by `build.py serve`, as a browser sees it: the build event arrives on the
    page's event stream, then the page is fetched again. First `edits` page edits, then `chart_edits`
    edits of a chart module (its title, so the module runs and vl-convert draws it again).
    Returns the medians in seconds: {"page": ..., "chart": ...}."""
    project = Path(__file__).resolve().parent.parent
    site = make_sites(folder / "serve", pages, 8, 300, others=False)
    cache = folder / "incremental-cache"
    command = [
        sys.executable,
        str(project / "build.py"),
        "serve",
        "--site",
        str(site),
        "--cache",
        str(cache),
        "--port",
        "0",
    ]
    if subprocess.run([*command[:3], "--help"], capture_output=True, check=False).returncode != 0:
        print("\nserve: not available in this version")
        return {}
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        address = None
        for line in server.stderr:
            found = re.search(r"serving (http://127\.0\.0\.1:\d+)(/\S*)", line)
            if found:
                address = found.group(1) + found.group(2)
                break
        if address is None:
            print("\nserve: did not start")
            return {}
        threading.Thread(target=server.stderr.read, daemon=True).start()  # keep its messages from filling the pipe
        events = urllib.request.urlopen(found.group(1) + "/__factsite/events", timeout=10)
        next_build(events)  # the current build, sent on connecting

        def timed(edit) -> float:
            time.sleep(0.3)  # let the watcher settle between edits, as between an editor's saves
            page, marker = edit()
            started = time.perf_counter()
            while True:
                next_build(events)
                if marker in served(f"{address}{page}"):
                    return time.perf_counter() - started

        latencies = [timed(lambda n=n: (f"page_{n}.html", edit_page(site, n)[1])) for n in range(1, edits + 1)]
        # Charts 1..k sit on pages 1..k (make_site places chart c on page c).
        chart_latencies = [
            timed(lambda n=n: (f"page_{1 + n % 7}.html", edit_chart(site, 1 + n % 7, n)[1])) for n in range(chart_edits)
        ]
        events.close()
        median, chart_median = statistics.median(latencies), statistics.median(chart_latencies)
        print(
            f"  edit -> page served by `build.py serve` (build event, then the page): median {1000 * median:.0f} ms"
            f" (max {1000 * max(latencies):.0f}); target < 100 ms: {'met' if median < 0.1 else 'NOT met'}"
        )
        print(
            f"  chart edited -> its page served by `build.py serve`: median {1000 * chart_median:.0f} ms"
            f" (max {1000 * max(chart_latencies):.0f}, first {1000 * chart_latencies[0]:.0f});"
            f" target < 300 ms: {'met' if chart_median < 0.3 else 'NOT met'}"
        )
        return {"page": median, "chart": chart_median}
    finally:
        server.terminate()
        server.wait(timeout=10)


def next_build(events) -> None:
    """Wait for the next build event on a serve event stream."""
    while events.readline().strip() != b"event: build":
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        incremental_benchmark(Path(folder), args.pages, args.edits)
        serve_benchmark(Path(folder), args.pages, args.edits)


if __name__ == "__main__":
    main()
