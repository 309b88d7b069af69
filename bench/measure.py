"""Run one command in a fresh child process and print what it cost, as one JSON line.

    python bench/measure.py COMMAND [ARG ...]

wall: seconds from start to exit; cpu: the child's user + system seconds (with any processes it
waited for, such as worker pools); rss_mb: the largest resident set of those processes. This
wrapper is itself a fresh process per run, so the figures are the child's alone.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(command: list[str]) -> int:
    started = time.perf_counter()
    finished = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": usage.ru_utime + usage.ru_stime,
                "rss_mb": usage.ru_maxrss / 1024,
                "returncode": finished.returncode,
                "stderr": finished.stderr[-2000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
