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

from .harness import LOCATIONS, Outline, outline

EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


@functools.cache
def fetch(url: str) -> tuple[int, Outline | None]:
    """Status of a URL on the local servers or on disk, and for a page, its outline (read once)."""
    if url.startswith("file:"):
        path = Path(unquote(urlparse(url).path))
        if not path.is_file():
            return 404, None
        return 200, outline(path.read_text()) if path.suffix == ".html" else None
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
            return response.status, outline(
                body.decode()
            ) if response.headers.get_content_type() == "text/html" else None
    except urllib.error.HTTPError as error:
        return error.code, None


def is_internal(reference: str) -> bool:
    return not (urlparse(reference).scheme in EXTERNAL_SCHEMES or reference.startswith("//"))


def broken_references(page_url: str, page: Outline) -> list[str]:
    """Internal references of a page, read from page_url, that do not resolve."""
    broken = []
    for tag, reference, _ in page.references:
        if not is_internal(reference):
            continue
        target, fragment = urldefrag(urljoin(page_url, reference))
        status, target_page = (200, page) if reference.startswith("#") else fetch(target)
        if status != 200:
            broken.append(f"<{tag}> {reference} -> {target}: {status}")
        elif fragment and target_page and unquote(fragment) not in target_page.ids:
            broken.append(f"<{tag}> {reference}: no id {fragment!r} in {target}")
    return broken


def problems_at(page_url: str) -> list[str]:
    status, page = fetch(page_url)
    return broken_references(page_url, page) if status == 200 else [f"the page itself answers {status}"]


@pytest.mark.parametrize("location", LOCATIONS)
def test_every_internal_link_and_asset_resolves(built, location):
    broken = [
        f"{name}: {problem}" for name in built.pages_at(location) for problem in problems_at(built.url(name, location))
    ]
    assert not broken, f"from {location} ({built.urls[location]}):\n" + "\n".join(broken)


def test_the_404_page_works_at_any_depth(built):
    """GitHub Pages answers a missing path at any depth with 404.html; its links must still resolve."""
    status, page = fetch(built.url("404.html"))
    assert status == 200
    deep = built.url("no/such/folder/page.html")
    broken = broken_references(deep, page)
    assert not broken, f"404.html served at {deep}:\n" + "\n".join(broken)
