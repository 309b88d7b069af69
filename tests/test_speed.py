"""Speed without changing the output: worker processes, the prose memo, hard links, the chart cache."""

import json
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run
from factsite import charts, keys, prose, safe_yaml
from factsite.errors import ContentError
from factsite.render import id_counts
from factsite.sanitize import start_tags


def output(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def add_pages(site: Path, count: int) -> None:
    """`count` more pages, each with figures and a chart, so work splits into several chunks."""
    body = (site / "content/second.md").read_text()
    for number in range(count):
        (site / f"content/extra_{number}.md").write_text(
            body.replace("Second page", f"Extra page {number}") + f"\nLine {number}.\n"
        )


@pytest.fixture
def big_site(site):
    add_pages(site, 24)
    return site


def build_with_jobs(site: Path, out: Path, cache: Path, jobs: int) -> dict:
    assert run("build", "--site", str(site), "--out", str(out), "--jobs", str(jobs), "-q", cache=cache) == 0
    return output(out)


def test_build_with_worker_processes_equals_build_in_one_process(big_site, tmp_path):
    serial = build_with_jobs(big_site, tmp_path / "serial", tmp_path / "c1", 1)
    pooled = build_with_jobs(big_site, tmp_path / "pool", tmp_path / "c2", 2)
    assert len(serial) > 30 and pooled == serial
    # the workers' prose markup came back to the parent and was saved for the next build
    memos = [json.loads((tmp_path / cache / prose.CACHE_FILE).read_text()) for cache in ("c1", "c2")]
    assert memos[0] == memos[1]


def test_build_from_remembered_prose_equals_fresh_build(big_site, tmp_path):
    cache = tmp_path / "cache"
    assert run("build", "--site", str(big_site), "--out", str(tmp_path / "cold"), "-q", cache=cache) == 0
    assert (cache / prose.CACHE_FILE).exists()
    assert run("build", "--site", str(big_site), "--out", str(tmp_path / "warm"), "-q", cache=cache) == 0
    assert output(tmp_path / "warm") == output(tmp_path / "cold")


def test_remembered_prose_does_not_hide_an_edit(site, tmp_path):
    cache = tmp_path / "cache"
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    page = site / "content/second.md"
    page.write_text(page.read_text().replace("Again", "Once more"))
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    assert "Once more" in (site / "_site/second.html").read_text()


def test_memo_from_other_engine_code_or_damaged_is_ignored(site, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    key = keys.body_key((site / "content/second.md").read_text().split("---\n", 2)[2])
    stale = {"engine": "older", "references": {key: []}, "markup": {key: ["<p>stale</p>", []]}}
    (cache / prose.CACHE_FILE).write_text(json.dumps(stale))
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    assert "stale" not in (site / "_site/second.html").read_text()
    (cache / prose.CACHE_FILE).write_text("{not json")
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    assert "stale" not in (site / "_site/second.html").read_text()


def test_unchanged_files_are_hard_linked_from_the_previous_build(site, tmp_path):
    cache = tmp_path / "cache"
    out = site / "_site"
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    before = {name: (out / name).stat().st_ino for name in ("index.html", "second.html")}
    page = site / "content/second.md"
    page.write_text(page.read_text().replace("Again", "Once more"))
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    assert (out / "index.html").stat().st_ino == before["index.html"]
    assert (out / "second.html").stat().st_ino != before["second.html"]
    fresh = tmp_path / "fresh"
    assert run("build", "--site", str(site), "--out", str(fresh), "-q", cache=tmp_path / "cache2") == 0
    assert output(out) == output(fresh)


def test_a_file_changed_by_hand_in_the_output_is_rewritten(site, tmp_path):
    cache = tmp_path / "cache"
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    edited = site / "_site/index.html"
    original = edited.read_bytes()
    edited.write_bytes(original.replace(b"<main", b"<main data-hand-edit"))
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    assert edited.read_bytes() == original


def test_unchanged_chart_costs_no_vl_convert_call(site, tmp_path, monkeypatch):
    calls = []
    real_svg_of = charts.svg_of
    monkeypatch.setattr(charts, "svg_of", lambda spec: calls.append(spec) or real_svg_of(spec))
    cache = tmp_path / "cache"
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    assert len(calls) == 2  # both charts, cold
    calls.clear()
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    assert calls == []
    # an edit to the module that leaves its spec as it was reruns the module but not vl-convert
    module = site / "content/charts/shares.py"
    module.write_text("# a comment changes the module, not the chart\n" + module.read_text())
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    assert calls == []


ID_FRAGMENTS = [
    '<p id="a">',
    "<p id='a'>",
    "<p ID=a>",
    '<p id = "a">',
    '<p id=="a">',
    '<p id="&#97;">',
    '<p id="b">',
    "<p id>",
    "<p id/>",
    '<p data-id="a">',
    '<p idx="a">',
    '<p\tid="a">',
    '<p class="x"id="a">',
    "<script>var s = '<p id=\"a\">';</script>",
    '<!-- <p id="a"> -->',
    'text id="a" text',
    "<br/id=a>",
    '<p xid= id="a">',
    '<p valid="x" id="a">',
    '<p title="id=a" id=a>',
    "<p id=a/id=a>",
    '<p id="a"id="a">',
    "<p\u2003id=a>",
]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(ID_FRAGMENTS), max_size=6))
def test_fast_id_count_finds_every_repeat_the_html_parser_finds(fragments):
    html = "".join(fragments)
    exact = Counter(value for _, name, value in start_tags(html) if name == "id")
    found = id_counts(html)
    assert {k for k, c in found.items() if c > 1} == {k for k, c in exact.items() if c > 1}


def with_lines(value):
    """A parsed YAML value with the lines our loader records, in plain types, to compare two loaders."""
    if isinstance(value, dict):
        return ("map", value.line, value.key_lines, {k: with_lines(v) for k, v in value.items()})
    if isinstance(value, list):
        return ("seq", value.line, value.item_lines, [with_lines(v) for v in value])
    return (type(value).__name__, value)


YAML_PIECES = [
    "a",
    "b",
    "1",
    "2.5",
    ":",
    ": ",
    "- ",
    "\n",
    "  ",
    "\t",
    "'",
    '"',
    "{",
    "}",
    "[",
    "]",
    ",",
    "#",
    "&x ",
    "*x",
    "!!str ",
    "!x ",
    "? ",
    "|\n",
    ">-\n",
    "~",
    "null",
    "true",
    "2023-01-01",
    "---\n",
    "...\n",
    "\\",
    "é",
    "\x00",
    "\x85",
    "\u2028",
    "<<: ",
    "%YAML 1.1\n",
    "key: value\n",
    "  - item\n",
    "x: {a: 1, b: [2, 3]}\n",
    "0x1f",
    "1e3",
    ".inf",
    "-",
    "@",
    "`",
    "%",
    "\r\n",
    "\ufeff",
]


def parsed(text: str):
    try:
        return with_lines(safe_yaml.parse_yaml(text, "f.yaml", 3))
    except ContentError as error:
        return str(error)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=24))
def test_c_yaml_parser_gives_what_the_python_one_gives(pieces):
    text = "".join(pieces)
    with mock.patch.object(safe_yaml, "_FastContentLoader", safe_yaml._ContentLoader):
        python_only = parsed(text)
    assert parsed(text) == python_only
