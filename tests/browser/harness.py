"""What the browser tests and `make screenshots` share: the local browser, a local web server, the built pages.

Kept apart from conftest.py so tests/browser/screenshots.py can use it outside pytest.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

import yaml

PROJECT = Path(__file__).resolve().parents[2]
# The browser contributors have: named by a variable, else found on PATH, else in macOS's application
# folders. A browser that Playwright downloads is never used.
BROWSER_VARIABLES = ("FACTSITE_BROWSER", "CHROME_PATH")
BROWSER_COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MACOS_BROWSERS = (
    "Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "Applications/Chromium.app/Contents/MacOS/Chromium",
)


def find_browser(environ=os.environ, is_file=os.path.isfile) -> Path | None:
    """Chromium or Chrome: FACTSITE_BROWSER or CHROME_PATH as given (a wrong path is reported, not
    passed over), else the first of BROWSER_COMMANDS on PATH, else /Applications or ~/Applications."""
    for name in BROWSER_VARIABLES:
        if environ.get(name):
            return Path(environ[name])
    for command in BROWSER_COMMANDS:
        found = shutil.which(command, path=environ.get("PATH", os.defpath))
        if found:
            return Path(found)
    folders = ["/"] + ([environ["HOME"]] if environ.get("HOME") else [])
    for app in (os.path.join(folder, relative) for relative in MACOS_BROWSERS for folder in folders):
        if is_file(app):
            return Path(app)
    return None


def missing_browser(environ=os.environ, is_file=os.path.isfile) -> str | None:
    """Why no browser can run the tests, or None when one can."""
    found = find_browser(environ, is_file)
    named = next((name for name in BROWSER_VARIABLES if environ.get(name)), None)
    if found is not None and is_file(str(found)):
        return None
    if named:
        return f"{named} is {environ[named]}, which is not a file: set it to the path of Chromium or Chrome"
    return (
        f"no Chromium or Chrome found (on PATH as {', '.join(BROWSER_COMMANDS)}, or in /Applications):"
        " install one (Debian: apt-get install chromium) or set FACTSITE_BROWSER to its path"
    )


CHROMIUM = find_browser() or Path("/usr/bin/chromium")  # where the tests' browser is (or would be, on Debian)
# No background traffic of the browser's own, so every recorded request comes from the page.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_MODULES = PROJECT / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")
LOCATIONS = ("root", "subpath", "file")  # a domain root, a project subpath, straight from disk


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of a computed rgb()/rgba() colour."""
    red, green, blue = (float(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed colours, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


TYPESET = {" ": "[\\s\u00a0\u202f\u2060]+", "'": "['\u2019]", '"': '["\u201c\u201d\u00ab\u00bb]'}


def typeset_pattern(text: str) -> re.Pattern:
    """`text` as the page shows it after the typography pass: any space may be a no-break or thin
    one, a straight apostrophe or quote may be curly."""
    return re.compile("".join(TYPESET.get(char, re.escape(char)) for char in text))


def published_folder_name(site_folder: Path) -> str:
    """The last part of the site's published URL path: the subpath GitHub Pages serves it under."""
    url = yaml.safe_load((site_folder / "site.yaml").read_text())["url"]
    return urlparse(url).path.strip("/").rsplit("/", 1)[-1] or "site"


def html_pages(folder: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its folder."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder quietly; with `headers`, adds them to every answer, with `rewrite`, passes each
    HTML page through it; answers FRAME_PAGE (a blank page for a narrow reader's frame) anywhere."""

    extra_headers: tuple[tuple[str, str], ...] = ()
    rewrite: Callable[[str], str] | None = None

    def log_message(self, format, *args):
        pass

    def end_headers(self):
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if urlparse(self.path).path == f"/{FRAME_PAGE}":
            body = FRAME_HTML
        elif self.rewrite is not None and path.suffix == ".html" and path.is_file():
            body = self.rewrite(path.read_text())
        else:
            return super().do_GET()
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return None


FRAME_PAGE = "reader-frame.html"
FRAME_HTML = (
    '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>frame</title><body style="margin: 0"></body></html>'
)


@contextlib.contextmanager
def serve(
    folder: Path, headers: tuple[tuple[str, str], ...] = (), rewrite: Callable[[str], str] | None = None
) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port in a background thread; yields the base URL."""
    handler_class = type(
        "Handler", (QuietHandler,), {"extra_headers": headers, "rewrite": staticmethod(rewrite) if rewrite else None}
    )
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Reference(NamedTuple):
    tag: str
    url: str  # the href or src as written
    rel: str  # a <link>'s rel, else ""


class Outline(HTMLParser):
    """What a page refers to through href and src, and the ids it holds."""

    def __init__(self):
        super().__init__()
        self.references: list[Reference] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = attributes.get("rel") or ""
        self.references += [
            Reference(tag, attributes[name] or "", rel) for name in ("href", "src") if name in attributes
        ]
        if attributes.get("id"):
            self.ids.add(attributes["id"])


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


IS_FOCUSED = "element => element === document.activeElement"
MOVED_FOCUS = "before => document.activeElement !== before"


def tab_to(page, target, most: int = 50) -> None:
    """Press Tab until `target` (a locator) has focus, waiting after each press for the focus to move
    (so a slow step is never taken for a missed one); fails after `most` presses."""
    for _ in range(most):
        if target.evaluate(IS_FOCUSED):
            return
        before = page.evaluate_handle("document.activeElement")
        page.keyboard.press("Tab")
        page.wait_for_function(MOVED_FOCUS, arg=before, timeout=15_000)
    raise AssertionError(f"{target} not reached in {most} presses of Tab")


OVERFLOW = """() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    viewport: window.innerWidth,
    charts: [...document.querySelectorAll('figure[data-chart]')].map(figure => {
        const svg = [...figure.querySelectorAll('.chart-static svg, .chart-interactive svg')]
            .find(s => s.getBoundingClientRect().width > 0);
        const box = figure.getBoundingClientRect(), chart = svg ? svg.getBoundingClientRect() : null;
        // Text drawn past the edge of its picture is cut off (an SVG clips what overflows it).
        const inside = rect => rect.left >= chart.left - 1 && rect.right <= chart.right + 1
            && rect.top >= chart.top - 1 && rect.bottom <= chart.bottom + 1;
        const clipped = chart === null ? [] : [...svg.querySelectorAll('text')]
            .filter(text => parseFloat(getComputedStyle(text).opacity) > 0 && !inside(text.getBoundingClientRect()))
            .map(text => text.textContent.slice(0, 50));
        return {id: figure.dataset.chart, shown: chart !== null, clipped,
                fits: chart !== null && chart.left >= box.left - 0.5 && chart.right <= box.right + 0.5
                    && box.right <= window.innerWidth};
    }),
})"""

# Blocks of text whose content is wider than their box (a long word or a fixed width pushing out); not
# text that is there for screen readers alone (.visually-hidden: a box of one pixel by design).
OVERFLOWING_TEXT = """() => [
        ...document.querySelectorAll('p, li, h1, h2, h3, h4, dt, dd, figcaption, summary, caption, blockquote, th, td')]
    .filter(element => !element.closest('.table-scroll, .visually-hidden') && element.getClientRects().length > 0)
    .filter(element => element.scrollWidth > element.clientWidth + 1)
    .map(element => element.tagName.toLowerCase() + ': ' + element.textContent.trim().slice(0, 60))"""


def layout_problems(page, name: str) -> list[str]:
    found = page.evaluate(OVERFLOW)
    problems = []
    if found["scrollWidth"] > found["viewport"]:
        problems.append(f"{name}: scrolls sideways: {found['scrollWidth']} px wide in a {found['viewport']} px window")
    problems += [f"{name}: chart {c['id']} is not shown" for c in found["charts"] if not c["shown"]]
    problems += [
        f"{name}: chart {c['id']} sticks out of its column" for c in found["charts"] if c["shown"] and not c["fits"]
    ]
    problems += [
        f"{name}: chart {c['id']} cuts off its text: {text!r}" for c in found["charts"] for text in c["clipped"]
    ]
    problems += [f"{name}: text overflows its box: {text}" for text in page.evaluate(OVERFLOWING_TEXT)]
    return problems


FIRST_SCREEN = """() => {
    const opening = document.querySelector('main .standfirst, main article > p');
    const menu = document.querySelector('.site-menu');
    return {
        title: document.querySelector('main h1').getBoundingClientRect().bottom,
        opening: opening ? opening.getBoundingClientRect().top : null,
        height: window.innerHeight,
        legendOpen: document.querySelector('.status-legend') ? document.querySelector('.status-legend').open : null,
        menuOpen: menu.open,
        links: [...menu.querySelectorAll('nav a')].filter(a => a.checkVisibility({contentVisibilityAuto: true})).length,
    };
}"""
