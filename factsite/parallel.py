"""Spread work over the machine's cores with worker processes started safely.

A build's process may already run threads when it wants workers (vl-convert's runtime, `serve`'s
server and watcher, a test runner's), and forking a process that runs threads can deadlock the
child (Python 3.13 warns, 3.14 no longer forks by default). So workers are never forked from it:
a fork server, a fresh single-threaded Python that imports the engine once, forks them instead
(each starts in milliseconds, the engine already imported). Where there is no fork server
(Windows), workers are spawned.

Work functions are module-level functions of factsite that take and return plain picklable values
(errors as values, not exceptions). The pool is made on first use and kept for the process's life,
so `serve` and a build with several languages start it once.

As with any multiprocessing that does not fork the caller, the fork server imports the script that
started the process (build.py, the factsite command) as a module: a script of your own that calls
factsite's build functions must keep its top level under `if __name__ == "__main__":`.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

CHUNKS_PER_WORKER = 16  # small chunks: workers end within one of each other, and the first arrives soon
# What the fork server imports once, so a worker starts with the engine loaded. "__main__" is the
# script that started the build (build.py). Python's fork server (3.11 to 3.13 at least) is never
# given that script's path, so each worker runs the script again: the command-line module it imports
# is preloaded, so that costs a worker nothing.
PRELOAD = ["__main__", "factsite.cli", "factsite.prose", "factsite.charts"]
PACKAGE_PARENT = Path(__file__).resolve().parent.parent  # the folder holding this factsite package


@dataclass
class WorkerPool:
    """The process's one pool of workers and its size; `lock` guards both (serve builds from a thread)."""

    executor: ProcessPoolExecutor | None = None
    size: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_workers = WorkerPool()  # made on first use and kept for the process's life (see the module's doc)


T = TypeVar("T")  # an item of work
R = TypeVar("R")  # what work makes of it


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_method() -> str:
    """forkserver where the system has it (Linux, macOS), else spawn; never fork (see the module's doc)."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def warm_up(preload: Sequence[str] = ()) -> None:
    """Start the fork server now, in the background, so that it has imported the engine (and
    `preload`: altair, when charts will run) by the time the first worker is asked for. Does
    nothing where workers are spawned, or once the fork server runs."""
    if start_method() != "forkserver" or _workers.executor is not None:
        return
    from multiprocessing import forkserver

    multiprocessing.set_forkserver_preload(list(dict.fromkeys([*PRELOAD, *preload])))
    # The fork server is a `python -c`, whose imports start from its working folder (before Python
    # 3.13 it does not take this process's sys.path): started in the folder that holds this very
    # factsite, it imports this factsite, not a folder of that name where the build runs (a site
    # folder named factsite, as the benchmark's) nor a module shadowing a library. Each worker then
    # takes this process's folder and sys.path back (multiprocessing's preparation data).
    try:
        here = os.getcwd()
    except OSError:  # the working folder was removed
        here = None
    try:
        os.chdir(PACKAGE_PARENT)
        forkserver.ensure_running()
    finally:
        if here is not None:
            os.chdir(here)


def pool(workers: int) -> ProcessPoolExecutor:
    """The process's worker pool, with at least `workers` processes (made, or made larger, now)."""
    with _workers.lock:
        if _workers.executor is None or _workers.size < workers:
            if _workers.executor is not None:
                _workers.executor.shutdown(wait=False)
            warm_up()
            _workers.executor = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context(start_method()), initializer=ignore_interrupts
            )
            _workers.size = workers
        return _workers.executor


def ignore_interrupts() -> None:
    """In each worker: Ctrl+C is for the build's process, which stops the workers; a worker that
    took it too would print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop() -> None:
    """Stop the workers: work not started is dropped, a chunk under way finishes. Called at exit, before
    concurrent.futures would wait for every chunk (a build stopped by Ctrl+C stops at once), so that
    no worker lingers and their CPU time is counted with the build's."""
    with _workers.lock:
        if _workers.executor is not None:
            _workers.executor.shutdown(wait=True, cancel_futures=True)
            _workers.executor, _workers.size = None, 0


# Run before concurrent.futures' own exit handler (threading's, in reverse order of registering).
getattr(threading, "_register_atexit", atexit.register)(stop)


def chunked(items: Sequence[T], chunks: int) -> list[Sequence[T]]:
    """`items` in at most `chunks` consecutive slices of near-equal size."""
    size = -(-len(items) // max(1, chunks))
    return [items[start : start + size] for start in range(0, len(items), size)] if items else []


def run_chunk(work: Callable[..., R], items: Sequence[T], *shared: object) -> list[R]:
    """In a worker: [work(item, *shared) for item in items]."""
    return [work(item, *shared) for item in items]


def submit_chunks(
    work: Callable[..., R], chunks: Sequence[Sequence[T]], workers: int, *shared: object
) -> list[Future[list[R]]]:
    """A future of [work(item, *shared) for item in chunk] for each chunk, run by the pool of
    `workers` processes. `work` must be a module-level function; `shared` is sent once per chunk."""
    executor = pool(workers)
    return [executor.submit(run_chunk, work, chunk, *shared) for chunk in chunks]


def map_parallel(work: Callable[..., R], items: Sequence[T], workers: int, *shared: object) -> list[R]:
    """[work(item, *shared) for item in items], by `workers` worker processes when more than one is
    asked for and there is more than one item; in this process otherwise. Same results either way."""
    if workers <= 1 or len(items) <= 1:
        return [work(item, *shared) for item in items]
    chunks = chunked(items, workers * CHUNKS_PER_WORKER)
    return [result for future in submit_chunks(work, chunks, workers, *shared) for result in future.result()]
