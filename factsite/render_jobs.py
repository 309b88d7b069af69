"""Which process makes what (render): charts and page Markdown sent to worker processes when there
are enough to pay for their start, pages rendered here as their Markdown arrives."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import jinja2

from . import charts as chart_stage
from .errors import ContentError, ContentErrors, listed
from .keys import body_key
from .model import Page, RawChart, Site
from .parallel import CHUNKS_PER_WORKER, chunked, submit_chunks, usable_cores, warm_up
from .prose import (
    Memo,
    ProseCompiler,
    ProseMarkup,
    compile_in_worker,
)
from .render_html import Charts, RenderedPage, render_page

PARALLEL_PAGES = 100  # pages to put through Markdown before worker processes save more than they cost
PARALLEL_CHARTS = 8  # charts to run or draw before worker processes pay (each starts Altair and vl-convert)


def no_progress(step: str) -> None:
    """The default for render_site's progress: report nothing."""


class ChartJobs:
    """A site's charts: those the cache holds, taken at once; the others run and drawn in worker
    processes when there are enough of them to pay for the workers' start (each worker starts
    Altair and vl-convert), else here when asked for (result). Each chart is a job of its own: a
    chart takes most of a second, and those no worker has started when this process asks for them
    are made here, so that no core waits while another draws."""

    def __init__(self, site: Site, cache_dir: Path, workers: int = 1, many: bool = False, pngs: bool = False):
        """`many`: the build has PARALLEL_CHARTS or more to make in all its languages together, so even
        a language with fewer sends its charts to a worker (each language's to another). `pngs`: each
        chart's PNG (embeds.embed_files) is drawn with it, into the cache, by the process that makes it."""
        self.site, self.cache_dir = site, cache_dir
        self.share = frozenset(site.charts) if pngs else frozenset()
        self.ready: dict[str, chart_stage.RenderedChart | list[ContentError]] = {}  # or the chart's errors
        self.todo: list[RawChart] = []  # still to run or draw
        for chart_id, raw in sorted(site.charts.items()):
            try:
                found = chart_stage.render_chart(raw, site, cache_dir, cached_only=True)
            except (ContentError, ContentErrors) as failure:
                self.ready[chart_id] = listed(failure)
                continue
            if found is None:
                self.todo.append(raw)
            else:
                self.ready[chart_id] = found
        self.chunks, self.futures = [], []
        self.done: Charts | None = None  # what result() returned
        if workers > 1 and self.todo and (many or len(self.todo) >= PARALLEL_CHARTS):
            self.chunks = [[raw] for raw in self.todo]
            try:
                self.futures = submit_chunks(
                    chart_stage.render_in_worker,
                    self.chunks,
                    workers,
                    chart_stage.for_workers(site),
                    cache_dir,
                    self.share,
                )
            except (OSError, BrokenProcessPool):  # no worker could start: all are rendered here
                self.chunks, self.futures = [], []

    def make_here(self, charts: Iterable[RawChart]) -> None:
        """Run and draw `charts` in this process, those not made already, with their PNGs as a worker would."""
        for raw in charts:
            if raw.id in self.ready:
                continue
            try:
                self.ready[raw.id] = chart_stage.render_drawn(raw, self.site, self.cache_dir, self.share)
            except (ContentError, ContentErrors) as failure:
                self.ready[raw.id] = listed(failure)

    def result(self, progress: Callable[[str], None] = no_progress) -> Charts:
        """Every chart by id (in id order); raises the charts' ContentErrors, all of them at once."""
        if self.done is not None:
            return self.done
        if self.futures:
            progress(f"rendering {len(self.todo)} charts in this and worker processes")
        for chunk, future in reversed(list(zip(self.chunks, self.futures, strict=True))):
            if future.cancel():  # no worker has it yet (they take the first): made here, from the last
                self.make_here(chunk)
        for chunk, future in zip(self.chunks, self.futures, strict=True):
            if future.cancelled():
                continue
            try:
                results = future.result()
            except BrokenProcessPool:
                continue  # rendered here, below
            for raw, found in zip(chunk, results, strict=True):
                self.ready[raw.id] = [ContentError(*problem) for problem in found] if isinstance(found, list) else found
        self.chunks, self.futures = [], []
        for number, (chart_id, raw) in enumerate(sorted(self.site.charts.items()), start=1):
            progress(f"rendering chart {number} of {len(self.site.charts)}: {chart_id}")
            self.make_here([raw])
        errors = [error for _, found in sorted(self.ready.items()) if isinstance(found, list) for error in found]
        if errors:
            raise ContentErrors(errors)
        self.done = {chart_id: found for chart_id, found in sorted(self.ready.items()) if not isinstance(found, list)}
        return self.done


def render_charts(site: Site, cache_dir: Path, progress: Callable[[str], None], workers: int = 1) -> Charts:
    """Every chart of the site by id, from the cache or made now (in `workers` processes when many)."""
    return ChartJobs(site, cache_dir, workers).result(progress)


class ProseJobs:
    """The markup of pages that need Markdown, made in worker processes, chunk by chunk in page order;
    each chunk goes into the memo when the first page needing it is rendered, so rendering pages
    here overlaps the workers' Markdown. A page whose markup failed gets its errors from here."""

    def __init__(self, pages: Iterable[Page], memo: Memo, workers: int) -> None:
        self.memo = memo
        todo: dict[str, Page] = {}
        for page in pages:
            key = body_key(page.body)
            if key not in memo.markup and key not in todo:
                todo[key] = page
        self.chunks = chunked(list(todo.values()), workers * CHUNKS_PER_WORKER)
        self.chunk_of = {body_key(page.body): number for number, chunk in enumerate(self.chunks) for page in chunk}
        self.failed: dict[str, list[ContentError]] = {}  # page file -> its errors
        try:
            self.futures = submit_chunks(compile_in_worker, self.chunks, workers) if self.chunks else []
        except (OSError, BrokenProcessPool):  # no worker could start: pages are compiled as they render
            self.futures = []
        self.taken = 0  # chunks put into the memo so far

    def wait_for(self, page: Page) -> list[ContentError] | None:
        """Once the page's markup is in the memo: None, or the errors that making it raised."""
        number = self.chunk_of.get(body_key(page.body), -1)
        while self.taken <= number and self.taken < len(self.futures):
            chunk = self.chunks[self.taken]
            results: list[ProseMarkup | list[tuple[Any, ...]] | None]
            try:
                results = list(self.futures[self.taken].result())
            except BrokenProcessPool:
                results = [None] * len(chunk)  # made here when rendered
            for made_for, found in zip(chunk, results, strict=True):
                if isinstance(found, ProseMarkup):
                    self.memo.markup[body_key(made_for.body)] = found
                elif found is not None:
                    self.failed[made_for.where.path] = [ContentError(*problem) for problem in found]
            self.taken += 1
        return self.failed.get(page.where.path)


def render_pages(
    pages: Sequence[Page],
    site: Site,
    charts: Charts | Callable[[], Charts],
    env: jinja2.Environment,
    memo: Memo,
    workers: int,
    jobs: ProseJobs | None = None,
) -> dict[str, RenderedPage]:
    """Each page rendered, by filename; with `workers` > 1 (or `jobs` already started), Markdown runs
    in worker processes (same bytes either way). `charts` may be a function that waits for them: then
    pages without charts are rendered first."""
    compiler = ProseCompiler(memo.markup)
    if jobs is None and workers > 1:
        jobs = ProseJobs(pages, memo, workers)
    order = list(pages)
    if callable(charts):  # charts still being made: the pages that show none go first
        order.sort(key=lambda p: any(r.kind == "chart" for r in p.references))
    rendered: dict[str, RenderedPage] = {}
    errors: list[ContentError] = []
    for page in order:
        failed = jobs.wait_for(page) if jobs else None
        if failed is not None:
            errors.extend(failed)
            continue
        if callable(charts) and any(r.kind == "chart" for r in page.references):
            charts = charts()
        try:
            rendered[page.filename] = render_page(page, site, {} if callable(charts) else charts, env, compiler)
        except (ContentError, ContentErrors) as failure:
            errors.extend(listed(failure))
    if callable(charts):
        charts()  # a chart's errors come first, as when charts are made before pages
    if errors:
        raise ContentErrors(errors)
    return {page.filename: rendered[page.filename] for page in pages}


def to_compile(pages: Iterable[Page], memo: Memo) -> int:
    """How many different page bodies need Markdown (their markup is not remembered)."""
    return len({key for key in map(body_key, (page.body for page in pages)) if key not in memo.markup})


def page_workers(pages: Iterable[Page], memo: Memo, workers: int | None) -> int:
    """Worker processes for rendering `pages`: all cores when many need Markdown, unless told otherwise.

    Pages whose markup is remembered render in well under a millisecond; workers pay only for the rest.
    """
    if workers is not None:
        return workers
    return usable_cores() if to_compile(pages, memo) >= PARALLEL_PAGES else 1


def start_workers_early(site_dir: Path, cache_dir: Path, memo: Memo, workers: int | None) -> None:
    """Before content is read: start the workers' fork server when this build will likely want
    workers (PARALLEL_PAGES more page files than the memo remembers, or chart modules the chart
    cache has never run), so that it imports the engine (and Altair, for many charts) on another
    core while this process reads and checks the content. A wrong guess costs that core a moment."""
    if workers == 1 or usable_cores() <= 1:
        return
    content = Path(site_dir) / "content"
    pages = sum(1 for path in content.rglob("*") if path.suffix in (".md", ".markdown"))
    uncached = sum(1 for _ in (content / "charts").glob("*.py")) - sum(
        1 for _ in (Path(cache_dir) / "charts").glob("*.json")
    )
    if pages - len(memo.markup) >= PARALLEL_PAGES or uncached >= PARALLEL_CHARTS // 2:
        warm_up(["altair"] if uncached >= PARALLEL_CHARTS // 2 else [])


def compile_here(pages: Iterable[Page], memo: Memo) -> None:
    """The markup of `pages` made in this process and kept in the memo, while workers draw charts (too
    few pages to be worth sending). A page whose markup fails is made again when it is rendered, which
    reports its errors in page order."""
    compiler = ProseCompiler(memo.markup)
    for page in pages:
        try:
            compiler.markup(page)
        except (ContentError, ContentErrors):
            continue


def charts_to_make(site: Site, cache_dir: Path) -> int:
    """How many charts of the site and its editions must run or be drawn (a quick look at the cache)."""
    return sum(
        chart_stage.cached_run(cache_dir, raw, edition) is None
        for edition in (site, *site.editions.values())
        for raw in edition.charts.values()
    )
