"""Run one command in a fresh child process and print what it cost, as one JSON line.

    python bench/measure.py COMMAND [ARG ...]

wall: seconds from start until the command exits; cpu: user + system seconds of the command and of
every process it started, however started (worker pools, a fork server and its workers, which are
not the command's own children); rss_mb: the largest resident set of any one of those processes.
This wrapper is itself a fresh process per run, so the figures are the command's alone.

On Linux this process makes itself the "subreaper" of everything the command starts: a process
left behind when its parent exits (a fork server outliving the build by milliseconds) is handed
to this one, which waits for it, so its CPU time and memory are counted too.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_descendants(deadline: float) -> None:
    """Wait for every process the command left running (handed to this one), until `deadline`."""
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            time.sleep(0.005)


def main(command: list[str]) -> int:
    subreaper = become_subreaper()
    started = time.perf_counter()
    finished = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - started
    if subreaper:
        reap_descendants(time.monotonic() + 10)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": usage.ru_utime + usage.ru_stime,
                "rss_mb": usage.ru_maxrss / 1024,
                "returncode": finished.returncode,
                "stderr": finished.stderr[-2000:],
                "all_processes_counted": subreaper,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
