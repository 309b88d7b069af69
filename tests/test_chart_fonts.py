"""Chart pictures are the same bytes on any machine: vl-convert sets their text in the font shipped in
factsite/assets/fonts, never in a font the machine has; and the share image is 1200x630 and small."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT

from factsite import charts, keys

SHARE_PIXELS = (1200, 630)
SHARE_BYTES = 200_000

# A chart with text of both weights: title (600), axis labels and titles, legend, bold text marks.
SPEC = {
    "title": "Rises by month, with the largest named",
    "description": "Bar chart of three monthly rises.",
    "data": {
        "values": [
            {"month": "January", "rise": 720, "kind": "Other"},
            {"month": "February", "rise": 1140, "kind": "Named"},
            {"month": "March", "rise": 1090, "kind": "Named"},
        ]
    },
    "layer": [
        {
            "mark": "bar",
            "encoding": {
                "x": {"field": "month", "type": "nominal", "title": "Month of the report"},
                "y": {"field": "rise", "type": "quantitative", "title": "Rise in the count"},
                "color": {"field": "kind", "type": "nominal", "title": "Rise"},
            },
        },
        {
            "mark": {"type": "text", "dy": -7, "fontWeight": "bold"},
            "encoding": {
                "x": {"field": "month", "type": "nominal"},
                "y": {"field": "rise", "type": "quantitative"},
                "text": {"field": "rise", "type": "quantitative", "format": ","},
            },
        },
    ],
    "width": 260,
    "height": 160,
}
# The fonts the theme named before the shipped font: with these, the machine's fonts decide.
MACHINE_FONTS = "Arial, 'Liberation Sans', Helvetica, sans-serif"
RENDER = """
import hashlib, json, sys
from factsite import charts, keys
spec = charts.themed(json.loads(sys.argv[1]))
with_machine_fonts = {**spec, "config": {**spec["config"], "font": sys.argv[2]}}
hashes = {}
for name, chart in (("theme", spec), ("machine fonts", with_machine_fonts)):
    svg, png = charts.svg_of(chart).encode(), charts.png_of(chart)
    hashes[name] = [hashlib.sha256(svg).hexdigest(), hashlib.sha256(png).hexdigest()]
print(json.dumps(hashes))
"""


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The PNG's chunks, each checked against its CRC."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = [], 8
    while position < len(png):
        length, kind = struct.unpack_from(">I4s", png, position)
        body = png[position + 8 : position + 8 + length]
        assert struct.unpack_from(">I", png, position + 8 + length)[0] == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        position += 12 + length
    return chunks


def png_pixels(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking that the pixel data is whole (8-bit RGBA)."""
    chunks = png_chunks(png)
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (depth, colour) == (8, 6)
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (width * 4 + 1)
    return width, height


def font_names(data: bytes) -> tuple[str, int]:
    """(family name, weight) of a TrueType font, as vl-convert's font database reads them."""
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag] = data[offset : offset + length]
    name, family = tables[b"name"], None
    records, strings = struct.unpack_from(">H", name, 2)[0], struct.unpack_from(">H", name, 4)[0]
    for index in range(records):
        platform, _, language, name_id, length, offset = struct.unpack_from(">6H", name, 6 + 12 * index)
        if (platform, language, name_id) == (3, 0x409, 1):
            family = name[strings + offset : strings + offset + length].decode("utf-16-be")
    return family, struct.unpack_from(">H", tables[b"OS/2"], 4)[0]


def impostor(data: bytes, family: str, weight: int) -> bytes:
    """The font under another family name and weight (its name table rewritten, its OS/2 weight set)."""
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag] = data[offset : offset + length]
    strings = {1: family, 2: "Regular", 4: family, 6: family.replace(" ", "")}
    records, pool = b"", b""
    for name_id, text in strings.items():
        encoded = text.encode("utf-16-be")
        records += struct.pack(">6H", 3, 1, 0x409, name_id, len(encoded), len(pool))
        pool += encoded
    tables[b"name"] = struct.pack(">3H", 0, len(strings), 6 + len(records)) + records + pool
    tables[b"OS/2"] = tables[b"OS/2"][:4] + struct.pack(">H", weight) + tables[b"OS/2"][6:]
    directory, body, start = b"", b"", 12 + 16 * count
    for tag in sorted(tables):
        padded = tables[tag] + b"\0" * (-len(tables[tag]) % 4)
        checksum = sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF
        directory += struct.pack(">4sIII", tag, checksum, start + len(body), len(tables[tag]))
        body += padded
    return data[:12] + directory + body


def fontconfig_file(folder: Path, fonts: Path) -> Path:
    """A fontconfig file whose only font folder is `fonts`: the machine's own fonts are not seen."""
    fonts.mkdir(parents=True, exist_ok=True)
    path = folder / f"{fonts.name}.conf"
    path.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{fonts}</dir></fontconfig>\n')
    return path


def rendered(font_config: Path | None) -> dict:
    """Hashes of svg_of and png_of for SPEC in a fresh process that finds fonts as `font_config` says."""
    env = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
    if font_config:
        env["FONTCONFIG_FILE"] = str(font_config)
    result = subprocess.run(
        [sys.executable, "-c", RENDER, json.dumps(SPEC), MACHINE_FONTS],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_share_image_is_1200_by_630_and_at_most_200_kb(built_explainer):
    share_chart = yaml.safe_load((PROJECT / "site.yaml").read_text(encoding="utf-8"))["share_chart"]
    png = (built_explainer / "charts" / f"{share_chart}.png").read_bytes()
    assert png_pixels(png) == SHARE_PIXELS
    assert len(png) <= SHARE_BYTES, f"share image is {len(png):,} bytes"


def test_a_chart_vega_lite_cannot_fit_still_makes_a_1200_by_630_share_image():
    view = {
        "mark": "bar",
        "width": 300,
        "height": 300,
        "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
    }
    spec = charts.themed(
        {
            "title": "Side by side",
            "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 2}]},
            "hconcat": [view, view, view],
        }
    )
    png = charts.png_of(spec)
    assert png_pixels(png) == SHARE_PIXELS
    assert len(png) <= SHARE_BYTES


def test_the_theme_sets_text_in_the_shipped_font_then_in_fonts_of_its_widths():
    families = [name.strip().strip("'") for name in charts.THEME["font"].split(",")]
    assert families == [charts.CHART_FONT, "Arial", "Liberation Sans", "Helvetica", "sans-serif"]
    faces = {font_names((charts.FONT_DIR / name).read_bytes()) for name in charts.FONT_FILES}
    assert faces == {(charts.CHART_FONT, 400), (charts.CHART_FONT, 700)}  # a title's weight 600 takes the 700
    assert (charts.FONT_DIR / "OFL.txt").is_file()  # the licence travels with the font


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="vl-convert reads FONTCONFIG_FILE on Linux only")
def test_chart_pictures_do_not_depend_on_the_machines_fonts(tmp_path):
    # Fonts a machine may have under the names the theme falls back on, each with the other weight's
    # shapes, so any text drawn in one of them comes out different.
    impostors = tmp_path / "impostors"
    impostors.mkdir()
    regular, bold = ((charts.FONT_DIR / name).read_bytes() for name in charts.FONT_FILES)
    for family in ("Arial", "Liberation Sans", "Helvetica"):
        (impostors / f"{family}-400.ttf").write_bytes(impostor(bold, family, 400))
        (impostors / f"{family}-700.ttf").write_bytes(impostor(regular, family, 700))
    machines = {
        "this machine's fonts": rendered(None),
        "no fonts at all": rendered(fontconfig_file(tmp_path, tmp_path / "none")),
        "other fonts of the same names": rendered(fontconfig_file(tmp_path, impostors)),
    }
    # The fonts given reach vl-convert: with the fonts named before the shipped one, pictures change.
    assert machines["no fonts at all"]["machine fonts"] != machines["other fonts of the same names"]["machine fonts"]
    pictures = {machine: hashes["theme"] for machine, hashes in machines.items()}
    differing = [machine for machine, hashes in pictures.items() if hashes != pictures["no fonts at all"]]
    assert not differing, f"the SVG or PNG (hashes: {pictures}) is not the same with {' nor with '.join(differing)}"


def test_the_chart_cache_knows_the_font(tmp_path, monkeypatch):
    calls = []

    def render(spec):
        calls.append(spec)
        return "<svg/>"

    charts.cached_render(tmp_path / "cache", "svg", SPEC, render)
    charts.cached_render(tmp_path / "cache", "svg", SPEC, render)
    assert len(calls) == 1
    package = tmp_path / "factsite"
    shutil.copytree(keys.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in charts.FONT_FILES:
        font = package / "assets" / "fonts" / name
        font.write_bytes(font.read_bytes() + b"\0")
    monkeypatch.setattr(charts, "engine_key", lambda: keys.engine_key_of(package))
    charts.cached_render(tmp_path / "cache", "svg", SPEC, render)
    assert len(calls) == 2
