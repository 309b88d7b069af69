"""`make screenshots`: PNGs of every page of a built site at 360 and 1280 px, light and dark, for review.

Usage: PYTHONPATH=tests python -m browser.screenshots BUILT_FOLDER OUT_FOLDER (make screenshots)
The site is served under its published subpath (so 404.html finds its styles), with JavaScript on.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from .harness import (
    CHROMIUM,
    PROJECT,
    SCHEMES,
    WIDTHS,
    html_pages,
    launch,
    published_folder_name,
    serve,
    wait_for_charts,
)


def take_screenshots(built: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as parent, sync_playwright() as playwright:
        published = Path(parent) / published_folder_name(PROJECT)
        published.symlink_to(built.resolve(), target_is_directory=True)
        browser = launch(playwright)
        with serve(Path(parent)) as server:
            for width in WIDTHS:
                for scheme in SCHEMES:
                    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    for name in html_pages(built):
                        page.goto(f"{server}{published.name}/{name}")
                        wait_for_charts(page)
                        path = out / f"{name.removesuffix('.html').replace('/', '--')}-{width}-{scheme}.png"
                        page.screenshot(path=path, full_page=True)
                        written.append(path)
                    page.close()
        browser.close()
    return written


def main(arguments: list[str]) -> int:
    if len(arguments) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    built, out = map(Path, arguments)
    if not CHROMIUM.is_file():
        print(f"error: no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    if not (built / "index.html").is_file():
        print(f"error: {built} holds no built site: run `make` first", file=sys.stderr)
        return 1
    written = take_screenshots(built, out)
    print(f"wrote {len(written)} screenshots to {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
