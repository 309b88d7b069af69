"""Time full builds of a synthetic 10-page, 8-chart site: cold (empty cache) and warm.

    python bench/run.py [--runs 5]

Each build runs in a fresh process, as an editor's would; reports median wall time and peak memory.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from make_site import make_site

PROJECT = Path(__file__).resolve().parent.parent


def timed_build(site: Path, cache: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of one build in a child process."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(PROJECT / "build.py"), "--site", str(site), "--cache", str(cache), "-q"], check=True)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--charts", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = make_site(Path(folder) / "site", args.pages, args.charts, 300)
        cold, warm = [], []
        for run in range(args.runs):
            cache = Path(folder) / f"cache{run}"
            cold.append(timed_build(site, cache)[0])
            warm.append(timed_build(site, cache)[0])
            shutil.rmtree(cache)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"site: {args.pages} pages, {args.charts} charts, 300 facts; {args.runs} runs each, fresh process per build")
    print(f"cold build (empty cache): median {statistics.median(cold):.2f} s (min {min(cold):.2f}, max {max(cold):.2f}); target < 3 s")
    print(f"warm build (cache kept):  median {statistics.median(warm):.2f} s (min {min(warm):.2f}, max {max(warm):.2f}); target < 1 s")
    print(f"peak memory of any build: {peak:.0f} MB")


if __name__ == "__main__":
    main()
