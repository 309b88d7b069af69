"""A second language: translations share every figure, chart and check with their source pages; words
are translated, never shown in English where Russian is due; numbers and dates as CLDR writes them."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import PROJECT, run, run_captured, write

from factsite.i18n import source_version, translated_charts
from factsite.load import load_site
from factsite.pipeline import BuildOptions, build, rebuild
from factsite.validate import validate_site

NBSP = "\u00a0"
RU_SITE = """\
translations:
  ru:
    title: Учебный сайт
    description: Небольшой сайт для тестов.
"""
RU_INDEX = """\
---
title: Главная
description: Главная страница учебного сайта.
source_version: {version}
---
Агентство заявляет о {{{{ fact("total") }}}} ({{{{ fact("total", "compact") }}}}), а кто-то оценивает
число убитых в {{{{ fact("killed_range") }}}}. Доля — {{{{ fact("share") }}}}, отношение — {{{{ fact("ratio") }}}}.

{{{{ chart("rises") }}}}

См. [вторую страницу](second.html#later), 2023 год, 12 марта.
"""
RU_SECOND = """\
---
title: Вторая страница
description: Ещё немного учебного сайта.
nav_title: Вторая
source_version: {version}
---
## Позже {{: #later }}

Снова {{{{ fact("total") }}}} и база {{{{ fact("base") }}}}.

{{{{ chart("shares") }}}}
"""
RU_WORDS = """\
facts:
  total: {label: Всего по заявлению, unit: чел., counts: убитые и раненые, claimant: Агентство-пример,
          quote: Около 159 тысяч (перевод)}
  killed_range: {unit: чел., counts: убитые, claimant: Разведка-пример}
  share: {unit: "%", counts: доля погибших с неславянскими именами, claimant: А. Исследователь}
  base: {unit: на 100 тыс. мужчин, counts: убитые, claimant: А. Исследователь}
  ratio: {unit: раз, counts: отношение}
datasets:
  rises: {title: Прирост по дням}
  inline_rows: {title: Строки в файле}
"""


# The fixture's charts with their words in files, as a site in two languages writes them.
RISES_CHART = """\
import altair as alt


def chart(facts):
    words = facts.words
    return (
        alt.Chart(alt.Data(values=facts.dataset("rises")))
        .mark_bar()
        .encode(x=alt.X("date:N", title=words["x"]), y=alt.Y("rise:Q", title=words["y"]))
        .properties(
            title=words["title"],
            description=words["description"].format(low=facts.number(900), high=facts.number(1090)),
            width=300,
        )
    )
"""
SHARES_CHART = """\
import altair as alt


def chart(facts):
    rows = facts.dataset("inline_rows") + [{"group": "total", "share": facts["share"].value}]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(x="group:N", y="share:Q")
        .properties(title=facts.words["title"], description=facts.words["description"])
    )
"""
CHART_WORDS = {
    "rises": (
        "title: Rises by day\nx: Report date\ny: Rise\ndescription: Three bars rising from {low} to {high}.\n",
        "title: Прирост по дням\nx: Дата сводки\ny: Прирост\ndescription: Три столбца, от {low} до {high}.\n",
    ),
    "shares": (
        "title: Shares\ndescription: Two small groups and the share.\n",
        "title: Доли\ndescription: Две небольшие группы и доля.\n",
    ),
}


def write_chart_words(site: Path) -> None:
    """The fixture's charts rewritten to take their words from files, in English and Russian."""
    write(site, "content/charts/rises.py", RISES_CHART)
    write(site, "content/charts/shares.py", SHARES_CHART)
    for chart_id, (english, russian) in CHART_WORDS.items():
        write(site, f"content/charts/{chart_id}.yaml", english)
        write(site, f"content/charts/{chart_id}.ru.yaml", russian)


@pytest.fixture
def bilingual(site):
    """The fixture site with a Russian edition."""
    return with_russian(site)


def with_russian(site: Path) -> Path:
    """The site given a Russian edition: pages, facts' words, site.yaml's words and the charts' words."""
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "languages: [ru]\n" + RU_SITE)
    for name, text in (("index", RU_INDEX), ("second", RU_SECOND)):
        version = source_version((site / f"content/{name}.md").read_text())
        write(site, f"content/{name}.ru.md", text.format(version=version))
    write(site, "content/facts/main.ru.yaml", RU_WORDS)
    write_chart_words(site)
    return site


def test_the_russian_edition_writes_figures_and_words_the_russian_way(bilingual):
    assert run("build", "--site", str(bilingual), "--quiet") == 0
    out = bilingual / "_site"
    page = (out / "ru/index.html").read_text()
    assert '<html lang="ru">' in page
    assert f">159{NBSP}090<" in page and f">159{NBSP}тыс.<" in page and f">40{NBSP}000–\u206060{NBSP}000<" in page, (
        "a range is bound across its dash (word joiner)"
    )
    assert ">48,9\u202f%<" in page, "% set apart by a thin no-break space (Milchin; GOST 8.417)"
    assert "(заявляет: Агентство-пример)" in page, "who claims it, in Russian, for screen readers"
    assert 'href="sources.html#fact-total"' in page, "figures link to the Russian sources page"
    assert "Как читать цифры" in page and "How to read" not in page
    # The same chart, drawn with Russian words and formats, from the Russian folder.
    assert 'href="charts/rises.csv"' in page and (out / "ru/charts/rises.svg").is_file()
    # Alternates both ways, a switcher, the sitemap, the feed, JSON-LD.
    english = (out / "index.html").read_text()
    assert '<link rel="alternate" hreflang="ru" href="https://example.org/explainer/ru/">' in english
    assert '<link rel="alternate" hreflang="en" href="https://example.org/explainer/">' in page
    assert '<a href="../index.html" hreflang="en" lang="en">English</a>' in page
    assert '<a href="ru/index.html" hreflang="ru" lang="ru">Русский</a>' in english
    sitemap = (out / "sitemap.xml").read_text()
    assert sitemap.count('hreflang="ru" href="https://example.org/explainer/ru/second.html"') == 2
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ru">' in (out / "ru/feed.xml").read_text()
    facts = json.loads((out / "ru/facts.json").read_text())
    assert {f["id"]: f["display"] for f in facts["facts"]}["total"] == f"159{NBSP}090"
    sources = (out / "ru/sources.html").read_text()
    assert f"Источники и{NBSP}цифры" in sources and f"12{NBSP}марта 2023" in sources  # bound by the typography


def test_a_translation_showing_other_figures_or_missing_or_stale_is_reported(bilingual, capsys):
    page = bilingual / "content/second.ru.md"
    page.write_text(page.read_text().replace('база {{ fact("base") }}', "база"))
    source = bilingual / "content/second.md"
    source.write_text(source.read_text() + "\nA new sentence.\n")
    (bilingual / "content/third.md").write_text("---\ntitle: Third\ndescription: D.\n---\nText.\n")
    outcome = run_captured(capsys, "check", "--site", str(bilingual))
    assert outcome.code == 1
    messages = [e["message"] for e in outcome.errors]
    assert any(
        e["path"].endswith("content/second.ru.md")
        and e["message"].startswith("the translation shows other figures, charts or checks than")
        for e in outcome.errors
    ), messages
    assert any('missing fact("base")' in m for m in messages)
    [stale] = [e for e in outcome.errors if e["message"].startswith("translates an older")]
    assert f"source_version: {source_version(source.read_text())}" in stale["message"]
    assert stale["line"] == "5", "at the translation's source_version: line"
    # A page without its translation is no problem: check reports it once, among what is untranslated.
    assert not any("third" in e["path"] for e in outcome.errors), messages
    run("check", "--site", str(bilingual))
    said = capsys.readouterr().err
    assert "ru: 2 of 3 pages translated; untranslated, published in en with a notice" in said
    assert said.count("third") == 1, said


@pytest.mark.parametrize(
    "change, where, wanted",
    [
        (
            ("content/facts/main.ru.yaml", "  total: {label: Всего по заявлению, ", "  total: {"),
            "content/index.ru.md",
            'this page shows fact "total", which has no label in ru: add it to content/facts/main.ru.yaml',
        ),
        (
            ("content/facts/main.ru.yaml", "  ratio:", "  ratoi:"),
            "content/facts/main.ru.yaml",
            'words for unknown fact "ratoi" (did you mean "ratio"?)',
        ),
        (
            ("site.yaml", "languages: [ru]", "languages: [xx-QQ]"),
            "site.yaml",
            '"xx-QQ" is not a language tag CLDR knows',
        ),
        (("site.yaml", "languages: [ru]", "languages: [ru, ru]"), "site.yaml", '"ru" is listed twice'),
        (
            ("site.yaml", "    title: Учебный сайт\n", ""),
            "site.yaml",
            'give the site\'s title: and description: in "ru"',
        ),
    ],
)
def test_missing_words_and_bad_languages_are_refused_with_file_and_line(bilingual, capsys, change, where, wanted):
    path, old, new = change
    text = (bilingual / path).read_text()
    assert old in text
    (bilingual / path).write_text(text.replace(old, new, 1))
    outcome = run_captured(capsys, "build", "--site", str(bilingual))
    assert outcome.code == 1
    assert any(e["path"].endswith(where) and wanted in e["message"] and e["line"] for e in outcome.errors), (
        outcome.stderr
    )


def test_every_interface_string_is_in_the_catalog_and_translated(tmp_path):
    """pybabel extract finds no string the template lacks, and every catalog translates every one."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with (PROJECT / "factsite/theme/locales/messages.pot").open("rb") as handle:
        kept = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert wanted == kept, (
        f"run pybabel extract (CONTRIBUTING): new {sorted(wanted - kept)}, gone {sorted(kept - wanted)}"
    )
    catalogs = sorted((PROJECT / "factsite/theme/locales").glob("*/LC_MESSAGES/messages.po"))
    assert catalogs
    for path in catalogs:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        untranslated = [
            m.id
            for m in catalog
            if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
        ]
        assert untranslated == [], f"{path}: untranslated {untranslated}"
        assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} >= wanted, (
            f"{path}: run pybabel update"
        )


def test_the_explainer_in_russian_shares_every_figure(built_explainer):
    """Each Russian page shows the same figures as its English source, in Russian formats."""
    for english in sorted(built_explainer.glob("*.html")):
        russian = built_explainer / "ru" / english.name
        assert russian.is_file(), f"no Russian {english.name}"
        if english.name == "404.html":
            text = russian.read_text().replace("\u00a0", " ")  # the typography binds one-letter and short words
            assert "Страница не найдена" in text and 'href="/war-losses-explainer/ru/index.html"' in text
            continue
        facts_en = re.findall(r'data-fact="([a-z0-9_]+)"', english.read_text())
        facts_ru = re.findall(r'data-fact="([a-z0-9_]+)"', russian.read_text())
        assert sorted(facts_en) == sorted(facts_ru), english.name
    record = (built_explainer / "ru/record.html").read_text()
    assert (
        f">159{NBSP}090<" in record or f">159{NBSP}090<" in (built_explainer / "ru/what_159k_counts.html").read_text()
    )
    assert not re.search(r">\d{1,3},\d{3}<", record), "no English thousands separators on a Russian page"


def test_the_russian_words_of_the_explainer_exist_for_every_region(built_explainer):
    """Every region's and district's name has Russian words, so no chart or sentence falls back to English."""
    words = (PROJECT / "content/facts/regions.ru.yaml").read_text()
    regions = [
        line.split(",")[0]
        for line in (PROJECT / "content/data/regional_deaths.csv").read_text().splitlines()
        if line and not line.startswith(("#", "region,"))
    ]
    missing = [region for region in regions if f"{region}:" not in words and f'"{region}":' not in words]
    assert missing == []


def write_interface_words(site: Path, language: str) -> None:
    """The site's interface words in `language`: every theme message, as "<language> <message>"."""
    locales = Path(site) / f"locales/{language}/LC_MESSAGES"
    locales.mkdir(parents=True)
    with (PROJECT / "factsite/theme/locales/messages.pot").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    for message in catalog:  # every word translated: an untranslated one is refused (English on a French page)
        if message.id:
            plural = isinstance(message.id, tuple)
            message.string = (
                tuple(f"{language} {message.id[min(n, 1)]}" for n in range(catalog.num_plurals))
                if plural
                else f"{language} {message.id}"
            )
    with (locales / "messages.po").open("wb") as handle:
        write_po(handle, catalog)


def test_a_third_language_needs_only_words(bilingual, capsys):
    """Adding a language without interface words is refused with what to do."""
    (bilingual / "site.yaml").write_text(
        (bilingual / "site.yaml").read_text().replace("languages: [ru]", "languages: [ru, fr]")
    )
    outcome = run_captured(capsys, "build", "--site", str(bilingual))
    assert any(
        'no interface words for "fr": add locales/fr/LC_MESSAGES/messages.po' in e["message"] for e in outcome.errors
    )
    # The site's own interface words, its site.yaml words, pages and facts words: the third language builds,
    # each language with its own words (the second's must not stand in for the third's).
    write_interface_words(bilingual, "fr")
    site_yaml = bilingual / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "  fr:\n    title: Site d'essai\n    description: Un petit site.\n")
    for name in ("index", "second"):
        write(bilingual, f"content/{name}.fr.md", (bilingual / f"content/{name}.ru.md").read_text())
    write(bilingual, "content/facts/main.fr.yaml", RU_WORDS.replace("Всего по заявлению", "Total déclaré"))
    for chart_id, (_, russian) in CHART_WORDS.items():  # the charts' words too
        write(bilingual, f"content/charts/{chart_id}.fr.yaml", russian)
    outcome = run_captured(capsys, "build", "--site", str(bilingual))
    assert outcome.code == 0, outcome.stderr
    french, russian = ((bilingual / f"_site/{language}/index.html").read_text() for language in ("fr", "ru"))
    assert "<title>Главная · Site d&#39;essai</title>" in french and "Учебный сайт" in russian
    assert "Total déclaré" in (bilingual / "_site/fr/sources.html").read_text()


def test_the_address_given_with_base_url_reaches_every_language(bilingual):
    address = "https://fork.example.org/explainer/"
    assert run("build", "--site", str(bilingual), "--quiet", "--base-url", address) == 0
    out = bilingual / "_site"
    for name in ("index.html", "ru/index.html", "ru/second.html", "ru/feed.xml", "sitemap.xml"):
        text = (out / name).read_text()
        assert "https://example.org/explainer" not in text, f"{name} still names site.yaml's address"
    assert f'<link rel="canonical" href="{address}ru/second.html">' in (out / "ru/second.html").read_text()


def test_a_translation_has_its_own_dates_stylesheet_and_draft_flag(bilingual, capsys):
    """A translation published or corrected later says so, may carry its own stylesheet, and can be a
    draft that serve shows while build leaves it out (its source page stays published)."""
    second = bilingual / "content/second.ru.md"
    second.write_text(
        second.read_text().replace(
            "source_version:", "date: 2023-03-20\nupdated: 2023-04-02\ndraft: true\nsource_version:", 1
        )
    )
    outcome = run_captured(capsys, "build", "--site", str(bilingual))
    assert outcome.code == 0, outcome.stderr
    out = bilingual / "_site"
    assert (out / "second.html").exists()
    fallback = (out / "ru/second.html").read_text()  # the draft's source page, in English, with a notice
    assert 'class="page-untranslated"' in fallback and "переведена" in fallback and '<div lang="en">' in fallback
    assert run("build", "--site", str(bilingual), "--drafts", "--quiet") == 0
    page = (out / "ru/second.html").read_text()
    assert '<time datetime="2023-03-20">' in page and '<time datetime="2023-04-02">' in page
    assert "Draft:" in page or "Черновик" in page
    # Its own stylesheet, checked like a page's.
    second.write_text(second.read_text().replace("draft: true\n", "css: css/missing.css\n"))
    outcome = run_captured(capsys, "build", "--site", str(bilingual))
    assert outcome.code == 1
    assert [(e["line"], e["message"].split(":")[0]) for e in outcome.errors] == [("7", '"css"')]


def test_a_statement_entry_without_its_words_is_not_a_traceback(bilingual, capsys):
    """A words file naming a statement without its says: leaves the statement's words to the page."""
    main = bilingual / "content/facts/main.yaml"
    main.write_text(
        main.read_text() + "statements:\n  - id: total_large\n    says: The total is large\n    check: total > 1000\n"
    )
    index = bilingual / "content/index.md"
    index.write_text(index.read_text() + '\nThe total is large{{ check("total_large") }}.\n')
    for name in ("index.ru.md",):
        page = bilingual / "content" / name
        page.write_text(
            page.read_text().replace("source_version:", "statements:\n  total_large: Итог велик\nsource_version:", 1)
            + '\nИтог велик{{ check("total_large") }}.\n'
        )
    write(bilingual, "content/facts/main.ru.yaml", RU_WORDS + "statements:\n  total_large: {}\n")
    outcome = run_captured(capsys, "build", "--site", str(bilingual))
    assert outcome.code == 0, outcome.stderr
    assert "Итог велик" in (bilingual / "_site/ru/sources.html").read_text()


def test_the_prose_cache_keeps_every_languages_markup(bilingual, tmp_path):
    """A warm build needs no Markdown for a translated page either: its markup stays in the cache."""
    from factsite import keys, prose

    cache = tmp_path / "cache"
    assert run("build", "--site", str(bilingual), "--quiet", cache=cache) == 0
    kept = json.loads((cache / prose.CACHE_FILE).read_text())["markup"]
    translated = (bilingual / "content/second.ru.md").read_text().split("---\n", 2)[2]
    assert keys.body_key(translated) in kept


def test_a_language_whose_every_page_is_a_draft_keeps_to_its_folder(bilingual):
    """With no published page in Russian, the Russian sources page and feed still go to ru/, never over
    the site's own."""
    for name in ("index", "second"):
        page = bilingual / f"content/{name}.ru.md"
        page.write_text(page.read_text().replace("source_version:", "draft: true\nsource_version:", 1))
    assert run("build", "--site", str(bilingual), "--quiet") == 0
    out = bilingual / "_site"
    assert '<html lang="en">' in (out / "sources.html").read_text()
    assert 'xml:lang="en"' in (out / "feed.xml").read_text()
    assert 'class="page-untranslated"' in (out / "ru/index.html").read_text()  # the English page, with a notice


def untranslated_second(site: Path) -> None:
    """The bilingual site with its second page left untranslated, showing a figure that has no Russian
    words (only that page shows it)."""
    (site / "content/second.ru.md").unlink()
    facts = site / "content/facts/main.yaml"
    facts.write_text(
        facts.read_text().replace(
            "  - id: total\n",
            "  - id: second_only\n    label: Shown on the second page only\n    value: 17\n    unit: people\n"
            "    counts: killed\n    as_of: 2023-03-12\n    claimant: Example Agency\n    status: claim\n"
            "    sources: agency_report\n  - id: total\n",
            1,
        )
    )
    second = site / "content/second.md"
    second.write_text(second.read_text() + '\nAnd {{ fact("second_only") }} more.\n')


def test_an_untranslated_page_is_published_in_the_source_language_with_a_notice(bilingual, capsys):
    """untranslated: fallback (the default): ru/second.html is the English page, marked as English,
    under the Russian menu with a notice in Russian; it is not announced as a translation."""
    untranslated_second(bilingual)
    outcome = run_captured(capsys, "check", "--site", str(bilingual))
    assert outcome.code == 0, outcome.stderr
    assert run("build", "--site", str(bilingual), "--quiet") == 0
    out = bilingual / "_site"
    page = (out / "ru/second.html").read_text()
    assert '<html lang="ru">' in page and 'class="page-untranslated"' in page and "(английский)" in page
    assert '<h1 lang="en">Second page</h1>' in page and '<div lang="en"><h2 id="later">Later</h2>' in page
    assert '<link rel="canonical" href="https://example.org/explainer/second.html">' in page
    assert "hreflang" not in page, "an untranslated page names no alternates"
    # Its figures and chart are the English page's, linking to the English sources page and chart files.
    assert 'href="../sources.html#fact-second_only"' in page and 'data-spec="../charts/shares.spec.js"' in page
    assert not (out / "ru/charts/shares.svg").exists(), "the edition draws only charts its translated pages show"
    # The Russian menu offers it, marked as English; the English page offers no Russian version.
    assert '<a href="second.html" lang="en">Second</a>' in (out / "ru/index.html").read_text()
    assert 'hreflang="ru"' not in (out / "second.html").read_text()
    sitemap = (out / "sitemap.xml").read_text()
    assert (
        "explainer/ru/second.html" not in sitemap
        and 'hreflang="ru" href="https://example.org/explainer/ru/"' in sitemap
    )
    site = validate_site(load_site(bilingual))
    assert {chart: where.path.rsplit("/", 1)[-1] for chart, where in translated_charts(site, "ru").items()} == {
        "rises": "index.ru.md"
    }


def test_an_untranslated_page_can_be_left_out_of_the_edition(bilingual, capsys):
    """untranslated: omit: no ru/second.html, and neither the Russian menu nor the sitemap names it."""
    untranslated_second(bilingual)
    (bilingual / "site.yaml").write_text((bilingual / "site.yaml").read_text() + "untranslated: omit\n")
    index = bilingual / "content/index.ru.md"
    index.write_text(index.read_text().replace("](second.html#later)", "](../second.html#later)"))
    outcome = run_captured(capsys, "check", "--site", str(bilingual))
    assert outcome.code == 0, outcome.stderr
    assert run("build", "--site", str(bilingual), "--quiet") == 0
    out = bilingual / "_site"
    assert not (out / "ru/second.html").exists() and (out / "second.html").exists()
    assert 'href="second.html"' not in (out / "ru/index.html").read_text()
    assert "ru/second.html" not in (out / "sitemap.xml").read_text()
    (bilingual / "site.yaml").write_text((bilingual / "site.yaml").read_text().replace("omit", "omitt"))
    outcome = run_captured(capsys, "check", "--site", str(bilingual))
    assert outcome.code == 1 and 'did you mean "omit"' in outcome.stderr, outcome.stderr


def test_an_edition_cannot_leave_out_its_home_page(bilingual, capsys):
    """untranslated: omit with the home page untranslated would leave every page's site title leading
    nowhere: refused at site.yaml's untranslated: line, naming the file to write."""
    (bilingual / "content/index.ru.md").unlink()
    (bilingual / "site.yaml").write_text((bilingual / "site.yaml").read_text() + "untranslated: omit\n")
    line = (bilingual / "site.yaml").read_text().splitlines().index("untranslated: omit") + 1
    outcome = run_captured(capsys, "check", "--site", str(bilingual))
    assert outcome.code == 1
    assert f"site.yaml:{line}: error: " in outcome.stderr and "content/index.ru.md" in outcome.stderr, outcome.stderr


def test_serve_rebuilds_an_untranslated_pages_fallback_when_its_source_changes(bilingual, tmp_path):
    """serve's rebuilds make the other languages again whole: the fallback copy follows its source."""
    untranslated_second(bilingual)
    first = build(BuildOptions(bilingual, tmp_path / "cache"))
    assert b'class="page-untranslated"' in first.files["ru/second.html"]
    second = bilingual / "content/second.md"
    second.write_text(second.read_text().replace("Again", "Once more"))
    assert b"Once more" in rebuild(first).files["ru/second.html"]


def test_an_untranslated_pages_claims_and_corrections_are_marked_with_their_language(tmp_path):
    """The explainer with its Russian home and method pages untranslated: their fallback copies show
    the claims summary and the corrections log in English, each marked with the site's language (the interface
    words around them stay Russian)."""
    site = tmp_path / "site"
    site.mkdir()
    for part in ("site.yaml", "content", "templates"):
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        elif source.exists():
            shutil.copy(source, site / part)
    (site / "content/index.ru.md").unlink()
    (site / "content/method.ru.md").unlink()
    assert run("build", "--site", str(site), "--quiet") == 0
    home = (site / "_site/ru/index.html").read_text()
    assert re.search(r'<p class="verdict-claim" lang="en(-GB)?">', home)
    assert re.search(r'<span class="claimant-chip" lang="en(-GB)?"', home)
    assert 'id="verdicts-heading">Заявления' in home, "the interface's words stay Russian"
    method = (site / "_site/ru/method.html").read_text()
    assert re.search(r'<p class="correction-reason">[^<]+<span lang="en(-GB)?">', method), "the log marked English"
    own = (site / "_site/index.html").read_text()
    assert 'class="verdict-claim">' in own and 'class="verdict-claim" lang=' not in own
