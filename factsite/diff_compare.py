"""What changed for readers between two builds of the site (diff): figures with the pages and
sentences that show them, charts, statements, sources, datasets, pages and translations."""

from __future__ import annotations

import dataclasses
import functools
import html as html_text
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .formatting import PERCENT_UNITS, currency_of, format_date, format_fact
from .model import Correction, Fact, Page, Reference, Site, Statement
from .prose import Memo
from .render_html import format_cell
from .validate import FORMATS, prose_parts

if TYPE_CHECKING:
    from .charts import RenderedChart
    from .render_html import RenderedPage, Use

FIGURE_FIELDS = ("unit", "counts", "status", "claimant", "as_of", "sources")  # besides the value itself
WORDING_FIELDS = ("label", "quote", "note", "expression", "decimals")


@dataclass(frozen=True)
class Snapshot:
    """One version of the site as a build makes it, kept in memory (nothing is written)."""

    label: str  # "origin/main (1a2b3c4)", "the working tree"
    site: Site
    charts: dict[str, RenderedChart]  # by id, in the site's own language
    pages: dict[str, RenderedPage]  # by output file, in the site's own language
    editions: dict[str, dict[str, bytes]] = field(default_factory=dict)  # language -> {output file: HTML}

    @functools.cached_property
    def uses(self) -> tuple[Use, ...]:
        """Every use of a fact, chart or check on the pages of the site's own language (read per change)."""
        return tuple(use for page in self.site.pages for use in self.pages[page.filename].uses)

    @functools.cached_property
    def styles(self) -> dict[str, tuple[str, ...]]:
        """Fact id -> the forms its figure is shown in on these pages (fact()'s format arguments; a
        chart shows the number), in the order of FORMATS."""
        found: dict[str, set[str]] = {}
        for use in self.uses:
            if use.kind == "fact":
                found.setdefault(use.id, set()).add(use.style)
        return {fact_id: tuple(style for style in FORMATS if style in styles) for fact_id, styles in found.items()}


def build_snapshot(root: Path, cache_dir: Path, memo: Memo, label: str, workers: int | None = None) -> Snapshot:
    """The site at `root` built as `build` would (drafts left out), its pages only, in memory."""
    from .pipeline import BuildOptions, build

    made = build(BuildOptions(root, cache_dir, workers, site_files=False), memo=memo)
    editions = {
        language: {name: page.html for name, page in edition.pages.items()}
        for language, edition in made.rendered.editions.items()
    }
    return Snapshot(label, made.site, made.charts, made.pages, editions)


# A segment of a line of the report: (style, payload). Styles: "" text, "code" an id or path, "strong",
# "change" (old, new) figures, "link" (text, address).
Segment = tuple[str, Any]
Titled = tuple[tuple[str, str], ...]  # (output file, title) of pages


@dataclass(frozen=True)
class Place:
    """Where readers see a fact: a page, and the sentence (or the chart) that shows it."""

    page: str  # output file
    title: str  # the page's title
    sentence: tuple[Segment, ...] = ()  # the fact's figures as ("change", (old, new))
    chart: str = ""  # the chart's title when the fact is shown through a chart
    gone: bool = False  # shown there on BASE, no longer


@dataclass(frozen=True)
class FactChange:
    id: str
    old: Fact | None
    new: Fact | None
    before: str  # the figure as readers see it, unit included ("" when the fact is new): see shown_forms
    after: str
    fields: tuple[tuple[str, str, str], ...] = ()  # (field, before, after) as readers see them, figure fields first
    figure_changed: bool = False  # value, low or high changed
    published: bool = False  # shown on a page of BASE
    places: tuple[Place, ...] = ()
    corrected_by: Correction | None = None  # an entry gained since BASE that names this fact
    follows: str = ""  # a changed fact this one is calculated from, whose correction covers it

    @property
    def fact(self) -> Fact:
        """The fact as it is, or as it was when it is gone."""
        fact = self.new or self.old
        assert fact is not None  # a change has a fact on one side at least
        return fact

    @property
    def label(self) -> str:
        """How the fact is named in words: its label, else what it counts."""
        fact = self.fact
        return fact.label or fact.counts or fact.id

    @property
    def title(self) -> list[Segment]:
        fact = self.fact
        return [("strong", fact.label), ("", " ("), ("code", fact.id), ("", ")")] if fact.label else [("code", fact.id)]

    @property
    def text(self) -> bool:
        """A computed sentence: a fact whose value is text (a region's name drawn from data)."""
        return any(isinstance(f.value, str) for f in (self.old, self.new) if f)

    @property
    def owes_correction(self) -> bool:
        """Published on BASE, and its value changed as readers see it in a form BASE showed it in
        (shown_forms): the corrections log must say so."""
        return self.figure_changed and self.before != self.after and self.published

    @property
    def needs_correction(self) -> bool:
        """It owes a correction, and no entry in the log covers it."""
        return self.owes_correction and self.corrected_by is None and not self.follows


@dataclass(frozen=True)
class ChartChange:
    id: str
    title: str
    kind: str  # "added" | "removed" | "changed"
    pages: tuple[str, ...] = ()  # titles of the pages showing it
    data_changed: bool = False
    spec_changes: tuple[str, ...] = ()  # "title", "description", and the other parts of the spec that changed
    rows_removed: tuple[str, ...] = ()  # rows as readers read them
    rows_added: tuple[str, ...] = ()
    old_svg: str = ""
    new_svg: str = ""
    old_title: str = ""


@dataclass(frozen=True)
class StatementChange:
    id: str
    old: Statement | None
    new: Statement | None
    changes: tuple[str, ...]  # "added", "removed", "reworded", "condition", "data"
    reads_changed: tuple[str, ...] = ()  # facts and datasets it reads that changed
    places: tuple[Place, ...] = ()


# A dataset added, removed or changed: (id, title, "added" | "removed" | "changed", rows removed, rows
# added), the rows as readers read them.
DatasetChange = tuple[str, str, str, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Comparison:
    old: Snapshot
    new: Snapshot
    facts: tuple[FactChange, ...] = ()  # figures (or their unit, source, claimant...) that changed
    added_facts: tuple[FactChange, ...] = ()
    removed_facts: tuple[FactChange, ...] = ()
    reworded_facts: tuple[FactChange, ...] = ()  # only label, quote, note, expression or decimals changed
    sources: tuple[tuple[str, str, str], ...] = ()  # (kind, id, text): added, removed or changed sources
    datasets: tuple[DatasetChange, ...] = ()
    statements: tuple[StatementChange, ...] = ()
    charts: tuple[ChartChange, ...] = ()
    pages_added: Titled = ()
    pages_removed: Titled = ()
    pages_renamed: tuple[tuple[str, str, str], ...] = ()  # (old output file, new output file, title)
    pages_changed: Titled = ()  # pages that read differently
    translations: tuple[tuple[str, Titled, Titled, Titled], ...] = ()  # (language, changed, added, removed)
    corrections_gained: tuple[Correction, ...] = ()

    @property
    def missing_corrections(self) -> tuple[FactChange, ...]:
        return tuple(change for change in (*self.facts,) if change.needs_correction)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.facts,
                self.added_facts,
                self.removed_facts,
                self.reworded_facts,
                self.sources,
                self.datasets,
                self.statements,
                self.charts,
                self.pages_added,
                self.pages_removed,
                self.pages_renamed,
                self.pages_changed,
                self.translations,
                self.corrections_gained,
            )
        )


def shown(fact: Fact, language: str, style: str = "number") -> str:
    """The figure as readers of `language` see it in `style` (fact()'s format argument), with its unit
    unless the figure carries it (%, £)."""
    figure = format_fact(fact, style, language)
    if style == "percent" or isinstance(fact.value, str) or fact.unit in PERCENT_UNITS or currency_of(fact.unit):
        return figure
    return f"{figure} {fact.unit}"


def shown_forms(before: Fact, after: Fact, old: Site, new: Site, styles: tuple[str, ...]) -> tuple[str, str]:
    """The figure before and after in the first of `styles` (the forms pages show it in) that reads
    differently; in the first of them when none does."""
    forms = [(shown(before, old.config.language, style), shown(after, new.config.language, style)) for style in styles]
    return next((pair for pair in forms if pair[0] != pair[1]), forms[0])


def fact_fields(fact: Fact, site: Site) -> dict[str, str]:
    """The fields of a fact as readers see them: dates in words, sources by publisher and title."""
    language = site.config.language

    def source(source_id: str) -> str:
        found = site.sources.get(source_id)
        return f"{found.publisher}, {found.title}" if found else source_id

    return {
        "unit": fact.unit,
        "counts": fact.counts,
        "status": fact.status,
        "claimant": fact.claimant,
        "as_of": format_date(fact.as_of, language) if fact.as_of else "",
        "sources": "; ".join(source(s) for s in fact.sources),
        "label": fact.label,
        "quote": fact.quote,
        "note": fact.note,
        "expression": fact.expression,
        "decimals": "" if fact.decimals is None else str(fact.decimals),
    }


def figure_of(fact: Fact) -> tuple[float | str | None, float | None, float | None]:
    return (fact.value, fact.low, fact.high)


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    """Everything a reader of the site's own language would see change from `old` to `new`."""
    gained = corrections_gained(old.site, new.site)
    facts, reworded, added, removed = fact_changes(old, new, gained)
    pages_added, pages_removed, pages_renamed, pages_changed = page_changes(old, new)
    return Comparison(
        old=old,
        new=new,
        facts=facts,
        added_facts=added,
        removed_facts=removed,
        reworded_facts=reworded,
        sources=source_changes(old.site, new.site),
        datasets=dataset_changes(old.site, new.site),
        statements=statement_changes(old, new, facts),
        charts=chart_changes(old, new),
        pages_added=pages_added,
        pages_removed=pages_removed,
        pages_renamed=pages_renamed,
        pages_changed=pages_changed,
        translations=translation_changes(old, new),
        corrections_gained=gained,
    )


def corrections_gained(old: Site, new: Site) -> tuple[Correction, ...]:
    """Entries of the corrections log that BASE does not have (an entry edited counts as new)."""

    def key(entry: Correction) -> tuple[str, str, str, str]:
        return (entry.date, entry.change, entry.reason, entry.fact)

    had = Counter(key(entry) for entry in old.corrections)
    gained = []
    for entry in new.corrections:
        if had[key(entry)]:
            had[key(entry)] -= 1
        else:
            gained.append(entry)
    return tuple(gained)


def fact_changes(
    old: Snapshot, new: Snapshot, gained: tuple[Correction, ...]
) -> tuple[tuple[FactChange, ...], tuple[FactChange, ...], tuple[FactChange, ...], tuple[FactChange, ...]]:
    """(figures changed, reworded only, added, removed) FactChanges."""
    language = new.site.config.language
    published = {use.id for use in old.uses if use.kind == "fact"}
    named = {entry.fact: entry for entry in reversed(gained) if entry.fact}
    changed: list[FactChange] = []
    reworded: list[FactChange] = []
    for fact_id in sorted(old.site.facts.keys() & new.site.facts.keys()):
        before, after = old.site.facts[fact_id], new.site.facts[fact_id]
        # In the forms BASE's readers saw it in; in those it is shown in now when BASE did not show it.
        styles = old.styles.get(fact_id) or new.styles.get(fact_id) or ("number",)
        shown_before, shown_after = shown_forms(before, after, old.site, new.site, styles)
        # Compared as written (a source retitled is reported once, under Sources), shown as readers see them.
        names = [name for name in (*FIGURE_FIELDS, *WORDING_FIELDS) if getattr(before, name) != getattr(after, name)]
        figure_changed = figure_of(before) != figure_of(after)
        if shown_before == shown_after and not names and not figure_changed:
            continue
        fields_before, fields_after = fact_fields(before, old.site), fact_fields(after, new.site)
        differ = tuple((name, fields_before[name], fields_after[name]) for name in names)
        # A change readers see in the figure, with where it shows; else only its words changed.
        in_figure = figure_changed or shown_before != shown_after or bool(set(names) & set(FIGURE_FIELDS))
        change = FactChange(
            id=fact_id,
            old=before,
            new=after,
            before=shown_before,
            after=shown_after,
            fields=differ,
            figure_changed=figure_changed,
            published=fact_id in published,
            places=places(old, new, fact_id) if in_figure else (),
            corrected_by=named.get(fact_id),
        )
        (changed if in_figure else reworded).append(change)
    changed = with_followed(changed, new.site)
    added = tuple(
        FactChange(
            id=i,
            old=None,
            new=new.site.facts[i],
            before="",
            after=shown(new.site.facts[i], language, new.styles.get(i, ("number",))[0]),
            places=places(old, new, i),
        )
        for i in sorted(new.site.facts.keys() - old.site.facts.keys())
    )
    removed = tuple(
        FactChange(
            id=i,
            old=old.site.facts[i],
            new=None,
            before=shown(old.site.facts[i], old.site.config.language, old.styles.get(i, ("number",))[0]),
            after="",
            published=i in published,
            places=places(old, new, i),
        )
        for i in sorted(old.site.facts.keys() - new.site.facts.keys())
    )
    return tuple(changed), tuple(reworded), added, removed


def upstream(fact_id: str, site: Site) -> tuple[set[str], set[str]]:
    """The facts a fact is calculated from, all the way down, and every dataset any of them reads."""
    facts, datasets, todo = set(), set(site.facts[fact_id].datasets), list(site.facts[fact_id].inputs)
    while todo:
        current = todo.pop()
        if current in facts or current not in site.facts:
            continue
        facts.add(current)
        datasets.update(site.facts[current].datasets)
        todo.extend(site.facts[current].inputs)
    return facts, datasets


def with_followed(changes: list[FactChange], site: Site) -> list[FactChange]:
    """Calculated facts (status: derived) that follow the change of a fact they are calculated from, or
    of a fact drawn from a dataset they read, when that change is corrected or itself needs a correction:
    the correction of that fact covers them, so the log says once what changed."""
    accounted = {c.id: c for c in changes if c.figure_changed and (c.corrected_by or c.published)}
    result = []
    for change in changes:
        if change.figure_changed and change.corrected_by is None and change.fact.status == "derived":
            facts, datasets = upstream(change.id, site)
            covering = [
                other
                for other in accounted.values()
                if other.id != change.id
                and other.fact.status != "derived"
                and (other.id in facts or set(other.fact.datasets) & datasets)
            ]
            if covering:
                result.append(dataclasses.replace(change, follows=covering[0].id))
                continue
        result.append(change)
    return result


BLANK_LINE = re.compile(r"\n[ \t]*\n")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
TOKEN = re.compile(r"\x00(\d+)\x00")


def places(old: Snapshot, new: Snapshot, fact_id: str) -> tuple[Place, ...]:
    """Each page (and sentence or chart) showing the fact: on the new version, then any BASE page
    that showed it and no longer does."""
    before, after = old.site.facts.get(fact_id), new.site.facts.get(fact_id)
    found = places_in(new, fact_id, before, after) if after else []
    shown_now = {place.page for place in found}
    if before:
        found += [
            dataclasses.replace(place, gone=True)
            for place in places_in(old, fact_id, None, before)
            if place.page not in shown_now
        ]
    return tuple(found)


def places_in(snapshot: Snapshot, fact_id: str, before: Fact | None, after: Fact) -> list[Place]:
    titles = {page.filename: page for page in snapshot.site.pages}
    found: list[Place] = []
    for use in snapshot.uses:
        if use.kind != "fact" or use.id != fact_id:
            continue
        page = titles[use.page]
        if use.anchor.startswith("chart-"):
            chart = snapshot.charts.get(use.anchor[len("chart-") :])
            place = Place(use.page, page.title, chart=chart.title if chart else use.anchor[len("chart-") :])
        else:
            occurrence = int(use.anchor.rsplit("-", 1)[1]) if use.anchor.rsplit("-", 1)[-1].isdigit() else 1
            place = Place(use.page, page.title, sentence_of(page, "fact", fact_id, occurrence, snapshot.site, before))
        if place not in found:
            found.append(place)
    return found


@functools.lru_cache(maxsize=1024)
def body_parts(body: str, path: str, body_line: int) -> tuple[str | Reference, ...]:
    """The page body as validate reads it (validate.prose_parts: text, Jinja comments left out, and
    calls); () for a body it refuses."""
    parts, errors = prose_parts(body, path, body_line)
    return () if errors else tuple(parts)


def sentence_of(
    page: Page, kind: str, item: str, occurrence: int, site: Site, before: Fact | None = None
) -> tuple[Segment, ...]:
    """The sentence around the `occurrence`-th {{ kind("item") }} of the page, as readers read it:
    Markdown stripped, every fact() written as its figure (the item's as ("change", (old, new)) when
    `before` is given, else as ("strong", figure)), check() as nothing. () when it cannot be found."""
    parts = body_parts(page.body, page.where.path, page.body_line)
    calls = [part for part in parts if isinstance(part, Reference)]
    targets = [number for number, call in enumerate(calls) if call.kind == kind and call.id == item]
    if not 0 < occurrence <= len(targets):
        return ()
    tokens = iter(range(len(calls)))
    text = "".join(part if isinstance(part, str) else f"\x00{next(tokens)}\x00" for part in parts)
    mark = f"\x00{targets[occurrence - 1]}\x00"
    start, end = block_around(text, text.index(mark), text.index(mark) + len(mark))
    chosen = next((s for s in sentences(plain(text[start:end])) if mark in s), "")
    segments: list[Segment] = []
    for number, piece in enumerate(TOKEN.split(chosen)):
        if number % 2 == 0:
            if piece:
                segments.append(("", piece))
            continue
        call = calls[int(piece)]
        if call.kind != "fact" or call.id not in site.facts:
            continue
        figure = format_fact(site.facts[call.id], call.style, site.language)
        if call.kind == kind and call.id == item:
            segments.append(("change", (format_fact(before, call.style, site.language) if before else None, figure)))
        else:
            segments.append(("", figure))
    return tuple(segments)


def block_around(body: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph holding body[start:end]; only its line for a table row, list item or heading."""
    before = [m.end() for m in BLANK_LINE.finditer(body, 0, start)]
    after = BLANK_LINE.search(body, end)
    block_start, block_end = (before[-1] if before else 0), (after.start() if after else len(body))
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line_end = len(body) if line_end == -1 else line_end
    line = body[line_start:line_end]
    if line.lstrip().startswith(("|", "#")) or LIST_ITEM.match(line):
        return line_start, line_end
    return block_start, block_end


MARKDOWN_INLINE = [
    (re.compile(r"\{:[^}]*\}"), ""),  # attribute lists
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: their description
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),  # HTML tags
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])"), r"\1"),
    (re.compile(r"`"), ""),
]


def plain(markdown_text: str) -> str:
    """Markdown as a reader reads it: one line, without marks, links as their text, a table row's
    cells joined by " | "."""
    lines = []
    for source_line in markdown_text.split("\n"):
        line = re.sub(r"^\s*(?:#{1,6}\s+|>\s?|:\s{3}|(?:[-*+]|\d+[.)])\s+)", "", source_line)
        if line.strip().startswith("|"):
            line = " | ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        lines.append(line)
    text = " ".join(lines)
    for pattern, replacement in MARKDOWN_INLINE:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", html_text.unescape(text)).strip()


def sentences(text: str) -> list[str]:
    """The text cut after . ! ? or … where the next sentence does not start in lower case ("e.g. the")."""
    found: list[str] = []
    for piece in re.split(r"(?<=[.!?…])[\"'”»)]*\s+", text):
        if found and piece[:1].islower():
            found[-1] += " " + piece
        else:
            found.append(piece)
    return found


def without_data(spec: Any, names: dict[str, str] | None = None) -> Any:
    """The spec with its inline rows left out and Altair's dataset names (digests of the rows) numbered."""
    if names is None:
        names = {name: f"#{n}" for n, name in enumerate((spec.get("datasets") or {}) if isinstance(spec, dict) else {})}
    if isinstance(spec, list):
        return [without_data(item, names) for item in spec]
    if isinstance(spec, str):
        return names.get(spec, spec)
    if not isinstance(spec, dict):
        return spec
    return {
        names.get(key, key): "..." if key in ("values", "datasets") else without_data(value, names)
        for key, value in spec.items()
        if key not in ("title", "description")
    }


def tables_of(chart: RenderedChart) -> list[list[dict[str, Any]]]:
    from .charts import inline_tables

    return inline_tables(chart.spec) or [
        [dict(zip(t.columns, row, strict=True)) for row in t.rows] for t in chart.tables
    ]


def row_text(row: dict[str, Any], language: str) -> str:
    return ", ".join(f"{key} {format_cell(value, language)}" for key, value in row.items())


def rows_diff(
    before: list[list[dict[str, Any]]], after: list[list[dict[str, Any]]], language: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rows only BASE's data has and rows only the new data has, as readers read them."""

    def counted(tables: list[list[dict[str, Any]]]) -> Counter[str]:
        return Counter(json.dumps(row, sort_keys=True, default=str) for rows in tables for row in rows)

    old, new = counted(before), counted(after)
    removed = [json.loads(row) for row in (old - new).elements()]
    added = [json.loads(row) for row in (new - old).elements()]
    return tuple(row_text(r, language) for r in removed), tuple(row_text(r, language) for r in added)


def chart_pages(snapshot: Snapshot, chart_id: str) -> tuple[str, ...]:
    titles = {page.filename: page.title for page in snapshot.site.pages}
    return tuple(dict.fromkeys(titles[u.page] for u in snapshot.uses if u.kind == "chart" and u.id == chart_id))


def chart_changes(old: Snapshot, new: Snapshot) -> tuple[ChartChange, ...]:
    language = new.site.config.language
    changes = []
    for chart_id in sorted(old.charts.keys() | new.charts.keys()):
        before, after = old.charts.get(chart_id), new.charts.get(chart_id)
        if before is not None and after is None:
            changes.append(
                ChartChange(chart_id, before.title, "removed", chart_pages(old, chart_id), old_svg=before.svg)
            )
            continue
        if after is not None and before is None:
            changes.append(ChartChange(chart_id, after.title, "added", chart_pages(new, chart_id), new_svg=after.svg))
            continue
        assert before is not None and after is not None  # in one of the two at least
        if before.spec == after.spec:
            continue
        rows_before, rows_after = tables_of(before), tables_of(after)
        removed, added = rows_diff(rows_before, rows_after, language)
        data_changed = json.dumps(rows_before, default=str) != json.dumps(rows_after, default=str)
        spec_before, spec_after = without_data(before.spec), without_data(after.spec)
        parts = [name for name in ("title", "description") if getattr(before, name) != getattr(after, name)]
        parts += sorted(
            key
            for key in spec_before.keys() | spec_after.keys()
            if spec_before.get(key) != spec_after.get(key) and key not in ("datasets", "data")
        )
        if not data_changed and not parts:
            parts = ["how the data is read"]
        changes.append(
            ChartChange(
                chart_id,
                after.title,
                "changed",
                chart_pages(new, chart_id),
                data_changed,
                tuple(parts),
                removed,
                added,
                before.svg,
                after.svg,
                before.title,
            )
        )
    return tuple(changes)


def statement_changes(old: Snapshot, new: Snapshot, facts: tuple[FactChange, ...]) -> tuple[StatementChange, ...]:
    moved = {change.id for change in facts if change.figure_changed}
    datasets_changed = {
        d
        for d in old.site.datasets.keys() & new.site.datasets.keys()
        if old.site.datasets[d].rows != new.site.datasets[d].rows
    }
    changes = []
    for statement_id in sorted(old.site.statements.keys() | new.site.statements.keys()):
        before, after = old.site.statements.get(statement_id), new.site.statements.get(statement_id)
        if before is None or after is None:
            kind = ("added",) if before is None else ("removed",)
            changes.append(
                StatementChange(
                    statement_id, before, after, kind, (), statement_places(new if after else old, statement_id)
                )
            )
            continue
        kinds = []
        if before.says != after.says:
            kinds.append("reworded")
        if before.check != after.check:
            kinds.append("condition")
        reads = tuple(
            sorted({*(f for f in after.inputs if f in moved), *(d for d in after.datasets if d in datasets_changed)})
        )
        if reads:
            kinds.append("data")
        if kinds:
            changes.append(
                StatementChange(statement_id, before, after, tuple(kinds), reads, statement_places(new, statement_id))
            )
    return tuple(changes)


def statement_places(snapshot: Snapshot, statement_id: str) -> tuple[Place, ...]:
    found = []
    for page in snapshot.site.pages:
        count = sum(1 for ref in page.references if ref.kind == "check" and ref.id == statement_id)
        for occurrence in range(1, count + 1):
            place = Place(
                page.filename, page.title, sentence_of(page, "check", statement_id, occurrence, snapshot.site)
            )
            if place not in found:
                found.append(place)
    return tuple(found)


def source_changes(old: Site, new: Site) -> tuple[tuple[str, str, str], ...]:
    changes: list[tuple[str, str, str]] = []
    for source_id in sorted(old.sources.keys() | new.sources.keys()):
        before, after = old.sources.get(source_id), new.sources.get(source_id)
        if after is not None and before is None:
            changes.append(("added", source_id, f"{after.publisher}, {after.title} ({after.url})"))
        elif before is not None and after is None:
            changes.append(("removed", source_id, f"{before.publisher}, {before.title}"))
        elif before is not None:
            fields = [
                name
                for name in ("publisher", "title", "url", "published", "archived", "note")
                if getattr(before, name) != getattr(after, name)
            ]
            if fields:
                changes.append(
                    (
                        "changed",
                        source_id,
                        ", ".join(
                            f"{name}: {getattr(before, name) or '(none)'} → {getattr(after, name) or '(none)'}"
                            for name in fields
                        ),
                    )
                )
    return tuple(changes)


def dataset_changes(old: Site, new: Site) -> tuple[DatasetChange, ...]:
    language = new.config.language
    changes: list[DatasetChange] = []
    for dataset_id in sorted(old.datasets.keys() | new.datasets.keys()):
        before, after = old.datasets.get(dataset_id), new.datasets.get(dataset_id)
        if before is None and after is not None:
            changes.append((dataset_id, after.title, "added", (), ()))
            continue
        if after is None and before is not None:
            changes.append((dataset_id, before.title, "removed", (), ()))
            continue
        assert before is not None and after is not None  # in one of the two at least
        if before.rows == after.rows and before.columns == after.columns:
            continue
        removed, added = rows_diff([list(before.rows)], [list(after.rows)], language)
        changes.append((dataset_id, after.title, "changed", removed, added))
    return tuple(changes)


def page_changes(old: Snapshot, new: Snapshot) -> tuple[Titled, Titled, tuple[tuple[str, str, str], ...], Titled]:
    """Pages (added, removed, renamed: their prose moved to another file, changed: read differently)."""
    before = {page.slug: page for page in old.site.pages}
    after = {page.slug: page for page in new.site.pages}
    gone, came = [before[s] for s in before.keys() - after.keys()], [after[s] for s in after.keys() - before.keys()]
    renamed = []
    for page in sorted(came, key=lambda p: p.slug):
        match = next((g for g in gone if g.body.strip() == page.body.strip()), None)
        if match:
            gone.remove(match)
            renamed.append((match.filename, page.filename, page.title))
    renamed_to = {new_name for _, new_name, _ in renamed}
    changed = tuple(
        (page.filename, page.title)
        for slug, page in after.items()
        if slug in before and new.pages[page.filename].html != old.pages[before[slug].filename].html
    )
    return (
        tuple((p.filename, p.title) for p in sorted(came, key=lambda p: p.slug) if p.filename not in renamed_to),
        tuple((p.filename, p.title) for p in sorted(gone, key=lambda p: p.slug)),
        tuple(renamed),
        changed,
    )


def translation_changes(old: Snapshot, new: Snapshot) -> tuple[tuple[str, Titled, Titled, Titled], ...]:
    found: list[tuple[str, Titled, Titled, Titled]] = []
    for language in sorted(old.editions.keys() | new.editions.keys()):
        before, after = old.editions.get(language, {}), new.editions.get(language, {})
        titles = {
            page.filename: page.title
            for s in (old.site, new.site)
            if language in s.editions
            for page in s.editions[language].pages
        }
        changed = tuple((f, titles.get(f, f)) for f in after if f in before and after[f] != before[f])
        added = tuple((f, titles.get(f, f)) for f in after if f not in before)
        removed = tuple((f, titles.get(f, f)) for f in before if f not in after)
        if changed or added or removed:
            found.append((language, changed, added, removed))
    return tuple(found)
