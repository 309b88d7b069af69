"""Chromium: a chart's own page, embedded with its snippet in a page of another origin (a second local
server), takes the height of its content with JavaScript (no scrollbar inside the frame) and shows the
whole chart without it (the snippet's fixed height), in the layout for the frame's width and in the
reader's colour scheme.

Chromium only: the reader harness of the other engines reads the top page, and a page of another
origin cannot read into the frame; Playwright can, in Chromium.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from factsite.embeds import MESSAGE_TYPE

from .harness import luminance, serve

SITE_URL = "https://example.github.io/war-losses-explainer/"  # the explainer's url: in site.yaml
SNIPPET = re.compile(r'<textarea id="embed-(?P<chart>[a-z0-9_]+)"[^>]*>(?P<code>.*?)</textarea>', re.S)
WIDTHS = (360, 800)  # the frame's width: a phone's column (narrow layout), a wide column (wide layout)
CONTENT = """() => ({
    content: Math.ceil(document.documentElement.getBoundingClientRect().height),
    scroll: document.documentElement.scrollHeight,
    client: document.documentElement.clientHeight,
})"""
SHOWN_PICTURE = """() => {
    const shown = [...document.querySelectorAll('.chart-static svg')]
        .filter(svg => svg.getBoundingClientRect().width > 0);
    const box = shown[0].getBoundingClientRect();
    return {count: shown.length, narrow: !!shown[0].closest('.chart-narrow'),
            hasNarrow: !!document.querySelector('.chart-narrow'), top: box.top, bottom: box.bottom,
            caption: document.querySelector('.chart-sources').getBoundingClientRect().bottom,
            height: window.innerHeight};
}"""


def embed_snippets(site_folder: Path) -> dict[str, str]:
    """Each chart's snippet as a reader copies it from under the chart, wherever the chart first shows."""
    found: dict[str, str] = {}
    for page in sorted(site_folder.glob("*.html")):
        for match in SNIPPET.finditer(page.read_text()):
            found.setdefault(match["chart"], html.unescape(match["code"]))
    return found


@pytest.fixture(scope="module")
def host(explainer, tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    """A site of another origin with one page per chart, each embedding it by its snippet (with the
    explainer's published address replaced by where it is served here); yields its URL and the charts'
    snippets."""
    folder = tmp_path_factory.mktemp("host")
    snippets = embed_snippets(explainer.folder)
    assert snippets, "no embed snippet on any page"
    charts = sorted(path.stem for path in (explainer.folder / "charts").glob("*.vl.json"))
    assert sorted(snippets) == sorted(chart.removesuffix(".vl") for chart in charts)
    for chart, code in snippets.items():
        assert SITE_URL in code
        served_here = code.replace(SITE_URL, explainer.url("", "root"))
        (folder / f"{chart}.html").write_text(
            '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>A newsroom</title>'
            f'<body style="margin: 0"><p>A story.</p><div>{served_here}</div><p>More story.</p></body></html>'
        )
    with serve(folder) as url:
        assert url.split("/")[2] != explainer.url("", "root").split("/")[2]  # another origin (its own port)
        yield url, snippets


def framed(page):
    """The embedded chart's frame, once loaded."""
    frame = page.locator("iframe").element_handle().content_frame()
    frame.wait_for_load_state("load")
    return frame


def frame_height(page) -> float:
    return page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().height")


def sized(page, frame) -> tuple[float, dict]:
    """The iframe's height once the snippet's script set it to the frame's content, and that content's."""
    page.wait_for_function(
        """([wanted]) => { const frame = document.querySelector('iframe');
            return frame.style.height !== '' && Math.abs(frame.getBoundingClientRect().height - wanted) <= 1; }""",
        arg=[frame.evaluate(CONTENT)["content"]],
        timeout=30_000,
    )
    return frame_height(page), frame.evaluate(CONTENT)


def test_the_embed_takes_its_content_height_with_javascript(explainer, host, new_page):
    url, snippets = host
    wrong = []
    for chart in sorted(snippets):
        for width in WIDTHS:
            page = new_page(viewport={"width": width, "height": 800})
            page.goto(f"{url}{chart}.html")
            frame = framed(page)
            height, content = sized(page, frame)
            if abs(height - content["content"]) > 1 or content["scroll"] > content["client"]:
                wrong.append(f"{chart} at {width} px: iframe {height} px, content {content}")
            picture = frame.evaluate(SHOWN_PICTURE)
            if picture["count"] != 1 or picture["narrow"] != (picture["hasNarrow"] and width < 672):
                wrong.append(f"{chart} at {width} px: the layout shown is not the one for the width: {picture}")
            # The data table opened inside the frame: the frame grows with it.
            frame.click(".chart-data summary")
            grown, content = sized(page, frame)
            if grown <= height or content["scroll"] > content["client"]:
                wrong.append(f"{chart} at {width} px with its table open: iframe {grown} px, content {content}")
            page.context.close()
    assert not wrong, "\n".join(wrong)


def test_the_snippet_takes_heights_only_from_its_own_frame(host, new_page):
    url, snippets = host
    chart = sorted(snippets)[0]
    page = new_page(viewport={"width": 800, "height": 800})
    page.goto(f"{url}{chart}.html")
    height, _ = sized(page, framed(page))
    # The same message from the host page itself, and one for another chart from the frame's own window.
    page.evaluate("([type, chart]) => window.postMessage({type, chart, height: 40}, '*')", [MESSAGE_TYPE, chart])
    framed(page).evaluate(
        "([type]) => window.parent.postMessage({type, chart: 'another_chart', height: 40}, '*')", [MESSAGE_TYPE]
    )
    page.wait_for_timeout(300)
    assert frame_height(page) == height


def test_the_embed_shows_the_whole_chart_without_javascript(host, new_page):
    url, snippets = host
    cut = []
    for chart in sorted(snippets):
        fixed = int(re.search(r'height="(\d+)"', snippets[chart]).group(1))
        for width in WIDTHS:
            page = new_page(viewport={"width": width, "height": 800}, java_script_enabled=False)
            page.goto(f"{url}{chart}.html")
            picture = framed(page).evaluate(SHOWN_PICTURE)
            assert frame_height(page) == fixed  # the snippet's own height: no script ran
            # The whole picture (its title, the chart and its source line) in the frame at any width; in the
            # wide column the height is made for, the caption up to its sources too (on a phone the
            # description runs to more lines: the frame scrolls to them).
            caption_cut = width == max(WIDTHS) and picture["caption"] > picture["height"]
            if picture["top"] < 0 or picture["bottom"] > picture["height"] or caption_cut:
                cut.append(f"{chart} at {width} px in a frame {fixed} px high: {picture}")
            page.context.close()
    assert not cut, "cut off without JavaScript:\n" + "\n".join(cut)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_embed_follows_the_readers_colour_scheme(host, new_page, scheme):
    url, snippets = host
    page = new_page(viewport={"width": 800, "height": 800}, color_scheme=scheme)
    page.goto(f"{url}{sorted(snippets)[0]}.html")
    background = framed(page).evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert (luminance(background) > 0.5) == (scheme == "light"), background
