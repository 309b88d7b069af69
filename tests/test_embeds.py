"""Each chart on a page of its own for other sites to embed, the snippet that embeds it, its PNG image.
(That the snippet sizes the iframe in a browser: tests/browser/test_embeds.py.)"""

from __future__ import annotations

import html
import re
import struct
from pathlib import Path

from conftest import run_captured, write

from factsite import embeds

SNIPPET = re.compile(r'<textarea id="embed-(?P<chart>[a-z0-9_]+)"[^>]*>(?P<code>.*?)</textarea>', re.S)


def snippets(page: Path) -> dict[str, str]:
    """The embed snippets of a built page, by chart, as a reader copies them."""
    return {found["chart"]: html.unescape(found["code"]) for found in SNIPPET.finditer(page.read_text())}


def test_each_chart_has_a_page_of_its_own_without_the_site_menu(built_fixture):
    for chart in ("rises", "shares"):
        page = (built_fixture / "charts" / f"{chart}.html").read_text()
        assert f'<figure class="chart" data-chart="{chart}"' in page
        assert "site-menu" not in page and "<nav" not in page and "site-footer" not in page
        assert f'<link rel="canonical" href="https://example.org/explainer/charts/{chart}.html">' in page
        assert '<base target="_blank">' in page  # its links leave the frame
        assert 'src="../assets/embed.js"' in page and 'data-bundle="../assets/vega-embed.js"' in page
        description = re.search(r'<p class="chart-description">(.*?)</p>', page)
        assert description and description.group(1).strip()
        assert 'class="chart-sources"' in page and f'href="../charts/{chart}.csv"' in page
        assert "chart-embed" not in page  # no snippet on the chart's own page
    assert (built_fixture / "assets" / "embed.js").is_file()


def test_a_chart_page_links_to_the_article_that_shows_it(built_fixture):
    page = (built_fixture / "charts" / "rises.html").read_text()
    assert re.search(r'From <a href="\.\./index\.html#chart-rises">', page), page[-800:]


def test_the_snippet_embeds_the_chart_page_with_a_height_and_a_sizing_script(built_fixture):
    found = snippets(built_fixture / "index.html")
    assert set(found) == {"rises"}
    code = found["rises"]
    frame = re.search(r'<iframe src="([^"]+)" title="([^"]+)" data-factsite-chart="rises" height="(\d+)"', code)
    assert frame, code
    assert frame.group(1) == "https://example.org/explainer/charts/rises.html"
    svg = (built_fixture / "charts" / "rises.svg").read_text()
    assert int(frame.group(3)) > embeds.picture_height(svg) > 0
    script = re.search(r"<script>(.*)</script>$", code, re.S)
    assert script and embeds.MESSAGE_TYPE in script.group(1) and '"rises"' in script.group(1)
    assert "e.source" in script.group(1) and "e.origin" in script.group(1)
    page = (built_fixture / "index.html").read_text()
    assert '<a href="charts/rises.html">' in page and 'href="charts/rises.png"' in page


def test_every_chart_has_a_png_image_the_size_of_a_share_image(built_fixture):
    for chart in ("rises", "shares"):
        data = (built_fixture / "charts" / f"{chart}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1200, 630)


def test_chart_pages_are_not_in_the_sitemap(built_fixture):
    assert "charts/" not in (built_fixture / "sitemap.xml").read_text()


def test_a_static_file_where_a_chart_page_goes_is_refused(site, capsys):
    """A page cannot be published in charts/ (load refuses one there); a static file could."""
    write(site, "static/charts/rises.html", "<!DOCTYPE html><title>mine</title>\n")
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    assert any(
        error["path"].endswith("static/charts/rises.html") and '"charts/rises.html"' in error["message"]
        for error in outcome.errors
    ), outcome.stderr


def test_the_frame_height_fits_the_taller_layout_and_the_caption():
    class Chart:
        svg = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="300">'
        narrow_svg = '<svg class="x" width="328" height="420" viewBox="0 0 328 420">'
        description = "x" * (2 * embeds.LINE_CHARACTERS)

    height = embeds.frame_height(Chart())  # type: ignore[arg-type]
    assert height == 420 + 2 * embeds.DESCRIPTION_LINE + embeds.FRAME_ROOM
