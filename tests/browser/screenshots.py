"""`make screenshots`: PNGs of every page of a built site at 360 and 1280 px, light and dark, for review,
in one engine: Chromium (the default), Firefox or WebKit (make screenshots ENGINE=webkit).

Usage: PYTHONPATH=tests python -m browser.screenshots BUILT_FOLDER OUT_FOLDER [ENGINE]
The site is served under its published subpath (so 404.html finds its styles), with JavaScript on and
every chart reached (interactive). Files are named PAGE-ENGINE-WIDTH-SCHEME.png. WebKit's pictures
are of the window only (its WebDriver takes no whole-page picture; at 360 px the page is in a frame).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from .harness import PROJECT, SCHEMES, WIDTHS, html_pages, launch, published_folder_name, serve
from .readers import ENGINES, Browsers, missing_engine, reach_charts

SCREEN_HEIGHT = 900


def take_screenshots(built: Path, out: Path, engine: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as parent, contextlib.ExitStack() as stack:
        published = Path(parent) / published_folder_name(PROJECT)
        published.symlink_to(built.resolve(), target_is_directory=True)

        def chromium():
            browser = launch(stack.enter_context(sync_playwright()))
            stack.callback(browser.close)
            return browser

        browsers = Browsers(chromium)
        stack.callback(browsers.close)
        server = stack.enter_context(serve(Path(parent)))
        for width in WIDTHS:
            for scheme in SCHEMES:
                reader = browsers.reader(engine, width=width, scheme=scheme, height=SCREEN_HEIGHT)
                for name in html_pages(built):
                    reader.goto(f"{server}{published.name}/{name}")
                    reach_charts(reader)
                    path = out / f"{name.removesuffix('.html').replace('/', '--')}-{engine}-{width}-{scheme}.png"
                    reader.screenshot(path)
                    written.append(path)
                reader.close()
    return written


def main(arguments: list[str]) -> int:
    if len(arguments) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    built, out = map(Path, arguments[:2])
    engine = arguments[2] if len(arguments) == 3 else "chromium"
    if engine not in ENGINES:
        print(f"error: no engine {engine!r}: choose one of {', '.join(ENGINES)}", file=sys.stderr)
        return 2
    problem = missing_engine(engine)
    if problem:
        print(f"error: {engine}: {problem}", file=sys.stderr)
        return 1
    if not (built / "index.html").is_file():
        print(f"error: {built} holds no built site: run `make` first", file=sys.stderr)
        return 1
    written = take_screenshots(built, out, engine)
    print(f"wrote {len(written)} screenshots ({engine}) to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
