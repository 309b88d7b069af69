"""`diff BASE`: what a change does to readers, and the corrections it owes them.

BASE's site files are taken from git into a temporary folder (`git archive`, never a checkout of the
working tree), both versions are built in memory with the same cache, and the two are compared as
readers see them: figures (old and new, with the pages and sentences that show them), computed
sentences, checked statements, charts (with both versions' SVGs written beside the report), facts,
sources, datasets, pages and translations.

The corrections rule: a figure published on BASE (a fact BASE's pages show, in prose or through a
chart) whose value changes needs an entry in the corrections log (`corrections:`) naming it, gained
since BASE. A fact the build calculates (status: derived) follows the correction of a changed fact it
is calculated from, or of a changed fact drawn from a dataset it reads. Additions and changes of
wording (label, quote, note) need none.

Stages, each a plain function: checkout_base (git) -> build_snapshot (twice) -> compare ->
document -> markdown_report / text_report, report_files; correction_message for the failure.
"""

from __future__ import annotations

import dataclasses
import functools
import html as html_text
import io
import json
import os
import re
import subprocess
import tarfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, ContentErrors, UsageError, listed, one_line
from .formatting import PERCENT_UNITS, currency_of, format_date, format_fact
from .inputs import CONFIG_FILE, SITE_INPUTS
from .model import Correction, Fact, Page, Reference, Site, Statement
from .prose import Memo
from .render_html import format_cell
from .report import plural
from .validate import FORMATS, prose_parts

FIGURE_FIELDS = ("unit", "counts", "status", "claimant", "as_of", "sources")  # besides the value itself
WORDING_FIELDS = ("label", "quote", "note", "expression", "decimals")
ROWS_SHOWN = 6  # rows added or removed listed per chart or dataset; the rest are counted
# BASE's site files are read whole, so their size is asked of git first: a small repository can hold a
# huge file (a gigabyte of zeros packs into 1.5 MB, and reading it took 2 GB of memory).
MAX_BASE_BYTES = 256 * 1024 * 1024


# ---- BASE's site files, from git ------------------------------------------------------------------


def git(arguments: list[str], cwd: Path, text: bool = True) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=text, timeout=600)
    except FileNotFoundError:
        raise UsageError(
            "diff compares the site with a commit of its git repository, and git is not installed"
        ) from None


def repository_of(site_root: Path) -> tuple[Path, str]:
    """The top folder of the git repository holding the site folder, and the site's folder inside it
    ("" at the top, "site/" for a site in a subfolder)."""
    if not (site_root / "site.yaml").is_file():
        raise UsageError(f"{site_root}: no site.yaml here; run diff in a site folder or pass --site")
    found = git(["rev-parse", "--show-toplevel", "--show-prefix"], site_root)
    if found.returncode:
        said = found.stderr.strip().splitlines()[:1]
        why = f" (git says: {one_line(said[0])})" if said and "not a git repository" not in said[0] else ""
        raise UsageError(
            f"{site_root} is not in a git repository{why}: diff compares the site with a commit of its"
            " repository (git init, git add, git commit, then change it and run diff)"
        )
    top, prefix = (found.stdout.split("\n") + ["", ""])[:2]
    return Path(top), prefix


def resolve_commit(top: Path, base: str) -> str:
    """BASE's commit id; a usage error saying what to do when git does not know it."""
    if not base or base.startswith("-") or any(ord(char) < 32 for char in base):
        raise UsageError(f"BASE must name a commit, branch or tag, such as main or origin/main, not {base!r}")
    found = git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
    if found.returncode:
        raise UsageError(
            f'unknown BASE "{one_line(base)}": not a commit, branch or tag of the repository in {top}'
            " (a branch of a remote needs fetching first: git fetch origin; in GitHub Actions,"
            " actions/checkout with fetch-depth: 0)"
        )
    return found.stdout.strip()


def checkout_base(site_root: Path, base: str, into: Path) -> tuple[Path, str]:
    """BASE's version of the site folder written into `into` (its site.yaml, content/, templates/,
    static/, locales/): (that folder, BASE's commit). The working tree is not touched."""
    top, prefix = repository_of(site_root)
    commit = resolve_commit(top, base)
    tree = f"{commit}:{prefix.rstrip('/')}"
    listing = git(["ls-tree", "--name-only", "-z", tree], top)
    names = listing.stdout.split("\0") if listing.returncode == 0 else []
    if CONFIG_FILE not in names:
        where = f"{prefix.rstrip('/')}/" if prefix else "the repository's top folder"
        raise UsageError(f'BASE "{one_line(base)}" has no site in {where}: it has no site.yaml there')
    parts = [name for name in names if name in SITE_INPUTS]
    check_base_size(top, tree, parts, f"{base}:{prefix}")
    archive = git(["archive", "--format=tar", tree, *parts], top, text=False)
    if archive.returncode:
        raise UsageError(f"git archive could not read BASE: {archive.stderr.decode(errors='replace').strip()}")
    extract(archive.stdout, into)
    return into, commit


def check_base_size(top: Path, tree: str, parts: list[str], shown_as: str) -> None:
    """A content error, before anything is read, when BASE's site files add up to more than
    MAX_BASE_BYTES (git tells each file's size without reading it)."""
    listing = git(["ls-tree", "-r", "-l", "-z", tree, "--", *parts], top)
    sizes = []
    for entry in listing.stdout.split("\0") if listing.returncode == 0 else []:
        info, _, name = entry.partition("\t")
        size = info.split()[-1] if info else "-"
        if size.isdigit():
            sizes.append((int(size), name))
    total = sum(size for size, _ in sizes)
    if total > MAX_BASE_BYTES:
        largest, name = max(sizes)
        raise ContentError(
            f"{shown_as}{name}",
            None,
            f"BASE's site files come to {total:,} bytes, more than diff reads"
            f" ({MAX_BASE_BYTES:,}); this file alone is {largest:,} bytes",
        )


def safe_member(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """Python's "data" filter, skipping (not failing on) a link that leads out of the folder."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


def extract(data: bytes, into: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(into, filter=safe_member)
        else:  # Python 3.11 before 3.11.4: plain files and folders inside `into` only
            members = [
                m
                for m in archive.getmembers()
                if (m.isfile() or m.isdir()) and not m.name.startswith("/") and ".." not in Path(m.name).parts
            ]
            archive.extractall(into, members=members)


# ---- one version, built in memory ------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """One version of the site as a build makes it, kept in memory (nothing is written)."""

    label: str  # "origin/main (1a2b3c4)", "the working tree"
    site: Site
    charts: dict  # id -> charts.RenderedChart, in the site's own language
    pages: dict  # output file -> render_html.RenderedPage, in the site's own language
    editions: dict = field(default_factory=dict)  # language -> {output file: HTML bytes} of its pages

    @functools.cached_property
    def uses(self) -> tuple:
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


def compare_with(
    base: str,
    site_root: Path,
    cache_dir: Path,
    workers: int | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> Comparison:
    """Build BASE's version of the site and the working tree's, and compare them."""
    import tempfile

    from .prose import load_memo, save_memo

    site_root = Path(site_root)
    with tempfile.TemporaryDirectory(prefix="factsite-diff-") as folder:
        progress(f"taking {base} from git")
        base_root, commit = checkout_base(site_root, base, Path(folder))
        memo = load_memo(cache_dir)
        progress(f"building {base}")
        try:
            label = base if commit.startswith(base) else f"{base} ({commit[:7]})"
            old = build_snapshot(base_root, cache_dir, memo, label, workers)
        except (ContentError, ContentErrors) as exc:
            raise ContentErrors([in_base(error, base_root, base) for error in listed(exc)]) from None
        progress("building the working tree")
        new = build_snapshot(site_root, cache_dir, memo, "the working tree", workers)
        save_memo(cache_dir, memo, [page.body for snapshot in (old, new) for page in snapshot.site.every_page])
        progress("comparing")
        return compare(old, new)


def in_base(error: ContentError, folder: Path, base: str) -> ContentError:
    """A content error of BASE's files, its path written as git names them: origin/main:content/x.yaml."""
    try:
        inside = Path(error.path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return error
    return dataclasses.replace(error, path=f"{base}:{inside}")


# ---- what changed -------------------------------------------------------------------------------------

# A segment of a line of the report: (style, payload). Styles: "" text, "code" an id or path, "strong",
# "change" (old, new) figures, "link" (text, address).
Segment = tuple


@dataclass(frozen=True)
class Place:
    """Where readers see a fact: a page, and the sentence (or the chart) that shows it."""

    page: str  # output file
    title: str  # the page's title
    sentence: tuple = ()  # Segments, the fact's figures as ("change", (old, new))
    chart: str = ""  # the chart's title when the fact is shown through a chart
    gone: bool = False  # shown there on BASE, no longer


@dataclass(frozen=True)
class FactChange:
    id: str
    old: Fact | None
    new: Fact | None
    before: str  # the figure as readers see it, unit included ("" when the fact is new): see shown_forms
    after: str
    fields: tuple = ()  # (field, before, after) as readers see them, figure fields first
    figure_changed: bool = False  # value, low or high changed
    published: bool = False  # shown on a page of BASE
    places: tuple = ()
    corrected_by: Correction | None = None  # an entry gained since BASE that names this fact
    follows: str = ""  # a changed fact this one is calculated from, whose correction covers it

    @property
    def label(self) -> str:
        """How the fact is named in words: its label, else what it counts."""
        fact = self.new or self.old
        return fact.label or fact.counts or fact.id

    @property
    def title(self) -> list:
        fact = self.new or self.old
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
    pages: tuple = ()  # titles of the pages showing it
    data_changed: bool = False
    spec_changes: tuple = ()  # "title", "description", and the other parts of the spec that changed
    rows_removed: tuple = ()  # rows as readers read them
    rows_added: tuple = ()
    old_svg: str = ""
    new_svg: str = ""
    old_title: str = ""


@dataclass(frozen=True)
class StatementChange:
    id: str
    old: Statement | None
    new: Statement | None
    changes: tuple  # "added", "removed", "reworded", "condition", "data"
    reads_changed: tuple = ()  # facts and datasets it reads that changed
    places: tuple = ()


@dataclass(frozen=True)
class Comparison:
    old: Snapshot
    new: Snapshot
    facts: tuple = ()  # FactChange: figures (or their unit, source, claimant...) that changed
    added_facts: tuple = ()
    removed_facts: tuple = ()
    reworded_facts: tuple = ()  # only label, quote, note, expression or decimals changed
    sources: tuple = ()  # (kind, id, text): added, removed or changed sources
    datasets: tuple = ()  # (id, title, rows removed, rows added, columns changed)
    statements: tuple = ()
    charts: tuple = ()
    pages_added: tuple = ()  # (output file, title)
    pages_removed: tuple = ()
    pages_renamed: tuple = ()  # (old output file, new output file, title)
    pages_changed: tuple = ()  # (output file, title): pages that read differently
    translations: tuple = ()  # (language, changed, added, removed), each a tuple of (output file, title)
    corrections_gained: tuple = ()

    @property
    def missing_corrections(self) -> tuple:
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


def figure_of(fact: Fact) -> tuple:
    return (fact.value, fact.low, fact.high)


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    """Everything a reader of the site's own language would see change from `old` to `new`."""
    gained = corrections_gained(old.site, new.site)
    facts, reworded, added, removed = fact_changes(old, new, gained)
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
        **page_changes(old, new),
        translations=translation_changes(old, new),
        corrections_gained=gained,
    )


def corrections_gained(old: Site, new: Site) -> tuple[Correction, ...]:
    """Entries of the corrections log that BASE does not have (an entry edited counts as new)."""

    def key(entry: Correction) -> tuple:
        return (entry.date, entry.change, entry.reason, entry.fact)

    had = Counter(key(entry) for entry in old.corrections)
    gained = []
    for entry in new.corrections:
        if had[key(entry)]:
            had[key(entry)] -= 1
        else:
            gained.append(entry)
    return tuple(gained)


def fact_changes(old: Snapshot, new: Snapshot, gained: tuple) -> tuple[tuple, tuple, tuple, tuple]:
    """(figures changed, reworded only, added, removed) FactChanges."""
    language = new.site.config.language
    published = {use.id for use in old.uses if use.kind == "fact"}
    named = {entry.fact: entry for entry in reversed(gained) if entry.fact}
    changed, reworded = [], []
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
        if change.figure_changed and change.corrected_by is None and change.new.status == "derived":
            facts, datasets = upstream(change.id, site)
            covering = [
                other
                for other in accounted.values()
                if other.id != change.id
                and other.new.status != "derived"
                and (other.id in facts or set(other.new.datasets) & datasets)
            ]
            if covering:
                change = dataclasses.replace(change, follows=covering[0].id)
        result.append(change)
    return result


# ---- where readers see a fact -------------------------------------------------------------------------

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
def body_parts(body: str, path: str, body_line: int) -> tuple:
    """The page body as validate reads it (validate.prose_parts: text, Jinja comments left out, and
    calls); () for a body it refuses."""
    parts, errors = prose_parts(body, path, body_line)
    return () if errors else tuple(parts)


def sentence_of(page: Page, kind: str, item: str, occurrence: int, site: Site, before: Fact | None = None) -> tuple:
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
    for line in markdown_text.split("\n"):
        line = re.sub(r"^\s*(?:#{1,6}\s+|>\s?|:\s{3}|(?:[-*+]|\d+[.)])\s+)", "", line)
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


# ---- charts, statements, sources, datasets, pages ------------------------------------------------------


def without_data(spec, names: dict | None = None):
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


def tables_of(chart) -> list[list[dict]]:
    from .charts import inline_tables

    return inline_tables(chart.spec) or [[dict(zip(t.columns, row)) for row in t.rows] for t in chart.tables]


def row_text(row: dict, language: str) -> str:
    return ", ".join(f"{key} {format_cell(value, language)}" for key, value in row.items())


def rows_diff(before: list[list[dict]], after: list[list[dict]], language: str) -> tuple[tuple, tuple]:
    """Rows only BASE's data has and rows only the new data has, as readers read them."""

    def counted(tables):
        return Counter(json.dumps(row, sort_keys=True, default=str) for rows in tables for row in rows)

    old, new = counted(before), counted(after)
    removed = [json.loads(row) for row in (old - new).elements()]
    added = [json.loads(row) for row in (new - old).elements()]
    return tuple(row_text(r, language) for r in removed), tuple(row_text(r, language) for r in added)


def chart_pages(snapshot: Snapshot, chart_id: str) -> tuple:
    titles = {page.filename: page.title for page in snapshot.site.pages}
    return tuple(dict.fromkeys(titles[u.page] for u in snapshot.uses if u.kind == "chart" and u.id == chart_id))


def chart_changes(old: Snapshot, new: Snapshot) -> tuple[ChartChange, ...]:
    language = new.site.config.language
    changes = []
    for chart_id in sorted(old.charts.keys() | new.charts.keys()):
        before, after = old.charts.get(chart_id), new.charts.get(chart_id)
        if after is None:
            changes.append(
                ChartChange(chart_id, before.title, "removed", chart_pages(old, chart_id), old_svg=before.svg)
            )
            continue
        if before is None:
            changes.append(ChartChange(chart_id, after.title, "added", chart_pages(new, chart_id), new_svg=after.svg))
            continue
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


def statement_changes(old: Snapshot, new: Snapshot, facts: tuple) -> tuple[StatementChange, ...]:
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


def source_changes(old: Site, new: Site) -> tuple:
    changes = []
    for source_id in sorted(old.sources.keys() | new.sources.keys()):
        before, after = old.sources.get(source_id), new.sources.get(source_id)
        if before is None:
            changes.append(("added", source_id, f"{after.publisher}, {after.title} ({after.url})"))
        elif after is None:
            changes.append(("removed", source_id, f"{before.publisher}, {before.title}"))
        else:
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


def dataset_changes(old: Site, new: Site) -> tuple:
    language = new.config.language
    changes = []
    for dataset_id in sorted(old.datasets.keys() | new.datasets.keys()):
        before, after = old.datasets.get(dataset_id), new.datasets.get(dataset_id)
        if before is None or after is None:
            changes.append((dataset_id, (after or before).title, "added" if before is None else "removed", (), ()))
            continue
        if before.rows == after.rows and before.columns == after.columns:
            continue
        removed, added = rows_diff([list(before.rows)], [list(after.rows)], language)
        changes.append((dataset_id, after.title, "changed", removed, added))
    return tuple(changes)


def page_changes(old: Snapshot, new: Snapshot) -> dict:
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
    return {
        "pages_added": tuple(
            (p.filename, p.title) for p in sorted(came, key=lambda p: p.slug) if p.filename not in renamed_to
        ),
        "pages_removed": tuple((p.filename, p.title) for p in sorted(gone, key=lambda p: p.slug)),
        "pages_renamed": tuple(renamed),
        "pages_changed": changed,
    }


def translation_changes(old: Snapshot, new: Snapshot) -> tuple:
    found = []
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


# ---- the report, as a document both formats write ----------------------------------------------------


@dataclass
class Item:
    title: list  # Segments
    lines: list = field(default_factory=list)  # (depth, Segments)
    images: tuple | None = None  # (old file, new file) inside the report folder, either may be ""
    code: str = ""  # YAML to paste


@dataclass
class Section:
    title: str
    items: list
    intro: list = field(default_factory=list)  # Segments
    blocks: bool = False  # each item under a heading of its own (charts, corrections), not a list entry


def chart_files(comparison: Comparison) -> dict[str, str]:
    """SVG files of the charts that changed, by their path inside the report folder."""
    files = {}
    for change in comparison.charts:
        if change.old_svg:
            files[f"charts/{change.id}.old.svg"] = change.old_svg
        if change.new_svg:
            files[f"charts/{change.id}.new.svg"] = change.new_svg
    return files


def report_files(comparison: Comparison, markdown: str) -> dict[str, bytes]:
    """The report folder's files: report.md and each changed chart's old and new SVG."""
    files = {"report.md": markdown.encode()}
    files.update({name: svg.encode() for name, svg in chart_files(comparison).items()})
    return files


def place_line(place: Place, prefix: str = "") -> list:
    where = [("strong", place.title), ("", f" ({place.page})")]
    if place.gone:
        where.append(("", f", on {prefix or 'BASE'} only: no longer shown there"))
    if place.chart:
        return where + [("", f": in the chart “{place.chart}”")]
    if place.sentence:
        return where + [("", ": “"), *place.sentence, ("", "”")]
    return where


def fact_item(change: FactChange, base: str) -> Item:
    item = Item(change.title)
    if change.before and change.after and change.before == change.after:
        hidden = " (its value changed below the decimals shown)" if change.figure_changed else ""
        item.lines.append((0, [("", "reads, as before: "), ("strong", change.after), ("", hidden)]))
    elif change.before and change.after:
        item.lines.append((0, [("", "before → after: "), ("change", (change.before, change.after))]))
    elif change.after:
        item.lines.append((0, [("", "reads: "), ("strong", change.after)]))
    else:
        item.lines.append((0, [("", "read: "), ("strong", change.before)]))
    for name, before, after in change.fields:
        if name == "unit" or (name == "decimals" and change.before != change.after):
            continue  # shown with the figure
        item.lines.append(
            (0, [("", f"{name.replace('_', ' ')}: "), ("change", (before or "(none)", after or "(none)"))])
        )
    if change.places:
        item.lines.append((0, [("", "shown on:" if change.new else "was shown on:")]))
        item.lines += [(1, place_line(place, base)) for place in change.places]
    else:
        item.lines.append((0, [("", "not shown on any page")]))
    if change.owes_correction:
        if change.corrected_by:
            item.lines.append(
                (0, [("", "correction: "), ("", f"{change.corrected_by.date}, “{change.corrected_by.change}”")])
            )
        elif change.follows:
            item.lines.append(
                (
                    0,
                    [
                        ("", "correction: follows the correction of "),
                        ("code", change.follows),
                        ("", ", which it is calculated from"),
                    ],
                )
            )
        else:
            item.lines.append(
                (0, [("strong", "correction needed"), ("", ": published on BASE, and the log has no entry for it")])
            )
    elif change.figure_changed and change.before != change.after:
        item.lines.append((0, [("", "correction: none needed (not shown on BASE)")]))
    return item


def chart_item(change: ChartChange, folder: str) -> Item:
    title = change.title if change.kind != "changed" or change.old_title == change.title else change.old_title
    item = Item([("", f"“{title}” ("), ("code", change.id), ("", f"): {change.kind}")])
    if change.pages:
        item.lines.append((0, [("", "on: " + ", ".join(change.pages))]))
    if change.kind == "changed":
        if change.data_changed:
            item.lines.append((0, [("", "its data changed")]))
            item.lines += rows_lines(change.rows_removed, change.rows_added)
        for part in change.spec_changes:
            if part in ("title", "description"):
                continue
            item.lines.append((0, [("", f"its spec changed: {part}")]))
        if change.old_title != change.title:
            item.lines.append((0, [("", "title: "), ("change", (change.old_title, change.title))]))
        if "description" in change.spec_changes:
            item.lines.append((0, [("", "its description (the text alternative) changed")]))
    old = f"{folder}charts/{change.id}.old.svg" if change.old_svg else ""
    new = f"{folder}charts/{change.id}.new.svg" if change.new_svg else ""
    item.images = (old, new)
    return item


def rows_lines(removed: tuple, added: tuple) -> list:
    lines = [(1, [("", "− "), ("", row)]) for row in removed[:ROWS_SHOWN]]
    if len(removed) > ROWS_SHOWN:
        lines.append((1, [("", f"− and {len(removed) - ROWS_SHOWN} more rows")]))
    lines += [(1, [("", "+ "), ("", row)]) for row in added[:ROWS_SHOWN]]
    if len(added) > ROWS_SHOWN:
        lines.append((1, [("", f"+ and {len(added) - ROWS_SHOWN} more rows")]))
    return lines


def corrections_file(site: Site) -> str:
    """The facts file that holds the corrections log (or should): as messages show paths."""
    from .load import display_path

    if site.corrections:
        return site.corrections[-1].where.path
    facts = Path(site.root) / "content" / "facts"
    for path in sorted(facts.glob("*.y*ml")) if facts.is_dir() else []:
        if len(path.name.split(".")) == 2 and re.search(r"^corrections\s*:", path.read_text(errors="replace"), re.M):
            return display_path(path)
    return display_path(facts / "corrections.yaml")


def correction_entries(comparison: Comparison, today: str) -> str:
    """YAML to paste into the corrections log (and its words files) for each figure that needs it."""
    site = comparison.new.site
    path = corrections_file(site)
    lines = [f"# {path}, under corrections: (replace [] if the list is empty); then say why, in reason:"]
    for change in comparison.missing_corrections:
        lines += [
            f"  - date: {today}",
            f"    change: {json.dumps(f'{change.label[:1].upper()}{change.label[1:]} now reads {change.after} (was {change.before}).', ensure_ascii=False)}",
            "    reason:  # why it changed: a typing error, a revised report, a new source...",
            f"    fact: {change.id}",
        ]
    for language in sorted(site.editions):
        stem, _, suffix = path.rpartition(".")
        lines.append(f"# {stem}.{language}.{suffix}, under corrections:, at the same place in its list")
        for _ in comparison.missing_corrections:
            lines += [f"  - change:  # the change, in {language}", f"    reason:  # why, in {language}"]
    return "\n".join(lines)


def document(comparison: Comparison, today: str, folder: str = "") -> tuple[list, list[Section]]:
    """The report's heading lines and sections; `folder` leads from where the report is read to the
    report folder ("" for report.md itself)."""
    old, new = comparison.old, comparison.new
    base = old.label.split(" (")[0]
    site = new.site
    languages = ", ".join(sorted(site.editions)) or "none"
    head = [
        [
            ("", "Compared "),
            ("code", old.label),
            ("", f" with {new.label}, as readers of the default language ("),
            ("code", site.config.language),
            ("", ") see it; translations: "),
            ("code" if site.editions else "", languages),
            ("", "."),
        ],
    ]
    missing = comparison.missing_corrections
    if missing:
        head.append(
            [
                ("strong", f"{plural(len(missing), 'published figure')} changed without a correction"),
                ("", ": "),
                *joined([("code", c.id) for c in missing]),
                ("", ". Add an entry to the corrections log for each (below)."),
            ]
        )
    elif any(c.owes_correction for c in comparison.facts):
        head.append([("", "Every published figure that changed has its correction.")])
    if comparison.empty:
        head.append([("", "Nothing a reader would see changed.")])
    sections: list[Section] = []
    if missing:
        sections.append(
            Section(
                "Corrections needed",
                [Item([("", "Paste and complete:")], code=correction_entries(comparison, today))],
                intro=[
                    (
                        "",
                        "A figure published on BASE changed value; the method page promises readers"
                        " an entry in the corrections log for it. Facts calculated from it follow its entry.",
                    )
                ],
                blocks=True,
            )
        )
    in_order = sorted(comparison.facts, key=lambda c: (not c.needs_correction, not c.figure_changed, c.id))
    figures = [c for c in in_order if not c.text]
    computed = [c for c in in_order if c.text]
    if figures:
        sections.append(Section("Figures changed", [fact_item(c, base) for c in figures]))
    if computed:
        sections.append(
            Section(
                "Computed sentences whose outcome changed",
                [fact_item(c, base) for c in computed],
                intro=[("", "Facts whose value is text, drawn from data: the words readers read changed.")],
            )
        )
    if comparison.statements:
        sections.append(Section("Checked statements", [statement_item(c) for c in comparison.statements]))
    if comparison.charts:
        sections.append(
            Section(
                "Charts",
                [chart_item(c, folder) for c in comparison.charts],
                blocks=True,
                intro=[
                    (
                        "",
                        "Each chart's drawings on BASE and with this change are SVG files in the report"
                        " folder's charts/ (a pull request's checks attach the folder to the run).",
                    )
                ],
            )
        )
    if comparison.added_facts:
        sections.append(Section("Facts added", [fact_item(c, base) for c in comparison.added_facts]))
    if comparison.removed_facts:
        sections.append(Section("Facts removed", [fact_item(c, base) for c in comparison.removed_facts]))
    if comparison.reworded_facts:
        sections.append(
            Section(
                "Facts reworded (no figure changed)",
                [
                    Item(
                        [("code", c.id), ("", ": " + ", ".join(name for name, _, _ in c.fields))],
                        [
                            (0, [("", f"{name}: "), ("change", (b or "(none)", a or "(none)"))])
                            for name, b, a in c.fields
                        ],
                    )
                    for c in comparison.reworded_facts
                ],
            )
        )
    if comparison.sources:
        sections.append(
            Section("Sources", [Item([("code", i), ("", f" {kind}: {text}")]) for kind, i, text in comparison.sources])
        )
    if comparison.datasets:
        sections.append(
            Section(
                "Datasets",
                [
                    Item([("code", i), ("", f" {kind}: {title}")], rows_lines(removed, added))
                    for i, title, kind, removed, added in comparison.datasets
                ],
            )
        )
    pages = [Item([("", "added: "), ("strong", t), ("", f" ({f})")]) for f, t in comparison.pages_added]
    pages += [Item([("", "removed: "), ("strong", t), ("", f" ({f})")]) for f, t in comparison.pages_removed]
    pages += [Item([("", "renamed: "), ("strong", t), ("", f" ({a} → {b})")]) for a, b, t in comparison.pages_renamed]
    pages += [Item([("", "reads differently: "), ("strong", t), ("", f" ({f})")]) for f, t in comparison.pages_changed]
    if pages:
        sections.append(Section("Pages", pages))
    if comparison.translations:
        sections.append(
            Section(
                "Translations",
                [
                    Item(
                        [
                            ("code", language),
                            (
                                "",
                                ": "
                                + "; ".join(
                                    f"{what} {', '.join(f'{t} ({f})' for f, t in found)}"
                                    for what, found in (
                                        ("reads differently:", changed),
                                        ("added:", added),
                                        ("removed:", removed),
                                    )
                                    if found
                                ),
                            ),
                        ]
                    )
                    for language, changed, added, removed in comparison.translations
                ],
            )
        )
    if comparison.corrections_gained:
        sections.append(
            Section(
                "Corrections log: entries added",
                [
                    Item(
                        [
                            ("", f"{c.date}: {c.change} "),
                            *([("", "(fact "), ("code", c.fact), ("", ")")] if c.fact else []),
                        ],
                        [(0, [("", f"reason: {c.reason}")])],
                    )
                    for c in comparison.corrections_gained
                ],
            )
        )
    return head, sections


def statement_item(change: StatementChange) -> Item:
    statement = change.new or change.old
    item = Item([("code", change.id), ("", ": " + ", ".join(STATEMENT_CHANGES[k] for k in change.changes))])
    if "reworded" in change.changes:
        item.lines.append((0, [("", "says: "), ("change", (change.old.says, change.new.says))]))
    else:
        item.lines.append((0, [("", f"says: {statement.says}")]))
    if "condition" in change.changes:
        item.lines.append((0, [("", "check: "), ("change", (change.old.check, change.new.check))]))
    if change.reads_changed:
        item.lines.append(
            (
                0,
                [
                    ("", "it reads, changed: "),
                    *joined([("code", r) for r in change.reads_changed]),
                    ("", "; it still holds (the build checks it), but reread its sentence"),
                ],
            )
        )
    if change.places:
        item.lines.append((0, [("", "the sentence:")]))
        item.lines += [(1, place_line(place)) for place in change.places]
    return item


STATEMENT_CHANGES = {
    "added": "added",
    "removed": "removed",
    "reworded": "now reads differently",
    "condition": "its condition changed",
    "data": "the data it rests on changed",
}


def joined(segments: list) -> list:
    out = []
    for number, segment in enumerate(segments):
        if number:
            out.append(("", ", "))
        out.append(segment)
    return out


# ---- Markdown and plain text --------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def md_text(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", one_line(str(text)))


def md_segments(segments) -> str:
    out = []
    for style, payload in segments:
        if style == "code":
            out.append(f"`{one_line(str(payload)).replace('`', '')}`")
        elif style == "strong":
            out.append(f"**{md_text(payload)}**")
        elif style == "change":
            before, after = payload
            out.append(
                f"**{md_text(after)}**"
                if before is None or before == after
                else f"~~{md_text(before)}~~ **{md_text(after)}**"
            )
        else:
            out.append(md_text(payload))
    return "".join(out)


def markdown_report(comparison: Comparison, today: str) -> str:
    """The report as GitHub-flavoured Markdown (report.md, and a pull request's job summary)."""
    head, sections = document(comparison, today)
    out = [f"# What this change does to readers: {md_text(comparison.old.label)} → {md_text(comparison.new.label)}", ""]
    for line in head:
        out += [md_segments(line), ""]
    for section in sections:
        out += [f"## {md_text(section.title)} ({len(section.items)})", ""]
        if section.intro:
            out += [md_segments(section.intro), ""]
        for item in section.items:
            if section.blocks:
                out += [f"### {md_segments(item.title)}", ""]
                out += [f"{'  ' * depth}- {md_segments(line)}" for depth, line in item.lines]
                if item.lines:
                    out.append("")
            else:
                out.append(f"- {md_segments(item.title)}")
                out += [f"{'  ' * (depth + 1)}- {md_segments(line)}" for depth, line in item.lines]
            if item.images:
                old, new = item.images
                out += [
                    "| BASE | This change |",
                    "| --- | --- |",
                    f"| {f'![BASE]({old})' if old else '(none)'} | {f'![This change]({new})' if new else '(none)'} |",
                    "",
                ]
            if item.code:
                out += ["```yaml", item.code, "```", ""]
        if not section.blocks:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def text_report(comparison: Comparison, today: str, folder: str = "", colour: bool = False) -> str:
    """The report for a terminal: plain text, readable without colour; bold, red and green with it."""

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    def segments_text(segments) -> str:
        out = []
        for style, payload in segments:
            if style == "strong":
                out.append(paint(one_line(str(payload)), "1"))
            elif style == "change":
                before, after = payload
                after = one_line(str(after))
                out.append(
                    paint(after, "32")
                    if before is None or before == after
                    else f"{paint(one_line(str(before)), '31')} → {paint(after, '32')}"
                )
            else:
                out.append(one_line(str(payload)))
        return "".join(out)

    head, sections = document(comparison, today, folder)
    title = f"What this change does to readers: {comparison.old.label} → {comparison.new.label}"
    out = [paint(title, "1"), "=" * len(title), ""]
    for line in head:
        out.append(segments_text(line))
    for section in sections:
        heading = f"{section.title} ({len(section.items)})"
        out += ["", paint(heading, "1"), "-" * len(heading)]
        if section.intro:
            out.append(segments_text(section.intro))
        for item in section.items:
            out.append(f"* {segments_text(item.title)}")
            out += [f"{'    ' * (depth + 1)}{segments_text(line)}" for depth, line in item.lines]
            if item.images:
                old, new = item.images
                out.append(f"    images: BASE {old or '(none)'}  |  this change {new or '(none)'}")
            if item.code:
                out += ["", *(f"    {line}" for line in item.code.split("\n")), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def correction_message(comparison: Comparison, today: str) -> tuple[str, str]:
    """(the error line, the entries to paste) when published figures changed without a correction."""
    missing = comparison.missing_corrections
    listed_ = "; ".join(f"{c.id} ({c.before} → {c.after})" for c in missing)
    headline = (
        f"{plural(len(missing), 'published figure')} changed without a correction"
        f" since {comparison.old.label}: {listed_}. Add an entry naming each to the corrections log:"
    )
    return one_line(headline), correction_entries(comparison, today)


def report_folder_text(out: Path) -> str:
    """The report folder as the text report names the chart files: relative to here where possible."""
    relative = os.path.relpath(out)
    return "" if relative == "." else (out.as_posix() if relative.startswith("..") else Path(relative).as_posix()) + "/"
