"""Incremental rebuilds: which outputs of the previous build may differ now.

Each output records what it was made from while it is made (render_html.page_reads for a page, the chart
stage's `reads` for a chart, SITE_FILES_READS for the files besides the pages), as names such as
"fact:total", "template:page.html" or "words". Here each name is looked up in the previous build's
inputs and in the new ones: an output is made again when any of its reads differs, and taken as it
was otherwise. What was read from disk is known by file stamps (inputs.input_stamps); only the
changed pages, facts files and chart modules are read again where that is enough.

The result is byte-identical to a full build of the same files (tests/test_incremental.py).
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import meta

from .errors import ContentError
from .i18n import language_of_name
from .inputs import changed_inputs
from .load import display_path, languages_of, load_chart, load_fact_file, load_page
from .model import LoadedSite, Page, RawPage, Site

if TYPE_CHECKING:
    from .charts import RenderedChart
    from .render_html import Use

PAGE_TABLE = "facts"  # the page templates' variable that holds a whole table of the site (render_html.render_page)
# What the files besides the pages (sources page, facts files, feed, sitemap, assets, static files) read.
SITE_FILES_READS = frozenset(
    {"site", "words", "tables", "front-matter", "statements", "versions", "charts", "uses", "templates", "files"}
)


# ---- what changed on disk ---------------------------------------------------------------------


def changed_files(
    before: Mapping[str, tuple[int, int]], after: Mapping[str, tuple[int, int]], told: Iterable[Path], root: Path
) -> set[str]:
    """Paths inside the site that changed: by their stamps (inputs.input_stamps), plus any a watcher `told` of."""
    found = set(changed_inputs(dict(before), dict(after)))
    for path in told:
        try:
            found.add(os.path.relpath(Path(path).absolute(), root.absolute()))
        except ValueError:  # another drive, on Windows
            continue
    return {path.replace(os.sep, "/") for path in found}


def inside_content(path: str, content: str) -> str:
    """A page's path (as messages show it) relative to content/ (as shown), with "/" between folders."""
    prefix = content.rstrip(os.sep) + os.sep
    relative = path[len(prefix) :] if path.startswith(prefix) else Path(path).relative_to(content).as_posix()
    return relative.replace(os.sep, "/")


def reload_changed(
    loaded: LoadedSite, root: Path, changed: set[str], existed: Mapping[str, tuple[int, int]]
) -> LoadedSite | None:
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
                chart = load_chart(path)
                if chart is None:
                    return None
                charts[inner.name] = chart
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


def known_pages(
    site: Site, loaded: LoadedSite, stamps: Mapping[str, tuple[int, int]], root: Path, changed: set[str]
) -> dict[int, tuple[RawPage, Page]]:
    """id(RawPage) -> (RawPage, Page) of the previous build (`site` validated from `loaded`), for
    validation to take unchanged pages as they were; nothing when a template was added or removed
    (a page may name a missing one)."""
    templates = [path for path in changed if path.startswith("templates/")]
    if any(path.replace("/", os.sep) not in stamps or not (root / path).is_file() for path in templates):
        return {}
    validated = {page.slug: page for page in site.pages}
    return {id(raw): (raw, validated[raw.slug]) for raw in loaded.pages if raw.slug in validated}


# ---- the templates, as a build read them ------------------------------------------------------------


@dataclass(frozen=True)
class Templates:
    """Every template's source as the build found it (the site's own first, then the theme's)."""

    sources: dict[str, str]

    @functools.cached_property
    def closure(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """Each template: (names of itself and every template it extends, includes or imports, the
        variables they read from the context)."""
        parser = jinja2.Environment(extensions=["jinja2.ext.i18n"])
        direct, variables = {}, {}
        for name, source in self.sources.items():
            tree = parser.parse(source)
            direct[name] = {ref for ref in meta.find_referenced_templates(tree) if ref}
            variables[name] = meta.find_undeclared_variables(tree)
        closure = {}
        for name in direct:
            seen: set[str] = set()
            todo = [name]
            while todo:
                current = todo.pop()
                if current not in seen:
                    seen.add(current)
                    todo.extend(direct.get(current, ()))
            closure[name] = (frozenset(seen), frozenset(v for t in seen for v in variables.get(t, ())))
        return closure


def read_templates(env: jinja2.Environment) -> Templates:
    loader = env.loader
    assert loader is not None  # render_html.template_env always gives one
    return Templates({name: loader.get_source(env, name)[0] for name in env.list_templates(extensions=["html"])})


# ---- what each recorded read names, in one build ---------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What a build's outputs may read: each recorded read is looked up here."""

    site: Site
    templates: Templates
    stamps: Mapping[str, tuple[int, int]]
    charts: Mapping[str, RenderedChart] = dataclasses.field(default_factory=dict)
    uses: tuple[Use, ...] = ()  # on the pages of the site's language

    @functools.cached_property
    def pages(self) -> dict[str, Page]:
        return {page.filename: page for page in self.site.pages}


def without_where(item: object) -> object:
    """A fact (or source, dataset, statement) as it reads, not the line it starts on."""
    if dataclasses.is_dataclass(item) and not isinstance(item, type) and hasattr(item, "where"):
        return dataclasses.replace(item, where=None)
    return item


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


def stamps_under(stamps: Mapping[str, tuple[int, int]], folders: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    prefixes = tuple(folder + os.sep for folder in folders)
    return {path: stamp for path, stamp in stamps.items() if path.startswith(prefixes)}


def published_files(stamps: Mapping[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Stamps of the files published as they are: static/, and images kept in content/."""
    content = "content" + os.sep
    return {
        path: stamp
        for path, stamp in stamps.items()
        if path.startswith("static" + os.sep)
        or (path.startswith(content) and not path.endswith((".md", ".markdown", ".yaml", ".yml", ".py", ".csv")))
    }


def front_matter(page: Page) -> Page:
    """A page without its prose: what the files besides the pages show of it (title, share chart...)."""
    return dataclasses.replace(page, body="", references=(), version="")


class TemplateRead:
    """A template and those it is made of, with every fact when they show the table of them; which
    templates those are is worked out (by parsing them) only when the answer needs it."""

    __hash__ = None  # type: ignore[assignment]  # compared, never a key

    def __init__(self, templates: Templates, name: str, facts: Mapping[str, object]) -> None:
        self.templates, self.name, self.facts = templates, name, facts

    def made_of(self) -> tuple[frozenset[str], frozenset[str]]:
        """(the templates it is made of, the variables they read)."""
        return self.templates.closure.get(self.name, (frozenset({self.name}), frozenset()))

    def sources(self) -> list[tuple[str, str | None]]:
        return [(name, self.templates.sources.get(name)) for name in sorted(self.made_of()[0])]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TemplateRead):
            return NotImplemented
        if self.templates is not other.templates and self.sources() != other.sources():
            return False
        return self.facts == other.facts or PAGE_TABLE not in self.made_of()[1]


class Shown:
    """Entries, by id or file, compared by what an output shows of them (`view`): the very same entry
    at once, another by its view; in the same order."""

    __hash__ = None  # type: ignore[assignment]  # compared, never a key

    def __init__(self, entries: Mapping[str, Any], view: Callable[[Any], object] = without_where) -> None:
        self.entries, self.view = entries, view

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Shown):
            return NotImplemented
        mine, theirs = self.entries, other.entries
        return list(mine) == list(theirs) and all(
            mine[key] is theirs[key] or self.view(mine[key]) == self.view(theirs[key]) for key in mine
        )


def as_shown(chart: RenderedChart | None) -> object:
    """A chart as pages show it, whether it was drawn now or taken from the cache."""
    return dataclasses.replace(chart, rendered=False) if chart else None


# What the reads that name no single entry name, in one build.
SITE_READS: dict[str, Callable[[Inputs], object]] = {
    "site": lambda inputs: (site_wide(inputs.site), inputs.site.nav_titles),
    "words": lambda inputs: stamps_under(inputs.stamps, ("locales",)),
    "files": lambda inputs: published_files(inputs.stamps),
    "templates": lambda inputs: inputs.templates.sources,
    "front-matter": lambda inputs: Shown(inputs.pages, front_matter),
    "statements": lambda inputs: (
        Shown(inputs.site.statements),
        [(page.filename, r.id) for page in inputs.site.pages for r in page.references if r.kind == "check"],
    ),
    "tables": lambda inputs: [Shown(table) for table in entry_tables(inputs.site).values()],
    "versions": lambda inputs: inputs.site.versions,
    "charts": lambda inputs: Shown(inputs.charts, as_shown),
    "uses": lambda inputs: inputs.uses,
}


def entry_tables(site: Site) -> dict[str, Mapping[str, object]]:
    """The site's entries by id, by the kind of read that names one."""
    return {
        "fact": site.facts,
        "source": site.sources,
        "dataset": site.datasets,
        "table": site.tables,
        "chart-module": site.charts,
        "chart-words": site.chart_words,
    }


def looked_up(inputs: Inputs, read: str) -> object:
    """What `read` names in this build: equal in two builds when the output that read it needs nothing new."""
    kind, _, name = read.partition(":")
    tables = entry_tables(inputs.site)
    if kind in tables:
        return without_where(tables[kind].get(name))
    if kind == "chart":
        return as_shown(inputs.charts.get(name))
    if kind == "page":
        return inputs.pages.get(name)
    if kind == "versions":
        return inputs.site.versions.get(name)
    if kind == "template":
        return TemplateRead(inputs.templates, name, inputs.site.facts)
    return SITE_READS[kind](inputs)


class Changes:
    """The reads whose answer differs between two builds' inputs, each looked up once."""

    def __init__(self, before: Inputs, after: Inputs) -> None:
        self.before, self.after = before, after
        self.known: dict[str, bool] = {}

    def changed(self, read: str) -> bool:
        if read not in self.known:
            self.known[read] = looked_up(self.before, read) != looked_up(self.after, read)
        return self.known[read]

    def stale(self, reads: Iterable[str]) -> bool:
        """Whether an output that read `reads` may come out otherwise now."""
        return any(self.changed(read) for read in reads)


def chart_reads(chart: RenderedChart) -> frozenset[str]:
    """What a chart was made from: its module, its words, the facts and datasets it read, the sources it cites
    (their publishers show in its source line)."""
    return frozenset(
        {f"chart-module:{chart.id}", f"chart-words:{chart.id}", *chart.reads, *(f"source:{s}" for s in chart.sources)}
    )
