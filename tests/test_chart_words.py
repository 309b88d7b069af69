"""Chart words: a chart's titles, labels and descriptions come from words files beside its module
(content/charts/<id>.yaml, <id>.ru.yaml), checked as facts' words are; a page of a language shows no
chart without words in that language, and a chart's words in that language come with its number formats."""

import re
import shutil

import pytest
from conftest import CHART_CACHE, edit, run, run_captured, write
from test_languages import CHART_WORDS, RU_WORDS, with_russian, write_interface_words

from factsite import pipeline
from factsite.load import load_site
from factsite.render import render_site
from factsite.validate import validate_site


@pytest.fixture
def bilingual(site):
    """The fixture site with a Russian edition (test_languages)."""
    return with_russian(site)


GERMAN_RISES = (
    "title: Zuwachs nach Tagen\nx: Datum der Meldung\ny: Zuwachs\ndescription: Drei Balken von {low} bis {high}.\n"
)


def with_german(site):
    """The bilingual fixture with a third language, German: pages, facts' words and interface words,
    but no chart words yet."""
    config = site / "site.yaml"
    config.write_text(
        config.read_text().replace("languages: [ru]", "languages: [ru, de]")
        + "  de:\n    title: Übungsseite\n    description: Eine kleine Seite.\n"
    )
    write_interface_words(site, "de")
    for name in ("index", "second"):
        write(site, f"content/{name}.de.md", (site / f"content/{name}.ru.md").read_text())
    write(site, "content/facts/main.de.yaml", RU_WORDS)
    return site


def test_a_chart_without_words_in_a_language_fails_at_that_languages_page(bilingual, capsys):
    site = with_german(bilingual)
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    lines = outcome.stderr.splitlines()
    # At the German pages that show the charts, naming the file to write; nothing about Russian or English.
    assert any(
        re.search(
            r'content/index\.de\.md:\d+: error: chart "rises" has no words in de:'
            r" write \S*content/charts/rises\.de\.yaml",
            line,
        )
        for line in lines
    ), outcome.stderr
    assert any(
        re.search(r"content/second\.de\.md:\d+: error: chart \"shares\" has no words in de", line) for line in lines
    )
    assert len(lines) == 2, outcome.stderr
    assert not (site / "_site").exists() or not (site / "_site/de").exists()


def test_a_german_chart_shows_german_words_and_german_numbers(bilingual):
    site = with_german(bilingual)
    write(site, "content/charts/rises.de.yaml", GERMAN_RISES)
    write(site, "content/charts/shares.de.yaml", "title: Anteile\ndescription: Zwei kleine Gruppen und der Anteil.\n")
    assert run("build", "--site", str(site), "--quiet") == 0
    page = (site / "_site/de/index.html").read_text()
    svg = (site / "_site/de/charts/rises.svg").read_text()
    assert "Zuwachs nach Tagen" in svg and "Datum der Meldung" in svg
    assert ">1.000<" in svg and "1,000" not in svg, "the axis in German number format"
    assert "Drei Balken von 900 bis 1.090." in page
    for english in ("Rises by day", "Report date", "1,090", "Three bars"):
        assert english not in page and english not in svg
    # Each language keeps its own: the English and the Russian charts are untouched by the German words.
    assert "Rises by day" in (site / "_site/charts/rises.svg").read_text()
    assert "Прирост по дням" in (site / "_site/ru/charts/rises.svg").read_text()


def test_a_translations_words_must_match_the_sites_words(bilingual, capsys):
    words = bilingual / "content/charts/rises.ru.yaml"
    words.write_text(
        "title: {text: Прирост}\n"  # line 1: a mapping where the site's words have text
        "x: Дата сводки\n"
        "yy: Прирост\n"  # line 3: a word the site's file lacks (and "y" missing)
        "description: [Три столбца, 7]\n"  # line 4: a list of something other than lines of text
    )
    outcome = run_captured(capsys, "build", "--site", str(bilingual))
    assert outcome.code == 1
    path = "content/charts/rises.ru.yaml"
    expected = [
        rf'{path}:1: error: "title" is one word in \S*rises\.yaml, not a mapping of words',
        rf'{path}:3: error: "yy" is not a word of this chart in \S*rises\.yaml \(did you mean "y"\?\)',
        rf'{path}:4: error: "description" must be text',
        rf'{path}:1: error: "y" is missing: \S*rises\.yaml has it',
    ]
    for pattern in expected:
        assert re.search(pattern, outcome.stderr), (pattern, outcome.stderr)
    assert "has no words in ru" not in outcome.stderr, "the file is there: its problems are the news"


def test_words_of_a_chart_that_does_not_exist_are_refused(bilingual, capsys):
    write(bilingual, "content/charts/rise.yaml", CHART_WORDS["rises"][0])
    outcome = run_captured(capsys, "build", "--site", str(bilingual))
    assert outcome.code == 1
    assert re.search(
        r'content/charts/rise\.yaml: error: words of a chart "rise" that does not exist \(did you mean "rises"\?\)',
        outcome.stderr,
    )


def test_a_chart_reading_words_it_has_not_got_names_the_file(site, capsys):
    edit(site / "content/charts/rises.py", 'title="Rises by day"', 'title=facts.words["title"]')
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    assert re.search(
        r"content/charts/rises\.py:\d+: error: chart failed: KeyError:"
        r" the chart has no words in en: write them in \S*content/charts/rises\.yaml",
        outcome.stderr,
    ), outcome.stderr


def test_a_warm_build_after_editing_a_charts_words_equals_a_cold_one(bilingual, tmp_path):
    warm = tmp_path / "warm-cache"
    shutil.copytree(CHART_CACHE, warm) if CHART_CACHE.is_dir() else warm.mkdir()
    render_site(validate_site(load_site(bilingual)), warm, workers=1)  # the cache now holds the charts as they were
    edit(bilingual / "content/charts/rises.ru.yaml", "Прирост по дням", "Прирост за сутки")
    edit(bilingual / "content/charts/rises.yaml", "Rises by day", "Daily rises")
    after_warm = render_site(validate_site(load_site(bilingual)), warm, workers=1).files
    after_cold = render_site(validate_site(load_site(bilingual)), tmp_path / "cold-cache", workers=1).files
    assert after_warm == after_cold
    assert (
        b"Daily rises" in after_warm["charts/rises.svg"]
        and "Прирост за сутки".encode() in after_warm["ru/charts/rises.svg"]
    )


def test_serve_rebuilds_a_chart_whose_words_changed_as_a_full_build_would(bilingual, tmp_path):
    """An incremental rebuild (serve's) runs the chart again when only its words file changed."""
    build = pipeline.build(pipeline.BuildOptions(bilingual, tmp_path / "cache"))
    edit(bilingual / "content/charts/rises.yaml", "Rises by day", "Daily rises")
    build = pipeline.rebuild(build)
    assert "rises" in build.rendered_charts
    assert b"Daily rises" in build.files["charts/rises.svg"]
    assert build.files == render_site(validate_site(load_site(bilingual)), tmp_path / "cold", workers=1).files
