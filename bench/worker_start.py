"""What starting the build's worker processes costs, alone: the fork server (a fresh Python that
imports the engine once) and N workers forked from it, each running one trivial task.

    python bench/worker_start.py [N]    # prints one JSON line: {"workers": N, "seconds": ...}

Run through bench/measure.py, whose CPU figure then counts the fork server and the workers too.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from factsite import parallel

    workers = int(sys.argv[1]) if len(sys.argv) > 1 else parallel.usable_cores()
    started = time.perf_counter()
    parallel.warm_up()
    futures = [parallel.pool(workers).submit(sum, [number]) for number in range(workers)]
    assert [future.result() for future in futures] == list(range(workers))
    print(json.dumps({"workers": workers, "method": parallel.start_method(), "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
