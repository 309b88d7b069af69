"""The values that flow between stages. All frozen: a stage returns new values, never edits old ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .colors import Colour
    from .drafts import Draft

STATUSES = ("claim", "estimate", "count", "statistic", "derived")
NO_LICENSE = "none"  # a source's or dataset's `license:` where the publisher states no terms


@dataclass(frozen=True)
class Where:
    """A place in a content file, for messages and links back to the editor's source."""

    path: str
    line: int | None = None


# ---- what `load` produces: files read and parsed, nothing checked yet -------------------


@dataclass(frozen=True)
class RawPage:
    slug: str  # "index" for content/index.md, "guides/night-buses" for content/guides/night-buses.md
    path: str
    front: dict[str, Any]  # safe_yaml.LineDict from the front matter ({} when there is none)
    body: str
    body_line: int  # line number of the body's first line in the file
    language: str = ""  # "ru" for content/regions.ru.md, a translation; "" in the site's own language
    text: str = ""  # the whole file, whose digest a translation records as the version it translates

    @property
    def filename(self) -> str:
        """Where the page is published (Page.filename): night-buses.html, guides/fares.html, ru/regions.html."""
        return output_name(self.slug, self.language)


def output_name(slug: str, language: str) -> str:
    """A page's output file: its language's folder ("" for the site's own language), its slug, .html."""
    return (f"{language}/" if language else "") + f"{slug}.html"


@dataclass(frozen=True)
class RawChart:
    id: str
    path: str
    source: str


@dataclass(frozen=True)
class RawTable:
    """A CSV file a dataset names, read as text rows."""

    path: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...] = ()  # the file's line number where each row starts (comment lines count)


@dataclass(frozen=True)
class LoadedSite:
    root: str
    config_path: str
    config: dict[str, Any]  # site.yaml as read (a safe_yaml.LineDict)
    pages: tuple[RawPage, ...]
    fact_files: tuple[tuple[str, Any], ...]  # (path, parsed YAML)
    word_files: tuple[
        tuple[str, str, Any], ...
    ]  # (path, language, parsed YAML): the words of facts files in a language
    tables: dict[str, RawTable]  # by the csv path as written in the dataset entry
    charts: tuple[RawChart, ...]
    template_dirs: tuple[str, ...]  # the site's templates/ (when it has one), then the theme's
    static_files: tuple[tuple[str, str], ...]  # (path inside static/, absolute path): the theme's, then the site's
    # (path, language, parsed YAML): a chart's words, content/charts/<id>.yaml in the site's language ("")
    # and <id>.ru.yaml in another
    chart_word_files: tuple[tuple[str, str, Any], ...] = ()


# ---- what `validate` produces: checked, typed, derived facts computed ------------------


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str
    url: str  # absolute, ends with "/"
    language: str
    nav: tuple[str, ...]
    author: str = ""
    share_chart: str = ""
    languages: tuple[str, ...] = ()  # the site's other languages, each published in a folder of its name
    legend: dict[str, Any] = field(
        default_factory=dict
    )  # kind of figure -> how the legend explains it (the theme has defaults)
    footer: str = ""  # a line of the site's own above the theme's footer
    plain_numbers: tuple[str, ...] = ()  # numbers prose may show as text on every page ("per 100")
    license: str = ""  # the licence of the site's own text and charts, by name
    license_url: str = ""
    # noun -> {CLDR plural category: form}, for fact("id", noun=...); as site.yaml gives it (render checks it)
    nouns: dict[str, Any] = field(default_factory=dict)
    drafts: tuple[Draft, ...] = ()  # each draft page this build left out (draft: true)
    colors: dict[str, tuple[Colour, ...]] = field(default_factory=dict)  # site.yaml's colour system, by name
    # What another language's edition does with a page not translated into it: "fallback" publishes the
    # source page with a notice, "omit" leaves it out (i18n.UNTRANSLATED).
    untranslated: str = "fallback"


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    url: str
    published: str
    where: Where
    archived: str = ""
    note: str = ""
    translated_title: str = ""  # the title in the reader's language, where it was published in another
    license: str = ""  # its terms by name; NO_LICENSE where it states none; "" where the entry does not say
    license_url: str = ""


@dataclass(frozen=True)
class Fact:
    id: str
    unit: str
    counts: str  # what is counted: "killed", "killed and wounded", ...
    as_of: str
    claimant: str
    status: str
    sources: tuple[str, ...]
    where: Where
    value: float | str | None = None  # text only for a fact drawn from a dataset's text cell
    low: float | None = None
    high: float | None = None
    decimals: int | None = None
    label: str = ""
    quote: str = ""
    note: str = ""
    expression: str = ""  # for derived facts ("derived:") and facts drawn from datasets ("data:")
    inputs: tuple[str, ...] = ()  # fact ids the expression reads
    datasets: tuple[str, ...] = ()  # dataset ids the expression reads
    # For a claimant the build wrote ("calculated from figures by ..."): whose figures, as ("fact", id)
    # or ("dataset", id), so the claimant can be written again in another language.
    calculated_from: tuple[tuple[str, str], ...] = ()

    @property
    def is_range(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    sources: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]  # column -> cell (text, number or None)
    where: Where
    csv: str = ""
    note: str = ""
    claimant: str = ""  # who stands behind the figures, for facts calculated from them
    computed: tuple[tuple[str, str], ...] = ()  # (column, expression) worked out row by row
    license: str = ""  # as a Source's
    license_url: str = ""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # in an edition: column -> {cell: how it reads}
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> {cell as in the data: its name}
    headers: dict[str, str] = field(default_factory=dict)  # a renamed column -> the header its CSV gives it


@dataclass(frozen=True)
class TableColumn:
    """One column of a table from a dataset: which column, its heading, and how its numbers read."""

    column: str
    heading: str
    format: str = "number"  # number, compact, percent (a fraction shown as a percentage) or plain
    decimals: int | None = None  # None: as many as the column's numbers have, at most 2
    unit: str = ""  # % and money format the number; another unit follows it


@dataclass(frozen=True)
class DataTable:
    """Rows of a dataset shown as a table ({{ table("id") }}); every cell is a cell of one of its rows."""

    id: str
    dataset: str
    caption: str
    columns: tuple[TableColumn, ...]
    rows: tuple[int, ...]  # the dataset's rows shown, by their place in it, in the order shown
    where: Where
    findable: str = ""  # the search box's label; "" for a table readers do not search and sort
    note: str = ""


@dataclass(frozen=True)
class Statement:
    """A condition a sentence rests on ("Moscow's rate is the lowest"), evaluated by every build."""

    id: str
    says: str  # the sentence's claim in plain words
    check: str  # the expression that must hold
    where: Where
    inputs: tuple[str, ...] = ()  # fact ids it reads
    datasets: tuple[str, ...] = ()  # dataset ids it reads


@dataclass(frozen=True)
class Reference:
    """One `{{ fact("id") }}` or `{{ chart("id") }}` in a page, found before rendering."""

    kind: str  # "fact" | "chart" | "check" | "table"
    id: str
    where: Where
    style: str = "number"  # how a fact() shows its figure (its format argument): number, compact, percent, plain


@dataclass(frozen=True)
class Claim:
    """A claim a page checks (front matter `claims:`), published as schema.org ClaimReview."""

    id: str
    claim: str  # the claim as reviewed, in the site's words
    claimant: str
    date: str  # when the claimant made it
    verdict: str  # short text rating, e.g. "Not a record"
    page: str  # slug of the page that explains the verdict
    where: Where
    claimant_type: str = "Organization"  # schema.org type of the claimant: Organization | Person
    appearance: str = ""  # address where the claim was published
    color: str = ""  # the claimant's colour, by its name under colors: claimants: in site.yaml


@dataclass(frozen=True)
class Correction:
    """One entry of the corrections log (facts files, `corrections:`)."""

    date: str
    change: str
    reason: str
    fact: str  # id of the fact corrected, or ""
    where: Where
    key: tuple[str, int] | tuple[()] = ()  # (facts file, position in its list): how a words file names this entry


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    description: str
    body: str
    where: Where
    body_line: int
    template: str = "page.html"
    nav_title: str = ""
    references: tuple[Reference, ...] = ()
    claims: tuple[Claim, ...] = ()
    # Front matter besides the above (validate.FRONT_MATTER reads it):
    share_chart: str = ""  # the chart whose picture stands for the page where it is shared (Open Graph)
    plain_numbers: tuple[str, ...] = ()  # numbers its prose may show as text, besides site.yaml's
    date: str = ""  # first published: YYYY, YYYY-MM or YYYY-MM-DD
    updated: str = ""  # last changed in substance
    draft: bool = False  # built by serve (and build --drafts) only
    css: str = ""  # a stylesheet in static/ for this page alone
    standfirst: str = ""  # one or two sentences under the title that give the page's answer
    language: str = ""  # a translation's language ("ru"); "" for a page in the site's own language
    source_version: str = ""  # for a translation: the version of its source page it translates
    source_version_line: int | None = None  # for a translation: the line of its source_version:, for messages
    version: str = ""  # this page's file, digested: what a translation of it records as source_version

    @property
    def filename(self) -> str:
        """Where the page is published: night-buses.html, guides/fares.html, ru/regions.html."""
        return output_name(self.slug, self.language)

    @property
    def root(self) -> str:
        """The way from the page to the site's root folder, for links: "", "../", "../../"."""
        return "../" * self.filename.count("/")

    @property
    def home(self) -> str:
        """The way from the page to its language's folder (the sources page, charts/ of that language)."""
        return "../" * self.slug.count("/")


@dataclass(frozen=True)
class Site:
    root: str
    config: SiteConfig
    pages: tuple[Page, ...]
    sources: dict[str, Source]  # by id
    facts: dict[str, Fact]
    datasets: dict[str, Dataset]
    charts: dict[str, RawChart]
    template_dirs: tuple[str, ...]  # searched in order: a site's template replaces the theme's of that name
    static_files: tuple[tuple[str, str], ...]
    corrections: tuple[Correction, ...] = ()  # newest first
    statements: dict[str, Statement] = field(default_factory=dict)  # each found to hold
    tables: dict[str, DataTable] = field(default_factory=dict)  # tables from datasets, by id
    # by language: this Site as its readers see it (i18n.localized)
    editions: dict[str, Site] = field(default_factory=dict)
    versions: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # slug -> (language, output file)s
    # An edition's pages not translated into its language, published in the source language (untranslated: fallback).
    fallback_pages: tuple[Page, ...] = ()
    fallback_language: str = ""  # the language they are in: the site's own
    chart_words: dict[str, dict[str, Any]] = field(default_factory=dict)  # chart id -> its words in this language

    @property
    def language(self) -> str:
        """The language this Site is in: the site's own, or an edition's (its config says which)."""
        return self.config.language

    @property
    def prefix(self) -> str:
        """The folder of this Site's language in the output: "" for the site's own language, "ru/"
        for an edition (whose language is among the site's other languages), even one without pages."""
        return f"{self.config.language}/" if self.config.language in self.config.languages else ""

    @property
    def not_found_pages(self) -> frozenset[str]:
        """The 404 page of each language: 404.html (which GitHub Pages serves for any missing path), ru/404.html."""
        return frozenset({"404.html"} | {f"{language}/404.html" for language in self.config.languages})

    @property
    def every_page(self) -> tuple[Page, ...]:
        """The pages of every language: this site's, then each edition's."""
        return self.pages + tuple(page for edition in self.editions.values() for page in edition.pages)

    @cached_property
    def nav_titles(self) -> dict[str, str]:
        """The title of each page in the navigation, by slug; worked out once, not once per page."""
        return {p.slug: p.nav_title or p.title for p in self.pages + self.fallback_pages if p.slug in self.config.nav}
