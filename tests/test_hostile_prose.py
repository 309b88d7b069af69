"""Dangerous HTML in prose is refused with file and line; text in facts, sources and front matter is escaped."""

from __future__ import annotations

import re

import pytest
from conftest import run_captured, write

FRONT = "---\ntitle: Extra\ndescription: A page for the test.\n---\nA first line of prose.\n"  # prose starts on line 5


def refused(capsys, site, body: str) -> list:
    write(site, "content/extra.md", FRONT + body)
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1, outcome.stderr
    errors = outcome.errors
    assert errors and all(e["path"].endswith("content/extra.md") for e in errors), outcome.stderr
    return errors


@pytest.mark.parametrize(
    "body, wanted",
    [
        ("\n<script>alert(1)</script>\n", "<script> is not allowed"),
        ('\nText <script src="evil.js"></script> inline.\n', "<script> is not allowed"),
        ('\n<iframe src="https://evil.example/"></iframe>\n', "<iframe> is not allowed"),
        ('\n<object data="evil.swf"></object>\n', "<object> is not allowed"),
        ('\n<embed src="evil.swf">\n', "<embed> is not allowed"),
        ("\n<style>body { display: none }</style>\n", "<style> is not allowed"),
        ("\n<svg><script>alert(1)</script></svg>\n", "<svg> is not allowed"),
        ('\n<form action="https://evil.example/"><input name=q></form>\n', "<form> is not allowed"),
        ('\n<meta http-equiv="refresh" content="0;url=https://evil.example/">\n', "<meta> is not allowed"),
        ('\n<p onclick="alert(1)">Click</p>\n', "attribute onclick= on <p>"),
        ('\n<img src="pic.png" onerror="alert(1)">\n', "attribute onerror= on <img>"),
        ('\n<b OnMouseOver="alert(1)">x</b>\n', "attribute onmouseover= on <b>"),
        ('\nA paragraph\n{: onclick="alert(1)" }\n', "attribute onclick= on <p>"),
        ('\n<a href="javascript:alert(1)">x</a>\n', 'address "javascript:alert(1)"'),
        ('\n<a href="JaVaScRiPt:alert(1)">x</a>\n', 'address "JaVaScRiPt:alert(1)"'),
        ("\n[click](javascript:alert(1))\n", 'address "javascript:alert(1)"'),
        ("\n[click](<javascript:alert(1)>)\n", 'address "javascript:alert(1)"'),
        ("\n[click](vbscript:msgbox(1))\n", 'address "vbscript:msgbox(1)"'),
        ("\n[click](data:text/html;base64,PHNjcmlwdD4=)\n", 'address "data:text/html;base64,PHNjcmlwdD4="'),
        ("\n![picture](javascript:alert(1))\n", 'image "javascript:alert(1)"'),
        ("\n![picture](data:text/html,<script>alert(1)</script>)\n", "is not allowed"),
        ("\n[click](&#106;avascript:alert(1))\n", 'address "javascript:alert(1)"'),
        ("\n[click](java&#x09;script:alert(1))\n", "is not allowed"),
        ("\n![tracker](https://evil.example/pixel.gif)\n", 'image "https://evil.example/pixel.gif"'),
        ('\n<img src="//evil.example/pixel.gif">\n', 'image "//evil.example/pixel.gif"'),
        (
            '\n| a |\n|---|\n| <span style="background:url(https://evil.example/x)">b</span> |\n',
            'the style "background:url(https://evil.example/x)" on <span>',
        ),
    ],
)
def test_dangerous_html_is_refused_on_its_line(site, capsys, body, wanted):
    errors = refused(capsys, site, body)
    assert any(wanted in e["message"] for e in errors), [e.group(0) for e in errors]
    lines = {e["line"] for e in errors if wanted in e["message"]}
    assert lines == {str(FRONT.count("\n") + body.rstrip("\n").count("\n") + 1)}  # the body's last line


@pytest.mark.parametrize(
    "definition",
    [
        "[1]: javascript:alert(1)",
        "[1]: <javascript:alert(1)>",
        '[1]: vbscript:x "title"',
        "[1]: data:text/html,<b>x</b>",
    ],
)
def test_reference_definition_is_reported_on_the_definition_line(site, capsys, definition):
    errors = refused(capsys, site, "\nA [link][1] and ![image][1].\n\nMore prose.\n\n" + definition + "\n")
    assert errors and {e["line"] for e in errors} == {"11"}
    assert all("is not allowed" in e["message"] for e in errors)


def test_style_on_table_cell_beyond_alignment_is_refused(site, capsys):
    body = '\n<table><tr><td style="text-align: left; background: url(https://evil.example/x)">a</td></tr></table>\n'
    [error] = refused(capsys, site, body)
    assert error["line"] == "7" and "the style" in error["message"]


@pytest.mark.parametrize(
    "body, wanted",
    [
        (
            '\n{{ "<scr" ~ "ipt>alert(1)</scr" ~ "ipt>" }}\n',
            'only fact("id"), chart("id"), table("id") and check("id")',
        ),
        ("\n{{ fact }}\n", 'only fact("id"), chart("id"), table("id") and check("id")'),
        ("\n{{ cycler.__init__.__globals__ }}\n", '"cycler" is not known in prose'),
        ('\n{{ fact("total").__class__ }}\n', 'only fact("id"), chart("id"), table("id") and check("id")'),
        ('\n{{ fact("total") | safe }}\n', 'only fact("id"), chart("id"), table("id") and check("id")'),
        ("\n{{ lipsum() }}\n", '"lipsum" is not known'),
        ('\n{{ fact("total", style="compact") }}\n', "takes an id in quotes"),
        ("\n{% set x = 1 %}\n", "template statements"),
        ("\n{% with %}{% endwith %}\n", "template statements"),
        ("\n{% filter upper %}x{% endfilter %}\n", "template statements"),
        ('\n<abbr title="{{ fact("total") }}">x</abbr>\n', "cannot be used inside an HTML tag"),
    ],
)
def test_only_fact_and_chart_calls_reach_the_page(site, capsys, body, wanted):
    errors = refused(capsys, site, body)
    assert any(wanted in e["message"] for e in errors), [e.group(0) for e in errors]


@pytest.mark.parametrize(
    "body, wanted",
    [
        ('\nSome text.\n\n[1]: {{ fact("total") }}\n', "is in a part of the page that is not shown"),
        ('\n<!-- {{ fact("total") }} -->\n', "is in a part of the page that is not shown"),
        ('\n[TOC]\n\n## About {{ fact("total") }}\n', "is repeated by Markdown"),
        ('\n[link]({{ fact("total") }})\n', "cannot be used inside an HTML tag or a link address"),
    ],
)
def test_fact_must_land_once_in_the_text_of_the_page(site, capsys, body, wanted):
    [error] = refused(capsys, site, body)
    assert wanted in error["message"] and error["message"].startswith('fact("total")')
    assert error["line"] == str(FRONT.count("\n") + body.rstrip("\n").count("\n") + 1)


@pytest.mark.parametrize(
    "body, repeated",
    [
        ('{{ fact("total") }}\n\nText\n{: #use-total-1 }\n', "use-total-1"),
        ('{{ chart("rises") }}\n\n## Chart rises\n', "chart-rises"),
        ("## Main\n{: #main }\n", "main"),
    ],
)
def test_ids_that_collide_with_the_builds_own_are_refused(site, capsys, body, repeated):
    [error] = refused(capsys, site, body)
    assert f'the id "{repeated}" is used twice on the page' in error["message"]


def test_typed_placeholders_are_plain_text(site, capsys):
    """Text shaped like the build's internal placeholders is shown as typed, not replaced."""
    write(site, "content/extra.md", FRONT + '\nForged @@factsite:0@@ and @@factsite:99@@ and {{ fact("total") }}.\n')
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 0, outcome.stderr
    page = (site / "_site/extra.html").read_text()
    assert "Forged @@factsite:0@@ and @@factsite:99@@ and <a" in page
    assert page.count('data-fact="total"') == 1


def test_page_gets_the_sanitised_html_not_the_html_as_written(site, capsys):
    write(site, "content/extra.md", FRONT + "\n<!-- a note for editors only --><p>Kept.</p>\n")
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 0, outcome.stderr
    page = (site / "_site/extra.html").read_text()
    assert "Kept." in page and "a note for editors only" not in page


HOSTILE_TEXT = '<script>alert("x")</script><img src=x onerror=alert(1)>{{ 7*7 }}'


def test_text_in_facts_sources_and_front_matter_is_escaped(site, capsys):
    quoted = HOSTILE_TEXT.replace("'", "''")
    write(
        site,
        "content/facts/extra.yaml",
        f"""\
        sources:
          - id: hostile_source
            publisher: '{quoted}'
            title: '{quoted}'
            url: https://example.org/hostile
            published: 2023-01-01
            note: '{quoted}'
        facts:
          - id: hostile_fact
            label: '{quoted}'
            value: 7
            unit: '{quoted}'
            counts: '{quoted}'
            as_of: 2023-03-01
            claimant: '{quoted}'
            status: claim
            sources: hostile_source
            quote: '{quoted}'
            note: '{quoted}'
        """,
    )
    write(
        site,
        "content/extra.md",
        f"---\ntitle: '{quoted}'\ndescription: '{quoted}'\n---\nSee {{{{ fact(\"hostile_fact\") }}}}.\n",
    )
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 0, outcome.stderr
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;{{ 7*7 }}"
    for name, least in (("sources.html", 9), ("extra.html", 6)):
        html = (site / "_site" / name).read_text()
        assert "<script>alert" not in html and "<img src=x" not in html and "49" not in html
        assert html.count(escaped) >= least, (name, html.count(escaped))
    nav = re.search(r"<nav.*?</nav>", (site / "_site/index.html").read_text(), re.S).group(0)
    assert "<script>alert" not in nav


def test_the_word_id_in_prose_beside_headings_is_no_crash(site, capsys):
    """The quick scan for repeated ids counts the word "id" in text as an id without a value; a page
    saying it once, with headings' ids, once crashed sorting the ids (None beside text)."""
    write(site, "content/extra.md", FRONT + "\n## Facts\n\nEach fact has an id of its own.\n")
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 0, outcome.stderr
