"""An image with a caption (its Markdown title) and a credit line (the paragraph after it marked
{: .credit }) becomes a figure; its words are checked and cleaned like the rest of the page."""

from __future__ import annotations

import re

from conftest import run, run_captured, write

SHAPE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'


def page_with(site, body: str) -> str:
    """The fixture site with content/map.svg and a page of `body`, built; the page's HTML."""
    (site / "content" / "map.svg").write_text(SHAPE)
    write(site, "content/second.md", f"---\ntitle: Second page\ndescription: More.\nnav_title: Second\n---\n{body}")
    assert run("build", "--site", str(site), "--quiet") == 0
    return (site / "_site" / "second.html").read_text()


def test_an_image_with_a_title_and_a_credit_is_a_figure_with_both(site):
    html = page_with(
        site,
        '![A black square](map.svg "Where the square stands.")\n{: #square }\n\n'
        "Drawing: [the editors](index.md), CC BY\n{: .credit }\n\nThe next paragraph.\n",
    )
    figure = re.search(r'<figure class="image" id="square">(.*?)</figure>', html, re.S)
    assert figure, html
    assert '<img alt="A black square" src="map.svg">' in figure.group(1)  # the title is the caption now
    assert re.search(r"<figcaption><p>Where the square stands\.</p>", figure.group(1))
    assert '<p class="credit">Drawing: <a href="index.html">the editors</a>, CC' in figure.group(1)
    assert "<p>The next paragraph.</p>" in html


def test_an_image_with_neither_stays_an_image_in_its_paragraph(site):
    html = page_with(
        site, "![A black square](map.svg)\n\nText.\n\nA line.\n{: .credit }\n\nSee ![the square](map.svg).\n"
    )
    assert '<p><img alt="A black square" src="map.svg"></p>' in html
    assert "<figure" not in html
    assert re.search(r'<p>Text\.</p>\s*<p class="credit">', html)  # a credit after another paragraph stays


def test_a_credit_alone_makes_a_figure_without_a_caption(site):
    html = page_with(site, "![A black square](map.svg)\n\nDrawing: the editors\n{: .credit }\n")
    assert re.search(r'<figcaption><p class="credit">Drawing: the editors</p>\s*</figcaption>', html), html


def test_a_caption_is_text_not_markup(site):
    html = page_with(site, '![A black square](map.svg "The <b>square</b>")\n')
    assert "<figcaption><p>The &lt;b&gt;square&lt;/b&gt;</p>" in html, html


def test_a_credit_is_cleaned_like_the_rest_of_the_page(site, capsys):
    (site / "content" / "map.svg").write_text(SHAPE)
    path = write(
        site,
        "content/second.md",
        '---\ntitle: Second page\ndescription: More.\n---\n![A square](map.svg "Caption")\n\n'
        'Drawing: <a href="javascript:alert(1)">us</a>\n{: .credit }\n',
    )
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    assert any(error["path"] == str(path) and error["line"] == "7" for error in outcome.errors), outcome.stderr


def test_a_figure_still_needs_alt_text(site, capsys):
    (site / "content" / "map.svg").write_text(SHAPE)
    path = write(
        site, "content/second.md", '---\ntitle: Second page\ndescription: More.\n---\n![](map.svg "Caption")\n'
    )
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    assert any(error["path"] == str(path) and "alt" in error["message"] for error in outcome.errors), outcome.stderr
