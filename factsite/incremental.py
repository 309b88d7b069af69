"""Incremental rebuilds: after an edit, render again only what depends on what changed.

A Build keeps everything one build made: the loaded and validated site, each rendered chart and
page (with the facts, charts and datasets it used), the output files and the prose memo.
`rebuild(previous, changed)` re-reads only the changed files where it can (anything unusual, such
as site.yaml, a new or deleted file or a CSV, loads the whole site again), validates the whole site
(cheap with the memo), then compares the new site with the previous one:

- a page is rendered again when it changed, when a fact, chart, source or dataset it uses changed,
  when a template it is rendered with changed, or when something every page shows did (site.yaml,
  the navigation titles, or any other site-wide value);
- a chart runs again only when its module, a fact or dataset it read or a source it cites changed;
- the sources page, facts.json/.csv, sitemap and other site-wide files are made again only when
  facts, sources, datasets, charts, the list of pages, their titles or their uses changed.

The result is byte-identical to a full build of the same files (tests/test_incremental.py).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import meta

from .charts import warm_up_in_background
from .errors import ContentError
from .i18n import language_of_name
from .inputs import changed_inputs, input_stamps
from .load import display_path, languages_of, load_chart, load_fact_file, load_page, load_site
from .model import LoadedSite, Site
from .prose import Memo, load_memo, save_memo
from .render import (
    CARD_TEMPLATE,
    Rendered,
    RenderedPage,
    SourceEdition,
    no_progress,
    page_workers,
    refuse_replacing,
    render_charts,
    render_edition,
    render_pages,
    site_files,
    statement_pages,
    template_env,
)
from .validate import validate_site
from .write import write_site

CHART_TEMPLATE = "_chart.html"
SITE_WIDE_VARIABLES = ("facts", "sources", "datasets")  # page-template variables that show the whole site's tables


@dataclass(frozen=True)
class Build:
    root: Path
    cache_dir: Path
    stamps: dict  # path inside the site -> (mtime_ns, size) of each file read
    loaded: LoadedSite
    site: Site
    env: jinja2.Environment
    templates: dict  # template name -> (templates it is made of, variables they read): see template_closure
    charts: dict  # id -> RenderedChart
    pages: dict  # filename -> RenderedPage
    files: dict  # output path -> bytes
    memo: Memo
    rendered_pages: tuple = ()  # filenames rendered by the build that made this one, for reports and tests
    rendered_charts: tuple = ()  # chart ids run (not taken from the previous build)


# ---- what changed on disk ---------------------------------------------------------------------


def changed_files(before: dict, after: dict, told: Iterable[Path], root: Path) -> set[str]:
    """Paths inside the site that changed: by their stamps (inputs.input_stamps), plus any a watcher `told` of."""
    found = set(changed_inputs(before, after))
    for path in told:
        try:
            found.add(os.path.relpath(Path(path).absolute(), root.absolute()))
        except ValueError:  # another drive, on Windows
            continue
    return {path.replace(os.sep, "/") for path in found}


# ---- loading only what changed --------------------------------------------------------------


def inside_content(path: str, content: str) -> str:
    """A page's path (as messages show it) relative to content/ (as shown), with "/" between folders."""
    prefix = content.rstrip(os.sep) + os.sep
    relative = path[len(prefix) :] if path.startswith(prefix) else Path(path).relative_to(content).as_posix()
    return relative.replace(os.sep, "/")


def reload_changed(loaded: LoadedSite, root: Path, changed: set[str], existed: dict) -> LoadedSite | None:
    """`loaded` with the changed pages, facts files and chart modules read again; None when a change
    needs the whole site loaded (site.yaml, a file added or removed, a CSV, static files, errors)."""
    content = root / "content"
    shown = display_path(content)  # as each page's path starts, in messages
    pages = {inside_content(p.path, shown): p for p in loaded.pages}
    languages = languages_of(loaded.config)
    fact_files = dict(loaded.fact_files)
    tables = dict(loaded.tables)
    charts = {os.path.basename(c.path): c for c in loaded.charts}
    try:
        for relative in sorted(changed):
            path = root / relative
            parts = Path(relative).parts
            if parts[0] == "templates" and not path.is_symlink():
                continue  # read when rendering
            if parts[0] != "content" or relative not in existed or not path.is_file() or path.is_symlink():
                return None  # (a file made a link: the full load refuses one leading out)
            inner = Path(*parts[1:])
            if inner.suffix == ".md" and inner.as_posix() in pages:
                pages[inner.as_posix()] = load_page(path, content, languages)
            elif (
                inner.suffix in (".yaml", ".yml")
                and inner.parent == Path("facts")
                and not language_of_name(inner.stem, languages)[1]
            ):
                shown, parsed, its_tables = load_fact_file(path, content)
                if shown not in fact_files:
                    return None
                fact_files[shown] = parsed
                tables.update(its_tables)
            elif inner.suffix == ".py" and inner.parent == Path("charts") and inner.name in charts:
                charts[inner.name] = load_chart(path)
            else:
                return None
    except ContentError:
        return None  # the full load reports every problem, as a full build would
    return dataclasses.replace(
        loaded,
        pages=tuple(pages.values()),
        fact_files=tuple(fact_files.items()),
        tables=tables,
        charts=tuple(charts.values()),
    )


# ---- what depends on what -----------------------------------------------------------------------


def template_closure(env: jinja2.Environment) -> dict[str, tuple[frozenset, frozenset]]:
    """Each template: (names of itself and every template it extends, includes or imports, the
    variables they read from the context)."""
    direct, variables = {}, {}
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0]
        tree = env.parse(source)
        direct[name] = {ref for ref in meta.find_referenced_templates(tree) if ref}
        variables[name] = meta.find_undeclared_variables(tree)
    closure = {}
    for name in direct:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(direct.get(current, ()))
        closure[name] = (frozenset(seen), frozenset(v for t in seen for v in variables.get(t, ())))
    return closure


def without_where(items: dict) -> dict:
    """Facts (or sources, datasets) compared by what they say, not by the line they start on."""
    return {key: dataclasses.replace(item, where=None) for key, item in items.items()}


def site_wide(site: Site) -> Site:
    """What every page may show: the site without its pages, tables and static files."""
    return dataclasses.replace(
        site,
        pages=(),
        sources={},
        facts={},
        datasets={},
        charts={},
        static_files=(),
        statements={},
        editions={},
        versions={},
    )


def changed_ids(before: dict, after: dict) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def changed_content(before: dict, after: dict) -> set[str]:
    """Ids of facts (or sources, datasets) whose content changed, where they start aside."""
    return set() if before == after else changed_ids(without_where(before), without_where(after))


def as_shown(charts: dict) -> dict:
    """Rendered charts compared by what pages show, not by whether the SVG came from the cache."""
    return {key: dataclasses.replace(chart, rendered=False) for key, chart in charts.items()}


def pages_to_render(previous: Build, site: Site, charts: dict, closure: dict, changed_templates: set[str]) -> list:
    """The pages of `site` whose output may differ from the previous build's."""
    old = previous.site
    if site_wide(site) != site_wide(old) or site.nav_titles != old.nav_titles:
        return list(site.pages)
    sources = changed_content(old.sources, site.sources)
    facts = changed_content(old.facts, site.facts)
    # A figure's card (render.fact_cards) shows its sources and the labels of the figures it is calculated from.
    facts |= {f for f, fact in site.facts.items() if set(fact.sources) & sources or set(fact.inputs) & facts}
    datasets = changed_content(old.datasets, site.datasets)
    chart_ids = changed_ids(as_shown(previous.charts), as_shown(charts)) | {
        c for c, chart in charts.items() if set(chart.sources) & sources
    }
    tables_changed = {
        "facts": old.facts != site.facts,
        "sources": old.sources != site.sources,
        "datasets": old.datasets != site.datasets,
    }
    old_pages = {page.filename: page for page in old.pages}
    if not (facts or sources or datasets or chart_ids or changed_templates or any(tables_changed.values())):
        return [
            page
            for page in site.pages
            if page.filename not in previous.pages
            or old_pages.get(page.filename) != page
            or old.versions.get(page.slug) != site.versions.get(page.slug)
        ]
    chosen = []
    for page in site.pages:
        before = previous.pages.get(page.filename)
        if (
            before is None
            or old_pages.get(page.filename) != page
            or old.versions.get(page.slug) != site.versions.get(page.slug)
        ):
            chosen.append(page)  # new, edited, or its translations (hreflang links) changed
            continue
        templates, variables = closure.get(page.template, (frozenset({page.template}), frozenset()))
        if any(use.kind == "chart" for use in before.uses):
            templates = templates | closure.get(CHART_TEMPLATE, (frozenset({CHART_TEMPLATE}), frozenset()))[0]
        if any(use.kind == "fact" for use in before.uses):
            templates = templates | closure.get(CARD_TEMPLATE, (frozenset({CARD_TEMPLATE}), frozenset()))[0]
        used = {(use.kind, use.id) for use in before.uses}
        if (
            templates & changed_templates
            or any(("fact", f) in used for f in facts)
            or any(("chart", c) in used for c in chart_ids)
            or any(("dataset", d) in used for d in datasets)
            or any(tables_changed[name] for name in SITE_WIDE_VARIABLES if name in variables)
        ):
            chosen.append(page)
    return chosen


def charts_to_run(previous: Build, site: Site) -> list[str]:
    """Charts whose module, words, a fact or dataset they read, or a source they cite changed (the rest are
    taken as they were)."""
    old = previous.site
    to_run = []
    for chart_id, raw in site.charts.items():
        before = previous.charts.get(chart_id)
        reads_same = before is not None and all(
            (old.facts if key.startswith("fact:") else old.datasets).get(key.split(":", 1)[1])
            == (site.facts if key.startswith("fact:") else site.datasets).get(key.split(":", 1)[1])
            for key in before.reads
        )
        # Its sources' entries too: the chart carries their publishers in its source line.
        sources_same = before is not None and all(old.sources.get(s) == site.sources.get(s) for s in before.sources)
        words_same = old.chart_words.get(chart_id) == site.chart_words.get(chart_id)
        if not (before is not None and old.charts.get(chart_id) == raw and reads_same and sources_same and words_same):
            to_run.append(chart_id)
    return to_run


# ---- building -----------------------------------------------------------------------------------


def full_build(root: Path, cache_dir: Path, workers: int | None = None) -> Build:
    """A complete build kept in memory, to rebuild from; nothing is written to the output folder."""
    root, cache_dir = Path(root), Path(cache_dir)
    stamps = input_stamps(root)
    loaded = load_site(root)  # first: it refuses a .cache/ that is a link before the memo is read from it
    memo = load_memo(cache_dir)
    site = validate_site(loaded, memo.references)
    count = page_workers(site.pages, memo, workers)
    charts = render_charts(site, cache_dir, no_progress, count)  # in workers too, when many are new
    env = template_env(site, cache_dir)
    pages = render_pages(site.pages, site, charts, env, memo, count)
    uses = [use for page in site.pages for use in pages[page.filename].uses]
    files = {name: page.html for name, page in pages.items()} | site_files(site, charts, uses, env, cache_dir)
    files |= edition_outputs(site, cache_dir, memo, files, SourceEdition(site, charts, env))
    save_memo(cache_dir, memo, (page.body for page in site.every_page))
    if any(edition.charts for edition in (site, *site.editions.values())):
        warm_up_in_background()  # for the first chart edited, once the build is done
    return Build(
        root,
        cache_dir,
        stamps,
        loaded,
        site,
        env,
        template_closure(env),
        charts,
        pages,
        files,
        memo,
        tuple(pages),
        tuple(charts),
    )


def edition_outputs(
    site: Site, cache_dir: Path, memo, own: dict[str, bytes], source: SourceEdition
) -> dict[str, bytes]:
    """Every file of the site's other languages (their untranslated pages from `source`); one of `own`
    (the site's language's files, with static/ and content images) where an edition writes is refused."""
    files: dict[str, bytes] = {}
    for language, edition in site.editions.items():
        edition_files = render_edition(edition, cache_dir, memo, source=source).files
        refuse_replacing(own, edition_files, site, language)
        files |= edition_files
    return files


def known_pages(previous: Build, changed_templates: set[str]) -> dict:
    """id(RawPage) -> (RawPage, Page) of the previous build, for validation to take unchanged pages as
    they were; nothing when a template was added or removed (a page may name a missing one)."""
    names_before = {path for path in previous.stamps if path.startswith("templates" + os.sep)}
    if any(
        os.path.join("templates", name) not in names_before or not (previous.root / "templates" / name).is_file()
        for name in changed_templates
    ):
        return {}
    validated = {page.slug: page for page in previous.site.pages}
    return {id(raw): (raw, validated[raw.slug]) for raw in previous.loaded.pages if raw.slug in validated}


def rebuild(previous: Build, told: Iterable[Path] = ()) -> Build:
    """The build after the edits since `previous` (found by file stamps, plus any paths `told`).

    Raises ContentErrors as a full build would; `previous` stays valid to rebuild from.
    """
    root = previous.root
    stamps = input_stamps(root)
    changed = changed_files(previous.stamps, stamps, told, root)
    if not changed:
        return dataclasses.replace(previous, rendered_pages=(), rendered_charts=())
    loaded = reload_changed(previous.loaded, root, changed, previous.stamps) or load_site(root)
    memo = previous.memo
    changed_templates = {path.split("/", 1)[1] for path in changed if path.startswith("templates/")}
    words_changed = any(path.startswith("locales/") for path in changed)  # the interface words of every page
    site = validate_site(loaded, memo.references, known_pages(previous, changed_templates))
    env, templates = (
        (template_env(site, previous.cache_dir), None)
        if changed_templates or words_changed
        else (previous.env, previous.templates)
    )
    templates = templates or template_closure(env)

    to_run = charts_to_run(previous, site)
    charts = {chart_id: previous.charts[chart_id] for chart_id in site.charts if chart_id not in to_run}
    charts.update(
        render_charts(
            dataclasses.replace(site, charts={c: site.charts[c] for c in to_run}), previous.cache_dir, no_progress
        )
    )
    charts = dict(sorted(charts.items()))

    chosen = (
        list(site.pages) if words_changed else pages_to_render(previous, site, charts, templates, changed_templates)
    )
    rendered = render_pages(chosen, site, charts, env, memo, page_workers(chosen, memo, None))
    pages: dict[str, RenderedPage] = {
        p.filename: rendered.get(p.filename) or previous.pages[p.filename] for p in site.pages
    }

    files = {name: data for name, data in previous.files.items() if name not in previous.pages}
    if site_files_stale(previous, site, charts, pages, changed):
        uses = [use for page in site.pages for use in pages[page.filename].uses]
        files = site_files(site, charts, uses, env, previous.cache_dir)
    files = {name: page.html for name, page in pages.items()} | files
    # Other languages are made again whole: a few pages, whose prose and charts come from the caches.
    folders = tuple(f"{language}/" for language in {*previous.site.editions, *site.editions})
    files = {name: data for name, data in files.items() if not name.startswith(folders)} if folders else files
    files |= edition_outputs(site, previous.cache_dir, memo, files, SourceEdition(site, charts, env))
    return Build(
        root,
        previous.cache_dir,
        stamps,
        loaded,
        site,
        env,
        templates,
        charts,
        pages,
        files,
        memo,
        tuple(rendered),
        tuple(to_run),
    )


def site_files_stale(previous: Build, site: Site, charts: dict, pages: dict, changed: set[str]) -> bool:
    """Whether the files besides the pages may differ: anything but page bodies changed, or uses did."""
    old = previous.site
    if any(not path.startswith("content/") or not path.endswith(".md") for path in changed):
        return True
    if site_wide(site) != site_wide(old) or site.nav_titles != old.nav_titles or site.versions != old.versions:
        return True
    if front_matter_changed(site, old):  # titles (sources page), share charts (their PNGs), ...
        return True
    if without_where(site.statements) != without_where(old.statements) or statement_pages(site) != statement_pages(old):
        return True  # the sources page lists each statement and the pages resting on it
    if as_shown(charts) != as_shown(previous.charts):
        return True
    return any(pages[name].uses != before.uses for name, before in previous.pages.items() if name in pages)


def front_matter_changed(site: Site, old: Site) -> bool:
    """Whether pages came or went, or any changed in more than its prose (the files besides the
    pages show titles, share charts and the like). Unchanged pages are the very same objects."""
    if [page.filename for page in site.pages] != [page.filename for page in old.pages]:
        return True
    return any(
        dataclasses.replace(page, body="", references=(), version="")
        != dataclasses.replace(before, body="", references=(), version="")
        for page, before in zip(site.pages, old.pages)
        if page is not before
    )


def write_build(build: Build, out: Path) -> None:
    """Swap the build's files into `out` at once (unchanged files are hard-linked from the previous output)."""
    write_site(build.files, out, build.root)


def as_rendered(build: Build) -> Rendered:
    """The build as the render stage reports a full one (for serve and the summary line)."""
    return Rendered(
        files=build.files,
        uses=tuple(use for page in build.site.pages for use in build.pages[page.filename].uses),
        pages=len(build.site.pages) + 1,
        charts=len(build.charts),
        charts_rendered=sum(build.charts[c].rendered for c in build.rendered_charts),
    )
