"""Prose markup: a page body through Jinja, Markdown and the HTML check, with each fact() and
chart() call left as a numbered token for the render stage to fill in.

The markup depends on the body's text alone (never on fact values), so it is remembered by the
body's hash, in memory and in SITE/.cache: an unchanged page costs no Jinja or Markdown run.
"""

from __future__ import annotations

import hashlib
import html as html_text
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path

import jinja2
import markdown
from jinja2.sandbox import SandboxedEnvironment

from .charts import write_cache_file
from .errors import ContentError, ContentErrors
from .keys import body_key
from .model import Page
from .sanitize import sanitize, start_tags

# A link to another page's file, as editors write it in MkDocs: fares.md, guides/fares.md#anchor
# (relative: no scheme, not from the domain root). The build publishes the page as .html.
PAGE_FILE_LINK = re.compile(r"^(?!/)([^:?#]+)\.(?:md|markdown)([?#].*)?$")
# {#id} or {#id .class} after a heading or paragraph, as Pandoc and Quarto write an id; Jinja reads
# "{#" as the start of a comment. A Jinja comment ({# note #}) ends with "#}" and never matches.
BRACE_ID = re.compile(r"\{#([A-Za-z_][\w:.-]*)((?:[ \t]+[.\w][^\s{}#]*)*)[ \t]*\}")


class PageLinks(markdown.treeprocessors.Treeprocessor):
    """fares.md -> fares.html in every Markdown link, so a link to a page's file reaches the page."""

    def run(self, root):
        for link in root.iter("a"):
            found = PAGE_FILE_LINK.match(link.get("href") or "")
            if found:
                link.set("href", f"{found.group(1)}.html{found.group(2) or ''}")


class PageLinksExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(PageLinks(md), "factsite_page_links", 15)  # after inline links are made (20)


MARKDOWN_EXTENSIONS = ["extra", "toc", "sane_lists", "smarty", "admonition", PageLinksExtension()]
CACHE_FILE = "prose.json"
# A placeholder: placeholder_stamp(body) and the call's number; alone in a paragraph for a chart.
PLACEHOLDER = re.compile(r"@@factsite-([0-9a-f]{16}):(\d+)@@")
PLACEHOLDER_BLOCK = re.compile(rf"<p>\s*{PLACEHOLDER.pattern}\s*</p>")


@dataclass(frozen=True)
class ProseMarkup:
    html: str  # sanitised HTML with placeholder_stamp(body) + "<n>@@" where the n-th call goes
    calls: tuple[tuple[str, ...], ...]  # ("fact", id, style) or ("chart", id), in order of appearance


def engine_key() -> str:
    """Changes whenever anything that shapes the markup does: this code, the HTML rules, the libraries."""
    here = Path(__file__).parent
    parts = [(here / name).read_bytes() for name in ("prose.py", "sanitize.py", "validate.py")]
    parts += [metadata.version(name).encode() for name in ("markdown", "jinja2", "nh3")]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def source_line(page: Page, needle: str) -> int | None:
    """The line in the page file where `needle` first appears, as written or once HTML entities
    are decoded (`&#106;avascript:`), for error messages."""
    needle = needle.lower()
    for number, line in enumerate(page.body.split("\n")):
        if needle in line.lower() or needle in html_text.unescape(line).lower():
            return page.body_line + number
    return None


def brace_id_problems(body: str, path: str, body_line: int) -> list[ContentError]:
    """{#id} after a heading (the Pandoc and Quarto habit), which Jinja would read as a comment:
    one error per line, saying how Python-Markdown writes it."""
    problems = []
    for number, line in enumerate(body.split("\n")):
        for found in BRACE_ID.finditer(line):
            written = f"#{found.group(1)}{found.group(2)}"
            problems.append(ContentError(path, body_line + number,
                                         f"write {{: {written} }} (Python-Markdown's attribute list), not {{{written}}}"))
    return problems


def placeholder_digest(body: str) -> str:
    return body_key(body)[:16]


def placeholder_stamp(body: str) -> str:
    """Start of the placeholders for fact and chart HTML while Markdown and nh3 run. It holds a
    digest of the page, so text typed into the page (which cannot hold its own digest) never matches."""
    return f"@@factsite-{placeholder_digest(body)}:"


def call_text(call: tuple[str, ...]) -> str:
    """A call as an editor would look for it in the page: fact("id") or chart("id")."""
    return f'{call[0]}("{call[1]}")'


def placement_problems(page: Page, html: str, stamp: str, calls: list[tuple[str, ...]]) -> list[ContentError]:
    """Each fact() and chart() must land once in the page's text: not inside a tag's attribute, not
    lost in a part Markdown does not show (a link definition), not copied (a [TOC] of headings)."""
    problems = []
    attributes = "\n".join(value for _, _, value in start_tags(html) if value)
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


@dataclass
class Memo:
    """What builds learnt about page bodies, by body hash; kept in memory between rebuilds and on disk."""

    references: dict = field(default_factory=dict)  # body key -> ((kind, id, line within body), ...), from validate
    markup: dict = field(default_factory=dict)  # body key -> ProseMarkup, from render
    loaded: frozenset = frozenset()  # the keys read from the cache file, to skip writing it unchanged

    def keys(self) -> frozenset:
        return frozenset((("references", k) for k in self.references)) | frozenset((("markup", k) for k in self.markup))


class ProseCompiler:
    """Makes ProseMarkup with one Jinja sandbox and one Markdown converter, remembering each result.

    `known` (a memo's markup, by body hash) is looked in first and receives what is made; `made`
    holds only what this compiler made, for a worker process to send back.
    """

    def __init__(self, known: dict[str, ProseMarkup]):
        self.known = known
        self.made: dict[str, ProseMarkup] = {}

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
            found = self.known[key] = self.made[key] = self.compile(page)
        return found

    def compile(self, page: Page) -> ProseMarkup:
        calls: list[tuple[str, ...]] = []
        stamp = placeholder_stamp(page.body)

        def fact(fact_id: str, style: str = "number") -> str:
            calls.append(("fact", fact_id, style))
            return f"{stamp}{len(calls) - 1}@@"

        def chart(chart_id: str) -> str:
            calls.append(("chart", chart_id))
            return f"\n\n{stamp}{len(calls) - 1}@@\n\n"  # a block of its own, so Markdown wraps it in <p> alone

        def check(statement_id: str) -> str:
            return ""  # validate found the call and judged the statement; readers see the sentence only

        try:
            text = self.sandbox.from_string(page.body).render(fact=fact, chart=chart, check=check)
        except jinja2.TemplateError as exc:
            raise ContentError(page.where.path, page.body_line, f"prose: {exc}") from None
        html, removed = sanitize(self.converter.reset().convert(text))
        problems = [ContentError(page.where.path, source_line(page, needle), message) for message, needle in removed]
        problems += placement_problems(page, html, stamp, calls)
        if problems:
            raise ContentErrors(problems)
        return ProseMarkup(html, tuple(calls))


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


def save_memo(cache_dir: Path, memo: Memo, bodies) -> None:
    """Keep what the current `bodies` need, and write it only when that differs from what was read."""
    wanted = {body_key(body) for body in bodies}
    kept = Memo(
        references={k: v for k, v in memo.references.items() if k in wanted},
        markup={k: v for k, v in memo.markup.items() if k in wanted},
    )
    if kept.keys() == memo.loaded:
        return
    document = {
        "engine": engine_key(),
        "references": dict(sorted(kept.references.items())),
        "markup": {key: [m.html, m.calls] for key, m in sorted(kept.markup.items())},
    }
    write_cache_file(cache_dir / CACHE_FILE, json.dumps(document, ensure_ascii=False))
