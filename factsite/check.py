"""`build.py check`: what a build validates, plus links, anchors, unused entries and bare numbers.

Runs on the rendered files in memory; nothing is written.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import ContentError, did_you_mean
from .formatting import format_fact, locale_of
from .leftovers import starter_leftovers
from .model import Dataset, Page, Site
from .prose import source_line
from .render_html import Use

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
NUMBER = re.compile(r"(?<![\w.\-/])\d[\d,]*(?:\.\d+)?(?:[-\u2013]\d[\d,]*(?:\.\d+)?)?%?(?![\w])")
YEAR = re.compile(r"^(19|20)\d\d(?:[-\u2013](19|20)\d\d)?$")  # a year, or a span of years
# Parts of Markdown in which digits are not prose: expressions, code, addresses, tags, ids.
NOT_PROSE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|```.*?```|`[^`]*`|\]\([^)]*\)|^\s*\[[^\]]+\]:.*$|<[^>]*>|\[\^[^\]]*\]|\{:[^}]*\}",
    re.S | re.M,
)


HTML_ADDRESS = re.compile(r"\.html(?=[?#]|$)")  # where a page file's .md became .html in a link
LOADING_RELS = ("stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, address)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        identifier = attributes.get("id")
        if identifier is not None:
            self.ids.add(identifier)
        if tag == "link" and attributes.get("rel") not in LOADING_RELS:
            return  # rel="canonical" and the like name an address; they load nothing
        for name in ("href", "src"):
            address = attributes.get(name)
            if address:
                self.links.append((f"{tag} {name}", address))


def parse_links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser


def source_of(page_file: str, site: Site) -> Page | None:
    """The page whose output is `page_file`, in any language."""
    return next((p for p in site.every_page if p.filename == page_file), None)


def blank(match: re.Match[str]) -> str:
    """Replace a match by spaces, keeping newlines so line and column numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def where_in_page(page: Page | None, page_file: str, address: str) -> tuple[str, str, int | None]:
    """Where a link of `page_file` is written: (the page's file, or page_file when no page made it; the
    address as written there; its line)."""
    if page is None:
        return page_file, address, None
    return (page.where.path, *as_written(page, address))


def as_written(page: Page, address: str) -> tuple[str, int | None]:
    """The address as the page's file writes it, and its line: a link to fares.md is published as
    fares.html, so a message about it should quote fares.md."""
    line = source_line(page, address)
    if line is None and HTML_ADDRESS.search(address):
        for suffix in (".md", ".markdown"):
            variant = HTML_ADDRESS.sub(suffix, address, count=1)
            line = source_line(page, variant)
            if line is not None:
                return variant, line
    return address, line


def nearest(wanted: str, known: Iterable[str], written: str) -> str:
    """' (did you mean "x"?)' for the known name nearest to `wanted`, written as the editor wrote
    the address (fares.md rather than fares.html), or ''."""
    if HTML_ADDRESS.search(wanted) and not HTML_ADDRESS.search(written):  # written as a page file
        suffix = ".markdown" if ".markdown" in written else ".md"
        wanted, known = HTML_ADDRESS.sub(suffix, wanted), [HTML_ADDRESS.sub(suffix, name) for name in known]
    return did_you_mean(wanted, known)


def missing_target(name: str, written: str, target: str, attribute: str, files: dict[str, bytes], site: Site) -> str:
    """Why `target`, which `name` links to (as `written`), is not in the site, with the nearest file it has."""
    drafts = {draft.filename: draft for draft in site.config.drafts}
    if target in drafts:
        return (
            f'{name} links to a draft page, "{written}" ({drafts[target].path} has draft: true):'
            " remove the link, or publish the page by removing draft: true"
        )
    here = posixpath.dirname(name) or "."
    suffix = posixpath.splitext(target)[1] or ".html"
    known = [posixpath.relpath(f, here) for f in files if f.endswith(suffix) and f not in site.not_found_pages]
    wanted = posixpath.relpath(target, here)
    hint = nearest(wanted, known, written)
    if attribute == "img src":
        return (
            f'{name} shows the image "{written}", which the site does not have{hint}:'
            " put the image file next to the page in content/, or in static/"
        )
    return f'{name} links to "{written}", which the site does not have{hint}'


def link_problems(files: dict[str, bytes], site: Site) -> list[ContentError]:
    parsed = {name: parse_links(data.decode()) for name, data in files.items() if name.endswith(".html")}
    problems = []
    for name, links in sorted(parsed.items()):
        if name in site.not_found_pages:
            continue  # links from the site root on purpose (render_files.not_found_page)
        page = source_of(name, site)
        for attribute, address in links.links:
            url = urlparse(address)
            if url.scheme or address.startswith("//"):
                if attribute.split()[0] in ("script", "img", "link", "iframe", "source") and url.scheme in (
                    "http",
                    "https",
                    "",
                ):
                    path, _, line = where_in_page(page, name, address)
                    problems.append(
                        ContentError(path, line, f'{name} loads "{address}" from another host; self-host it')
                    )
                continue
            if address.startswith("/"):
                path, _, line = where_in_page(page, name, address)
                problems.append(
                    ContentError(path, line, f'{name} links to "{address}" from the domain root; use a relative link')
                )
                continue
            target = (
                posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(url.path))) if url.path else name
            )
            if target not in files and posixpath.join(target, "index.html") not in files:
                path, written, line = where_in_page(page, name, address)
                problems.append(ContentError(path, line, missing_target(name, written, target, attribute, files, site)))
            elif url.fragment and target in parsed and unquote(url.fragment) not in parsed[target].ids:
                path, written, line = where_in_page(page, name, address)
                hint = did_you_mean(unquote(url.fragment), parsed[target].ids)
                problems.append(
                    ContentError(
                        path, line, f'{name} links to "{written}", but {target} has no id "{url.fragment}"{hint}'
                    )
                )
    return problems


def unused_problems(site: Site, uses: list[Use]) -> list[ContentError]:
    used = {f"{u.kind}:{u.id}" for u in uses}
    used |= {use for draft in site.config.drafts for use in draft.uses}  # what a draft page will show
    used |= {f"fact:{i}" for f in site.facts.values() for i in f.inputs}
    used |= {f"dataset:{d}" for f in site.facts.values() for d in f.datasets}
    used |= {f"fact:{i}" for s in site.statements.values() for i in s.inputs}
    used |= {f"dataset:{d}" for s in site.statements.values() for d in s.datasets}
    used |= {f"dataset:{t.dataset}" for t in site.tables.values() if f"table:{t.id}" in used}  # a draft's too
    cited = {s for f in site.facts.values() for s in f.sources} | {s for d in site.datasets.values() for s in d.sources}
    problems = [
        ContentError(f.where.path, f.where.line, f'fact "{f.id}" is not used on any page or chart')
        for f in site.facts.values()
        if f"fact:{f.id}" not in used
    ]
    problems += [
        ContentError(s.where.path, s.where.line, f'source "{s.id}" is not cited by any fact or dataset')
        for s in site.sources.values()
        if s.id not in cited
    ]
    problems += [
        ContentError(d.where.path, d.where.line, f'dataset "{d.id}" is not read by any chart, fact or statement')
        for d in site.datasets.values()
        if f"dataset:{d.id}" not in used
    ]
    problems += [
        ContentError(c.path, None, f'chart "{c.id}" is not placed on any page')
        for c in site.charts.values()
        if f"chart:{c.id}" not in used
    ]
    problems += [
        ContentError(
            t.where.path, t.where.line, f'table "{t.id}" is not placed on any page: add {{{{ table("{t.id}") }}}}'
        )
        for t in site.tables.values()
        if f"table:{t.id}" not in used
    ]
    return problems


def key_column(dataset: Dataset) -> str | None:
    """The first column whose cells name each row once (a region, a date), to look a row up by."""
    for column in dataset.columns:
        cells = [row.get(column) for row in dataset.rows]
        if all(isinstance(c, str) and c for c in cells) and len(set(cells)) == len(cells):
            return column
    return None


def names_row(row: dict[str, Any], key: str | None, named: str) -> bool:
    """Whether the first word of the row's key cell is in `named`: the row a fact is named for."""
    return key is not None and str(row[key]).split(" ")[0].lower() in named


def retyped_cells(site: Site) -> list[ContentError]:
    """Typed facts whose value is a cell of a dataset they share a source with: a second copy of a
    figure that a correction to the dataset would leave behind. They should be drawn with data:."""
    problems = []
    for fact in site.facts.values():
        if fact.expression or not isinstance(fact.value, (int, float)):
            continue
        for dataset in (d for d in site.datasets.values() if set(d.sources) & set(fact.sources)):
            computed = {name for name, _ in dataset.computed}
            key = key_column(dataset)
            matches = [
                (row, column)
                for row in dataset.rows
                for column in dataset.columns
                if column not in computed
                and column != key
                and not isinstance(row.get(column), bool)
                and row.get(column) == fact.value
            ]
            if not matches:
                continue
            # Where several cells hold the value, the row the fact names (Moscow for moscow_dead) is meant.
            named = f"{fact.id} {fact.label}".lower()
            row, column = max(matches, key=lambda m: names_row(m[0], key, named))
            if key:
                draw = f'data: lookup({dataset.id}, {column}, {key}="{row[key]}")'
                place = f'{key} is "{row[key]}"'
            else:
                draw = f"data: lookup({dataset.id}, {column}, where=...)"
                place = f"row {dataset.rows.index(row) + 1}"
            problems.append(
                ContentError(
                    fact.where.path,
                    fact.where.line,
                    f'fact "{fact.id}" types {format_fact(fact)}, a cell of dataset "{dataset.id}"'
                    f' (column "{column}" where {place}):'
                    f" draw it from the dataset so a correction there reaches it: {draw}",
                )
            )
            break
    return problems


@functools.cache
def day_of_month(language: str) -> re.Pattern[str]:
    """A day of the month written with a month's name in the language ("12 March", "March 12", "12 марта"),
    from CLDR's month names: such a day may be typed, like a year."""
    locale = locale_of(language)
    names = {
        name
        for context in ("format", "stand-alone")
        for width in ("wide", "abbreviated")
        for name in locale.months[context][width].values()
    } | set(MONTHS.split("|"))
    months = "|".join(sorted((re.escape(name.rstrip(".")) for name in names), key=len, reverse=True))
    return re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{months})\b|\b(?:{months})\s+\d{{1,2}}\b", re.I)


def bare_numbers(page: Page, site: Site) -> list[ContentError]:
    """Numbers typed into prose instead of coming from a fact."""
    allowed = set(page.plain_numbers) | set(site.config.plain_numbers)
    text = NOT_PROSE.sub(blank, page.body)
    text = day_of_month(site.language).sub(blank, text)
    displays: dict[str, list[str]] = {}
    for fact in site.facts.values():
        displays.setdefault(format_fact(fact, "number", site.language), []).append(fact.id)
    problems = []
    for match in NUMBER.finditer(text):
        token = match.group(0).rstrip(",")
        if YEAR.match(token) or token in allowed:
            continue
        line = page.body_line + text.count("\n", 0, match.start())
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        same = displays.get(token)
        hint = f' (fact "{same[0]}" has this value)' if same else ""
        problems.append(
            ContentError(
                page.where.path,
                line,
                f'number "{token}" typed into prose: use {{{{ fact("id") }}}} so it has a source{hint}',
                col,
            )
        )
    return problems


def calls_of(page: Page) -> Counter[str]:
    """The figures, charts and checks a page shows: what its translations must show too."""
    return Counter(f'{reference.kind}("{reference.id}")' for reference in page.references)


def translation_problems(site: Site) -> list[ContentError]:
    """Each translated page showing the same figures, charts and checks as its source, and translated
    from the source as it is now (`source_version:`). A page not translated is no problem: the edition
    shows the source page or leaves it out (site.yaml's untranslated:; i18n.untranslated_summary)."""
    problems = []
    for edition in site.editions.values():
        translated = {page.slug: page for page in edition.pages}
        for source in site.pages:
            page = translated.get(source.slug)
            if page is None:
                continue
            missing, extra = calls_of(source) - calls_of(page), calls_of(page) - calls_of(source)
            if missing or extra:
                said = "; ".join(
                    part
                    for part in (
                        "missing " + ", ".join(sorted(missing.elements())) if missing else "",
                        "not in the source " + ", ".join(sorted(extra.elements())) if extra else "",
                    )
                    if part
                )
                problems.append(
                    ContentError(
                        page.where.path,
                        None,
                        f"the translation shows other figures, charts or checks than {source.where.path}: {said}",
                    )
                )
            if page.source_version != source.version:
                problems.append(
                    ContentError(
                        page.where.path,
                        page.source_version_line,
                        f"translates an older {source.where.path}: bring it up to date, then set"
                        f" source_version: {source.version}",
                    )
                )
    return problems


def check_site(site: Site, files: dict[str, bytes], uses: list[Use]) -> list[ContentError]:
    problems = (
        link_problems(files, site)
        + unused_problems(site, uses)
        + retyped_cells(site)
        + translation_problems(site)
        + starter_leftovers(site)
    )
    for edition in [site, *site.editions.values()]:
        for page in edition.pages:
            problems += bare_numbers(page, edition)
    return problems
