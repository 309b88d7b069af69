"""Charts: run each chart module, check its spec, render SVG with vl-convert, cache by hash.

A chart whose module source and the facts and datasets it read last time are unchanged is
taken from the cache without importing Altair; an unchanged spec costs no vl-convert call.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import math
import os
import re
import struct
import threading
import traceback
import types
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal, overload

from markupsafe import escape

from .colors import Colour
from .errors import ContentError, ContentErrors, as_values, did_you_mean, not_in_xml
from .formatting import format_date, format_number, fraction_digits, locale_of, noun_form
from .i18n import catalog
from .keys import engine_key
from .model import NO_LICENSE, Dataset, Fact, RawChart, Site
from .tables import cell_name
from .typography import typeset_spec

# The chart font, shipped in FONT_DIR: Liberation Sans 2.1.5 (SIL OFL 1.1) under a name of its own
# (README.md there), so that no font a machine has installed can stand in for it.
Spec = dict[str, Any]  # a Vega-Lite spec, or a part of one, as JSON

CHART_FONT = "Factsite Sans"
FONT_DIR = Path(__file__).parent / "assets" / "fonts"
FONT_FILES = ("FactsiteSans-Regular.ttf", "FactsiteSans-Bold.ttf")  # titles' weight 600 takes the bold

# Text and axes take the page's colour (currentColor), so one SVG reads in light and dark schemes;
# mark colours have at least 3:1 contrast against both backgrounds.
THEME = {
    "background": "transparent",
    # vl-convert lays out and draws text in the shipped font only, so SVG and PNG come out the same on
    # every machine. A browser lacks it and draws the inline SVG's text in the fonts after it, which
    # have its widths (Arial's; Liberation Sans is Linux's), so text never runs past the picture's edge.
    "font": f"'{CHART_FONT}', Arial, 'Liberation Sans', Helvetica, sans-serif",
    "title": {
        "color": "currentColor",
        "fontSize": 15,
        "fontWeight": 600,
        "anchor": "start",
        "subtitleColor": "currentColor",
        "subtitleFontSize": 12,
        "subtitlePadding": 4,
        "offset": 12,
    },
    "axis": {
        "labelColor": "currentColor",
        "titleColor": "currentColor",
        "domainColor": "currentColor",
        "tickColor": "currentColor",
        "gridColor": "rgba(128,128,128,0.35)",
        "labelFontSize": 12,
        "titleFontSize": 12,
    },
    "legend": {"labelColor": "currentColor", "titleColor": "currentColor", "labelFontSize": 12, "titleFontSize": 12},
    # The first and last labels of a continuous axis sit inside its ends, so they never run into the
    # other axis's labels ("0" and "1 Jan" at the corner).
    "axisQuantitative": {"labelFlush": True},
    "axisTemporal": {"labelFlush": True},
    "header": {"labelColor": "currentColor", "titleColor": "currentColor"},
    "text": {"color": "currentColor"},
    "view": {"stroke": None},
    "range": {"category": ["#3b7dd8", "#d9622b", "#2e9e6b", "#b04fc2", "#9a8a1e", "#d1477a"]},
    "mark": {"color": "#3b7dd8"},
}
LAYOUTS = ("wide", "narrow")
PAIR = 2  # the length of a [name, value] list in JSON
MONTHS_IN_A_YEAR = 12
WIDE_WIDTH, NARROW_WIDTH = 640, 328  # pixels a chart may take: the text column, and a 360 px phone's


@dataclass(frozen=True)
class ChartTable:
    title: str
    columns: tuple[str, ...]  # every column of the data, as the data names them (the CSV download)
    rows: tuple[tuple[Any, ...], ...]  # its data rows, in those columns
    headers: tuple[str, ...]  # the table on the page: its column headings
    cells: tuple[tuple[Any, ...], ...]  # the table on the page: each data row in its columns
    places: tuple[int, ...] = ()  # the table on the page: decimals of each column, the most any of its numbers has


@dataclass(frozen=True)
class RenderedChart:
    id: str
    path: str
    title: str
    description: str
    spec: Spec  # the Vega-Lite spec with the site theme merged in
    svg: str  # standalone SVG as vl-convert wrote it
    reads: tuple[str, ...]  # "fact:<id>" / "dataset:<id>"
    sources: tuple[str, ...]
    tables: tuple[ChartTable, ...]
    rendered: bool  # False when the SVG came from the cache
    narrow_spec: Spec | None = None  # the layout for a phone's width, when the module draws one of its own
    narrow_svg: str = ""


class ChartInputs:
    """What a chart module's chart(facts) receives; it records every fact and dataset read.

    `language` is the language the chart is drawn in ("en-GB", "ru"): a module words its title,
    description and labels for it, and writes figures in its text with number() and date().
    `layout` is the width it is drawn for: "wide" (a column of about WIDE_WIDTH pixels) or "narrow" (a
    phone's, NARROW_WIDTH): each is drawn at build time and the page shows the one that fits, so a
    module draws fewer ticks, shorter labels and direct labels instead of a legend when narrow.
    Colours come from the site's colour system (site.yaml, colors:) through color() and ramp(), and
    words (titles, labels, keys, descriptions) from the chart's words file in its language through `words`."""

    def __init__(
        self,
        facts: dict[str, Fact],
        datasets: dict[str, Dataset],
        language: str = "en",
        colors: dict[str, tuple[Colour, ...]] | None = None,
        layout: str = "wide",
        words: dict[str, Any] | None = None,
        words_file: str = "",
    ) -> None:
        self._facts = facts
        self._datasets = datasets
        self._colors = colors or {}
        self._words = words
        self._words_file = words_file
        self.language = language
        self.layout = layout
        self.narrow = layout == "narrow"
        self.width = NARROW_WIDTH if self.narrow else WIDE_WIDTH
        self.reads: list[str] = []

    @property
    def words(self) -> dict[str, Any]:
        """The chart's words in its language (content/charts/<id>.yaml, or <id>.ru.yaml in Russian): a
        title is words["title"], with figures put in by number() and date()."""
        if self._words is None:
            raise KeyError(f"the chart has no words in {self.language}: write them in {self._words_file}")
        return self._words

    def color(self, name: str) -> str:
        """The colour site.yaml's colors: names so ("#1f4e8c"): the light scheme's, which a dark page repaints."""
        ramp = self._colour_ramp(name)
        if len(ramp) != 1:
            raise KeyError(f'colour "{name}" is a ramp of {len(ramp)} colours: take it with facts.ramp("{name}")')
        return ramp[0].light

    def ramp(self, name: str) -> list[str]:
        """The colours of a ramp in site.yaml's colors:, lowest first."""
        return [colour.light for colour in self._colour_ramp(name)]

    def _colour_ramp(self, name: str) -> tuple[Colour, ...]:
        if name not in self._colors:
            known = ", ".join(sorted(self._colors)[:8]) or "none: add colors: to site.yaml"
            raise KeyError(
                f'no colour "{name}" in site.yaml\'s colors:{did_you_mean(name, self._colors) or f" (it has {known})"}'
            )
        return self._colors[name]

    def lines(self, text: str, pixels: float, font_size: float = 12) -> list[str]:
        """The text broken at spaces into lines that fit `pixels` at `font_size` (a label placed for the
        width: Vega draws a list of lines as one label of several lines)."""
        return wrapped(text, pixels / (font_size * REGULAR_EM))

    def number(self, value: float, decimals: int = 0) -> str:
        """A number as the chart's language writes it: 1,090 (en) or 1 090 (ru)."""
        return format_number(value, self.language, decimals)

    def date(self, iso: str) -> str:
        """A date as the chart's language writes it: 12 March 2023, 12 марта 2023 г."""
        return format_date(iso, self.language)

    def plural(self, number: float, forms: dict[str, str], decimals: int = 0) -> str:
        """The form of a noun that agrees with `number` in the chart's language, by CLDR's plural rules:
        forms by category, e.g. {"one": "регион", "few": "региона", "many": "регионов", "other": "региона"}."""
        return noun_form(forms, number, self.language, decimals)

    def label(self, dataset_id: str, column: str, cell: str) -> str:
        """A text cell of a dataset as the chart's language names it ("Moscow (city)" -> "Москва"):
        rows keep the data's own words, so a chart matches on them and shows them with label()."""
        if dataset_id not in self._datasets:
            raise KeyError(f'unknown dataset "{dataset_id}"{did_you_mean(dataset_id, self._datasets)}')
        labels = self._datasets[dataset_id].labels
        if not labels:  # the site's own language: the name the dataset's entry gives the cell (values:), if any
            return cell_name(self._datasets[dataset_id], column, cell)
        if cell not in labels.get(column, {}):
            raise KeyError(
                f'no {self.language} words for "{cell}" (dataset "{dataset_id}", column "{column}"):'
                f" add it under values: {column}: of the dataset in its words file"
            )
        word: str = labels[column][cell]
        return word

    def _note(self, key: str) -> None:
        if key not in self.reads:
            self.reads.append(key)

    def __getitem__(self, fact_id: str) -> Fact:
        if fact_id not in self._facts:
            raise KeyError(f'unknown fact "{fact_id}"{did_you_mean(fact_id, self._facts)}')
        self._note(f"fact:{fact_id}")
        return self._facts[fact_id]

    def value(self, fact_id: str) -> float | str | None:
        return self[fact_id].value

    def dataset(self, dataset_id: str) -> list[dict[str, Any]]:
        """The dataset's rows, as fresh dicts the chart may change freely."""
        if dataset_id not in self._datasets:
            raise KeyError(f'unknown dataset "{dataset_id}"{did_you_mean(dataset_id, self._datasets)}')
        self._note(f"dataset:{dataset_id}")
        return [dict(row) for row in self._datasets[dataset_id].rows]


# ---- hashing and the cache ---------------------------------------------------------------


def digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def read_digest(key: str, site: Site) -> str | None:
    kind, item_id = key.split(":", 1)
    if kind == "fact":
        fact = site.facts.get(item_id)
        return digest(fact.__dict__) if fact else None
    dataset = site.datasets.get(item_id)
    return digest([dataset.columns, dataset.rows, dataset.labels, dataset.names]) if dataset else None


def module_key(raw: RawChart) -> str:
    """A chart module's source and the engine that runs, themes and checks it (keys.engine_key)."""
    return digest([raw.source, engine_key()])


def words_file(raw: RawChart, site: Site) -> str:
    """The chart's words file in the site's language: content/charts/<id>.yaml, or <id>.ru.yaml for an edition."""
    return raw.path.removesuffix(".py") + (f".{site.language}" if site.prefix else "") + ".yaml"


def chart_inputs(raw: RawChart, site: Site, layout: str) -> ChartInputs:
    """What the chart's module is given to draw `layout` in the site's language."""
    return ChartInputs(
        site.facts,
        site.datasets,
        site.language,
        site.config.colors,
        layout,
        site.chart_words.get(raw.id),
        words_file(raw, site),
    )


def run_cache_path(cache_dir: Path, raw: RawChart, site: Site, layout: str = "wide") -> Path:
    """Where a chart's run is remembered: one file for each language and layout it is drawn in."""
    return cache_dir / "charts" / f"{raw.id}.{site.language}.{layout}.json"


def cached_run(cache_dir: Path, raw: RawChart, site: Site, layout: str = "wide") -> Spec | None:
    """The cached spec and reads when neither the module, the site's colours, the chart's words nor anything
    it read has changed."""
    path = run_cache_path(cache_dir, raw, site, layout)
    try:
        entry = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    shaped = isinstance(entry, dict) and isinstance(entry.get("reads"), list) and isinstance(entry.get("spec"), dict)
    if not shaped or entry.get("module") != module_key(raw) or entry.get("colors") != digest(site.config.colors):
        return None
    if entry.get("words") != digest(site.chart_words.get(raw.id)):
        return None
    if not all(isinstance(pair, list) and len(pair) == PAIR and isinstance(pair[0], str) for pair in entry["reads"]):
        return None
    if any(read_digest(key, site) != value for key, value in entry["reads"]):
        return None
    checked: Spec = entry
    return checked


def store_run(cache_dir: Path, raw: RawChart, site: Site, spec: Spec, reads: list[str], layout: str = "wide") -> None:
    # The reads in the order the chart made them: its caption cites their sources in that order.
    entry = {
        "module": module_key(raw),
        "reads": [[key, read_digest(key, site)] for key in reads],
        "spec": spec,
        "colors": digest(site.config.colors),
        "words": digest(site.chart_words.get(raw.id)),
    }
    write_cache_file(run_cache_path(cache_dir, raw, site, layout), json.dumps(entry, sort_keys=True))


def write_cache_file(path: Path, content: str | bytes) -> bool:
    """Write via a temporary name so a killed build never leaves half a cache entry (the name is the
    process's own: worker processes may write the same entry at once). False when it cannot be
    written (a disk filled during the build): the cache saves time, the build does not need it."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(content if isinstance(content, bytes) else content.encode())
        temporary.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
    return True


def render_cache_path(cache_dir: Path, kind: str, spec: Spec) -> Path:
    return cache_dir / kind / f"{digest([spec, engine_key()])}.{kind}"


@overload
def cached_render(
    cache_dir: Path, kind: Literal["svg"], spec: Spec, render: Callable[[Spec], str]
) -> tuple[str, bool]: ...
@overload
def cached_render(
    cache_dir: Path, kind: Literal["png"], spec: Spec, render: Callable[[Spec], bytes]
) -> tuple[bytes, bool]: ...
def cached_render(
    cache_dir: Path, kind: str, spec: Spec, render: Callable[[Spec], str] | Callable[[Spec], bytes]
) -> tuple[str | bytes, bool]:
    """(output, rendered now?) for an SVG or PNG of `spec`, cached by the hash of the spec and of what
    draws it: the engine, with the tools' versions and the chart font's files (keys.engine_key)."""
    path = render_cache_path(cache_dir, kind, spec)
    if path.exists():
        return (path.read_bytes() if kind == "png" else path.read_text()), False
    output = render(spec)
    write_cache_file(path, output)
    return output, True


@functools.cache
def register_fonts() -> None:
    """Give vl-convert the chart font; once per process, before it draws (svg_of and png_of call this
    first). A forked worker inherits vl-convert's fonts together with this function's memory of them."""
    import vl_convert

    missing = [name for name in FONT_FILES if not (FONT_DIR / name).is_file()]
    if missing:
        raise FileNotFoundError(f"the chart font is missing from {FONT_DIR}: {', '.join(missing)}")
    vl_convert.register_font_directory(str(FONT_DIR.resolve()))


_warming: list[threading.Thread] = []  # the warm-up thread, once started in this process


def warm_up_in_background() -> None:
    """Import Altair and start vl-convert's runtime in a background thread, once per process, so the
    first chart edited in `serve` draws in tens of milliseconds rather than most of a second."""
    if _warming:
        return

    def warm() -> None:
        try:
            import altair  # noqa: F401 - imported for chart modules to find

            svg_of(
                {
                    "mark": "point",
                    "data": {"values": [{"x": 1}]},
                    "encoding": {"x": {"field": "x", "type": "quantitative"}},
                }
            )
        except Exception:
            pass

    thread = threading.Thread(target=warm, name="factsite-chart-warm-up", daemon=True)
    _warming.append(thread)
    thread.start()


def svg_of(spec: Spec) -> str:
    import vl_convert

    register_fonts()
    # No base URL is allowed, so nothing is fetched at build time even if a url slipped past check_spec.
    return vl_convert.vegalite_to_svg(spec, allowed_base_urls=[], **locales_of(spec))


def mapping_at(node: Spec, key: str) -> Spec:
    """node[key] when it is a mapping, else an empty one."""
    value = node.get(key)
    return value if isinstance(value, dict) else {}


def locales_of(spec: Spec) -> Spec:
    """The number and date formats of the chart's language, as with_locale put them in the spec."""
    meta = mapping_at(spec, "usermeta")
    return {
        key: meta[name]
        for key, name in (("format_locale", "formatLocale"), ("time_format_locale", "timeFormatLocale"))
        if isinstance(meta.get(name), dict)
    }


@functools.cache
def d3_locales(language: str) -> tuple[Spec, Spec] | None:
    """d3's number and date formats for a language (vl-convert ships them), or None for English,
    which is d3's own."""
    import vl_convert

    base = language.split("-", maxsplit=1)[0].lower()
    if base == "en":
        return None
    for name in (language, f"{base}-{base.upper()}", base):
        try:
            # (any tag may be asked for: ValueError when vl-convert has no formats for it)
            numbers = vl_convert.get_format_locale(name)  # type: ignore[arg-type]
            dates = vl_convert.get_time_format_locale(name)  # type: ignore[arg-type]
        except ValueError:
            continue
        # d3's short months are cut without a full stop ("5 фев"); CLDR's abbreviations have one
        # where the word is cut ("5 февр.", "5 мая"), as a date's day and month are written.
        months = list(locale_of(language).months["format"]["abbreviated"].values())
        return numbers, {**dates, "shortMonths": months} if len(months) == MONTHS_IN_A_YEAR else dates
    return None


def with_locale(spec: Spec, language: str) -> Spec:
    """The spec with its language's number and date formats in usermeta, where both the build-time
    SVG (svg_of) and the interactive chart (charts.js, Vega's formatLocale) read them."""
    found = d3_locales(language)
    if not found:
        return spec
    meta = mapping_at(spec, "usermeta")
    meta = {**meta, "formatLocale": found[0]}
    if any(
        node.get("type") == "temporal" or node.get("timeUnit") for node in walk(spec)
    ):  # dates shown: their words too
        meta["timeFormatLocale"] = found[1]
    return {**spec, "usermeta": meta}


SHARE_SIZE = (600, 315)  # the share image's size at scale 1; png_of draws it at scale 2, 1200x630 pixels
COMPOSITIONS = ("facet", "repeat", "concat", "hconcat", "vconcat")  # which Vega-Lite cannot fit to a size


def png_of(spec: Spec) -> bytes:
    """The chart as a share image (Open Graph): exactly 1200x630 pixels, on white, the whole chart in it."""
    import vl_convert

    register_fonts()
    width, height = SHARE_SIZE
    on_white = {**spec, "config": {**spec.get("config", {}), "background": "white"}}
    if not any(key in spec for key in COMPOSITIONS):  # one view or layers: laid out anew to fill the image
        on_white.update(width=width, height=height, autosize={"type": "fit", "contains": "padding"})
    svg = vl_convert.vegalite_to_svg(on_white, allowed_base_urls=[], **locales_of(spec))
    return smaller_png(vl_convert.svg_to_png(framed(svg, width, height), scale=2))


def framed(svg: str, width: int, height: int) -> str:
    """Vega's SVG drawn at exactly width x height: a picture of another size is scaled to fit, centred on white."""
    root = re.search(r'<svg\b[^>]*?(\swidth="([\d.]+)" height="([\d.]+)" viewBox="0 0 [\d.]+ [\d.]+")', svg)
    if not root or (float(root[2]), float(root[3])) == (width, height):
        return svg
    scale = min(width / float(root[2]), height / float(root[3]))
    view_width, view_height = round(width / scale, 3), round(height / scale, 3)
    x, y = round((float(root[2]) - view_width) / 2, 3), round((float(root[3]) - view_height) / 2, 3)
    size = f' width="{width}" height="{height}" viewBox="{x} {y} {view_width} {view_height}"'
    paper = f'<rect x="{x}" y="{y}" width="{view_width}" height="{view_height}" fill="white"/>'
    tag_end = svg.index(">", root.end()) + 1
    return svg[: root.start(1)] + size + svg[root.end(1) : tag_end] + paper + svg[tag_end:]


def smaller_png(png: bytes) -> bytes:
    """The same PNG in a tenth of the bytes: vl-convert compresses its pixels for speed, zlib at level 6
    for size (the other chunks are kept as they are). Level 9 saves another 2-3% of a share image's
    bytes at five times the time (0.1 s a chart, two languages' worth in a cold build)."""
    chunks, position = [], 8
    while position < len(png):
        length, kind = struct.unpack_from(">I4s", png, position)
        chunks.append((kind, png[position + 8 : position + 8 + length]))
        position += 12 + length
    # The reference zlib, which CPython uses on Linux, macOS and Windows, deflates the same way everywhere
    # (a Python built on zlib-ng would write other bytes, as valid).
    pixels = zlib.compress(zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT")), 6)
    kept = [(kind, body) for kind, body in chunks if kind not in (b"IDAT", b"IEND")]
    return png[:8] + b"".join(
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        for kind, body in [*kept, (b"IDAT", pixels), (b"IEND", b"")]
    )


USER_CACHE_VARIABLE = "FACTSITE_USER_CACHE"  # a folder for what factsite makes once per machine


def user_cache_dir() -> Path | None:
    """The folder for what is made once per machine and tool version, whatever the site: the one
    FACTSITE_USER_CACHE names, else $XDG_CACHE_HOME/factsite, else ~/.cache/factsite (on Windows,
    %LOCALAPPDATA%\\factsite). None when there is no home folder to put it in."""
    named = os.environ.get(USER_CACHE_VARIABLE)
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    if base:
        return Path(base) / "factsite"
    try:
        return Path.home() / ".cache" / "factsite"
    except RuntimeError:  # no home folder known
        return None


def vega_embed_bundle(cache_dir: Path) -> str:
    """Vega, Vega-Lite and Vega-Embed in one classic script, made offline (vl-convert takes seconds)
    once per vl-convert version: kept in the user cache (user_cache_dir), so a new clone or an empty
    site cache does not make it again; in the site's cache where the user cache cannot be written."""
    name = f"vega-embed-{metadata.version('vl-convert-python')}.js"
    folders = [folder for folder in (user_cache_dir(), cache_dir) if folder is not None]
    for folder in folders:
        if (folder / name).is_file():
            return (folder / name).read_text()
    import vl_convert

    bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # (snippet is optional: the stub is wrong)
    for folder in folders:
        if write_cache_file(folder / name, bundle):
            break  # else not writable: the next folder
    return bundle


# ---- running a chart module -------------------------------------------------------------


def error_line(exc: BaseException, path: str) -> int | None:
    """The deepest line of the chart file in the exception's traceback."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == path]
    if isinstance(exc, SyntaxError) and exc.filename == path:
        return exc.lineno
    return lines[-1] if lines else None


def definition_line(raw: RawChart) -> int | None:
    """The line of `def chart(`, where a problem with what the chart returns is best looked for."""
    match = re.search(r"^def chart\b", raw.source, re.M)
    return raw.source.count("\n", 0, match.start()) + 1 if match else None


def text_line(raw: RawChart, text: str) -> int | None:
    """The line of the chart file holding `text`, else the line of `def chart(`."""
    index = raw.source.find(text)
    return raw.source.count("\n", 0, index) + 1 if index >= 0 else definition_line(raw)


def run_module(raw: RawChart, inputs: ChartInputs) -> Spec:
    """Execute content/charts/<id>.py, call chart(facts), return its Vega-Lite dict.

    Chart modules are Python and run with the builder's rights: reviewers must read them
    (SECURITY.md). Every failure becomes a ContentError naming the chart file.
    """
    import altair

    module = types.ModuleType(f"factsite_chart_{raw.id}")
    module.__file__ = raw.path
    try:
        exec(compile(raw.source, raw.path, "exec"), module.__dict__)
        make_chart = getattr(module, "chart", None)
        if not callable(make_chart):
            raise ContentError(raw.path, None, "chart module must define a function chart(facts)")
        result = make_chart(inputs)
        if not isinstance(result, altair.TopLevelMixin):
            raise ContentError(
                raw.path, definition_line(raw), f"chart(facts) must return an Altair chart, not {type(result).__name__}"
            )
        return result.to_dict()
    except ContentError:
        raise
    except (Exception, SystemExit) as exc:  # the editor's code: report any failure (even exit()) without a traceback
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        raise ContentError(
            raw.path, error_line(exc, raw.path), f"chart failed: {type(exc).__name__}: {message}"
        ) from None


def walk(value: Any) -> Iterator[Spec]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child)


def spec_nodes(value: Any) -> Iterator[Spec]:
    """Every mapping of a spec except rows of inline data, where a "url" column is only data."""
    if isinstance(value, dict):
        yield value
        for key, child in value.items():
            if key not in ("values", "datasets"):
                yield from spec_nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from spec_nodes(child)


def check_spec(spec: Spec, raw: RawChart) -> list[ContentError]:
    """A title, a description, and nothing loaded from an address (data, lookups, images) at any depth."""
    errors = []
    if not chart_title(spec):
        errors.append(
            ContentError(
                raw.path,
                definition_line(raw),
                "chart needs a title: alt.Chart(..., title=...) or .properties(title=...)",
            )
        )
    if not isinstance(spec.get("description"), str) or not spec["description"].strip():
        errors.append(
            ContentError(
                raw.path,
                definition_line(raw),
                "chart needs a description (its text alternative): .properties(description=...)",
            )
        )
    for node in spec_nodes(spec):
        if "url" not in node:
            continue
        address = node["url"]
        if isinstance(address, str):
            errors.append(
                ContentError(
                    raw.path,
                    text_line(raw, address),
                    f'chart loads "{address}": chart data must be inline,'
                    " nothing may load from an address; pass rows from facts.dataset()",
                )
            )
        else:
            errors.append(
                ContentError(
                    raw.path,
                    definition_line(raw),
                    'chart has a "url" encoding, which loads'
                    " pictures from addresses when read; charts must not load anything",
                )
            )
    errors.extend(field_problems(spec, raw))
    errors.extend(table_problems(spec, raw))
    errors.extend(undrawable(spec, raw))
    return errors


def leaves(value: Any) -> Iterator[Any]:
    """Every text and number in a spec, keys too."""
    if isinstance(value, (str, int, float)):
        yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from leaves(key)
            yield from leaves(child)
    elif isinstance(value, list):
        for child in value:
            yield from leaves(child)


def undrawable(spec: Spec, raw: RawChart) -> list[ContentError]:
    """An error for what vl-convert cannot draw nor a table show: a number that is not finite, and
    text holding a character XML cannot hold, which aborts the whole process (a Rust panic, no
    message), so every spec is checked before it is drawn."""
    for leaf in leaves(spec):
        if isinstance(leaf, float) and not math.isfinite(leaf):
            return [
                ContentError(
                    raw.path, definition_line(raw), f"chart data holds {leaf}, which is not a number a chart can draw"
                )
            ]
        character = not_in_xml(leaf) if isinstance(leaf, str) else ""
        if character:
            return [
                ContentError(
                    raw.path,
                    definition_line(raw),
                    f'chart text "{leaf[:60]}" holds the character {character} (a control character),'
                    " which charts cannot draw: remove it from the data or words the chart shows",
                )
            ]
    return []


# ---- fields: every field a chart reads must be in its data ----------------------------------

# Parts of a spec where "field", "test" and datum.x speak of something other than the data's rows
# (an axis label's datum is the tick), or that hold no field at all.
NOT_DATA_FIELDS = ("values", "datasets", "config", "axis", "legend", "header", "scale", "title", "projection")
# Transform keys that name fields the transform reads (besides "field"), and, for the keys that name
# other things in other transforms, the transform they must appear in.
TRANSFORM_READS = {
    "groupby": None,
    "fold": None,
    "flatten": None,
    "pivot": None,
    "lookup": None,
    "impute": None,
    "density": None,
    "regression": None,
    "loess": None,
    "quantile": None,
    "stack": None,
    "on": ("regression", "loess"),
    "value": ("pivot",),
    "key": ("impute",),
    "extent": ("param",),
}
# What a transform adds when it names no "as".
TRANSFORM_DEFAULTS = {"fold": ("key", "value"), "density": ("value", "density"), "quantile": ("prob", "value")}
DATUM_FIELD = re.compile(
    r"""\bdatum\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\])"""
)


def column_of(path: str) -> str:
    """The column a Vega-Lite field path reads: "a.b" and "a[0]" read column "a" (nested values),
    "a\\.b" reads the column "a.b"; a backslash escapes the character after it."""
    quoted = re.match(r"""\[(["'])(.*?)\1\]""", path)
    if quoted:
        return quoted.group(2)
    name, escaped = [], False
    for char in path:
        if escaped:
            name.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ".[":
            break
        else:
            name.append(char)
    return "".join(name)


def inline_tables(spec: Spec) -> list[list[Any]] | None:
    """The rows of every inline dataset in the spec; None when the data cannot be known here: none is
    inline, one is empty (its columns are unknown), or data is generated or is not a list of rows."""
    datasets = spec.get("datasets")
    tables = list(datasets.values()) if isinstance(datasets, dict) else []
    for node in spec_nodes(spec):
        data = node.get("data")
        if not isinstance(data, dict):
            continue
        if "values" in data:
            tables.append(data["values"])
        elif isinstance(data.get("sequence"), dict):
            tables.append([{data["sequence"].get("as", "data"): 0}])
        elif "name" not in data:
            return None  # an address (refused by check_spec), a sphere or a graticule
    if not tables or any(not isinstance(rows, list) or not rows for rows in tables):
        return None
    # Vega-Lite reads a value that is not a mapping as a row {"data": value}.
    return [[row if isinstance(row, dict) else {"data": row} for row in rows] for rows in tables]


def transform_outputs(spec: Spec, rows: list[dict[str, Any]]) -> set[str]:
    """The fields transforms create: every "as" (a bin's or a stack's also with "_end"), the defaults of
    fold, density and quantile, the fields a lookup brings in, and a pivot's new columns."""
    made: set[str] = set()
    for node in spec_nodes(spec):
        transforms = node.get("transform")
        for transform in transforms if isinstance(transforms, list) else []:
            if not isinstance(transform, dict):
                continue
            for step in spec_nodes(transform):
                outputs = step.get("as")
                for name in [outputs] if isinstance(outputs, str) else outputs if isinstance(outputs, list) else []:
                    if isinstance(name, str):
                        made.update((name, f"{name}_end"))
            for kind, defaults in TRANSFORM_DEFAULTS.items():
                if kind in transform and "as" not in transform:
                    made.update(defaults)
            source = transform.get("from")
            if isinstance(source, dict) and isinstance(source.get("fields"), list):
                made.update(name for name in source["fields"] if isinstance(name, str))
            pivot = transform.get("pivot")
            if isinstance(pivot, str):
                made.update(str(row[pivot]) for row in rows if pivot in row)
    return made


def fields_read(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(field as written, column it reads) for every field the spec reads from its data: "field" of
    encodings, sorts, predicates and transform steps, the fields transforms and selections name,
    a repeat's fields, and datum.x in filter and calculate expressions and in conditions' tests."""
    if isinstance(value, list):
        for child in value:
            yield from fields_read(child, key)
    elif isinstance(value, str):
        if key in ("filter", "calculate", "test", "and", "or", "not"):
            yield from datum_fields(value)
    elif isinstance(value, dict):
        yield from fields_named(value, key)
        for child_key, child in value.items():
            if child_key not in NOT_DATA_FIELDS and child_key != "repeat":
                yield from fields_read(child, child_key)


def datum_fields(expression: str) -> Iterator[tuple[str, str]]:
    """(name, name) for each field a Vega expression reads: datum.x, datum["x"] or datum['x']."""
    for match in DATUM_FIELD.finditer(expression):
        name = match.group(1) or re.sub(r"\\(.)", r"\1", match.group(2) or match.group(3) or "")
        if name:
            yield name, name


def fields_named(value: Spec, key: str) -> Iterator[tuple[str, str]]:
    """(field as written, column it reads) for the fields one mapping of the spec (under `key`) names
    itself: its "field", a repeat's lists, and those a transform step, a selection or an aggregate names."""
    field = value.get("field")
    if isinstance(field, str) and field not in ("", "*"):  # "*": count(*)
        yield field, column_of(field)
    named: list[str] = []
    if key == "transform":
        named = [name for name, within in TRANSFORM_READS.items() if within is None or any(w in value for w in within)]
    elif key == "select":
        named = ["fields"]
    elif key == "aggregate":
        named = ["argmax", "argmin"]
    repeated = value.get("repeat")  # a repeat's lists of fields; {"repeat": "row"} in a field is skipped
    if isinstance(repeated, (list, dict)):
        for names in repeated.values() if isinstance(repeated, dict) else [repeated]:
            named_values = names if isinstance(names, list) else []
            yield from ((name, column_of(name)) for name in named_values if isinstance(name, str) and name)
    for name in named:
        written_there = value.get(name)
        listed_names = written_there if isinstance(written_there, list) else [written_there]
        yield from ((written, column_of(written)) for written in listed_names if isinstance(written, str) and written)


def field_line(raw: RawChart, written: str) -> int | None:
    """The line of the chart file that names the field: as a shorthand ("name:Q"), after field= or
    datum., in quotes (not as the id in facts.dataset("name") or facts["name"]), else anywhere."""
    name = re.escape(written)
    doubled = re.escape(written.replace("\\", "\\\\"))  # "a\\.b" in Python source is the field a\.b
    quoted = rf"[\"']({name}|{doubled})"
    patterns = (
        rf"{quoted}:",
        rf"\bfield[\"']?\s*[=:]\s*{quoted}[\"']",
        rf"\bdatum\s*(\.\s*{name}(?![\w$])|\[\s*{quoted}[\"']\s*\])",
        rf"(?<!dataset\()(?<!\[){quoted}[\"']",
        rf"(?<![\w$]){name}(?![\w$])",
    )
    for pattern in patterns:
        match = re.search(pattern, raw.source)
        if match:
            return raw.source.count("\n", 0, match.start()) + 1
    return definition_line(raw)


def field_problems(spec: Spec, raw: RawChart) -> list[ContentError]:
    """A field the chart encodes, sorts, filters or shows that its data does not have draws nothing,
    without a word from Vega-Lite: each is an error naming the nearest column. Skipped when the data
    is not all inline rows (data from an address is refused by check_spec already)."""
    if any("url" in node for node in spec_nodes(spec)):
        return []
    tables = inline_tables(spec)
    if tables is None:
        return []
    rows = [row for table in tables for row in table]
    columns = {str(key) for row in rows for key in row}
    known = columns | transform_outputs(spec, rows)
    errors, reported = [], set()
    for written, name in fields_read(spec):
        if name in known or written in reported:
            continue
        reported.add(written)
        if "." in written and written in known:  # Vega-Lite reads "a.b" as b inside column a
            escaped = written.replace(".", "\\.")
            message = (
                f'chart uses field "{written}", which Vega-Lite reads as a path into a column "{name}"; '
                f'to read the column "{written}", write its dots as \\. ("{escaped}")'
            )
        else:
            hint = did_you_mean(name, known) or f" (its columns: {', '.join(sorted(columns)[:12])})"
            message = f'chart uses field "{written}", which its data does not have{hint}'
        errors.append(ContentError(raw.path, field_line(raw, written), message))
    return errors


def chart_title(spec: Spec) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    return title if isinstance(title, str) else ""


def themed(spec: Spec) -> Spec:
    """The spec with the site theme under the chart's own config (the chart's settings win)."""

    def merge(base: Spec, override: Spec) -> Spec:
        merged = dict(base)
        for key, value in override.items():
            merged[key] = (
                merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
            )
        return merged

    merged: Spec = in_utc({**spec, "config": merge(THEME, spec.get("config", {}))})
    return merged


def in_utc(value: Any) -> Any:
    """The spec with every date read and shown in UTC. Dates in explainers are calendar days
    ("2023-03-12"), which JavaScript reads as midnight UTC: shown in a reader's local time they would
    move to the day before west of Greenwich, and the build's SVG would depend on the machine's zone."""
    if isinstance(value, list):
        return [in_utc(item) for item in value]
    if not isinstance(value, dict):
        return value
    # Rows of inline data are data, whatever their column names ("date", "type"): left as they are.
    node = {key: child if key in ("values", "datasets") else in_utc(child) for key, child in value.items()}
    if node.get("type") == "temporal" and ("field" in node or "datum" in node):
        scale = mapping_at(node, "scale")
        if node.get("scale", {}) is not None:
            node["scale"] = {"type": "utc", **scale}
    unit = node.get("timeUnit")
    if isinstance(unit, str) and not unit.startswith("utc"):
        node["timeUnit"] = "utc" + unit
    elif isinstance(unit, dict) and isinstance(unit.get("unit"), str) and not unit["unit"].startswith("utc"):
        node["timeUnit"] = {**unit, "unit": "utc" + unit["unit"]}
    parts = [node[key] for key in ("year", "month", "date") if key in node]
    if parts and all(isinstance(part, int) for part in parts) and not {"field", "type", "utc"} & node.keys():
        node["utc"] = True  # a DateTime object, as in a filter's equal: or range:
    return node


# ---- tables ---------------------------------------------------------------------------


def field_titles(spec: Spec) -> dict[str, str]:
    return {
        node["field"]: node["title"]
        for node in walk(spec)
        if isinstance(node.get("field"), str) and isinstance(node.get("title"), str)
    }


def table_settings(spec: Spec) -> Spec:
    """The chart's usermeta "table", when it is a mapping: {"columns": [[field, heading], ...], "skip": field}
    (a list, as a spec's mappings lose their order in the chart cache, which keeps keys sorted)."""
    meta = spec.get("usermeta")
    table = meta.get("table") if isinstance(meta, dict) else None
    return table if isinstance(table, dict) else {}


def chart_tables(spec: Spec, title: str) -> tuple[ChartTable, ...]:
    """The chart's inline data as tables, one per dataset. The page's table shows the columns and
    headings the chart's usermeta "table" names, else every column headed by its axis or legend title;
    rows whose "skip" field is true (a group's heading drawn in the chart) are left out of both."""
    datasets = list((spec.get("datasets") or {}).values())
    datasets += [node["values"] for node in walk(spec) if isinstance(node.get("values"), list) and node is not spec]
    titles = field_titles(spec)
    encoded = list(dict.fromkeys(node["field"] for node in walk(spec) if isinstance(node.get("field"), str)))
    settings = table_settings(spec)
    chosen, skip = dict(settings.get("columns") or ()), settings.get("skip")
    tables = []
    for dataset in (d for d in datasets if d and all(isinstance(r, dict) for r in d)):
        rows = [row for row in dataset if not (skip and row.get(skip))]
        present = {key for row in rows for key in row}
        columns = tuple(dict.fromkeys([f for f in encoded if f in present] + sorted(present)))
        shown = [c for c in chosen if c in present] or list(columns)
        tables.append(
            ChartTable(
                title=title,
                columns=columns,
                rows=tuple(tuple(row.get(c) for c in columns) for row in rows),
                headers=tuple(chosen.get(c) or titles.get(c, c) for c in shown),
                cells=tuple(tuple(row.get(c) for c in shown) for row in rows),
                places=tuple(max((decimals(row.get(c)) for row in rows), default=0) for c in shown),
            )
        )
    return tuple(tables)


def decimals(value: Any) -> int:
    """The decimals a number of the data has (12.5: 1; 48.0 and 48: 0); 0 for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    return fraction_digits(value, 10)


def table_problems(spec: Spec, raw: RawChart) -> list[ContentError]:
    """usermeta "table" must name columns the data has, each with a heading, and a "skip" column it has."""
    if "table" not in mapping_at(spec, "usermeta"):
        return []
    settings, where = table_settings(spec), definition_line(raw)
    shape = (
        'usermeta "table" must be {"columns": [("field", "Heading"), ...]} (the data table\'s columns, in order),'
        ' with "skip": "field" to leave out rows where that field is true'
    )
    columns, skip = settings.get("columns"), settings.get("skip")
    pairs = (
        isinstance(columns, list)
        and columns
        and all(
            isinstance(pair, list)
            and len(pair) == PAIR
            and all(isinstance(part, str) and part.strip() for part in pair)
            for pair in columns
        )
    )
    if not pairs or not (skip is None or isinstance(skip, str)) or set(settings) - {"columns", "skip"}:
        return [ContentError(raw.path, where, shape)]
    tables = inline_tables(spec) or []
    known = {str(key) for rows in tables for row in rows for key in row}
    return [
        ContentError(
            raw.path,
            field_line(raw, name),
            f'usermeta "table" names the column "{name}", which the chart\'s data'
            f" does not have{did_you_mean(name, known)}",
        )
        for name in [*(field for field, _ in columns or []), *([skip] if skip else [])]
        if tables and name not in known
    ]


def chart_sources(reads: list[str], site: Site) -> tuple[str, ...]:
    found: list[str] = []
    for key in reads:
        kind, item_id = key.split(":", 1)
        found.extend(site.facts[item_id].sources if kind == "fact" else site.datasets[item_id].sources)
    return tuple(dict.fromkeys(found))


# ---- the chart step of the render stage ---------------------------------------------------


def drawing_error(exc: ValueError) -> str:
    """vl-convert's reason for failing, without its JavaScript stack."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = next((line for line in lines if line.startswith("Error")), lines[0] if lines else "unknown error")
    return f"chart cannot be drawn: {reason}"


MARK_GROUP = re.compile(r'<g class="([^"]*)"([^>]*)>')


def draws_marks(svg: str) -> bool:
    """True when some data mark in Vega's SVG has an item: Vega writes each mark as a group classed
    `mark-<type> role-mark <name>` (axes, legends, titles and frames have other roles), empty as <g .../>.
    An interval selection's brush is a mark of its own, drawn without data, so it does not count."""
    for match in MARK_GROUP.finditer(svg):
        classes = match.group(1).split()
        if "role-mark" not in classes or any(c.endswith(("_brush", "_brush_bg")) for c in classes):
            continue
        if not match.group(2).endswith("/") and not svg.startswith("</g>", match.end()):
            return True
    return False


def layout_spec(
    raw: RawChart, site: Site, cache_dir: Path, layout: str, cached_only: bool
) -> tuple[Spec, list[str]] | None:
    """The chart's checked spec for one layout and what it read, from the cache or run now (None with
    `cached_only` when it would have to run)."""
    entry = cached_run(cache_dir, raw, site, layout)
    if cached_only and not entry:
        return None
    if entry:
        spec, reads = entry["spec"], [key for key, _ in entry["reads"]]
    else:
        inputs = chart_inputs(raw, site, layout)
        spec, reads = (
            with_locale(themed(typeset_spec(run_module(raw, inputs), site.language)), site.language),
            inputs.reads,
        )
        # In the key order the cache keeps (sorted), so a spec run now and one from the cache are the same
        # in every respect, down to the order of the columns of its CSV.
        spec = json.loads(json.dumps(spec, sort_keys=True))
        # Titles broken for the layout's width, and the chart made to fit it: a phone's column or a wide one.
        width = NARROW_WIDTH if layout == "narrow" else WIDE_WIDTH
        spec = fitted(with_titles_wrapped(spec, width), width)
    problems = check_spec(spec, raw)  # also for a cached spec: the cache folder is not trusted to be clean
    if problems:
        raise ContentErrors(problems)
    if not entry:
        store_run(cache_dir, raw, site, spec, reads, layout)
    return spec, reads


# Average widths of the chart font's letters, in ems, with room to spare: a title's (bold) and other text's.
BOLD_EM, REGULAR_EM = 0.6, 0.56


def wrapped(text: str | list[str], width: float) -> list[str]:
    """Text broken into lines of at most `width` characters at spaces (lines given stay lines)."""
    lines: list[str] = []
    for given in [text] if isinstance(text, str) else text:
        line = ""
        for word in str(given).split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def with_titles_wrapped(spec: Spec, width: int) -> Spec:
    """The spec with its title and subtitle broken into lines that fit `width` pixels (a narrow layout:
    Vega-Lite does not break titles, and a title wider than the chart widens the picture)."""
    title = spec.get("title")
    if not isinstance(title, dict):
        title = {"text": title} if title else None
    if not title:
        return spec
    config = spec.get("config", {}).get("title", {})
    size, subsize = config.get("fontSize", 15), config.get("subtitleFontSize", 12)
    lines = {"text": wrapped(title["text"], width / (size * BOLD_EM))}
    if title.get("subtitle"):
        lines["subtitle"] = wrapped(title["subtitle"], width / (subsize * REGULAR_EM))
    given = {key: [title[key]] if isinstance(title[key], str) else title[key] for key in lines}
    if lines == given:  # it fits as it is: the spec is left as the module wrote it
        return spec
    return {**spec, "title": {**title, **lines}}


def fitted(spec: Spec, width: int) -> Spec:
    """A single or layered view made exactly `width` pixels wide, axes and padding included (Vega-Lite's
    autosize "fit-x"), so that a phone shows it at its own size, not scaled down. A spec that sets its
    own autosize, combines views (which Vega-Lite cannot fit) or takes its height from its bands
    ({"step": ...}, which Vega-Lite fits only with a warning) is left as it is: its module sizes it
    for facts.width."""
    if "autosize" in spec or any(key in spec for key in COMPOSITIONS) or isinstance(spec.get("height"), dict):
        return spec
    return {**spec, "width": width, "autosize": {"type": "fit-x", "contains": "padding"}}


def source_line(source_ids: tuple[str, ...], site: Site) -> str:
    """ "Sources: Ukraine's General Staff; Petro Ivaniuk" in the chart's language; "" without sources.
    Semicolons between them: a publisher's name may hold a comma ("Ukraine's General Staff, report of ...")."""
    if not source_ids:
        return ""
    words = catalog(site.language, str(Path(site.root) / "locales"))
    publishers = dict.fromkeys(
        site.sources[source_id].publisher for source_id in source_ids if source_id in site.sources
    )
    return f"{words.ngettext('Source', 'Sources', len(publishers))}: {'; '.join(publishers)}"


def source_note(source_ids: tuple[str, ...], site: Site) -> list[str]:
    """The lines a chart's CSV download ends with, in the chart's language: its source line as on the
    chart, then each source's publisher, title, address and licence. In the file itself, so they travel
    with it (a separate notes file is left behind when the CSV is passed on): below the data, after an
    empty row, each line one cell starting with "#", which a spreadsheet shows as text under the table
    and never as a formula; the header stays the first row, so a program reads the data to the empty row."""
    line = source_line(source_ids, site)
    if not line:
        return []
    words = catalog(site.language, str(Path(site.root) / "locales"))
    notes = [f"# {line}"]
    for source in (site.sources[source_id] for source_id in source_ids if source_id in site.sources):
        terms = (
            words.gettext("No licence stated.")
            if source.license == NO_LICENSE
            else f"{words.gettext('Licence')}: {', '.join(filter(None, (source.license, source.license_url)))}"
            if source.license
            else ""
        )
        notes.append("# " + "; ".join(filter(None, (f"{source.publisher}: {source.title}", source.url, terms))))
    return notes


def with_source_line(spec: Spec, line: str, width: int) -> Spec:
    """The spec with its source line as the subtitle's last lines, broken for `width` pixels."""
    if not line:
        return spec
    given = spec.get("title")
    title = given if isinstance(given, dict) else {"text": spec.get("title", "")}
    subtitle = title.get("subtitle") or []
    size = spec.get("config", {}).get("title", {}).get("subtitleFontSize", 12)
    lines = ([subtitle] if isinstance(subtitle, str) else list(subtitle)) + wrapped(line, width / (size * REGULAR_EM))
    return {**spec, "title": {**title, "subtitle": lines}}


def drawn(raw: RawChart, spec: Spec, cache_dir: Path) -> tuple[str, bool]:
    """The spec's SVG (and whether it was drawn now), refused when it draws nothing."""
    try:
        svg, rendered = cached_render(cache_dir, "svg", spec, svg_of)
    except ValueError as exc:
        raise ContentError(raw.path, definition_line(raw), drawing_error(exc)) from None
    if not draws_marks(svg):
        raise ContentError(raw.path, definition_line(raw), "chart draws no marks: its data is empty or filtered away")
    return svg, rendered


def render_chart(raw: RawChart, site: Site, cache_dir: Path, cached_only: bool = False) -> RenderedChart | None:
    """The chart, run and drawn in each layout, or taken from the cache. With `cached_only`, None when the
    module would have to run or vl-convert to draw (for a worker process to do). A module that draws the
    same chart for both widths has no narrow layout."""
    wide_layout, narrow_layout = (layout_spec(raw, site, cache_dir, layout, cached_only) for layout in LAYOUTS)
    if wide_layout is None or narrow_layout is None:
        return None
    (spec, reads), (narrow_spec, narrow_reads) = wide_layout, narrow_layout
    narrow = narrow_spec if narrow_spec != spec else None
    # The source line goes on the chart itself (and so into its SVG, PNG and embed); made here, not cached
    # with the spec, as it follows the sources' entries, which a chart's cache does not watch.
    line = source_line(chart_sources(list(dict.fromkeys(reads + narrow_reads)), site), site)
    spec = with_source_line(spec, line, WIDE_WIDTH)
    narrow = with_source_line(narrow, line, NARROW_WIDTH) if narrow else None
    specs = [spec, narrow] if narrow else [spec]
    if cached_only and not all(render_cache_path(cache_dir, "svg", each).exists() for each in specs):
        return None
    (svg, rendered), *narrow_drawn = [drawn(raw, each, cache_dir) for each in specs]
    title = chart_title(spec)
    return RenderedChart(
        id=raw.id,
        path=raw.path,
        title=title,
        description=spec["description"].strip(),
        spec=spec,
        svg=svg,
        reads=tuple(dict.fromkeys(reads + narrow_reads)),
        sources=chart_sources(list(dict.fromkeys(reads + narrow_reads)), site),
        tables=chart_tables(spec, title),
        rendered=rendered or any(now for _, now in narrow_drawn),
        narrow_spec=narrow,
        narrow_svg=narrow_drawn[0][0] if narrow_drawn else "",
    )


def for_workers(site: Site) -> Site:
    """What a chart needs of the site (facts, datasets, the language), to send to worker processes."""
    return dataclasses.replace(
        site, pages=(), editions={}, versions={}, static_files=(), corrections=(), statements={}, charts={}
    )


def render_in_worker(
    raw: RawChart, site: Site, cache_dir: Path, share: frozenset[str]
) -> RenderedChart | list[tuple[str, int | None, str, int | None]]:
    """In a worker process: render_drawn; problems come back as (path, line, message, col) tuples."""
    try:
        return render_drawn(raw, site, cache_dir, share)
    except (ContentError, ContentErrors) as failure:
        return as_values(failure)


def render_drawn(raw: RawChart, site: Site, cache_dir: Path, share: frozenset[str]) -> RenderedChart:
    """render_chart, and the PNG image (png_of) of a chart in `share` drawn into the cache with it, by
    whichever process makes the chart (the files stage takes it from there)."""
    chart = render_chart(raw, site, cache_dir)
    assert chart is not None  # (render_chart gives None only when it may use the cache alone)
    if raw.id in share:
        cached_render(cache_dir, "png", chart.spec, png_of)
    return chart


def inline_svg(svg: str, chart_id: str, label: str) -> str:
    """The SVG made fit to sit in a page: one accessible image, ids unique to this chart."""
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    prefix = f"chart-{chart_id}-"
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    svg = with_mark_names(svg)
    # Inner ARIA from Vega is hidden anyway under role="img"; removing it keeps the markup valid.
    svg = re.sub(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"', "", svg)
    svg, font = slimmed(svg)
    font_attribute = f' font-family="{font}"' if font else ""
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false"{font_attribute} ', 1)


DESCRIBED_ITEM = re.compile(r'<(\w+) aria-label="([^":]*)" role="graphics-symbol" aria-roledescription="[^"]*? mark"')


def with_mark_names(svg: str) -> str:
    """The SVG with the first item of each name that a mark's description channel gives (a tile of the
    regions map) named by data-name, which assets/tables.js links with the data table's row of that name.
    Vega names every other item by its fields ("Region: Tuva; ..."), which is no name: those are left."""
    seen: set[str] = set()

    def named(match: re.Match[str]) -> str:
        name = match.group(2)
        if name in seen:
            return match.group(0)
        seen.add(name)
        return f'<{match.group(1)} data-name="{name}"'

    return DESCRIBED_ITEM.sub(named, svg)


GEOMETRY = re.compile(r'\s(?:d|transform|x|y|x1|x2|y1|y2|width|height)="[^"]*"')


# A group of a mark's items, each an element without children: the items of one mark, or an axis's labels.
MARK_ITEMS = re.compile(
    r'(<g class="mark-[^"]*")>((?:<(?:path|text|line|rect|circle)\b[^<>]*(?:/>|>[^<]*</(?:text)>))+)</g>'
)
INHERITED = ("fill", "stroke", "stroke-width", "font-size", "font-weight", "text-anchor")  # properties children inherit


def hoisted(match: re.Match[str]) -> str:
    """A mark's group with each inherited attribute that all its items share said once, on the group."""
    items = match.group(2)
    count = len(re.findall(r"<(?:path|text|line|rect|circle)\b", items))
    shared = []
    tags = re.findall(r"<[^/][^>]*>", items)  # the items' start tags (their words are left alone)
    for name in INHERITED:
        values = [found for tag in tags for found in re.findall(rf'\s{name}="([^"]*)"', tag)]
        if count > 1 and len(values) == count and len(set(values)) == 1:
            shared.append(f' {name}="{values[0]}"')
            items = re.sub(r"<[^/][^>]*>", lambda tag: tag.group(0).replace(shared[-1], ""), items)
            tags = re.findall(r"<[^/][^>]*>", items)
    return f"{match.group(1)}{''.join(shared)}>{items}</g>"


def slimmed(svg: str) -> tuple[str, str | None]:
    """The SVG with the same drawing in fewer bytes (pages stay under their size budget), and the font
    family that most text used, for the caller to set once on the root (text elements inherit it)."""
    # Hundredths of a pixel are finer than any screen shows.
    svg = GEOMETRY.sub(lambda m: re.sub(r"(\.\d\d)\d+", r"\1", m.group(0)), svg)
    # The defaults, and pointer events, which nothing in a still picture listens to.
    svg = re.sub(r'\s(?:opacity="1"|pointer-events="none")', "", svg)
    # More defaults (a stroke 1 wide, text anchored at its start, no move) and the empty frames Vega draws.
    svg = re.sub(r'\s(?:stroke-width="1"|text-anchor="start"|transform="translate\(0,0\)")', "", svg)
    svg = svg.replace('<path class="background" d="M0,0h0v0h0Z"/>', "").replace(
        '<path class="foreground" d="" display="none"/>', ""
    )
    svg = MARK_ITEMS.sub(hoisted, svg)
    sizes = Counter(re.findall(r'\sfont-size="([^"]*)"', svg)).most_common(1)
    if sizes:  # the most common size said once, on the root, which text inherits
        svg = svg.replace(f' font-size="{sizes[0][0]}"', "").replace("<svg ", f'<svg font-size="{sizes[0][0]}" ', 1)
    fonts = Counter(re.findall(r'\sfont-family="([^"]*)"', svg)).most_common(1)
    if not fonts:
        return svg, None
    font = fonts[0][0]
    return svg.replace(f' font-family="{font}"', ""), font
