"""SVG images in content/: parsed as XML with no DTD or entities, kept only when every element and
attribute is allowed, and published as written again from what was checked."""

from __future__ import annotations

import codecs

import pytest
from conftest import run, run_captured, write

SVG = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
SHAPE = '<rect width="10" height="10"/>'
ENTITY = f"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY run "<script>alert(1)</script>">]>
<svg {SVG}>&run;</svg>
"""


def snapshot(folder) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def built(site):
    """The fixture site built once, so each refusal can be shown to leave _site/ as it was."""
    assert run("build", "--site", str(site), "--quiet") == 0
    return site


def refused(capsys, site, data: bytes) -> dict:
    """Build with content/map.svg holding `data`: one error at the image, _site/ untouched, nothing
    of the image published."""
    before = snapshot(site / "_site")
    (site / "content/map.svg").write_bytes(data)
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1, outcome.stderr
    [error] = outcome.errors
    assert error["path"].endswith("content/map.svg"), outcome.stderr
    assert snapshot(site / "_site") == before
    return error.groupdict()


@pytest.mark.parametrize(
    "data, line, message",
    [
        pytest.param(
            b'<svg:svg xmlns:svg="http://www.w3.org/2000/svg">\n<svg:script>alert(1)</svg:script></svg:svg>',
            "2",
            "<script> is not allowed in an SVG image",
            id="svg-prefixed-script",
        ),
        pytest.param(ENTITY.encode(), "2", "the image declares a DTD (<!DOCTYPE svg [...]>)", id="dtd-entity"),
        pytest.param(
            f'<svg {SVG} {XLINK}>\n<a xlink:href="&#106;avascript:alert(1)">{SHAPE}</a></svg>'.encode(),
            "2",
            'the link "javascript:alert(1)" on <a> is not allowed',
            id="char-reference-javascript",
        ),
        pytest.param(
            codecs.BOM_UTF16_LE + f"<svg {SVG}>\n<script>alert(1)</script></svg>".encode("utf-16-le"),
            "2",
            "<script> is not allowed in an SVG image",
            id="utf-16-script",
        ),
    ],
)
def test_the_four_svg_attacks_are_refused_at_their_line(built, capsys, data, line, message):
    error = refused(capsys, built, data)
    assert error["line"] == line and error["message"].startswith(message), error


@pytest.mark.parametrize(
    "body, message",
    [
        (
            '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
            "<foreignObject> is not allowed",
        ),
        (
            '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
            "<script> of http://www.w3.org/1999/xhtml is not allowed",
        ),
        (f'<rect onload="alert(1)" {SHAPE[6:]}', "the attribute onload= on <rect> is an event handler"),
        ('<a href=" java&#9;script:alert(1)">x</a>', 'the link "javascript:alert(1)" on <a> is not allowed'),
        (
            '<use href="https://evil.example/x.svg#a"/>',
            'the link "https://evil.example/x.svg#a" on <use> is not allowed',
        ),
        (
            '<image href="data:image/svg+xml;base64,PHN2Zz4="/>',
            'the link "data:image/svg+xml;base64,PHN2Zz4=" on <image>',
        ),
        ('<set attributeName="href" to="javascript:alert(1)"/>', "<set> is not allowed"),
        ('<animate attributeName="href" values="javascript:alert(1)"/>', "<animate> is not allowed"),
        ("<style>@import 'evil.css';</style>", "<style> is not allowed"),
        ('<rect style="fill: u\\72 l(https://evil.example/)"/>', "style= holds a backslash"),
        ('<rect fill="url(https://evil.example/#p)"/>', 'fill= loads "https://evil.example/#p"'),
        ('<rect style="width: expression(alert(1))"/>', "style= calls expression()"),
        ('<rect xml:base="javascript:alert(1)//"/>', "the attribute xml:base= on <rect> is not allowed"),
        ("<?xml-stylesheet type='text/xsl' href='evil.xsl'?>", "the processing instruction <?xml-stylesheet ...?>"),
    ],
)
def test_active_or_loading_parts_are_refused(built, capsys, body, message):
    error = refused(capsys, built, f"<svg {SVG} {XLINK}>\n{body}\n</svg>".encode())
    assert error["line"] == "2" and error["message"].startswith(message), error


@pytest.mark.parametrize(
    "data, message",
    [
        (f"<svg {SVG}>&nbsp;</svg>".encode(), "cannot read the SVG image as XML (undefined entity)"),
        (codecs.BOM_UTF32_LE + f"<svg {SVG}/>".encode("utf-32-le"), "cannot read the SVG image as XML"),
        (b"\x1f\x8b\x08\x00compressed", "cannot read the SVG image as XML"),
        (
            b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
            'an SVG image starts with <svg xmlns="http://www.w3.org/2000/svg">, not <html>',
        ),
        (
            b"<svg><script>alert(1)</script></svg>",
            'an SVG image starts with <svg xmlns="http://www.w3.org/2000/svg">, not <svg> of no namespace',
        ),
        (b"x" * 10_000_001, "the SVG image is 10,000,001 bytes, over the 10,000,000 an SVG image may have"),
    ],
)
def test_what_is_not_an_svg_image_is_refused(built, capsys, data, message):
    assert refused(capsys, built, data)["message"].startswith(message)


def test_an_allowed_svg_is_published_as_written_again_in_utf_8(site):
    source = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"'
        ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        f'<svg {SVG} {XLINK} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10"'
        ' inkscape:version="1.3"><!-- a note --><title>Map &amp; key</title><metadata><x/></metadata>'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
        '<a href="second.html"><rect fill="url(#g)" style="stroke: rgb(0, 0, 0)" width="10" height="10"/></a>'
        '<use xlink:href="#g"/><image href="map.png" width="1" height="1"/></svg>'
    )
    write(site, "content/map.svg", "")
    (site / "content/map.svg").write_bytes(source.encode("utf-16"))
    (site / "content/map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert run("build", "--site", str(site), "--quiet") == 0
    assert (site / "_site/map.svg").read_text() == (
        f'<svg {SVG} {XLINK} viewBox="0 0 10 10"><title>Map &amp; key</title>'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"></stop></linearGradient></defs>'
        '<a href="second.html"><rect fill="url(#g)" style="stroke: rgb(0, 0, 0)" width="10" height="10"></rect></a>'
        '<use xlink:href="#g"></use><image href="map.png" width="1" height="1"></image></svg>'
    )
