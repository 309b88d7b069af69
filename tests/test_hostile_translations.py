"""Interface words from a site's own catalogs (locales/, added by translators in pull requests) are
text like any other: escaped on every page, markup kept only where the theme's string has some, and
a translation a page could not show (a placeholder the original lacks, a lone %) is an error at its line."""

from __future__ import annotations

import shutil

import jinja2
import pytest
from conftest import run, run_captured
from test_languages import bilingual  # noqa: F401  (the fixture site with a Russian edition)

from factsite.i18n import THEME_LOCALES

CATALOG = "locales/ru/LC_MESSAGES/messages.po"
LEGEND_RU = '"Каждая цифра ведёт к своей записи на <a href=\\"%(sources)s\\">странице источников</a>. "'


def snapshot(folder) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def with_catalog(site):
    """The site with its own copy of the theme's Russian catalog."""
    (site / CATALOG).parent.mkdir(parents=True)
    shutil.copy(THEME_LOCALES / "ru/LC_MESSAGES/messages.po", site / CATALOG)
    return site


@pytest.fixture
def translated(bilingual):  # noqa: F811
    """The bilingual fixture site with its own catalog, built."""
    assert run("build", "--site", str(with_catalog(bilingual)), "--quiet") == 0
    return bilingual


def with_translation(site, old: str, new: str) -> int:
    """Replace a line of the site's catalog; returns the line of the msgstr it belongs to."""
    lines = (site / CATALOG).read_text().split("\n")
    number = lines.index(old)
    lines[number] = new
    (site / CATALOG).write_text("\n".join(lines))
    return max(n for n in range(number + 1) if lines[n].startswith("msgstr")) + 1


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            'msgstr "К содержанию"',
            'msgstr "<script>alert(document.domain)</script>"',
            'the translation of "Skip to content": it holds markup, but these interface words are shown as text',
        ),
        (
            'msgstr "Страница не найдена"',
            'msgstr "Страница %(nope)s не найдена"',
            'the translation of "Page not found": it uses %(nope)s, which the original does not have',
        ),
        (
            'msgstr "Страница не найдена"',
            'msgstr "Страница на 100% не найдена"',
            'the translation of "Page not found": it holds a lone % (write %% for a percent sign)',
        ),
        (
            'msgstr[0] "%(num)s строка"',
            'msgstr[0] "%(site)s строка"',
            'the translation of "%(num)s row": it uses %(site)s, which the original does not have',
        ),
        (
            LEGEND_RU,
            LEGEND_RU.replace("<a href", '<a onclick=\\"alert(1)\\" href'),
            'the translation of "Every figure links to its entry on the <a href="%(sources...":'
            " the attribute onclick= on <a> is not allowed in interface words",
        ),
        (
            LEGEND_RU,
            LEGEND_RU.replace('\\"%(sources)s\\"', '\\"javascript:alert(1)\\"'),
            'the translation of "Every figure links to its entry on the <a href="%(sources...":'
            ' the address "javascript:alert(1)" is not allowed',
        ),
        (
            LEGEND_RU,
            LEGEND_RU.replace("странице источников</a>", "странице источников</a><img src=x onerror=alert(1)>"),
            'the translation of "Every figure links to its entry on the <a href="%(sources...": <img> is not allowed '
            "in interface words",
        ),
    ],
)
def test_a_translation_no_page_can_show_is_refused_at_its_line(translated, capsys, old, new, message, command):
    before = snapshot(translated / "_site")
    line = with_translation(translated, old, new)
    outcome = run_captured(capsys, command, "--site", str(translated))
    assert outcome.code == 1, outcome.stderr
    [error] = outcome.errors
    assert error["path"].endswith(CATALOG) and error["line"] == str(line)
    assert error["message"].startswith(message), error["message"]
    assert snapshot(translated / "_site") == before


def test_markup_the_theme_allows_in_a_translation_reaches_the_page(bilingual):  # noqa: F811
    # (a fresh site: catalogs are compiled once per process and folder)
    with_translation(
        with_catalog(bilingual), LEGEND_RU, LEGEND_RU.replace("странице источников", "<em>странице</em> источников")
    )
    assert run("build", "--site", str(bilingual), "--quiet") == 0
    assert '<a href="sources.html"><em>странице</em> источников</a>' in (bilingual / "_site/ru/index.html").read_text()


def test_interface_words_are_escaped_even_when_no_check_ran():
    from factsite.i18n import interface_text  # (what templates' _() and ngettext() return)

    assert interface_text("Skip to content", "<script>alert(1)</script>", {}) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert interface_text("On %(site)s", "На %(site)s", {"site": "<b>"}) == "На &lt;b&gt;"
    assert (
        interface_text(
            'See <a href="%(page)s">it</a>',
            '<a href="%(page)s" onclick="x">it</a><script>1</script>',
            {"page": "a.html"},
        )
        == '<a href="a.html">it</a>'
    )


@pytest.mark.parametrize(
    "header, message",
    [
        (
            "\"Plural-Forms: nplurals=2; plural=__import__('os').system('true');\\n\"",
            "invalid token in plural form: __import__",
        ),
        (
            '"Plural-Forms: nplurals=2; plural=' + "(" * 600 + "n" + ")" * 600 + ';\\n"',
            "plural form expression is too long",
        ),
    ],
)
def test_a_catalog_gettext_cannot_compile_is_an_error_at_the_file(translated, capsys, header, message):
    before = snapshot(translated / "_site")
    text = (translated / CATALOG).read_text()
    start = text.index('"Plural-Forms:')
    (translated / CATALOG).write_text(text[:start] + header + text[text.index("\n", start) :])
    outcome = run_captured(capsys, "build", "--site", str(translated))
    [error] = outcome.errors
    assert error["path"].endswith(CATALOG) and error["message"] == f"cannot read the catalog: {message}"
    assert snapshot(translated / "_site") == before


def test_every_gettext_a_template_can_call_escapes_the_catalog(tmp_path):
    from factsite.i18n import template_gettext

    class Hostile:
        def gettext(self, message):
            return "<script>1</script>"

        def ngettext(self, singular, plural, num):
            return "<script>%(num)s</script>"

        def pgettext(self, context, message):
            return "<script>2</script>"

        def npgettext(self, context, singular, plural, num):
            return "<script>3</script>"

    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(str, str, newstyle=True)
    env.globals.update(template_gettext(Hostile()))
    page = env.from_string(
        '{{ _("a") }} {{ gettext("a") }} {{ ngettext("a", "b", 2) }} {{ pgettext("c", "a") }}'
        ' {{ npgettext("c", "a", "b", 2) }} {% trans %}a{% endtrans %}'
    ).render()
    assert "<script>" not in page and page.count("&lt;script&gt;") == 6
