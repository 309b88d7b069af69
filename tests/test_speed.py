"""Speed without changing the output: worker processes, the prose memo, hard links, the chart cache."""

import json
import shutil
from collections import Counter
from functools import partial
from pathlib import Path
from unittest import mock

import pytest
from conftest import run, write
from hypothesis import given, settings
from hypothesis import strategies as st

from factsite import charts, cli, keys, prose, safe_yaml, unchanged
from factsite.errors import ContentError
from factsite.render_html import id_counts
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
    assert len(calls) == 4  # both charts, cold, each in its wide and its narrow layout
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


# ---- one pass of our own where there were several ------------------------------------------

BODY_PIECES = [
    "Text ",
    "word",
    "\n",
    "\n\n",
    '{{ fact("a") }}',
    "{{ fact('a', 'compact') }}",
    '{{fact("a","plain")}}',
    '{{ chart("c") }}',
    '{{ check("s") }}',
    '{{ fact("a",) }}',
    '{{ fact ("a") }}',
    '{{ fact("a\\"b") }}',
    '{{- fact("a") }}',
    '{{ fact("a") -}}',
    '{{ "text" }}',
    "{{ other }}",
    "{",
    "}",
    "{{",
    "}}",
    "{%",
    "{#",
    "#}",
    "{% raw %}",
    "\r\n",
    "\t",
    '"',
    "'",
    "é",
]


def shown_call(name: str, *args: str) -> str:
    """A stand-in for a template function: its name and arguments, as written into the page."""
    return f"<{name}:{'|'.join(args)}>"


def jinja_text(body: str):
    """The body as the Jinja sandbox renders it, with each call's output, or the error's type."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    try:
        template = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False).from_string(body)
        return template.render(**{name: partial(shown_call, name) for name in ("fact", "chart", "check")})
    except (jinja2.TemplateError, TypeError) as error:
        return type(error).__name__


@settings(max_examples=600)
@given(st.lists(st.sampled_from(BODY_PIECES), max_size=12))
def test_a_body_read_without_jinja_renders_as_jinja_renders_it(pieces):
    """simple_calls + filled, the fast path that spares most pages a Jinja compile, give Jinja's text,
    or step aside (None) for Jinja to read the body."""
    body = "".join(pieces)
    calls = prose.simple_calls(body)
    if calls is None:
        return
    assert all(1 <= len(call.args) <= 2 for call in calls)
    functions = {name: partial(shown_call, name) for name in ("fact", "chart", "check")}
    assert prose.filled(body, calls, functions) == jinja_text(body)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(BODY_PIECES), max_size=12))
def test_references_found_without_jinja_are_those_jinja_finds(pieces):
    from factsite import validate
    from factsite.model import RawPage

    raw = RawPage(slug="p", path="content/p.md", text="", front={}, body="".join(pieces), body_line=4)
    fast = validate.find_references(raw)
    with mock.patch.object(validate, "simple_calls", lambda body: None):
        assert validate.find_references(raw) == fast


HTML_PIECES = [
    "<p>",
    "</p>",
    "text",
    '<a href="x.html">',
    '<a href="javascript:alert(1)">',
    "</a>",
    '<img src="https://elsewhere.example/i.png" alt="i">',
    '<img alt="" src="i.png">',
    "<h1>",
    '<h2 id="a">',
    "<script>var s = '<p id=\"a\">';</script>",
    "<!-- <p> -->",
    '<p title="a>b">',
    "<p title='a'>",
    "<br/>",
    "<br>",
    "<P CLASS=x>",
    '<td style="text-align: center">',
    '<td style="color: red">',
    "&amp;",
    "&lt;p&gt;",
    "<",
    ">",
    '"',
    '<span onclick="x()">',
    '<div class="admonition note">',
    "<hr>",
]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=10))
def test_start_tags_read_by_expression_are_those_the_html_parser_reads(pieces):
    html = "".join(pieces)
    regular = prose.regular_start_tags(html)
    if regular is not None:
        assert regular == start_tags(html)
    from factsite.sanitize import clean

    cleaned = clean(html)
    assert prose.regular_start_tags(cleaned) in (None, start_tags(cleaned))


@settings(max_examples=300)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=10))
def test_sanitizing_reads_each_side_once_with_the_same_findings(pieces):
    from factsite.sanitize import sanitize

    html = "".join(pieces)
    cleaned, removed, tags = prose.sanitized(html, own_html="<" in html)
    assert (cleaned, removed) == sanitize(html)
    assert tags == start_tags(cleaned)


# ---- worker processes, started safely ---------------------------------------------------------


def test_workers_are_never_forked_from_the_build_process():
    """The build's process may run threads (vl-convert's runtime, serve's server): a fork server
    (or spawn) starts the workers instead."""
    from factsite import parallel

    assert parallel.start_method() in ("forkserver", "spawn")
    executor = parallel.pool(2)
    assert executor._mp_context.get_start_method() == parallel.start_method()
    assert parallel.map_parallel(abs, [-1, -2, -3], 2) == [1, 2, 3]


def test_charts_made_in_worker_processes_equal_charts_made_here(site, tmp_path, monkeypatch):
    from factsite import render

    serial = build_with_jobs(site, tmp_path / "serial", tmp_path / "c1", 1)
    monkeypatch.setattr(render, "PARALLEL_CHARTS", 1)  # the fixture's two charts go to the workers
    pooled = build_with_jobs(site, tmp_path / "pool", tmp_path / "c2", 2)
    assert pooled == serial
    cached = {p.relative_to(tmp_path / "c1").as_posix() for p in (tmp_path / "c1").rglob("*") if p.is_file()}
    assert {p.relative_to(tmp_path / "c2").as_posix() for p in (tmp_path / "c2").rglob("*") if p.is_file()} == cached


def test_charts_no_worker_has_started_are_made_here_with_their_pngs(site, tmp_path, monkeypatch):
    """When pages need the charts, those still waiting for a worker are taken back and made in the
    build's own process, PNG and all: the same site, and the same chart cache, as workers make."""
    from concurrent.futures import Future

    from factsite import render, render_jobs

    serial = build_with_jobs(site, tmp_path / "serial", tmp_path / "c1", 1)

    class NotTaken(Future):
        def result(self, timeout=None):
            raise AssertionError("the build waited for a chart no worker took")

    sent: list[Future] = []
    submit = render_jobs.submit_chunks

    def never_started(work, chunks, workers, *shared):  # chart jobs that no worker takes
        if work is not charts.render_in_worker:
            return submit(work, chunks, workers, *shared)
        sent.extend(NotTaken() for _ in chunks)
        return sent[-len(chunks) :]

    monkeypatch.setattr(render, "PARALLEL_CHARTS", 1)
    monkeypatch.setattr(render_jobs, "submit_chunks", never_started)
    taken_back = build_with_jobs(site, tmp_path / "here", tmp_path / "c2", 2)
    assert taken_back == serial
    assert len(sent) >= 2 and all(future.cancelled() for future in sent)  # a job per chart, all taken back
    assert sorted(p.name for p in (tmp_path / "c2" / "png").rglob("*.png")) == sorted(
        p.name for p in (tmp_path / "c1" / "png").rglob("*.png")
    )


# ---- the Vega bundle, made once per vl-convert version ------------------------------------------


def test_the_vega_bundle_is_made_once_into_the_user_cache(site, tmp_path, monkeypatch):
    import vl_convert

    made = []
    real = vl_convert.javascript_bundle
    monkeypatch.setattr(vl_convert, "javascript_bundle", lambda *args: made.append(1) or real(*args))
    monkeypatch.setenv("FACTSITE_USER_CACHE", str(tmp_path / "user"))
    assert run("build", "--site", str(site), "--out", str(tmp_path / "first"), "-q", cache=tmp_path / "cache1") == 0
    assert made == [1] and list((tmp_path / "user").glob("vega-embed-*.js"))
    # A cold build (an empty site cache, as on a new clone) takes it from the user cache.
    assert run("build", "--site", str(site), "--out", str(tmp_path / "second"), "-q", cache=tmp_path / "cache2") == 0
    assert made == [1]
    assert output(tmp_path / "first") == output(tmp_path / "second")
    assert not list((tmp_path / "cache2").glob("vega-embed-*.js"))


def test_the_vega_bundle_goes_to_the_site_cache_when_the_user_cache_cannot_be_written(site, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("FACTSITE_USER_CACHE", str(blocked / "factsite"))
    assert run("build", "--site", str(site), "-q", cache=tmp_path / "cache") == 0
    assert list((tmp_path / "cache").glob("vega-embed-*.js"))
    assert (site / "_site/assets/vega-embed.js").stat().st_size > 100_000


def test_the_user_cache_folder_follows_the_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTSITE_USER_CACHE", str(tmp_path / "named"))
    assert charts.user_cache_dir() == tmp_path / "named"
    monkeypatch.delenv("FACTSITE_USER_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert charts.user_cache_dir() == tmp_path / "xdg" / "factsite"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert charts.user_cache_dir() == tmp_path / "home" / ".cache" / "factsite"


def test_workers_start_from_a_folder_holding_a_folder_named_factsite(tmp_path):
    """The fork server imports factsite from where this factsite is, not from the build's working
    folder (where a site folder may be named factsite, as the benchmark's is)."""
    import subprocess
    import sys

    from conftest import FIXTURE, PROJECT

    site = tmp_path / "factsite"
    shutil.copytree(FIXTURE, site)
    add_pages(site, 4)
    built = {}
    for jobs in ("1", "2"):
        finished = subprocess.run(
            [
                sys.executable,
                str(PROJECT / "build.py"),
                "--site",
                "factsite",
                "--out",
                f"out{jobs}",
                "--cache",
                f"cache{jobs}",
                "--jobs",
                jobs,
                "-q",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert finished.returncode == 0 and "Traceback" not in finished.stderr, finished.stderr
        built[jobs] = output(tmp_path / f"out{jobs}")
    assert built["1"] == built["2"]


def test_markup_made_here_while_workers_draw_charts_skips_a_failing_page(site):
    """compile_here fills the memo for every page it can; a page whose prose fails is left for its
    rendering to report (at its file and line, in page order), not raised out of order."""
    from factsite.load import load_site
    from factsite.render_jobs import compile_here
    from factsite.validate import validate_site

    write(site, "content/broken.md", "---\ntitle: Broken\ndescription: D.\n---\nText <script>alert(1)</script>.\n")
    pages = validate_site(load_site(site), {}).pages
    memo = prose.Memo()
    compile_here(pages, memo)
    made = {keys.body_key(page.body) for page in pages if page.slug != "broken"}
    assert made == set(memo.markup)
    outcome_code = run("build", "--site", str(site), "-q")
    assert outcome_code == 1


# ---- a build with nothing changed writes nothing ------------------------------------------------


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.rglob("*")}


def test_build_with_nothing_changed_leaves_the_output_as_it_is(site, tmp_path, capsys):
    cache = tmp_path / "cache"
    assert run("build", "--site", str(site), cache=cache) == 0
    before, written = output(site / "_site"), stamps(site / "_site")
    with mock.patch.object(cli, "built", side_effect=AssertionError("rendered again")):
        assert run("build", "--site", str(site), cache=cache) == 0
    assert "nothing changed" in capsys.readouterr().err
    assert output(site / "_site") == before and stamps(site / "_site") == written


def change_a_page(site: Path) -> None:
    page = site / "content/second.md"
    page.write_text(page.read_text().replace("Again", "Once more"))


def put_a_page_back(site: Path) -> None:
    """The page saved again with the same words: a new time, no change."""
    page = site / "content/second.md"
    page.write_text(page.read_text())


def change_a_built_file(site: Path) -> None:
    (site / "_site/second.html").write_text("edited by hand")


def remove_a_built_file(site: Path) -> None:
    (site / "_site/second.html").unlink()


def test_build_runs_again_after_any_change_to_what_it_reads_or_wrote(site, tmp_path):
    cache = tmp_path / "cache"
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    cold = output(site / "_site")
    for change, builds in (
        (put_a_page_back, False),
        (change_a_built_file, True),
        (remove_a_built_file, True),
        (change_a_page, True),
    ):
        change(site)
        with mock.patch.object(cli, "built", wraps=cli.built) as rendering:
            assert run("build", "--site", str(site), "-q", cache=cache) == 0
        assert rendering.called == builds, change.__name__
        if change is not change_a_page:
            assert output(site / "_site") == cold, change.__name__
    assert "Once more" in (site / "_site/second.html").read_text()


def test_build_runs_again_for_other_options_or_another_engine(site, tmp_path):
    cache = tmp_path / "cache"
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    for options, engine in (
        (["--base-url", "https://example.org/elsewhere/"], keys.engine_key()),
        (["--drafts"], keys.engine_key()),
        ([], "another engine"),
    ):
        with (
            mock.patch.object(unchanged, "engine_key", return_value=engine),
            mock.patch.object(cli, "built", wraps=cli.built) as rendering,
        ):
            assert run("build", "--site", str(site), "-q", *options, cache=cache) == 0
        assert rendering.called, options or engine
    assert "example.org/elsewhere" not in (site / "_site/sitemap.xml").read_text()


def test_a_page_made_a_link_out_of_the_site_is_refused_though_its_words_are_the_same(site, tmp_path):
    cache = tmp_path / "cache"
    assert run("build", "--site", str(site), "-q", cache=cache) == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.move(site / "content/second.md", outside / "second.md")
    (site / "content/second.md").symlink_to(outside / "second.md")
    assert run("build", "--site", str(site), "-q", cache=cache) == 1
