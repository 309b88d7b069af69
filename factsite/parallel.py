"""Spread work over the machine's cores with worker processes forked from this one.

Forked workers inherit the parent's values (the validated site, compiled templates), so only each
item's result travels back. Where fork is missing (Windows) or one core is all there is, the work
runs in this process; either way the results come back in the items' order.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence

CHUNKS_PER_WORKER = 4  # a few chunks each, so a worker that finishes early takes another

_work: Callable | None = None  # set once in each forked worker (that process's state only)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _adopt(work: Callable) -> None:
    global _work
    _work = work


def _run_chunk(items: Sequence) -> list:
    return [_work(item) for item in items]


def map_forked(work: Callable, items: Sequence, workers: int) -> list:
    """[work(item) for item in items], by `workers` forked processes when more than one is asked for.

    `work` must return plain picklable values (report errors as values, not exceptions).
    """
    if workers <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [work(item) for item in items]
    size = -(-len(items) // (workers * CHUNKS_PER_WORKER))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt, initargs=(work,)) as pool:
        return [result for chunk in pool.map(_run_chunk, chunks) for result in chunk]
