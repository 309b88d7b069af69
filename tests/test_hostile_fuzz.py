"""Property: whatever YAML or Markdown an editor writes, the build ends cleanly or with one-line errors
that name a file: never a traceback, never an unexpected exception, never a hang."""

from __future__ import annotations

import contextlib
import copy
import io
import shutil
import signal

import pytest
import yaml
from conftest import CHART_CACHE, ERROR_LINE, make_site
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from factsite.cli import main

SECONDS_PER_CASE = 10
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)

YAML_PIECES = [
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "'",
    '"',
    "#",
    "&a ",
    "*a",
    "!!str ",
    "!!python/object/apply:os.system ['true']",
    "!x ",
    "<<: *a",
    "|",
    ">",
    "? ",
    "---",
    "...",
    "%YAML 1.1",
    "\t",
    "~",
    "null",
    "yes",
    "1e400",
    ".nan",
    "-.inf",
    "0x1F",
    "2023-02-30",
    "id: ",
    "value: ",
    "derived: ",
    "sources: ",
    "facts:",
    "datasets:",
    "rows:",
    "csv: ",
    "../",
    "/etc/passwd",
    "low: ",
    "high: ",
    "total",
    "share / 0",
    "\x00",
    "\ufeff",
    "\u2028",
    "é",
    "<script>",
    "{{ 7*7 }}",
]
MARKDOWN_PIECES = [
    '{{ fact("total") }}',
    '{{ fact("share", "percent") }}',
    '{{ chart("rises") }}',
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    '{{ fact("nope") }}',
    "{{ x }}",
    "<script>",
    "</script>",
    '<a href="javascript:alert(1)">',
    "</a>",
    "[x](",
    ")",
    "[1]: ",
    "![i](",
    "javascript:",
    "data:text/html,",
    "&#106;",
    "<",
    ">",
    "&",
    "\n",
    "\n\n",
    "# ",
    "## ",
    "| a |\n|---|\n",
    "```",
    "`",
    "*",
    "_",
    "<!--",
    "-->",
    "{: #id }",
    '{: onclick="x" }',
    "@@factsite:0@@",
    "\x00",
    "\r",
    "\t",
    "\u2028",
    "<img src=x onerror=y>",
    '<td style="text-align:left">',
    "[^1]",
    "[^1]: note",
    "*[HTML]: hyper",
    "[TOC]",
    '<div markdown="1">',
    "</div>",
    "1,234",
    "12 March",
    "é",
    "---",
]
FRONT_KEYS = ["title", "description", "template", "nav_title", "share_chart", "plain_numbers", "claims", "titel"]


def pieces(alphabet: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(alphabet), st.text(max_size=4)), max_size=max_size).map("".join)


@st.composite
def mutated(draw, text: str, alphabet: list[str]) -> str:
    """`text` with a few random cuts and insertions: near-valid input reaches deeper checks."""
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 12)))
        text = text[:start] + draw(st.sampled_from(["", *alphabet])) + text[end:]
    return text


yaml_keys = (
    st.sampled_from(["id", "value", "low", "high", "sources", "unit", "rows", "csv", "derived", "nav", "x"])
    | st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=5)
)
yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["total", "survey", "base / 0", "data/rises.csv", "../site.yaml", "2023-02-30", "index"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(yaml_keys, children, max_size=3),
    max_leaves=8,
)


@st.composite
def edited(draw, text: str) -> str:
    """The YAML `text` with one value somewhere replaced, added or removed: the rest stays valid,
    so the odd value travels past parsing into validation, rendering and charts."""
    document = copy.deepcopy(yaml.safe_load(text))
    node = document
    while True:
        slots = list(node) if isinstance(node, dict) else list(range(len(node)))
        deeper = [slot for slot in slots if isinstance(node[slot], (dict, list)) and node[slot]]
        if not deeper or draw(st.booleans()):
            break
        node = node[draw(st.sampled_from(deeper))]
    action = draw(st.sampled_from(["replace", "add", "remove"] if slots else ["add"]))
    if action == "remove":
        del node[draw(st.sampled_from(slots))]
    elif action == "replace":
        node[draw(st.sampled_from(slots))] = draw(yaml_values)
    elif isinstance(node, dict):
        node[draw(yaml_keys)] = draw(yaml_values)
    else:
        node.append(draw(yaml_values))
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory):
    """One site for every example (each rewrites a file), with its own copy of the chart cache."""
    root = tmp_path_factory.mktemp("fuzz")
    site = make_site(root / "site")
    if CHART_CACHE.is_dir():
        shutil.copytree(CHART_CACHE, root / "cache")
    return site, root / "cache"


@contextlib.contextmanager
def time_limit(seconds: int):
    """Fail the example, instead of hanging the suite, when a build takes too long."""

    def stop(signum, frame):
        raise TimeoutError(f"a build took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_clean_or_one_line_errors(fuzz_site, command: str) -> None:
    site, cache = fuzz_site
    stderr = io.StringIO()
    with time_limit(SECONDS_PER_CASE), contextlib.redirect_stderr(stderr):
        code = main([command, "--site", str(site), "--cache", str(cache), "--quiet"])
    text = stderr.getvalue()
    event(f"exit {code}")
    assert "Traceback" not in text
    assert code in (0, 1), text
    lines = text.splitlines()
    if code == 0:
        assert lines == []
        return
    assert lines, "exit 1 without a message"
    for line in lines:
        match = ERROR_LINE.match(line)
        assert match, f"not a one-line error naming a file: {line!r}"
        assert match["path"].startswith(str(site)), line


@pytest.fixture(scope="module")
def originals(fuzz_site):
    site, _ = fuzz_site
    return {name: (site / name).read_text() for name in ("content/facts/main.yaml", "content/second.md", "site.yaml")}


def restore(fuzz_site, originals) -> None:
    site, _ = fuzz_site
    for name, text in originals.items():
        (site / name).write_text(text)
    (site / "content/facts/extra.yaml").unlink(missing_ok=True)


@FUZZ
@given(data=st.data())
def test_random_fact_files(fuzz_site, originals, data):
    site, _ = fuzz_site
    restore(fuzz_site, originals)
    text = data.draw(
        st.one_of(
            edited(originals["content/facts/main.yaml"]),
            mutated(originals["content/facts/main.yaml"], YAML_PIECES),
            pieces(YAML_PIECES, 30),
            st.builds(
                lambda section, entries: yaml.safe_dump({section: entries}),
                st.sampled_from(["facts", "sources", "datasets", "other"]),
                st.lists(yaml_values, max_size=3),
            ),
        ),
        label="facts file",
    )
    (site / "content/facts/main.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_clean_or_one_line_errors(fuzz_site, "build")


@FUZZ
@given(data=st.data())
def test_random_front_matter_and_site_yaml(fuzz_site, originals, data):
    site, _ = fuzz_site
    restore(fuzz_site, originals)
    which = data.draw(st.sampled_from(["content/second.md", "site.yaml"]), label="file")
    text = data.draw(
        st.one_of(
            mutated(originals[which], YAML_PIECES),
            edited(originals["site.yaml"]).map(
                lambda text: text if which == "site.yaml" else f"---\n{text}---\nText.\n"
            ),
            st.builds(
                lambda front: "---\n" + yaml.safe_dump(front) + "---\nText.\n",
                st.dictionaries(st.sampled_from(FRONT_KEYS), yaml_values, max_size=4),
            ),
        ),
        label="text",
    )
    (site / which).write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_clean_or_one_line_errors(fuzz_site, "build")


@FUZZ
@given(body=pieces(MARKDOWN_PIECES, 25), command=st.sampled_from(["build", "check"]))
def test_random_markdown(fuzz_site, originals, body, command):
    site, _ = fuzz_site
    restore(fuzz_site, originals)
    (site / "content/second.md").write_text(
        "---\ntitle: Second\ndescription: D\n---\n" + body, encoding="utf-8", errors="surrogatepass"
    )
    assert_clean_or_one_line_errors(fuzz_site, command)
