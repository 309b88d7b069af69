"""The regions' tile map: every region has a tile of its own, annexed territory sits apart, each tile's
label reads on its colour, and the map's data CSV holds every region with its tile position."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from pathlib import Path

import pytest

from factsite.load import load_table

PROJECT = Path(__file__).resolve().parent.parent
TILES = PROJECT / "content" / "data" / "region_tiles.csv"
REGIONS = PROJECT / "content" / "data" / "regional_deaths.csv"
ANNEXED = "Crimea (annexed by Russia in 2014)"


def records(path: Path) -> list[dict]:
    """The rows of a CSV of content/data as the build reads it (comment lines left out)."""
    table = load_table(path)
    return [dict(zip(table.header, row, strict=True)) for row in table.rows]


def chart_module():
    spec = importlib.util.spec_from_file_location("regions_map", PROJECT / "content" / "charts" / "regions_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiles() -> dict[str, tuple[int, int]]:
    rows = records(TILES)
    codes = [row["iso_code"] for row in rows]
    assert len(codes) == len(set(codes)), f"a region has two tiles: {sorted(c for c in codes if codes.count(c) > 1)}"
    return {row["iso_code"]: (int(row["row"]), int(row["col"])) for row in rows}


def test_every_region_has_a_tile_and_no_two_share_one(tiles):
    regions = {row["iso_code"] for row in records(REGIONS)}
    assert regions - tiles.keys() == set(), "regions without a tile"
    assert tiles.keys() - regions == set(), "tiles for codes the regional data does not have"
    taken: dict[tuple[int, int], str] = {}
    for code, place in tiles.items():
        assert place[0] >= 0 and place[1] >= 0, f"{code}: row and column count from 0"
        assert place not in taken, f"{code} and {taken.get(place)} share the tile at row {place[0]}, column {place[1]}"
        taken[place] = code


def test_the_grid_is_the_usual_size(tiles):
    """Rows north to south, columns west to east: a grid of about 8 or 9 rows and 16 to 18 columns."""
    rows = max(row for row, _ in tiles.values()) + 1
    columns = max(col for _, col in tiles.values()) + 1
    assert 8 <= rows <= 10 and 15 <= columns <= 18, (rows, columns)


def test_annexed_territory_is_set_apart(tiles):
    """Crimea and Sevastopol touch no tile of Russia's regions, not even at a corner."""
    annexed = {row["iso_code"] for row in records(REGIONS) if row["federal_district"] == ANNEXED}
    assert len(annexed) == 2
    for code in annexed:
        row, col = tiles[code]
        near = {
            other for other, (r, c) in tiles.items() if other not in annexed and abs(r - row) <= 1 and abs(c - col) <= 1
        }
        assert not near, f"{code} touches {near}"


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def site_colours() -> dict:
    from factsite.colors import validate_colors
    from factsite.safe_yaml import parse_yaml

    colours, errors = validate_colors(parse_yaml((PROJECT / "site.yaml").read_text(), "site.yaml"), "site.yaml")
    assert not errors
    return colours


def test_the_ramp_runs_away_from_the_page_and_each_ink_reads_on_its_step():
    """A sequential ramp: on a light page each step darker than the one before, on a dark page each
    lighter (the highest stand out in both schemes); each step's label ink has 4.5:1 or more on it."""
    module, colours = chart_module(), site_colours()
    ramp = colours["times_moscow"]
    assert len(ramp) == len(module.STEPS) + 1
    light = [luminance(step.light) for step in ramp]
    dark = [luminance(step.dark) for step in ramp]
    assert light == sorted(light, reverse=True) and dark == sorted(dark)
    pale, strong = colours["ink_on_pale"][0], colours["ink_on_strong"][0]
    for number, step in enumerate(ramp):
        ink = strong if number >= module.STRONG_FROM else pale
        assert contrast(ink.light, step.light) >= 4.5, step
        assert contrast(ink.dark, step.dark) >= 4.5, step


def test_the_built_map_draws_each_label_in_the_ink_of_its_tile(built_explainer):
    """In the build-time SVG, each label sits on a tile and has 4.5:1 or more on that tile's fill."""
    for folder in (built_explainer, built_explainer / "ru"):
        svg = (folder / "charts" / "regions_map.svg").read_text()
        svg = svg[svg.index("role-mark layer_0_marks") : svg.index("role-legend")]  # the tiles, then their labels
        squares = [
            (float(x), float(y), float(size), fill)
            for x, y, size, fill in re.findall(
                r'<path [^>]*\bd="M([\d.]+),([\d.]+)h([\d.]+)v[\d.]+h-[\d.]+Z" fill="(#[0-9a-f]+)"', svg
            )
        ]
        # A name of two lines is one <text> of two <tspan>s.
        labels = [
            (x, y, ink, re.sub(r"<[^>]+>", " ", words))
            for x, y, ink, words in re.findall(
                r'<text [^>]*\btransform="translate\(([\d.]+),([\d.]+)\)"[^>]* fill="(#[0-9a-f]+)"[^>]*>(.*?)</text>',
                svg,
                re.S,
            )
        ]
        assert len(squares) == len(labels) == len(records(REGIONS)), (len(squares), len(labels))
        for x, y, ink, code in labels:
            under = [
                fill
                for left, top, size, fill in squares
                if left <= float(x) <= left + size and top <= float(y) <= top + size
            ]
            assert len(under) == 1, f"{code}: not on one tile"
            assert contrast(ink, under[0]) >= 4.5, f"{code}: {ink} on {under[0]}"


@pytest.mark.parametrize("language", ["", "ru/"])
def test_the_map_data_csv_holds_every_region_with_its_tile(built_explainer, tiles, language):
    text = (built_explainer / language / "charts" / "regions_map.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text.split("\n\n")[0])))  # the data, up to the source note
    assert {"region", "iso_code", "row", "col"} <= set(rows[0])
    assert sorted(row["iso_code"] for row in rows) == sorted(tiles)
    for row in rows:
        assert (int(row["row"]), int(row["col"])) == tiles[row["iso_code"]], row["iso_code"]
