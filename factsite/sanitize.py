"""Refuse unsafe HTML in prose: nh3 cleans, and whatever it had to remove is reported as an error."""
from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
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
}
URL_SCHEMES = {"http", "https", "mailto"}


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, None, None))
        self.found.extend((tag, name, value) for name, value in attrs)

    handle_startendtag = handle_starttag


def start_tags(html: str) -> list[tuple[str, str | None, str | None]]:
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.found


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


def comparable(part: tuple[str, str | None, str | None]) -> tuple:
    """Elements and attributes compare by name; addresses by value too, so a bad link is singled out."""
    tag, name, value = part
    return (tag, name, value if name in ("href", "src") else None)


def removed_parts(html: str) -> list[tuple[str, str]]:
    """(description, text to find in the source) for each element or attribute nh3 removed."""
    kept = Counter(map(comparable, start_tags(clean(html))))
    removed = []
    for tag, name, value in start_tags(html):
        if kept[comparable((tag, name, value))] > 0:
            kept[comparable((tag, name, value))] -= 1
            continue
        if name is None:
            removed.append((f"<{tag}> is not allowed in prose", f"<{tag}"))
        elif name in ("href", "src") and value:
            removed.append((f'the address "{value}" is not allowed (use http:, https:, mailto: or a relative link)', value))
        else:
            removed.append((f'the attribute {name}= on <{tag}> is not allowed in prose', name))
    return removed
