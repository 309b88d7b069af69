"""The colour system (site.yaml colors:): checked with file:line errors, given to chart modules and to the
theme, and every chart's colours kept apart for readers with the common colour-vision deficiencies and
in greyscale.

Thresholds, in CAM02-UCS (colorspacious), whose unit is about one just-noticeable difference between
large patches side by side. Chart marks are small (bars of 8-14 px, 2 px ticks, 18 px tiles), stand
apart, and are matched against a key or a caption, which takes several times more (Stone, Szafir and
Setlur, "An Engineering Model for Color Difference as a Function of Size", 2014). So two categories of
one chart must stay MIN_DISTANCE apart in full colour and as simulated for deuteranomaly, protanomaly
and tritanomaly at full severity (the dichromacies), and MIN_LIGHTNESS apart in lightness alone (J'),
which is what greyscale print and achromatic vision keep: "the lighter bar" must be visibly lighter.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from colorspacious import cspace_convert
from conftest import PROJECT, chart_specs, edit, run_captured

from factsite.colors import Colour, stylesheet, validate_colors
from factsite.safe_yaml import parse_yaml

MIN_DISTANCE = 12.0  # CAM02-UCS ΔE' between two categories, in colour and under each simulated deficiency
MIN_LIGHTNESS = 10.0  # CAM02-UCS ΔJ' between two categories: what greyscale keeps
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")
CATEGORY_CHANNELS = ("color", "fill")
MARKS_WITH_AREA = ("bar", "rect", "point", "tick", "area", "circle", "square", "line")


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def seen(colour: str, deficiency: str | None = None) -> np.ndarray:
    """The colour in CAM02-UCS, as a reader with the deficiency (at full severity) sees it."""
    value = rgb(colour)
    if deficiency:
        value = np.clip(
            cspace_convert(value, {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}, "sRGB1"), 0, 1
        )
    return cspace_convert(value, "sRGB1", "CAM02-UCS")


def site_colours() -> dict[str, tuple[Colour, ...]]:
    colours, errors = validate_colors(parse_yaml((PROJECT / "site.yaml").read_text(), "site.yaml"), "site.yaml")
    assert not errors
    return colours


def walk(value):
    if isinstance(value, dict):
        yield value
        for key, child in value.items():
            if key not in ("values", "datasets", "config"):
                yield from walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child)


def categories(spec: dict) -> set[str]:
    """The colours a chart tells categories apart by: its colour scales' ranges, and the constant colour of
    each filled data mark that no colour scale paints (text, rules and see-through marks are not categories)."""
    found: set[str] = set()
    for node in walk(spec):
        encoding = node.get("encoding") if isinstance(node.get("encoding"), dict) else {}
        scaled = False
        for channel in CATEGORY_CHANNELS:
            scale = (encoding.get(channel) or {}).get("scale") if isinstance(encoding.get(channel), dict) else None
            if isinstance(scale, dict) and isinstance(scale.get("range"), list):
                found.update(c.lower() for c in scale["range"] if isinstance(c, str) and c.startswith("#"))
                scaled = True
        mark = node.get("mark")
        if isinstance(mark, dict) and mark.get("type") in MARKS_WITH_AREA and not scaled:
            if mark.get("fillOpacity", 1) < 1 or mark.get("opacity", 1) < 1:
                continue
            colour = mark.get("fill") or mark.get("color")
            if isinstance(colour, str) and colour.startswith("#"):
                found.add(colour.lower())
    return found


def built_specs(folder: Path) -> dict[str, dict]:
    """Every layout's spec of every chart the build published ("<id>" and "<id> (narrow)")."""
    specs = {}
    for path in sorted((folder / "charts").glob("*.vl.json")):
        chart_id = path.name.removesuffix(".vl.json")
        specs[chart_id] = json.loads(path.read_text())
    for path in sorted((folder / "charts").glob("*.spec.js")):
        chart_id = path.name.removesuffix(".spec.js")
        _, narrow = chart_specs(folder, chart_id)
        if narrow is not None:
            specs[f"{chart_id} (narrow)"] = narrow
    return specs


def too_close(colours: set[str], dark_of: dict[str, str]) -> list[str]:
    """Each pair of the colours, on a light page and on a dark one, that some reader cannot tell apart."""
    problems = []
    for scheme in ("light", "dark"):
        shown = sorted({dark_of.get(c, c) if scheme == "dark" else c for c in colours})
        for first, second in itertools.combinations(shown, 2):
            lightness = abs(seen(first)[0] - seen(second)[0])
            if lightness < MIN_LIGHTNESS:
                problems.append(f"{scheme}: {first} and {second} differ by {lightness:.1f} in lightness (greyscale)")
            for deficiency in (None, *DEFICIENCIES):
                distance = float(np.linalg.norm(seen(first, deficiency) - seen(second, deficiency)))
                if distance < MIN_DISTANCE:
                    problems.append(
                        f"{scheme}: {first} and {second} are {distance:.1f} apart for "
                        f"{deficiency or 'full colour vision'}"
                    )
    return problems


def test_every_chart_tells_its_categories_apart_for_every_reader(built_explainer):
    dark_of = {colour.light: colour.dark for ramp in site_colours().values() for colour in ramp}
    specs = built_specs(built_explainer)
    assert len(specs) >= 7
    problems = {chart_id: too_close(categories(spec), dark_of) for chart_id, spec in specs.items()}
    assert sum(len(categories(spec)) >= 2 for spec in specs.values()) >= 5, (
        "too few charts with categories: the check checks little"
    )
    assert not {chart_id: found for chart_id, found in problems.items() if found}


def test_the_check_finds_the_colours_the_issue_reported():
    """The daily chart's old orange and green (1.08:1 in luminance), and its old blue and orange bars
    (the district chart's, of almost equal lightness), fail; a light and a dark blue pass."""
    assert too_close({"#d9622b", "#2e9e6b"}, {})
    assert too_close({"#6e92bf", "#d9622b"}, {})
    assert not too_close({"#7fa7d6", "#1a4277"}, {})


def test_categories_are_read_from_scales_and_filled_marks():
    spec = {
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {"color": {"field": "k", "scale": {"range": ["#111111", "#EEEEEE"]}}},
            },
            {"mark": {"type": "tick", "color": "#777777"}},
            {"mark": {"type": "rect", "fill": "#123456", "fillOpacity": 0.15}},
            {"mark": {"type": "text", "color": "#abcdef"}},
        ]
    }
    assert categories(spec) == {"#111111", "#eeeeee", "#777777"}


def test_no_chart_module_types_a_colour():
    """Chart modules take colours from site.yaml (facts.color, facts.ramp), never as hex codes of their own."""
    typed = {
        path.name: re.findall(r"[\"']#[0-9a-fA-F]{3,8}[\"']", path.read_text())
        for path in (PROJECT / "content" / "charts").glob("*.py")
    }
    assert typed and not {name: codes for name, codes in typed.items() if codes}


def test_the_theme_gets_each_colour_as_a_custom_property_in_each_scheme(built_explainer):
    css = (built_explainer / "css" / "colors.css").read_text()
    assert "--color-ukraine-general-staff:#1f4e8c;" in css
    light, dark = css.split("@media")
    assert "--color-ukraine-general-staff:#6f9fd8;" in dark and "--color-ukraine-general-staff:#6f9fd8;" not in light
    assert '.chart svg [fill="#1f4e8c"]{fill:#6f9fd8}' in dark  # the charts' marks repainted on a dark page
    assert "--color-times-moscow-5:#6e1230;" in light
    assert 'href="css/colors.css"' in (built_explainer / "index.html").read_text()


def test_stylesheet_leaves_colours_that_are_the_same_in_both_schemes_alone():
    css = stylesheet({"outline": (Colour("#777777", "#777777"),)})
    assert "--color-outline:#777777;" in css and "[fill=" not in css


def test_chart_modules_get_colours_through_the_facts_api(site, capsys):
    """facts.color() gives the light colour; an unknown name fails the chart with a suggestion."""
    (site / "site.yaml").write_text(
        (site / "site.yaml").read_text() + 'colors:\n  charts:\n    highlight: {light: "#1F4E8C", dark: "#6f9fd8"}\n'
    )
    chart = site / "content" / "charts" / "rises.py"
    source = chart.read_text()
    edit(
        chart,
        "def chart(facts):\n",
        "def chart(facts):\n    assert facts.color('highlight') == '#1f4e8c'\n    facts.color('hihglight')\n",
    )
    outcome = run_captured(capsys, "check", "--site", str(site))
    assert outcome.code == 1
    [error] = outcome.errors
    assert error["path"].endswith("rises.py") and error["line"] == str(
        source.count("\n", 0, source.index("def chart(")) + 3
    )
    assert 'no colour "hihglight"' in error["message"] and 'did you mean "highlight"' in error["message"]


@pytest.mark.parametrize(
    ("colors", "line", "message"),
    [
        ('colors:\n  charts:\n    highlight: "#12345"\n', 9, "must be a colour"),
        ('colors:\n  charts:\n    highlight: {light: "#123456"}\n', 9, "must be a colour"),
        ('colors:\n  kinds:\n    claims: "#123456"\n', 9, "not a kind of figure"),
        ('colors:\n  a:\n    x: "#123456"\n  b:\n    x: "#654321"\n', 11, "unique across groups"),
        ('colors:\n  a:\n    Big: "#123456"\n', 9, "lower case"),
        ("colors: [1]\n", 7, "must be a mapping"),
        (
            'colors:\n  a:\n    x: {light: "#123456", dark: "#000000"}\n    y: {light: "#123456", dark: "#ffffff"}\n',
            10,
            "share the light colour",
        ),
    ],
)
def test_a_bad_colour_is_refused_at_its_line(site, capsys, colors, line, message):
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + colors)
    outcome = run_captured(capsys, "check", "--site", str(site))
    assert outcome.code == 1
    [error] = outcome.errors
    assert error["path"].endswith("site.yaml") and error["line"] == str(line) and message in error["message"], (
        error.group(0)
    )
