"""Charts: run each chart module, check its spec, render SVG with vl-convert, cache by hash.

A chart whose module source and the facts and datasets it read last time are unchanged is
taken from the cache without importing Altair; an unchanged spec costs no vl-convert call.
"""
from __future__ import annotations

import hashlib
import json
import re
import traceback
import types
from collections import Counter
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

from markupsafe import escape

from .errors import ContentError, ContentErrors, did_you_mean
from .model import Dataset, Fact, RawChart, Site

# Text and axes take the page's colour (currentColor), so one SVG reads in light and dark schemes;
# mark colours have at least 3:1 contrast against both backgrounds.
THEME = {
    "background": "transparent",
    # Fonts with Arial's widths everywhere (Liberation Sans is Linux's): vl-convert lays the still
    # picture out with them, so a browser draws its text the same width and never past the edge.
    "font": "Arial, 'Liberation Sans', Helvetica, sans-serif",
    "title": {"color": "currentColor", "fontSize": 15, "fontWeight": 600, "anchor": "start", "subtitleColor": "currentColor"},
    "axis": {
        "labelColor": "currentColor",
        "titleColor": "currentColor",
        "domainColor": "currentColor",
        "tickColor": "currentColor",
        "gridColor": "rgba(128,128,128,0.35)",
        "labelFontSize": 12,
        "titleFontSize": 12,
    },
    "legend": {"labelColor": "currentColor", "titleColor": "currentColor", "labelFontSize": 12},
    "header": {"labelColor": "currentColor", "titleColor": "currentColor"},
    "text": {"color": "currentColor"},
    "view": {"stroke": None},
    "range": {"category": ["#3b7dd8", "#d9622b", "#2e9e6b", "#b04fc2", "#9a8a1e", "#d1477a"]},
    "mark": {"color": "#3b7dd8"},
}
CACHE_FORMAT = 1


@dataclass(frozen=True)
class ChartTable:
    title: str
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class RenderedChart:
    id: str
    path: str
    title: str
    description: str
    spec: dict  # the Vega-Lite spec with the site theme merged in
    svg: str  # standalone SVG as vl-convert wrote it
    reads: tuple[str, ...]  # "fact:<id>" / "dataset:<id>"
    sources: tuple[str, ...]
    tables: tuple[ChartTable, ...]
    rendered: bool  # False when the SVG came from the cache


class ChartInputs:
    """What a chart module's chart(facts) receives; it records every fact and dataset read."""

    def __init__(self, facts: dict[str, Fact], datasets: dict[str, Dataset]):
        self._facts = facts
        self._datasets = datasets
        self.reads: list[str] = []

    def _note(self, key: str) -> None:
        if key not in self.reads:
            self.reads.append(key)

    def __getitem__(self, fact_id: str) -> Fact:
        if fact_id not in self._facts:
            raise KeyError(f'unknown fact "{fact_id}"{did_you_mean(fact_id, self._facts)}')
        self._note(f"fact:{fact_id}")
        return self._facts[fact_id]

    def value(self, fact_id: str) -> float:
        return self[fact_id].value

    def dataset(self, dataset_id: str) -> list[dict]:
        """The dataset's rows, as fresh dicts the chart may change freely."""
        if dataset_id not in self._datasets:
            raise KeyError(f'unknown dataset "{dataset_id}"{did_you_mean(dataset_id, self._datasets)}')
        self._note(f"dataset:{dataset_id}")
        return [dict(row) for row in self._datasets[dataset_id].rows]


# ---- hashing and the cache ---------------------------------------------------------------


def digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def tool_versions() -> str:
    """Versions that change rendering; read from metadata so Altair need not be imported."""
    return " ".join(f"{name}={metadata.version(name)}" for name in ("altair", "vl-convert-python"))


def read_digest(key: str, site: Site) -> str | None:
    kind, item_id = key.split(":", 1)
    table = site.facts if kind == "fact" else site.datasets
    item = table.get(item_id)
    return digest(item.__dict__ if kind == "fact" else [item.columns, item.rows]) if item else None


def module_key(raw: RawChart) -> str:
    return digest([CACHE_FORMAT, raw.source, THEME, tool_versions()])


def cached_run(cache_dir: Path, raw: RawChart, site: Site) -> dict | None:
    """The cached spec and reads when neither the module nor anything it read has changed."""
    path = cache_dir / "charts" / f"{raw.id}.json"
    try:
        entry = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    shaped = isinstance(entry, dict) and isinstance(entry.get("reads"), dict) and isinstance(entry.get("spec"), dict)
    if not shaped or entry.get("module") != module_key(raw):
        return None
    if any(read_digest(key, site) != value for key, value in entry["reads"].items()):
        return None
    return entry


def store_run(cache_dir: Path, raw: RawChart, site: Site, spec: dict, reads: list[str]) -> None:
    entry = {"module": module_key(raw), "reads": {key: read_digest(key, site) for key in reads}, "spec": spec}
    write_cache_file(cache_dir / "charts" / f"{raw.id}.json", json.dumps(entry, sort_keys=True))


def write_cache_file(path: Path, content: str | bytes) -> None:
    """Write via a temporary name so a killed build never leaves half a cache entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(content if isinstance(content, bytes) else content.encode())
    temporary.replace(path)


def cached_render(cache_dir: Path, kind: str, spec: dict, render) -> tuple[Any, bool]:
    """(output, rendered now?) for an SVG or PNG of `spec`, cached by the spec's hash."""
    path = cache_dir / kind / f"{digest([spec, tool_versions()])}.{kind}"
    if path.exists():
        return (path.read_bytes() if kind == "png" else path.read_text()), False
    output = render(spec)
    write_cache_file(path, output)
    return output, True


def svg_of(spec: dict) -> str:
    import vl_convert

    # No base URL is allowed, so nothing is fetched at build time even if a url slipped past check_spec.
    return vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])


def png_of(spec: dict) -> bytes:
    import vl_convert

    on_white = {**spec, "config": {**spec.get("config", {}), "background": "white"}}
    return vl_convert.vegalite_to_png(on_white, scale=2, allowed_base_urls=[])


def vega_embed_bundle(cache_dir: Path) -> str:
    """Vega, Vega-Lite and Vega-Embed in one classic script, made offline once per vl-convert version."""
    path = cache_dir / f"vega-embed-{metadata.version('vl-convert-python')}.js"
    if path.exists():
        return path.read_text()
    import vl_convert

    bundle = vl_convert.javascript_bundle()
    write_cache_file(path, bundle)
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


def run_module(raw: RawChart, inputs: ChartInputs) -> dict:
    """Execute content/charts/<id>.py, call chart(facts), return its Vega-Lite dict.

    Chart modules are Python and run with the builder's rights: reviewers must read them
    (SECURITY.md). Every failure becomes a ContentError naming the chart file.
    """
    import altair

    module = types.ModuleType(f"factsite_chart_{raw.id}")
    module.__file__ = raw.path
    try:
        exec(compile(raw.source, raw.path, "exec"), module.__dict__)  # noqa: S102 - chart modules are code by design
        make_chart = getattr(module, "chart", None)
        if not callable(make_chart):
            raise ContentError(raw.path, None, "chart module must define a function chart(facts)")
        result = make_chart(inputs)
        if not isinstance(result, altair.TopLevelMixin):
            raise ContentError(raw.path, definition_line(raw),
                               f"chart(facts) must return an Altair chart, not {type(result).__name__}")
        return result.to_dict()
    except ContentError:
        raise
    except (Exception, SystemExit) as exc:  # the editor's code: report any failure (even exit()) without a traceback
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        raise ContentError(raw.path, error_line(exc, raw.path), f"chart failed: {type(exc).__name__}: {message}") from None


def walk(value: Any) -> Iterator[dict]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child)


def spec_nodes(value: Any) -> Iterator[dict]:
    """Every mapping of a spec except rows of inline data, where a "url" column is only data."""
    if isinstance(value, dict):
        yield value
        for key, child in value.items():
            if key not in ("values", "datasets"):
                yield from spec_nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from spec_nodes(child)


def check_spec(spec: dict, raw: RawChart) -> list[ContentError]:
    """A title, a description, and nothing loaded from an address (data, lookups, images) at any depth."""
    errors = []
    if not chart_title(spec):
        errors.append(ContentError(raw.path, definition_line(raw),
                                   "chart needs a title: alt.Chart(..., title=...) or .properties(title=...)"))
    if not isinstance(spec.get("description"), str) or not spec["description"].strip():
        errors.append(ContentError(raw.path, definition_line(raw),
                                   "chart needs a description (its text alternative): .properties(description=...)"))
    for node in spec_nodes(spec):
        if "url" not in node:
            continue
        address = node["url"]
        if isinstance(address, str):
            errors.append(ContentError(raw.path, text_line(raw, address), f'chart loads "{address}": chart data must be inline,'
                                       " nothing may load from an address; pass rows from facts.dataset()"))
        else:
            errors.append(ContentError(raw.path, definition_line(raw), 'chart has a "url" encoding, which loads'
                                       " pictures from addresses when read; charts must not load anything"))
    return errors


def chart_title(spec: dict) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    return title if isinstance(title, str) else ""


def themed(spec: dict) -> dict:
    """The spec with the site theme under the chart's own config (the chart's settings win)."""

    def merge(base: dict, override: dict) -> dict:
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
        return merged

    return {**spec, "config": merge(THEME, spec.get("config", {}))}


# ---- tables ---------------------------------------------------------------------------


def field_titles(spec: dict) -> dict[str, str]:
    return {
        node["field"]: node["title"]
        for node in walk(spec)
        if isinstance(node.get("field"), str) and isinstance(node.get("title"), str)
    }


def chart_tables(spec: dict, title: str) -> tuple[ChartTable, ...]:
    """The chart's inline data as tables, one per dataset, with axis titles as headers."""
    datasets = list((spec.get("datasets") or {}).values())
    datasets += [node["values"] for node in walk(spec) if isinstance(node.get("values"), list) and node is not spec]
    titles = field_titles(spec)
    encoded = list(dict.fromkeys(node["field"] for node in walk(spec) if isinstance(node.get("field"), str)))
    tables = []
    for number, rows in enumerate(d for d in datasets if d and all(isinstance(r, dict) for r in d)):
        present = {key for row in rows for key in row}
        columns = tuple(dict.fromkeys([f for f in encoded if f in present] + sorted(present)))
        tables.append(
            ChartTable(
                title=f"Data for: {title}" + (f" (table {number + 1})" if number else ""),
                columns=columns,
                headers=tuple(titles.get(c, c) for c in columns),
                rows=tuple(tuple(row.get(c) for c in columns) for row in rows),
            )
        )
    return tuple(tables)


def chart_sources(reads: list[str], site: Site) -> tuple[str, ...]:
    found = []
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


def render_chart(raw: RawChart, site: Site, cache_dir: Path) -> RenderedChart:
    entry = cached_run(cache_dir, raw, site)
    if entry:
        spec, reads = entry["spec"], list(entry["reads"])
    else:
        inputs = ChartInputs(site.facts, site.datasets)
        spec, reads = themed(run_module(raw, inputs)), inputs.reads
    problems = check_spec(spec, raw)  # also for a cached spec: the cache folder is not trusted to be clean
    if problems:
        raise ContentErrors(problems)
    if not entry:
        store_run(cache_dir, raw, site, spec, reads)
    try:
        svg, rendered = cached_render(cache_dir, "svg", spec, svg_of)
    except ValueError as exc:
        raise ContentError(raw.path, definition_line(raw), drawing_error(exc)) from None
    title = chart_title(spec)
    return RenderedChart(
        id=raw.id,
        path=raw.path,
        title=title,
        description=spec["description"].strip(),
        spec=spec,
        svg=svg,
        reads=tuple(reads),
        sources=chart_sources(reads, site),
        tables=chart_tables(spec, title),
        rendered=rendered,
    )


def inline_svg(svg: str, chart_id: str, label: str) -> str:
    """The SVG made fit to sit in a page: one accessible image, ids unique to this chart."""
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    prefix = f"chart-{chart_id}-"
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    # Inner ARIA from Vega is hidden anyway under role="img"; removing it keeps the markup valid.
    svg = re.sub(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"', "", svg)
    svg, font = slimmed(svg)
    font_attribute = f' font-family="{font}"' if font else ""
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false"{font_attribute} ', 1)


GEOMETRY = re.compile(r'\s(?:d|transform|x|y|x1|x2|y1|y2|width|height)="[^"]*"')


def slimmed(svg: str) -> tuple[str, str | None]:
    """The SVG with the same drawing in fewer bytes (pages stay under their size budget), and the font
    family that most text used, for the caller to set once on the root (text elements inherit it)."""
    # Hundredths of a pixel are finer than any screen shows.
    svg = GEOMETRY.sub(lambda m: re.sub(r"(\.\d\d)\d+", r"\1", m.group(0)), svg)
    # The defaults, and pointer events, which nothing in a still picture listens to.
    svg = re.sub(r'\s(?:opacity="1"|pointer-events="none")', "", svg)
    fonts = Counter(re.findall(r'\sfont-family="([^"]*)"', svg)).most_common(1)
    if not fonts:
        return svg, None
    font = fonts[0][0]
    return svg.replace(f' font-family="{font}"', ""), font
