"""Valid markup: zero errors from the W3C Nu checker for every page, stylesheet and SVG of both sites."""

from __future__ import annotations


def errors_in(report: dict[str, list[dict]], suffix: str) -> list[str]:
    """Errors (not info or warnings) as path:line:col: message, for the files ending in suffix."""
    return [
        f"{path}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: {m['message']}"
        for path, messages in sorted(report.items())
        if path.endswith(suffix) and path != "canary.html"
        for m in messages
        if m["type"] != "info"
    ]


def test_the_checker_reports_a_broken_page(vnu_report):
    assert any(m["type"] == "error" and "div" in m["message"] for m in vnu_report["canary.html"]), vnu_report[
        "canary.html"
    ]


def test_every_page_is_valid_html(vnu_report):
    errors = errors_in(vnu_report, ".html")
    assert not errors, "W3C Nu checker:\n" + "\n".join(errors)


def test_every_stylesheet_is_valid_css(vnu_report):
    errors = errors_in(vnu_report, ".css")
    assert not errors, "W3C Nu checker:\n" + "\n".join(errors)


def test_every_chart_image_is_valid_svg(vnu_report):
    errors = errors_in(vnu_report, ".svg")
    assert not errors, "W3C Nu checker:\n" + "\n".join(errors)
