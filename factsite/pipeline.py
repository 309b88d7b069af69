"""One build for every command: build, check, serve and diff all call build().

load -> validate -> render, with the options a command gives. serve passes the previous build: then
only the changed files are read again, and each output is taken from the previous build unless
something it read while it was made changed (incremental.Changes compares those reads).
Nothing is written here: write.write_site writes a build's files.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .charts import RenderedChart
from .drafts import noting_drafts, without_drafts
from .errors import ContentErrors
from .incremental import (
    SITE_FILES_READS,
    Changes,
    Inputs,
    Templates,
    changed_files,
    chart_reads,
    known_pages,
    read_templates,
    reload_changed,
)
from .inputs import input_stamps
from .load import links_out, load_site
from .model import LoadedSite, Page, RawPage, Site
from .prose import Memo, load_memo, save_memo
from .render import Rendered, fallback_files, render_edition, render_site, uses_of
from .render_files import edition_files, refuse_replacing, site_files
from .render_html import Charts, RenderedPage, SourceEdition, Use, template_env
from .render_jobs import no_progress, page_workers, render_charts, render_pages, start_workers_early
from .validate import validate_site


@dataclass(frozen=True)
class BuildOptions:
    """What a command asks of a build."""

    site: Path  # the folder holding site.yaml
    cache: Path  # charts, page markup and compiled templates are kept there between builds
    jobs: int | None = None  # worker processes; None: all cores when many pages need Markdown or charts
    drafts: bool = False  # pages marked draft: true too (serve, build --drafts)
    base_url: str | None = None  # the address the site is published at, instead of site.yaml's url
    site_files: bool = True  # False: the pages only (diff), no sources page, data files, assets or static files


@dataclass(frozen=True)
class Build:
    """Everything one build made, kept to be reused by the next (serve) or read by a command."""

    options: BuildOptions
    stamps: dict[str, tuple[int, int]]  # path inside the site -> (mtime_ns, size) of each input file
    loaded: LoadedSite  # drafts included (left out of `site` unless options.drafts)
    site: Site
    env: jinja2.Environment
    templates: Templates
    rendered: Rendered
    memo: Memo
    rendered_pages: tuple[str, ...]  # files of the pages this build made (not taken from the previous one)
    rendered_charts: tuple[str, ...]  # ids of the charts it ran or took from the chart cache (not the previous build)

    @property
    def files(self) -> dict[str, bytes]:
        return self.rendered.files

    @property
    def pages(self) -> dict[str, RenderedPage]:
        return self.rendered.pages

    @property
    def charts(self) -> dict[str, RenderedChart]:
        return self.rendered.charts


def build(
    options: BuildOptions,
    previous: Build | None = None,
    progress: Callable[[str], None] = no_progress,
    memo: Memo | None = None,
    told: Iterable[Path] = (),
) -> Build:
    """The site built as `options` say. With `previous` (a build with the same options), what none of
    whose inputs changed is taken from it; `told` names files a watcher saw change, besides those
    whose stamps differ. `memo` shares prose markup with another build (then the caller saves it).
    Raises ContentErrors; `previous` stays valid to rebuild from."""
    if previous is not None and previous.options == options:
        return rebuild(previous, told)
    return full_build(options, progress, memo)


def prepared(loaded: LoadedSite, memo: Memo, options: BuildOptions, known: dict[int, tuple[RawPage, Page]]) -> Site:
    """The validated site as the options want it: drafts left out or not, at its published address."""
    kept, drafts = without_drafts(loaded, keep=options.drafts)
    site = noting_drafts(validate_site(kept, memo.references, known), drafts)
    return published_at(site, options.base_url) if options.base_url else site


def published_at(site: Site, url: str) -> Site:
    """The site, and each of its editions in other languages, at the address it is published at."""
    editions = {
        language: dataclasses.replace(edition, config=dataclasses.replace(edition.config, url=url))
        for language, edition in site.editions.items()
    }
    return dataclasses.replace(site, config=dataclasses.replace(site.config, url=url), editions=editions)


def full_build(options: BuildOptions, progress: Callable[[str], None], memo: Memo | None) -> Build:
    root, cache = Path(options.site), Path(options.cache)
    progress("reading and checking content")
    stamps = input_stamps(root)
    outside = links_out(root)  # before the cache is read: .cache/ may be a link too (load_site checks again)
    if outside:
        raise ContentErrors(outside)
    shared = memo is not None
    memo = memo if memo is not None else load_memo(cache)
    start_workers_early(root, cache, memo, options.jobs)
    loaded = load_site(root)
    site = prepared(loaded, memo, options, {})
    env = template_env(site, cache)  # the one the pages are rendered with, and the next rebuild starts from
    rendered = render_site(site, cache, progress, memo, options.jobs, options.site_files, env)
    if not shared:
        save_memo(cache, memo, (page.body for page in site.every_page))
    return Build(
        options,
        stamps,
        loaded,
        site,
        env,
        read_templates(env),
        rendered,
        memo,
        tuple(rendered.pages),
        tuple(rendered.charts),
    )


def rebuild(previous: Build, told: Iterable[Path] = ()) -> Build:
    """The build after the edits since `previous` (found by file stamps, plus any paths `told`)."""
    options = previous.options
    root, cache = Path(options.site), Path(options.cache)
    stamps = input_stamps(root)
    changed = changed_files(previous.stamps, stamps, told, root)
    if not changed:
        return dataclasses.replace(previous, rendered_pages=(), rendered_charts=())
    loaded = reload_changed(previous.loaded, root, changed, previous.stamps) or load_site(root)
    memo = previous.memo
    known = known_pages(previous.site, previous.loaded, previous.stamps, root, changed)
    site = prepared(loaded, memo, options, known)
    if any(path.startswith(("templates/", "locales/")) for path in changed):
        env = template_env(site, cache)
        templates = read_templates(env)
    else:
        env, templates = previous.env, previous.templates
    before = Inputs(previous.site, previous.templates, previous.stamps)
    now = Inputs(site, templates, stamps)
    files_of = functools.partial(site_files, site, env=env, cache_dir=cache) if options.site_files else None
    own, made, run = remade(before, previous.rendered, now, env, memo, cache, files_of)
    files = dict(own.files)
    editions: dict[str, Rendered] = {}
    source = SourceEdition(site, own.charts, env)
    for language, edition in site.editions.items():
        earlier = previous.site.editions.get(language)
        if earlier is None or language not in previous.rendered.editions:
            editions[language] = render_edition(edition, cache, memo, with_site_files=options.site_files, source=source)
        else:
            edition_env = template_env(edition, cache)
            edition_files_of = (
                functools.partial(edition_files, edition, env=edition_env, cache_dir=cache)
                if options.site_files
                else None
            )
            editions[language], its_made, _ = remade(
                dataclasses.replace(before, site=earlier),
                previous.rendered.editions[language],
                dataclasses.replace(now, site=edition),
                edition_env,
                memo,
                cache,
                edition_files_of,
            )
            made += its_made
            editions[language] = with_fallbacks(editions[language], earlier, edition, edition_env, source, memo)
        refuse_replacing(files, editions[language].files, site, language)
        files |= editions[language].files
    rendered = dataclasses.replace(
        own,
        files=files,
        uses=own.uses + tuple(use for edition in editions.values() for use in edition.uses),
        page_count=own.page_count + sum(e.page_count for e in editions.values()),
        chart_count=own.chart_count + sum(e.chart_count for e in editions.values()),
        charts_rendered=own.charts_rendered + sum(e.charts_rendered for e in editions.values()),
        editions=editions,
    )
    return Build(options, stamps, loaded, site, env, templates, rendered, memo, made, run)


def remade(
    before: Inputs,
    previous: Rendered,
    now: Inputs,
    env: jinja2.Environment,
    memo: Memo,
    cache: Path,
    files_of: Callable[[Charts, list[Use]], dict[str, bytes]] | None,
) -> tuple[Rendered, tuple[str, ...], tuple[str, ...]]:
    """One language of the site made again from `previous` (what `before` was read into), taking each
    chart, page and the files besides them as they were unless something they read changed: (what it
    makes, the pages made, the charts run). `files_of` makes the files besides the pages (None: none)."""
    site = now.site
    before = dataclasses.replace(before, charts=previous.charts, uses=uses_of(previous.pages))
    unread = Changes(before, now)
    to_run = [c for c in site.charts if c not in previous.charts or unread.stale(chart_reads(previous.charts[c]))]
    charts = {c: previous.charts[c] for c in site.charts if c not in to_run}
    charts |= render_charts(dataclasses.replace(site, charts={c: site.charts[c] for c in to_run}), cache, no_progress)
    charts = dict(sorted(charts.items()))

    read = Changes(before, dataclasses.replace(now, charts=charts))
    chosen = [p for p in site.pages if p.filename not in previous.pages or read.stale(previous.pages[p.filename].reads)]
    made = render_pages(chosen, site, charts, env, memo, page_workers(chosen, memo, None))
    pages = {p.filename: made.get(p.filename) or previous.pages[p.filename] for p in site.pages}
    uses = uses_of(pages)

    files = {name: page.html for name, page in pages.items()}
    if files_of is not None:
        if Changes(before, dataclasses.replace(now, charts=charts, uses=uses)).stale(SITE_FILES_READS):
            files |= files_of(charts, list(uses))
        else:  # the previous build's, besides its pages and other languages
            theirs = {name for edition in previous.editions.values() for name in edition.files}
            files = {
                name: data for name, data in previous.files.items() if name not in previous.pages and name not in theirs
            } | files
    rendered = Rendered(
        files=files,
        uses=uses,
        page_count=len(site.pages) + 1,
        chart_count=len(charts),
        charts_rendered=sum(charts[c].rendered for c in to_run),
        pages=pages,
        charts=charts,
    )
    return rendered, tuple(made), tuple(to_run)


def with_fallbacks(
    rendered: Rendered, earlier: Site, edition: Site, env: jinja2.Environment, source: SourceEdition, memo: Memo
) -> Rendered:
    """An edition made again with its untranslated pages (untranslated: fallback) made afresh from the
    source language, and the previous build's copies of pages since translated or gone left out."""
    gone = {f"{earlier.prefix}{page.filename}" for page in earlier.fallback_pages}
    kept = {name: data for name, data in rendered.files.items() if name not in gone or name in rendered.pages}
    return dataclasses.replace(
        rendered,
        files=kept | fallback_files(edition, env, source, memo),
        page_count=rendered.page_count + len(edition.fallback_pages),
    )
