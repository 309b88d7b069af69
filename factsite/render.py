"""Stage 3, render: turn the validated Site into output files (path -> bytes), nothing written yet.

Each language's pages (render_html), the files besides them (render_files), made in as many
processes as pay (render_jobs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import charts as chart_stage
from .model import Site
from .parallel import usable_cores, warm_up
from .prose import Memo, ProseCompiler
from .render_files import edition_files, refuse_replacing, site_files
from .render_html import RenderedPage, SourceEdition, Use, render_fallback_page, template_env
from .render_jobs import (
    PARALLEL_CHARTS,
    PARALLEL_PAGES,
    ChartJobs,
    ProseJobs,
    charts_to_make,
    compile_here,
    no_progress,
    page_workers,
    render_charts,
    render_pages,
    to_compile,
)


@dataclass(frozen=True)
class Rendered:
    files: dict[str, bytes]  # output path -> bytes
    uses: tuple[Use, ...]  # every Use of a fact or chart, for the sources page and `check`
    page_count: int
    chart_count: int
    charts_rendered: int
    pages: dict[str, RenderedPage] = field(default_factory=dict)  # the site's own language's pages, by file
    charts: dict[str, chart_stage.RenderedChart] = field(default_factory=dict)  # its charts, by id
    editions: dict[str, Rendered] = field(default_factory=dict)  # the other languages', by language


@dataclass(frozen=True)
class EditionJobs:
    """How render_site has an edition made: by `workers` processes, its charts and the pages'
    Markdown already started in them when there are several."""

    workers: int
    charts: ChartJobs | None = None
    prose: ProseJobs | None = None


def render_site(
    site: Site,
    cache_dir: Path,
    progress: Callable[[str], None] = no_progress,
    memo: Memo | None = None,
    workers: int | None = None,
    with_site_files: bool = True,
    env: jinja2.Environment | None = None,
) -> Rendered:
    """Every output file of the site, as bytes keyed by its path inside the output folder, with each
    language's pages and charts as they were made (what each page read among them).

    `progress` is told each step as it starts, for the terminal; `memo` remembers prose markup
    between builds; `workers` sets the number of processes (default: all cores when many pages need
    Markdown or many charts must be made, see page_workers). With workers, every edition's charts
    and page Markdown are started in them at once, and pages render here as their Markdown arrives.
    Without `with_site_files`, only the pages are made (their files), no sources page, data files or assets.
    `env`: the site's template environment (template_env), when the caller keeps it.
    """
    memo = memo or Memo()
    editions = [site, *site.editions.values()]
    every_page = site.every_page
    charts_to_run = charts_to_make(site, cache_dir) if site.charts else 0
    many_pages = to_compile(every_page, memo) >= PARALLEL_PAGES
    asked = workers is not None  # --jobs N: Markdown goes to the workers however few pages need it
    if workers is None:
        workers = usable_cores() if many_pages or charts_to_run >= PARALLEL_CHARTS else 1
    chart_jobs, prose_jobs = {}, None
    if workers > 1:
        # The fork server starts importing now; Altair too when several workers will run charts.
        warm_up(["altair"] if charts_to_run >= PARALLEL_CHARTS else [])
        if asked or many_pages:  # first in the workers' queue: pages render here as it arrives, charts after
            prose_jobs = ProseJobs(every_page, memo, workers)
        chart_jobs = {
            edition.language: ChartJobs(edition, cache_dir, workers, charts_to_run >= PARALLEL_CHARTS, with_site_files)
            for edition in editions
        }
        if prose_jobs is None:  # workers for the charts, a few pages: their Markdown made here at once
            compile_here(every_page, memo)
    env = env if env is not None else template_env(site, cache_dir)
    if chart_jobs:  # pages without charts render while the workers make the charts
        progress("rendering pages and charts")
        pages = render_pages(
            site.pages, site, lambda: chart_jobs[site.language].result(progress), env, memo, workers, prose_jobs
        )
        charts = chart_jobs[site.language].result(progress)
    else:
        charts = render_charts(site, cache_dir, progress)
        progress("rendering pages")
        pages = render_pages(site.pages, site, charts, env, memo, workers, prose_jobs)
    uses = uses_of(pages)
    files = {name: page.html for name, page in pages.items()}
    if with_site_files:
        progress("rendering the sources page, data files and share images")
        files.update(site_files(site, charts, list(uses), env, cache_dir))
    others: dict[str, Rendered] = {}
    for language, edition in site.editions.items():
        progress(f"rendering the {language} edition")
        others[language] = render_edition(
            edition,
            cache_dir,
            memo,
            jobs=EditionJobs(workers, chart_jobs.get(edition.language), prose_jobs),
            with_site_files=with_site_files,
            source=SourceEdition(site, charts, env),
        )
        refuse_replacing(files, others[language].files, site, language)
        files.update(others[language].files)
    return Rendered(
        files=files,
        uses=uses + tuple(use for edition in others.values() for use in edition.uses),
        page_count=len(site.pages) + 1 + sum(edition.page_count for edition in others.values()),
        chart_count=len(charts) + sum(edition.chart_count for edition in others.values()),
        charts_rendered=sum(c.rendered for c in charts.values())
        + sum(edition.charts_rendered for edition in others.values()),
        pages=pages,
        charts=charts,
        editions=others,
    )


def render_edition(
    edition: Site,
    cache_dir: Path,
    memo: Memo,
    *,
    jobs: EditionJobs | None = None,
    with_site_files: bool = True,
    source: SourceEdition | None = None,
) -> Rendered:
    """One of the site's other languages: its pages, charts drawn in it, its sources page and data
    files; with `source`, the site's own pages not translated into it, in the source language.
    Without `jobs`, charts are made here and pages in as many processes as pay (page_workers)."""
    charts = jobs.charts.result() if jobs and jobs.charts else render_charts(edition, cache_dir, no_progress)
    env = template_env(edition, cache_dir)
    count = page_workers(edition.pages, memo, jobs.workers if jobs else None)
    pages = render_pages(edition.pages, edition, charts, env, memo, count, jobs.prose if jobs else None)
    uses = uses_of(pages)
    files = {name: page.html for name, page in pages.items()}
    if with_site_files:
        files |= edition_files(edition, charts, list(uses), env, cache_dir)
    if source is not None:
        files |= fallback_files(edition, env, source, memo)
    return Rendered(
        files=files,
        uses=uses,
        page_count=len(edition.pages) + (len(edition.fallback_pages) if source else 0) + 1,
        chart_count=len(charts),
        charts_rendered=sum(c.rendered for c in charts.values()),
        pages=pages,
        charts=charts,
    )


def fallback_files(edition: Site, env: jinja2.Environment, source: SourceEdition, memo: Memo) -> dict[str, bytes]:
    """An edition's copies of the pages not translated into its language (untranslated: fallback),
    made from `source` each time: they read the source language's pages, figures and charts, which
    the edition's recorded reads do not cover."""
    compiler = ProseCompiler(memo.markup)
    return {
        f"{edition.prefix}{page.filename}": render_fallback_page(page, edition, env, source, compiler)
        for page in edition.fallback_pages
    }


def uses_of(pages: dict[str, RenderedPage]) -> tuple[Use, ...]:
    """Every use of a fact, chart or check on `pages`, in their order."""
    return tuple(use for page in pages.values() for use in page.uses)
