"""What each page of a built site costs a reader until they reach for a chart, in bytes sent
compressed (gzip, level 6, as static hosts such as GitHub Pages compress text).

    python bench/page_bytes.py SITE_FOLDER

A page costs its HTML and everything it makes the browser fetch as it loads: stylesheets and what
they import or point at with url(), the icon, scripts (deferred ones too), images, preloads. Not
counted: links to other pages, downloads, and what a script fetches later on its own, which since
charts.js loads the Vega bundle only when a reader reaches for a chart is the bundle itself.
"Before" is the same page with the bundle loaded at once, as every chart page did until then.
"""

from __future__ import annotations

import gzip
import re
import statistics
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

BUNDLE = "assets/vega-embed.js"
BUDGET = 100_000  # bytes, compressed, until a reader reaches for a chart
TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv"}
CSS_REFERENCE = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


class Loaded(HTMLParser):
    """The addresses a page makes the browser fetch as it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = set((attributes.get("rel") or "").lower().split())
        if tag == "link" and rel & {"stylesheet", "icon", "preload", "modulepreload"} and attributes.get("href"):
            self.found.append(attributes["href"])
        elif (
            tag in ("script", "img", "source", "iframe", "video", "audio", "embed")
            and attributes.get("src")
            and attributes.get("loading") != "lazy"
        ):
            self.found.append(attributes["src"])


@cache
def sent(path: Path) -> int:
    """Bytes sent for one file: compressed when it is text."""
    data = path.read_bytes()
    return len(gzip.compress(data, 6)) if path.suffix in TEXT_SUFFIXES else len(data)


def local(folder: Path, page_url: str, address: str) -> Path | None:
    """The file of the site an address of the page leads to, or None (another site, data:, missing)."""
    absolute = urljoin(page_url, address)
    parsed = urlparse(absolute)
    if parsed.scheme != "http" or parsed.netloc != "site":
        return None
    path = folder / parsed.path.lstrip("/")
    return path if path.is_file() else None


def page_cost(folder: Path, page: str) -> tuple[int, int, list[str]]:
    """(bytes until a chart is reached for, bytes with the bundle loaded at once, the files counted)."""
    page_url = f"http://site/{page}"
    html = (folder / page).read_text()
    parser = Loaded()
    parser.feed(html)
    files: dict[Path, None] = {}
    todo = [(page_url, address) for address in parser.found]
    while todo:
        base, address = todo.pop(0)
        path = local(folder, base, address)
        if path is None or path in files:
            continue
        files[path] = None
        if path.suffix == ".css":
            css_url = "http://site/" + path.relative_to(folder).as_posix()
            todo += [
                (css_url, a or b)
                for a, b in CSS_REFERENCE.findall(path.read_text())
                if not (a or b).startswith("data:")
            ]
    after = sent(folder / page) + sum(sent(path) for path in files)
    bundle = folder / BUNDLE
    loads_bundle_at_once = bundle in files
    before = (
        after if loads_bundle_at_once or "data-chart=" not in html or not bundle.is_file() else after + sent(bundle)
    )
    return after, before, [path.relative_to(folder).as_posix() for path in files]


def site_costs(folder: Path) -> dict[str, tuple[int, int]]:
    # 404.html is served at any depth and links from the site's root path: not a page readers open.
    pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html") if p.name != "404.html")
    return {page: page_cost(folder, page)[:2] for page in pages}


def report(folder: Path) -> bool:
    """Print each page's cost before and after; True when every page is within BUDGET."""
    costs = site_costs(folder)
    chart_pages = [page for page in costs if "data-chart=" in (folder / page).read_text()]
    print(
        f"\nBytes per page until a reader reaches for a chart (HTML and all it loads, gzip), {len(costs)} pages of "
        "the explainer:"
    )
    for page, (after, before) in costs.items():
        note = f"  (before: {before / 1000:,.1f} kB, the Vega bundle loaded at once)" if before != after else ""
        print(f"  {page:<28}{after / 1000:>8,.1f} kB{note}")
    afters = [after for after, _ in costs.values()]
    if chart_pages:
        before_charts = [costs[page][1] for page in chart_pages]
        after_charts = [costs[page][0] for page in chart_pages]
        print(
            f"  chart pages ({len(chart_pages)}): median before {statistics.median(before_charts) / 1000:,.1f} kB,"
            f" after {statistics.median(after_charts) / 1000:,.1f} kB; largest after {max(after_charts) / 1000:,.1f} kB"
        )
    met = max(afters) <= BUDGET
    print(
        f"  every page at most {BUDGET / 1000:.0f} kB until a chart is reached for: largest {max(afters) / 1000:,.1f} "
        "kB:"
        f" {'met' if met else 'NOT met'}"
    )
    return met


if __name__ == "__main__":
    report(Path(sys.argv[1]))
