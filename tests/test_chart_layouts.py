"""Charts drawn for the width: a wide and a narrow layout at build time, both in the page, the narrow
spec carrying only what differs from the wide one; titles broken for the width; the source on the chart."""

from __future__ import annotations

import json
import re

from conftest import chart_specs

from factsite.charts import NARROW_WIDTH, fitted, source_line, with_source_line, with_titles_wrapped
from factsite.render_html import SAME_PARTS, SHARED_DATA, without_shared_data


def resolved(narrow: dict, wide: dict) -> dict:
    """The narrow spec as charts.js rebuilds it from the page (shownSpec, inlineRows)."""
    found: list = []

    def inline_rows(node) -> None:
        if isinstance(node, list):
            for child in node:
                inline_rows(child)
        elif isinstance(node, dict):
            if isinstance(node.get("data"), dict) and "values" in node["data"]:
                found.append(node["data"]["values"])
            for child in node.values():
                inline_rows(child)

    inline_rows(json.loads(json.dumps(wide, sort_keys=True)))
    spec = dict(narrow)
    spec["datasets"] = {
        **{f"{SHARED_DATA}{n}": rows for n, rows in enumerate(found)},
        **wide.get("datasets", {}),
        **spec.get("datasets", {}),
    }
    for key in spec.pop(SAME_PARTS, []):
        spec[key] = wide[key]
    return spec


def test_the_narrow_spec_in_the_page_leaves_out_what_the_wide_one_has():
    rows = [{"a": 1}, {"a": 2}]
    wide = {"config": {"x": 1}, "description": "D", "width": 640, "layer": [{"data": {"values": rows}, "mark": "bar"}]}
    narrow = {
        "config": {"x": 1},
        "description": "D",
        "width": 328,
        "layer": [{"data": {"values": rows}, "mark": "bar"}, {"data": {"values": [{"b": 1}]}, "mark": "text"}],
    }
    light = without_shared_data(narrow, wide)
    assert "config" not in light and "description" not in light and light[SAME_PARTS] == ["config", "description"]
    assert light["layer"][0]["data"] == {"name": f"{SHARED_DATA}0"} and light["layer"][1]["data"]["values"] == [
        {"b": 1}
    ]
    rebuilt = resolved(light, wide)
    assert rebuilt["datasets"][f"{SHARED_DATA}0"] == rows and rebuilt["width"] == 328 and rebuilt["config"] == {"x": 1}


def test_every_chart_of_the_explainer_is_in_the_page_in_both_layouts(built_explainer):
    for page in ("regions.html", "ru/regions.html", "record.html"):
        html = (built_explainer / page).read_text()
        figures = re.findall(r'<figure class="chart" data-chart="([^"]+)".*?</figure>', html, re.S)
        assert figures
        for chart_id in figures:
            figure = re.search(rf'<figure class="chart" data-chart="{chart_id}".*?</figure>', html, re.S).group(0)
            assert re.search(r'<div class="chart-static chart-layouts"><svg [^>]*role="img"', figure), chart_id
            narrow_svg = re.search(r'<div class="chart-narrow"><svg [^>]*\bwidth="([\d.]+)"', figure)
            assert narrow_svg and float(narrow_svg.group(1)) <= NARROW_WIDTH, chart_id  # a phone shows it at its size
            wide, narrow = chart_specs(built_explainer / page.rpartition("/")[0], chart_id)
            rebuilt = resolved(narrow, wide)
            assert rebuilt["width"] <= NARROW_WIDTH and rebuilt["description"] == wide["description"], chart_id
            assert SAME_PARTS not in rebuilt


def test_titles_are_broken_for_the_width_and_left_alone_where_they_fit():
    spec = {"title": "A short title", "mark": "bar"}
    assert with_titles_wrapped(spec, 640) is spec
    long = {
        "title": {"text": "Only 7 of 21 eastern regions reach the UK's 30 times Moscow's rate", "subtitle": "x " * 60}
    }
    wrapped = with_titles_wrapped(long, NARROW_WIDTH)["title"]
    assert len(wrapped["text"]) == 2 and len(wrapped["subtitle"]) >= 2
    assert " ".join(wrapped["text"]) == long["title"]["text"]


def test_a_single_view_is_fitted_to_the_width_and_a_combined_one_left_alone():
    assert fitted({"mark": "bar", "width": 600}, 328) == {
        "mark": "bar",
        "width": 328,
        "autosize": {"type": "fit-x", "contains": "padding"},
    }
    assert fitted({"vconcat": [], "width": 600}, 328) == {"vconcat": [], "width": 600}
    assert fitted({"mark": "bar", "autosize": "pad"}, 328) == {"mark": "bar", "autosize": "pad"}


def test_the_source_line_is_on_the_chart_in_its_language(built_explainer):
    english = json.loads((built_explainer / "charts" / "gs_daily_q1_2023.vl.json").read_text())
    russian = json.loads((built_explainer / "ru" / "charts" / "gs_daily_q1_2023.vl.json").read_text())
    assert english["title"]["subtitle"][-2].startswith("Sources: Ukraine's General Staff")
    # one publisher from the next by a semicolon: a publisher's name may hold a comma
    assert "; Petro Ivaniuk;" in " ".join(english["title"]["subtitle"])
    assert any(line.startswith("Источники: ") for line in russian["title"]["subtitle"])
    assert "Sources: Ukraine" in (built_explainer / "charts" / "gs_daily_q1_2023.svg").read_text()
    assert source_line((), None) == "" and with_source_line({"title": "T"}, "", 640) == {"title": "T"}
    assert with_source_line({"title": "T"}, "Source: X", 640)["title"] == {"text": "T", "subtitle": ["Source: X"]}
