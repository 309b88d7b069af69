"""Small pages: HTML plus CSS under 150 kB each; the chart bundle only where charts are, deferred; no outside fonts."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urljoin

from .harness import outline

PAGE_BUDGET = 150_000  # characters of a page's HTML (a Cyrillic letter is 2 bytes, 1 character)
TRANSFER_BUDGET = 50_000  # bytes sent of its HTML and every stylesheet it links, compressed (gzip, level 6)
BUNDLE = "assets/vega-embed.js"
LOADING_ELEMENTS = {"script", "img", "source", "iframe", "video", "audio", "embed", "track", "input"}
NOT_LOADED_LINKS = {"canonical", "alternate", "author", "license", "help", "me"}  # names a page, fetches nothing


def stylesheets(built, page: str, html: str) -> list[Path]:
    """The files of the stylesheets a page links, resolved as the page is published (under the subpath)."""
    site_url = built.url("")
    urls = [
        urljoin(built.url(page), link.url)
        for link in outline(html).references
        if link.tag == "link" and "stylesheet" in link.rel.split()
    ]
    assert all(url.startswith(site_url) for url in urls), f"{page}: a stylesheet outside the site: {urls}"
    return [built.folder / url.removeprefix(site_url) for url in urls]


def test_each_page_with_its_css_is_under_budget(built):
    over = []
    for name in built.pages:
        html = (built.folder / name).read_text()
        styles = stylesheets(built, name, html)
        assert styles, f"{name} links no stylesheet"
        sent = len(gzip.compress(html.encode(), 6)) + sum(len(gzip.compress(css.read_bytes(), 6)) for css in styles)
        if len(html) > PAGE_BUDGET or sent > TRANSFER_BUDGET:
            over.append(f"{name}: {len(html):,} characters of HTML, {sent:,} bytes sent with its CSS")
    assert not over, f"over {PAGE_BUDGET:,} characters of HTML or {TRANSFER_BUDGET:,} bytes sent:\n" + "\n".join(over)


def test_the_chart_bundle_is_only_on_chart_pages_and_deferred(built):
    wrong = []
    for name in built.pages:
        html = (built.folder / name).read_text()
        scripts = re.findall(r"<script\b[^>]*\bsrc=\"[^\"]*\"[^>]*>", html)
        bundle = [tag for tag in scripts if f'{BUNDLE}"' in tag]
        has_charts = "data-chart=" in html
        if has_charts != bool(bundle):
            wrong.append(f"{name}: charts: {has_charts}, bundle: {bool(bundle)}")
        wrong += [f"{name}: not deferred: {tag}" for tag in scripts if not re.search(r"\s(defer|async)[\s>=]", tag)]
    assert not wrong, "\n".join(wrong)


def test_no_fonts_or_styles_from_elsewhere(built):
    """Every url() and @import in the CSS and every stylesheet, script or font link stays on the site."""
    outside = []
    for css in built.folder.rglob("*.css"):
        text = css.read_text()
        outside += [
            f"{css.name}: {ref}"
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text)
            if re.match(r"[a-z]+:|//", ref) and not ref.startswith("data:")
        ]
    for name in built.pages:
        for tag, reference, rel in outline((built.folder / name).read_text()).references:
            loaded = tag in LOADING_ELEMENTS or (tag == "link" and not set(rel.split()) <= NOT_LOADED_LINKS)
            if loaded and re.match(r"[a-z]+:|//", reference) and not reference.startswith("data:"):
                outside.append(f"{name}: <{tag}> {reference}")
    assert not outside, "loaded from elsewhere:\n" + "\n".join(outside)
