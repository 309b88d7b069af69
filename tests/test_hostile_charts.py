"""Chart modules that fail, return the wrong thing, lack a description or load from an address."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import CHART_CACHE, run_captured, write

from factsite.charts import digest, module_key
from factsite.model import RawChart

GOOD_END = '.properties(title="T", description="D")'


def chart_errors(capsys, site, source: str, **run_options) -> list:
    """Replace the fixture's rises chart with `source`; the build must fail on that file alone."""
    write(site, "content/charts/rises.py", source)
    outcome = run_captured(capsys, "build", "--site", str(site), **run_options)
    assert outcome.code == 1, outcome.stderr
    errors = outcome.errors
    assert errors and all(e["path"].endswith("content/charts/rises.py") for e in errors), outcome.stderr
    assert not (site / "_site").exists()
    return errors


def test_module_that_raises_reports_file_line_and_exception(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        """\
        import altair as alt


        def chart(facts):
            raise ValueError("the numbers do not add up")
        """,
    )
    assert error["line"] == "5"
    assert error["message"] == "chart failed: ValueError: the numbers do not add up"


def test_exception_deep_in_a_helper_points_at_the_deepest_chart_line(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        """\
        def helper(rows):
            return rows[10]


        def chart(facts):
            return helper(facts.dataset("rises"))
        """,
    )
    assert error["line"] == "2" and "IndexError" in error["message"]


def test_syntax_error_in_a_module(site, capsys):
    [error] = chart_errors(capsys, site, "def chart(facts)\n    return 1\n")
    assert error["line"] == "1" and error["message"].startswith("chart failed: SyntaxError")


def test_module_that_exits_is_a_failure_not_a_silent_success(site, capsys):
    [error] = chart_errors(capsys, site, "import sys\n\n\ndef chart(facts):\n    sys.exit(0)\n")
    assert error["line"] == "5" and "SystemExit" in error["message"]


@pytest.mark.parametrize("returned, kind", [("{'mark': 'bar'}", "dict"), ("None", "NoneType"), ('"<svg/>"', "str")])
def test_module_returning_something_other_than_an_altair_chart(site, capsys, returned, kind):
    [error] = chart_errors(capsys, site, f"import altair as alt\n\n\ndef chart(facts):\n    return {returned}\n")
    assert error["line"] == "4"
    assert error["message"] == f"chart(facts) must return an Altair chart, not {kind}"


def test_module_without_a_chart_function(site, capsys):
    [error] = chart_errors(capsys, site, "import altair as alt\n\nchart = 3\n")
    assert "must define a function chart(facts)" in error["message"]


def test_chart_without_a_description(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        """\
        import altair as alt


        def chart(facts):
            return alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(x="a:Q").properties(title="T")
        """,
    )
    assert error["line"] == "4" and "chart needs a description" in error["message"]


def test_chart_without_a_title(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        """\
        import altair as alt


        def chart(facts):
            return alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(x="a:Q").properties(description="D")
        """,
    )
    assert error["line"] == "4" and "chart needs a title" in error["message"]


@pytest.mark.parametrize(
    "body, address",
    [
        ('alt.Chart("https://evil.example/data.csv").mark_bar().encode(x="a:Q")', "https://evil.example/data.csv"),
        ('alt.Chart(alt.UrlData(url="data/local.csv")).mark_bar().encode(x="a:Q")', "data/local.csv"),
        (
            'alt.layer(alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(x="a:Q"),\n'
            '                     alt.Chart(alt.Data(url="https://evil.example/x.json")).mark_point().encode(x="a:Q"))',
            "https://evil.example/x.json",
        ),
        (
            'alt.Chart(alt.Data(values=[{"a": 1}])).mark_bar().encode(x="a:Q", y="b:Q").transform_lookup(\n'
            '        lookup="a", from_=alt.LookupData(data=alt.UrlData("https://evil.example/b.csv"), key="a", '
            'fields=["b"]))',
            "https://evil.example/b.csv",
        ),
        (
            'alt.Chart(alt.Data(values=[{"a": 1}])).mark_image(url="https://evil.example/pic.png").encode(x="a:Q")',
            "https://evil.example/pic.png",
        ),
    ],
)
def test_chart_loading_from_an_address_is_refused_at_any_depth(site, capsys, body, address):
    errors = chart_errors(capsys, site, f"import altair as alt\n\n\ndef chart(facts):\n    return {body}{GOOD_END}\n")
    [error] = [e for e in errors if address in e["message"]]
    assert error["line"] == str(5 + body[: body.index(address)].count("\n"))
    assert "chart data must be inline, nothing may load from an address" in error["message"]


def test_image_mark_with_a_url_encoding_is_refused(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            rows = [{{"a": 1, "pic": "https://evil.example/p.png"}}]
            return alt.Chart(alt.Data(values=rows)).mark_image().encode(x="a:Q", url="pic:N"){GOOD_END}
        """,
    )
    assert error["line"] == "4" and 'has a "url" encoding' in error["message"]


def test_a_url_column_in_inline_data_is_only_data(site, capsys):
    write(
        site,
        "content/charts/rises.py",
        f"""\
        import altair as alt


        def chart(facts):
            rows = [{{"name": "a", "n": 1, "url": "https://example.org/a"}}]
            return alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="name:N", y="n:Q", href="url:N"){GOOD_END}
        """,
    )
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 0, outcome.stderr


def test_chart_vega_cannot_draw_names_the_chart(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            rows = [{{"a": 1}}]
            bars = alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="a:Q", y="b:Q")
            return bars.transform_calculate(b="datum.a +"){GOOD_END}
        """,
    )
    assert error["line"] == "4" and error["message"].startswith("chart cannot be drawn: Error")
    assert "https://" not in error["message"]  # no JavaScript stack


def test_a_poisoned_cache_entry_is_checked_like_a_fresh_run(site, capsys, tmp_path):
    """A spec planted in the cache folder (say, committed by a pull request) is still checked."""
    cache = tmp_path / "cache"
    if CHART_CACHE.is_dir():
        shutil.copytree(CHART_CACHE, cache)
    source = (site / "content/charts/rises.py").read_text()
    planted = {
        "$schema": "x",
        "title": "T",
        "description": "D",
        "mark": "bar",
        "data": {"url": "https://evil.example/d.csv"},
    }
    entry = {
        "module": module_key(RawChart("rises", "unused", source)),
        "reads": [],
        "spec": planted,
        "colors": digest({}),
        "words": digest(None),  # the fixture's chart has no words file
    }
    (cache / "charts").mkdir(parents=True, exist_ok=True)
    (cache / "charts/rises.en.wide.json").write_text(json.dumps(entry))
    outcome = run_captured(capsys, "build", "--site", str(site), cache=cache)
    assert outcome.code == 1
    [error] = outcome.errors
    assert error["path"].endswith("content/charts/rises.py") and "https://evil.example/d.csv" in error["message"]
