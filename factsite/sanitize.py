"""Refuse unsafe HTML in prose: nh3 cleans, and whatever it had to remove is reported as an error.

The page gets nh3's output, never the HTML as written: the comparison only finds what to report,
so a trick that fools Python's HTML parser still cannot reach a reader's browser.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlparse

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "abbr": {"title"},
    # <div data-findable markdown="1"> around a Markdown table: readers sort and filter it (assets/tables.js).
    "div": {"data-findable", "data-findable-shown"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Markup a translation may keep where the theme's source string holds markup (i18n.interface_text).
INTERFACE_TAGS = {"a", "abbr", "b", "code", "em", "i", "strong"}
INTERFACE_ATTRIBUTES = {"a": {"href", "hreflang"}, "abbr": {"title"}}


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, None, None))
        self.found.extend((tag, name, value) for name, value in attrs)

    handle_startendtag = handle_starttag


def start_tags(html: str) -> list[tuple[str, str | None, str | None]]:
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.found


def keep_attribute(tag: str, name: str, value: str) -> str | None:
    """Images must be files of this site: an <img> from another host is a request at read time."""
    if tag == "img" and name == "src" and (urlparse(value).scheme or value.startswith("//")):
        return None
    return value


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        attribute_filter=keep_attribute,
        link_rel=None,
        strip_comments=True,
    )


def comparable(part: tuple[str, str | None, str | None]) -> tuple[str, str | None, str | None]:
    """Elements and attributes compare by name; addresses and styles by value too, so what nh3
    dropped from them is singled out (styles without spaces, as nh3 writes them)."""
    tag, name, value = part
    if name == "style":
        return (tag, name, re.sub(r"\s+", "", value or "").rstrip(";"))
    return (tag, name, value if name in ("href", "src") else None)


def removal_message(tag: str, name: str | None, value: str | None, where: str = "prose") -> tuple[str, str]:
    """(description, text to find in the source) for one element or attribute nh3 removed."""
    if name is None and tag == "h1":
        return (
            'a top-level heading ("# Title") is not allowed in a page\'s text: the title: in its front matter '
            'is its one top heading, so start sections at "## "',
            "# ",
        )
    if name is None:
        return f"<{tag}> is not allowed in {where}", f"<{tag}"
    if name == "src" and value:
        return f'the image "{value}" is not allowed: use an image file of this site, with a relative address', value
    if name == "href" and value:
        return f'the address "{value}" is not allowed (use http:, https:, mailto: or a relative link)', value
    if name == "style" and value:
        return f'the style "{value}" on <{tag}> is not allowed (only text-align, on table cells)', value
    return f"the attribute {name}= on <{tag}> is not allowed in {where}", name


StartTagPart = tuple[str, str | None, str | None]  # (element, attribute or None, value or None)


def removed_parts(before: list[StartTagPart], after: list[StartTagPart], where: str = "prose") -> list[tuple[str, str]]:
    """A (description, text to find in the source) for each element or attribute among the start
    tags `before` cleaning that is not among those `after` it."""
    kept = Counter(map(comparable, after))
    removed = []
    element_removed = False  # an element's attributes go with it: reporting them too would be noise
    for part in before:
        if kept[comparable(part)] > 0:
            kept[comparable(part)] -= 1
            element_removed = element_removed and part[1] is not None
        elif part[1] is None or not element_removed:
            element_removed = part[1] is None
            removed.append(removal_message(part[0], part[1], part[2], where))
    return removed


def sanitize(html: str) -> tuple[str, list[tuple[str, str]]]:
    """(the cleaned HTML, a (description, text to find in the source) for each part nh3 removed)."""
    cleaned = clean(html)
    return cleaned, removed_parts(start_tags(html), start_tags(cleaned))


def sanitize_interface_words(html: str) -> tuple[str, list[str]]:
    """(the cleaned HTML, what nh3 removed) for interface words that may hold markup: links and
    emphasis only (INTERFACE_TAGS), addresses as in prose."""
    cleaned = nh3.clean(
        html,
        tags=INTERFACE_TAGS,
        attributes=INTERFACE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return cleaned, [
        description for description, _ in removed_parts(start_tags(html), start_tags(cleaned), "interface words")
    ]
