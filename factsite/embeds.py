"""Part of the render stage: each chart on a page of its own (charts/<id>.html in its language's
folder) for other sites to embed in an iframe, the snippet that embeds it, and its PNG download.

The snippet is an iframe with a fixed height that shows the whole chart without JavaScript, and a
small script: the chart's page (assets/embed.js) posts its height to the page that embeds it, and
the snippet's script sets the iframe's height to it, so no inner scrollbar shows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from markupsafe import Markup

from . import charts as chart_stage
from .model import Page, Site

EMBED_TEMPLATE = "embed.html"
EMBED_SCRIPT = "assets/embed.js"
MESSAGE_TYPE = "factsite:embed-height"  # the type of embed.js's message, which the snippet's script checks
# The room the chart's page takes besides its picture, for the iframe's height without JavaScript:
# the page's padding, the data table's and the downloads' lines, the line naming the article; and
# the description's lines, at the characters a line holds where the picture is wide (640 px).
FRAME_ROOM = 150
DESCRIPTION_LINE = 24  # pixels a line of the caption takes (0.92rem at 1.6 line height, rounded up)
LINE_CHARACTERS = 75
SVG_HEIGHT = re.compile(r'<svg\b[^>]*?\sheight="([\d.]+)"')


class ChartUse(Protocol):
    """Where a chart is shown (render_html.Use, read-only): the kind of thing used, its id and the page file."""

    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def page(self) -> str: ...


def embed_path(chart_id: str) -> str:
    """The chart's own page, inside its language's folder."""
    return f"charts/{chart_id}.html"


def picture_height(svg: str) -> float:
    """The height a build-time SVG is drawn at (0 when it gives none)."""
    found = SVG_HEIGHT.search(svg)
    return float(found.group(1)) if found else 0.0


def frame_height(chart: chart_stage.RenderedChart) -> int:
    """The iframe's height before (or without) its script: the taller of the chart's layouts, with
    room for its caption as a column of the wide layout's width holds it."""
    picture = max(picture_height(chart.svg), picture_height(chart.narrow_svg))
    caption = math.ceil(len(chart.description) / LINE_CHARACTERS) * DESCRIPTION_LINE
    return math.ceil(picture + caption + FRAME_ROOM)


def snippet(chart: chart_stage.RenderedChart, site: Site) -> str:
    """The HTML a newsroom pastes to embed the chart: the iframe, and the script that sizes it to the
    height its page posts. The script takes the message only from that iframe's window and origin,
    with this type and this chart's id, and a height that is a number in bounds."""
    address = f"{site.config.url}{site.prefix}{embed_path(chart.id)}"
    selector = f'iframe[data-factsite-chart="{chart.id}"]'
    script = (
        '(function(){"use strict";window.addEventListener("message",function(e){var d=e.data;'
        f'if(!d||d.type!=="{MESSAGE_TYPE}"||d.chart!=="{chart.id}"||typeof d.height!=="number"'
        "||!(d.height>0&&d.height<20000))return;"
        f"Array.prototype.forEach.call(document.querySelectorAll('{selector}'),function(f){{"
        "if(f.contentWindow===e.source&&new URL(f.src,location.href).origin===e.origin)"
        'f.style.height=Math.ceil(d.height)+"px";});});})();'
    )
    title = Markup.escape(chart.title)
    return (
        f'<iframe src="{Markup.escape(address)}" title="{title}" data-factsite-chart="{chart.id}"'
        f' height="{frame_height(chart)}" style="width:100%;border:0" loading="lazy"></iframe>'
        f"<script>{script}</script>"
    )


def as_textarea_text(html: str) -> Markup:
    """HTML shown as the text of a <textarea>, to copy: only "&" and "<" escaped, which is all its
    text needs (quotes written as &#34; would cost a page bytes for nothing)."""
    return Markup(html.replace("&", "&amp;").replace("<", "&lt;"))


def shown_on(chart_id: str, uses: Sequence[ChartUse], pages: Sequence[Page]) -> Page | None:
    """The first page in the site's order that shows the chart (its embed links back to it)."""
    files = {use.page for use in uses if use.kind == "chart" and use.id == chart_id}
    return next((page for page in pages if page.filename in files), None)


def embed_files(
    site: Site,
    charts: dict[str, chart_stage.RenderedChart],
    uses: Sequence[ChartUse],
    page: Callable[[chart_stage.RenderedChart, Page | None], bytes],
    cache_dir: Path,
) -> dict[str, bytes]:
    """Each chart's own page and its PNG image, in the folder of the site's language. `page` renders
    a chart's page given the article that shows it (or None); the PNG is the share image
    (charts.png_of), drawn once for each spec and kept in the cache."""
    files: dict[str, bytes] = {}
    for chart_id, chart in charts.items():
        files[f"{site.prefix}{embed_path(chart_id)}"] = page(chart, shown_on(chart_id, uses, site.pages))
        files[f"{site.prefix}charts/{chart_id}.png"], _ = chart_stage.cached_render(
            cache_dir, "png", chart.spec, chart_stage.png_of
        )
    return files
