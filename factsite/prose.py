"""Prose markup: a page body through Jinja, Markdown and the HTML check, with each fact() and
chart() call left as a numbered token for the render stage to fill in.

The markup depends on the body's text alone (never on fact values), so it is remembered by the
body's hash, in memory and in SITE/.cache: an unchanged page costs no Jinja or Markdown run.

A new body costs Markdown and little else: one whose only template syntax is {{ fact("id") }}-style
calls (nearly all) is filled in without compiling it as a template (simple_calls), and the HTML check
reads Markdown's output and nh3's once each, by one regular expression where a serializer wrote the
HTML (regular_start_tags), with the HTML parser only for HTML an editor wrote.
"""

from __future__ import annotations

import contextlib
import functools
import html as html_text
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from xml.etree.ElementTree import Element

import jinja2
import markdown
from jinja2.sandbox import SandboxedEnvironment

from .calls import ARGUMENTS, RememberedReferences, SimpleCall, simple_calls
from .errors import ContentError, ContentErrors, as_values
from .image_figures import ImageFiguresExtension
from .keys import body_key, engine_key
from .model import Page
from .sanitize import StartTagPart, clean, removed_parts, start_tags

# A link to another page's file, as editors write it in MkDocs: fares.md, guides/fares.md#anchor
# (relative: no scheme, not from the domain root). The build publishes the page as .html.
PAGE_FILE_LINK = re.compile(r"^(?!/)([^:?#]+)\.(?:md|markdown)([?#].*)?$")


class PageLinks(markdown.treeprocessors.Treeprocessor):
    """fares.md -> fares.html in every Markdown link, so a link to a page's file reaches the page."""

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            found = PAGE_FILE_LINK.match(link.get("href") or "")
            if found:
                link.set("href", f"{found.group(1)}.html{found.group(2) or ''}")


class PageLinksExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(PageLinks(md), "factsite_page_links", 15)  # after inline links are made (20)


# Limits on what Markdown is given, each refused at its line (SECURITY.md states them). Python-Markdown's
# inline patterns take time that grows with the square of a paragraph's markup (a line of 40,000 "["
# took 166 s), and each level of nesting is a level of recursion (600 nested lists: a RecursionError).
# Within them a paragraph takes at most about two seconds. A paragraph is lines up to a blank one,
# so a list or a table without blank lines counts as one.
MAX_LINE = 10_000  # characters in a line
MAX_PARAGRAPH = 20_000  # characters in a paragraph
# Each "[" (links, images, footnotes) times the characters of its paragraph, added up over the page: the
# time of the link pattern, which looks for each "["'s end in the rest of its paragraph (50 "[" in one
# paragraph of 20,000 characters, or 200 in 5,000, take it all).
MAX_BRACKET_WORK = 1_000_000
MAX_MARKUP = (
    2_000  # the other characters inline markup starts at, ] ( ) < > * _ ` !, and abbreviations used, in a paragraph
)
# Each paragraph's markup squared, added up over the page: elements are looked up among their siblings
# (four paragraphs at MAX_MARKUP, or 1,600 of 100, take it all).
MAX_MARKUP_WORK = 16_000_000
MAX_NESTING = 100  # characters of indentation, ">" and list markers before a line's text
# Per page: Markdown's time also grows faster than the number of blocks (each is looked up among its
# siblings: 10,000 short paragraphs took 26 s), of table cells, and of abbreviations times the text.
MAX_PAGE_LINES = 1_000
MAX_PAGE_CHARACTERS = 200_000
MAX_TABLE_CELLS = 5_000  # "|" in a page
MAX_ABBREVIATIONS = 5  # *[HTML]: Hypertext Markup Language, in a page (each is looked for in all its text)
ABBREVIATION = re.compile(r"\*\[([^\]]*)\]:")
CONTAINER_PREFIX = re.compile(r"(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*")
INLINE_MARKUP = re.compile(r"[\])(<>*_`!]")

# (declared apart: the list's own type would be list[object]); test_build edits this line as it stands
OWN_EXTENSIONS: list[markdown.Extension] = [PageLinksExtension(), ImageFiguresExtension()]
MARKDOWN_EXTENSIONS: list[str | markdown.Extension]
MARKDOWN_EXTENSIONS = ["extra", "toc", "sane_lists", "smarty", "admonition", *OWN_EXTENSIONS]
CACHE_FILE = "prose.json"
# A placeholder: placeholder_stamp(body) and the call's number; alone in a paragraph for a chart.
PLACEHOLDER = re.compile(r"@@factsite-([0-9a-f]{16}):(\d+)@@")
PLACEHOLDER_BLOCK = re.compile(rf"<p>\s*{PLACEHOLDER.pattern}\s*</p>")
# A tag as serializers write one: every attribute value in double quotes, nothing else in the tag.
REGULAR_TAG = re.compile(
    r"""<(?:/[a-zA-Z][a-zA-Z0-9]*|([a-zA-Z][a-zA-Z0-9]*)((?: [^\t\n\r\f "'<>/=]+(?:="[^"]*")?)*) ?/?)>"""
)
RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
REGULAR_ATTRIBUTE = re.compile(r"""([^\t\n\r\f "'<>/=]+)(?:="([^"]*)")?""")


@dataclass(frozen=True)
class ProseMarkup:
    html: str  # sanitised HTML with placeholder_stamp(body) + "<n>@@" where the n-th call goes
    calls: tuple[tuple[str, ...], ...]  # ("fact", id, style) or ("chart", id), in order of appearance


def source_line(page: Page, needle: str) -> int | None:
    """The line in the page file where `needle` first appears, as written or once HTML entities
    are decoded (`&#106;avascript:`), for error messages."""
    needle = needle.lower()
    for number, line in enumerate(page.body.split("\n")):
        if needle in line.lower() or needle in html_text.unescape(line).lower():
            return page.body_line + number
    return None


def placeholder_digest(body: str) -> str:
    return body_key(body)[:16]


def placeholder_stamp(body: str) -> str:
    """Start of the placeholders for fact and chart HTML while Markdown and nh3 run. It holds a
    digest of the page, so text typed into the page (which cannot hold its own digest) never matches."""
    return f"@@factsite-{placeholder_digest(body)}:"


def call_text(call: tuple[str, ...]) -> str:
    """A call as an editor would look for it in the page: fact("id") or chart("id")."""
    return f'{call[0]}("{call[1]}")'


def placement_problems(
    page: Page, html: str, stamp: str, calls: list[tuple[str, ...]], tags: list[StartTagPart] | None = None
) -> list[ContentError]:
    """Each fact() and chart() must land once in the page's text: not inside a tag's attribute, not
    lost in a part Markdown does not show (a link definition), not copied (a [TOC] of headings).
    `tags` are the HTML's start tags (start_tags), when the caller has read them already."""
    problems = []
    attributes = "\n".join(value for _, _, value in (start_tags(html) if tags is None else tags) if value)
    for number, call in enumerate(calls):
        placeholder = f"{stamp}{number}@@"
        if placeholder in attributes:
            problem = f"{call_text(call)} cannot be used inside an HTML tag or a link address"
        elif placeholder not in html:
            problem = f"{call_text(call)} is in a part of the page that is not shown (such as a link definition)"
        elif html.count(placeholder) > 1:
            problem = f"{call_text(call)} is repeated by Markdown (such as a [TOC] of headings): place it elsewhere"
        else:
            continue
        problems.append(ContentError(page.where.path, source_line(page, call_text(call)), problem))
    return problems


def images_without_alt(tags: list[tuple[str, str | None, str | None]]) -> list[str]:
    """The address of each <img> among start tags whose alt text is missing or blank."""
    images: list[dict[str, str]] = []
    for tag, name, value in tags:
        if tag == "img" and name is None:
            images.append({})
        elif tag == "img" and name is not None and images:
            images[-1][name] = value or ""
    return [image.get("src", "") for image in images if not image.get("alt", "").strip()]


def alt_text_problems(page: Page, tags: list[tuple[str, str | None, str | None]]) -> list[ContentError]:
    return [
        ContentError(
            page.where.path,
            source_line(page, src or "!["),
            f'the image "{src}" needs alt text that says what it shows: ![what it shows]({src})',
        )
        for src in images_without_alt(tags)
    ]


def regular_start_tags(html: str) -> list[tuple[str, str | None, str | None]] | None:
    """start_tags(html), read with one regular expression, for HTML as a serializer writes it: nh3's
    output always, Python-Markdown's when the page holds no "<" (no HTML of its own). None when any
    "<" in it starts no such tag (a comment, a quote in a tag, a "<" in a value) or an element holds
    raw text (<script>): the HTML parser must read that. Names are lower-cased and values unescaped
    as the parser does."""
    found: list[tuple[str, str | None, str | None]] = []
    tags = 0
    for match in REGULAR_TAG.finditer(html):
        tags += 1
        if match.group(1) is None:  # an end tag
            continue
        tag = match.group(1).lower()
        if tag in RAW_TEXT:
            return None  # its content is text to the parser, whatever it looks like
        found.append((tag, None, None))
        for attribute in REGULAR_ATTRIBUTE.finditer(match.group(2)):
            value = attribute.group(2)
            found.append((tag, attribute.group(1).lower(), html_text.unescape(value) if value else value))
    return found if tags == html.count("<") else None


def sanitized(html: str, own_html: bool) -> tuple[str, list[tuple[str, str]], list[StartTagPart]]:
    """sanitize(html), reading each side once: (the cleaned HTML, a (description, text to find in the
    source) for each part nh3 removed, the cleaned HTML's start tags). `own_html`: the page's text
    holds a "<", so Markdown's output may hold HTML as the editor wrote it, for the HTML parser."""
    cleaned = clean(html)
    after = regular_start_tags(cleaned)
    if after is None:
        after = start_tags(cleaned)
    before = None if own_html else regular_start_tags(html)
    if before is None:
        before = start_tags(html)
    return cleaned, removed_parts(before, after), after


@dataclass
class Memo:
    """What builds learnt about page bodies, by body hash; kept in memory between rebuilds and on disk."""

    references: RememberedReferences = field(default_factory=dict)  # from validate
    markup: dict[str, ProseMarkup] = field(default_factory=dict)  # body key -> ProseMarkup, from render
    # the keys read from the cache file, to skip writing it unchanged
    loaded: frozenset[tuple[str, str]] = frozenset()

    def keys(self) -> frozenset[tuple[str, str]]:
        return frozenset(("references", k) for k in self.references) | frozenset(("markup", k) for k in self.markup)


class ProseCompiler:
    """Makes ProseMarkup with one Jinja sandbox and one Markdown converter, remembering each result.

    `known` (a memo's markup, by body hash) is looked in first and receives what is made.
    """

    def __init__(self, known: dict[str, ProseMarkup]):
        self.known = known

    @cached_property
    def sandbox(self) -> SandboxedEnvironment:
        return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)

    @cached_property
    def converter(self) -> markdown.Markdown:
        """Made on first use: a build whose pages are all remembered never needs one."""
        return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")

    def markup(self, page: Page) -> ProseMarkup:
        key = body_key(page.body)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self.compile(page)
        return found

    def compile(self, page: Page) -> ProseMarkup:
        beyond = markdown_limit_problem(page)
        if beyond:
            raise beyond
        calls: list[tuple[str, ...]] = []
        stamp = placeholder_stamp(page.body)

        def fact(fact_id: str, style: str = "number", noun: str = "") -> str:
            calls.append(("fact", fact_id, style, noun) if noun else ("fact", fact_id, style))
            return f"{stamp}{len(calls) - 1}@@"

        def chart(chart_id: str) -> str:
            calls.append(("chart", chart_id))
            return f"\n\n{stamp}{len(calls) - 1}@@\n\n"  # a block of its own, so Markdown wraps it in <p> alone

        def table(table_id: str) -> str:
            calls.append(("table", table_id))
            return f"\n\n{stamp}{len(calls) - 1}@@\n\n"  # a block, as a chart is

        def check(statement_id: str) -> str:
            return ""  # validate found the call and judged the statement; readers see the sentence only

        found = simple_calls(page.body)
        if found is not None and all(len(call.args) <= ARGUMENTS[call.name] for call in found):
            text = filled(page.body, found, {"fact": fact, "chart": chart, "check": check, "table": table})
        else:
            try:
                text = self.sandbox.from_string(page.body).render(fact=fact, chart=chart, check=check, table=table)
            except jinja2.TemplateError as exc:
                raise ContentError(page.where.path, page.body_line, f"prose: {exc}") from None
        try:
            html, removed, tags = sanitized(self.converter.reset().convert(text), "<" in text)
        except RecursionError:  # nesting the limits above do not count, such as HTML blocks read as Markdown
            raise ContentError(page.where.path, page.body_line, "prose is nested too deeply for Markdown") from None
        problems = [ContentError(page.where.path, source_line(page, needle), message) for message, needle in removed]
        problems += placement_problems(page, html, stamp, calls, tags) + alt_text_problems(page, tags)
        if problems:
            raise ContentErrors(problems)
        return ProseMarkup(html, tuple(calls))


def page_size_problem(page: Page, lines: list[str]) -> ContentError | None:
    """An error when the page's text has more lines or characters than Markdown is given."""
    if len(lines) > MAX_PAGE_LINES:
        return ContentError(
            page.where.path,
            page.body_line + MAX_PAGE_LINES,
            f"the page's text has {len(lines):,} lines;"
            f" Markdown is given at most {MAX_PAGE_LINES:,} a page: split it into pages",
        )
    if len(page.body) > MAX_PAGE_CHARACTERS:
        return ContentError(
            page.where.path,
            page.body_line,
            f"the page's text has {len(page.body):,} characters; Markdown"
            f" is given at most {MAX_PAGE_CHARACTERS:,} a page: split it into pages",
        )
    return None


def line_limit_problem(line: str, cells: int, abbreviations: int) -> str | None:
    """Why the page is refused at `line`, the page having `cells` "|" and `abbreviations` definitions
    up to it; None within the limits."""
    if cells > MAX_TABLE_CELLS:
        return (
            f'the page has more than {MAX_TABLE_CELLS:,} "|" (table cells) by this line: put large'
            " tables in a dataset and a chart's table, or split the page"
        )
    if abbreviations > MAX_ABBREVIATIONS:
        return f"the page defines more than {MAX_ABBREVIATIONS} abbreviations (*[...]:) by this line"
    if len(line) > MAX_LINE:
        return f"this line is {len(line):,} characters long; lines of prose may have at most {MAX_LINE:,}"
    prefix = CONTAINER_PREFIX.match(line)  # (always matches, if only the empty string)
    if prefix and len(prefix.group()) > MAX_NESTING:
        return (
            f"this line starts with more than {MAX_NESTING} characters of indentation, quote and list"
            " markers: lists and quotes nest too deeply for Markdown"
        )
    return None


def markdown_limit_problem(page: Page) -> ContentError | None:
    """The first place where the body goes beyond a limit on what Markdown is given (MAX_LINE and the
    rest), checked before Jinja or Markdown reads it; None within them."""
    lines = page.body.split("\n")
    too_large = page_size_problem(page, lines)
    if too_large:
        return too_large
    start = 0  # the index of the paragraph's first line
    cells = abbreviations = bracket_work = markup_work = 0
    # Each use of an abbreviation is an element, as a pair of * is: counted as two characters of markup.
    defined = [
        found.group(1)
        for found in map(ABBREVIATION.match, (line.lstrip() for line in lines))
        if found and found.group(1)
    ]
    used = re.compile("|".join(rf"\b{re.escape(name)}\b" for name in defined[:MAX_ABBREVIATIONS])) if defined else None
    for index, line in enumerate([*lines, ""]):
        where = (page.where.path, page.body_line + index)
        cells += line.count("|")
        abbreviations += bool(ABBREVIATION.match(line.lstrip()))
        beyond_line = line_limit_problem(line, cells, abbreviations)
        if beyond_line:
            return ContentError(*where, beyond_line)
        if line.strip():
            continue
        paragraph = "\n".join(lines[start:index])
        where = (page.where.path, page.body_line + start)
        brackets = paragraph.count("[")
        markup = len(INLINE_MARKUP.findall(paragraph)) + (2 * len(used.findall(paragraph)) if used else 0)
        bracket_work += brackets * len(paragraph)
        markup_work += markup * markup
        beyond = [
            (
                len(paragraph) > MAX_PARAGRAPH,
                f"this paragraph has {len(paragraph):,} characters, more than the"
                f" {MAX_PARAGRAPH:,} Markdown is given: split it with blank lines",
            ),
            (
                markup > MAX_MARKUP,
                f"this paragraph has {markup:,} of ] ( ) < > * _ ` ! and abbreviations, more than the {MAX_MARKUP:,}"
                " Markdown is given: split it with blank lines",
            ),
            (
                bracket_work > MAX_BRACKET_WORK,
                f'with this paragraph ({brackets:,} "[" in {len(paragraph):,} characters) the'
                ' page\'s "[" (links, images, footnotes) times the length of their paragraphs come to '
                f"{bracket_work:,}; Markdown"
                f" is given at most {MAX_BRACKET_WORK:,}: use fewer in long paragraphs, split them, or split the page",
            ),
            (
                markup_work > MAX_MARKUP_WORK,
                f"with this paragraph ({markup:,} of ] ( ) < > * _ ` ! and abbreviations) the squares"
                f" of the page's paragraphs' markup come to {markup_work:,}; Markdown is given at most "
                f"{MAX_MARKUP_WORK:,}:"
                " split long paragraphs, or the page",
            ),
        ]
        for found, message in beyond:
            if found:
                return ContentError(*where, message)
        start = index + 1
    return None


def filled(body: str, calls: list[SimpleCall], functions: dict[str, Callable[..., object]]) -> str:
    """The body as Jinja renders it when `calls` (simple_calls) are all its template syntax: each call
    replaced by what its function returns, and one newline at the end dropped (Jinja's default)."""
    pieces, position = [], 0
    for call in calls:
        pieces.append(body[position : call.start])
        pieces.append(str(functions[call.name](*call.args)))
        position = call.end
    tail = body[position:]
    pieces.append(tail[:-1] if tail.endswith("\n") else tail)
    return "".join(pieces)


@functools.cache
def worker_compiler() -> ProseCompiler:
    """One compiler for each worker process; it remembers nothing (the parent keeps the memo)."""
    return ProseCompiler({})


def compile_in_worker(page: Page) -> ProseMarkup | list[tuple[str, int | None, str, int | None]]:
    """In a worker process: the page's markup, or its problems as (path, line, message, col) tuples
    (values that travel back to the parent whole)."""
    try:
        return worker_compiler().compile(page)
    except (ContentError, ContentErrors) as failure:
        return as_values(failure)


# ---- the cache file ---------------------------------------------------------------------------


def load_memo(cache_dir: Path) -> Memo:
    """What earlier builds remembered; an empty memo when the file is missing, damaged or from other code."""
    try:
        document = json.loads((cache_dir / CACHE_FILE).read_text())
        if document["engine"] != engine_key():
            return Memo()
        memo = Memo(
            references={key: tuple(map(tuple, found)) for key, found in document["references"].items()},
            markup={
                key: ProseMarkup(html, tuple(map(tuple, calls))) for key, (html, calls) in document["markup"].items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError):
        return Memo()
    memo.loaded = memo.keys()
    return memo


def save_memo(cache_dir: Path, memo: Memo, bodies: Iterable[str]) -> None:
    """Keep what the current `bodies` need, and write it only when that differs from what was read."""
    wanted = {body_key(body) for body in bodies}
    kept = Memo(
        references={k: v for k, v in memo.references.items() if k in wanted},
        markup={k: v for k, v in memo.markup.items() if k in wanted},
    )
    if kept.keys() == memo.loaded:
        return
    # Written entry by entry, as json.dumps(document) would write it, so that a large site's memo
    # never stands in memory a second time as one string.
    path = cache_dir / CACHE_FILE
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(f'{{"engine": {json.dumps(engine_key())}, "references": ')
            file.write(json.dumps(dict(sorted(kept.references.items())), ensure_ascii=False))
            file.write(', "markup": {')
            for number, (key, made) in enumerate(sorted(kept.markup.items())):
                file.write(
                    f"{', ' if number else ''}{json.dumps(key)}: "
                    f"{json.dumps([made.html, made.calls], ensure_ascii=False)}"
                )
            file.write("}}")
        temporary.replace(path)
    except OSError:  # a disk filled during the build: the memo saves time, the next build does without
        with contextlib.suppress(OSError):
            temporary.unlink()
