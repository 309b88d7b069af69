"""Any location: every internal link and asset resolves at a domain root, under a subpath and from file://.

Each page is read as a reader's browser would get it from that location; every href and src that is
not an absolute address elsewhere is resolved against the page's URL and must answer 200 over HTTP,
or be a file on disk; a #fragment must name an id in the page it points into.
"""
from __future__ import annotations

import functools
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

from harness import LOCATIONS, outline

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


@functools.lru_cache(maxsize=None)
def fetch(url: str) -> tuple[int, str]:
    """Status and (for HTML) text of a URL on the local servers or on disk."""
    if url.startswith("file:"):
        path = Path(unquote(urlparse(url).path))
        return (200, path.read_text() if path.suffix == ".html" else "") if path.is_file() else (404, "")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            return response.status, body.decode() if response.headers.get_content_type() == "text/html" else ""
    except urllib.error.HTTPError as error:
        return error.code, ""


def is_internal(reference: str) -> bool:
    return not (urlparse(reference).scheme in EXTERNAL_SCHEMES or reference.startswith("//"))


def broken_references(page_url: str, html: str) -> list[str]:
    """Internal references of a page, read from page_url, that do not resolve."""
    page = outline(html)
    broken = []
    for tag, reference, _ in page.references:
        if not is_internal(reference):
            continue
        target, fragment = urldefrag(urljoin(page_url, reference))
        status, target_html = (200, html) if reference.startswith("#") else fetch(target)
        if status != 200:
            broken.append(f"<{tag}> {reference} -> {target}: {status}")
        elif fragment and target_html and unquote(fragment) not in outline(target_html).ids:
            broken.append(f"<{tag}> {reference}: no id {fragment!r} in {target}")
    return broken


def problems_at(page_url: str) -> list[str]:
    status, html = fetch(page_url)
    return broken_references(page_url, html) if status == 200 else [f"the page itself answers {status}"]


@pytest.mark.parametrize("location", LOCATIONS)
def test_every_internal_link_and_asset_resolves(built, location):
    broken = [f"{name}: {problem}" for name in built.pages_at(location) for problem in problems_at(built.url(name, location))]
    assert not broken, f"from {location} ({built.urls[location]}):\n" + "\n".join(broken)


def test_the_404_page_works_at_any_depth(built):
    """GitHub Pages answers a missing path at any depth with 404.html; its links must still resolve."""
    status, html = fetch(built.url("404.html"))
    assert status == 200
    deep = built.url("no/such/folder/page.html")
    broken = broken_references(deep, html)
    assert not broken, f"404.html served at {deep}:\n" + "\n".join(broken)
