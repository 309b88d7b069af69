"""Incremental rebuilds: after each edit, only what depends on it is rendered, and the result
equals a full build of the same files byte for byte."""

import shutil
from pathlib import Path

import pytest
from conftest import CHART_CACHE, edit

from factsite import pipeline
from factsite.errors import ContentErrors
from factsite.load import THEME, load_site
from factsite.render import render_site
from factsite.validate import validate_site
from factsite.write import write_site


def full_files(site: Path) -> dict:
    """What a fresh full build makes of the site as it is now (nothing remembered but chart images)."""
    return render_site(validate_site(load_site(site)), CHART_CACHE, workers=1).files


def write_words(site: Path, download: str) -> None:
    """The site's English catalog, naming the charts' download links `download`."""
    words = site / "locales/en/LC_MESSAGES/messages.po"
    words.parent.mkdir(parents=True, exist_ok=True)
    words.write_text(
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Download:"\nmsgstr "{download}"\n'
    )


@pytest.fixture
def bigger_site(site):
    """The fixture site and six more pages: three use the fact "total", three "base" and a chart."""
    for number in range(3):
        (site / f"content/uses_total_{number}.md").write_text(
            f'---\ntitle: Total {number}\ndescription: Uses total.\n---\nThe total is {{{{ fact("total") }}}}.\n'
        )
        (site / f"content/uses_base_{number}.md").write_text(
            f'---\ntitle: Base {number}\ndescription: Uses base.\n---\nThe base is {{{{ fact("base") }}}}.\n\n'
            '{{ chart("shares") }}\n'
        )
    return site


def test_each_edit_renders_only_what_depends_on_it_and_matches_a_full_build(bigger_site):
    site, cache = bigger_site, CHART_CACHE
    # The site replaces two of the theme's templates with its own copies, which the steps edit.
    (site / "templates").mkdir()
    (site / "static").mkdir()
    for name in ("_chart.html", "page.html"):
        shutil.copy(THEME / "templates" / name, site / "templates" / name)
    build = pipeline.build(pipeline.BuildOptions(site, cache))
    assert build.files == full_files(site)
    steps = [
        # (what to do, pages expected to be rendered again, charts expected to run again)
        (
            lambda: edit(site / "content/uses_total_1.md", "The total is", "Now the total is"),
            {"uses_total_1.html"},
            set(),
        ),
        (
            lambda: edit(site / "content/facts/main.yaml", "value: 159090", "value: 159091"),
            {"index.html", "second.html", "uses_total_0.html", "uses_total_1.html", "uses_total_2.html"},
            set(),
        ),
        (
            lambda: edit(site / "content/facts/main.yaml", "value: 48.9", "value: 49.1"),
            {"index.html", "second.html", "uses_base_0.html", "uses_base_1.html", "uses_base_2.html"},
            {"shares"},
        ),
        (lambda: edit(site / "content/charts/rises.py", "Rises by day", "Rises, by day"), {"index.html"}, {"rises"}),
        (
            lambda: edit(site / "templates/_chart.html", "Download:", "Downloads:"),
            {"index.html", "second.html", "uses_base_0.html", "uses_base_1.html", "uses_base_2.html"},
            set(),
        ),
        # a source's publisher shows in the captions and source lines of charts citing it, and in the cards
        # of figures citing it
        (
            lambda: edit(
                site / "content/facts/main.yaml", "publisher: Example Statistics Office", "publisher: Example Office"
            ),
            {"index.html", "second.html", "uses_base_0.html", "uses_base_1.html", "uses_base_2.html"},
            {"shares"},
        ),
        (
            lambda: edit(site / "content/second.md", "title: Second page", "title: Second page, renamed"),
            {"second.html"},
            set(),
        ),
        (
            lambda: edit(site / "content/second.md", "nav_title: Second", "nav_title: Two"),
            None,
            set(),
        ),  # in every page's navigation
        (
            lambda: (site / "content/added.md").write_text(
                '---\ntitle: Added\ndescription: New.\n---\nNew {{ fact("share") }}.\n'
            ),
            {"added.html"},
            set(),
        ),
        ((site / "content/uses_total_2.md").unlink, set(), set()),
        (lambda: (site / "static/extra.txt").write_text("a static file\n"), set(), set()),
        (lambda: edit(site / "content/data/rises.csv", "900", "901"), {"index.html"}, {"rises"}),
        (
            lambda: edit(site / "site.yaml", "title: Fixture explainer", "title: Fixture explainer, renamed"),
            None,
            set(),
        ),
        (lambda: edit(site / "templates/page.html", "<article>", '<article class="page">'), None, set()),
        (lambda: write_words(site, "Downloads:"), None, set()),  # the site's interface words, on every page
        (lambda: write_words(site, "Get the data:"), None, set()),
        (
            lambda: (site / "templates/special.html").write_text(
                '{% extends "page.html" %}\n{% block head %}<meta name="x">{% endblock %}\n'
            ),
            set(),
            set(),
        ),
        (
            lambda: edit(
                site / "content/uses_base_0.md",
                "description: Uses base.",
                "description: Uses base.\ntemplate: special.html",
            ),
            {"uses_base_0.html"},
            set(),
        ),
        (lambda: edit(site / "templates/special.html", 'name="x"', 'name="y"'), {"uses_base_0.html"}, set()),
        # a page's share chart is rendered to PNG among the site-wide files
        (
            lambda: edit(
                site / "content/uses_total_0.md",
                "description: Uses total.",
                "description: Uses total.\nshare_chart: shares",
            ),
            {"uses_total_0.html"},
            set(),
        ),
    ]
    for number, (change, pages, charts) in enumerate(steps, start=1):
        change()
        build = pipeline.rebuild(build)
        expected = full_files(site)
        assert sorted(build.files) == sorted(expected), f"step {number}"
        assert build.files == expected, f"step {number}: {[n for n in expected if build.files.get(n) != expected[n]]}"
        if pages is not None:
            assert set(build.rendered_pages) == pages, f"step {number}"
        else:
            assert set(build.rendered_pages) == {p.filename for p in build.site.pages}, f"step {number}"
        assert set(build.rendered_charts) == charts, f"step {number}"
    (site / "templates/special.html").unlink()
    with pytest.raises(ContentErrors, match=r'no template "special\.html"'):
        pipeline.rebuild(build)


def test_a_body_edit_keeps_the_other_output_files_as_they_were(bigger_site):
    build = pipeline.build(pipeline.BuildOptions(bigger_site, CHART_CACHE))
    edit(bigger_site / "content/uses_total_0.md", "The total is", "The total was")
    after = pipeline.rebuild(build)
    changed = {name for name in after.files if after.files[name] is not build.files.get(name)}
    assert changed == {"uses_total_0.html"}  # sources page, facts.json and the rest reused, not made again


def test_a_broken_edit_raises_and_the_last_good_build_stays_usable(bigger_site):
    build = pipeline.build(pipeline.BuildOptions(bigger_site, CHART_CACHE))
    page = bigger_site / "content/uses_total_0.md"
    good = page.read_text()
    page.write_text(good.replace('fact("total")', 'fact("totl")'))
    with pytest.raises(ContentErrors) as raised:
        pipeline.rebuild(build)
    assert 'unknown fact "totl" (did you mean "total"?)' in str(raised.value)
    page.write_text(good.replace("The total is", "Fixed: the total is"))
    after = pipeline.rebuild(build)
    assert after.rendered_pages == ("uses_total_0.html",)
    assert after.files == full_files(bigger_site)


def test_nothing_changed_renders_nothing(bigger_site):
    build = pipeline.build(pipeline.BuildOptions(bigger_site, CHART_CACHE))
    again = pipeline.rebuild(build)
    assert again.rendered_pages == () and again.files is build.files


def test_written_rebuild_equals_a_full_build_on_disk(bigger_site, tmp_path):
    build = pipeline.build(pipeline.BuildOptions(bigger_site, CHART_CACHE))
    out = tmp_path / "out"
    write_site(build.files, out, bigger_site)
    edit(bigger_site / "content/uses_total_0.md", "The total is", "The total was")
    write_site(pipeline.rebuild(build, [bigger_site / "content/uses_total_0.md"]).files, out, bigger_site)
    written = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != ".factsite-manifest"
    }
    assert written == full_files(bigger_site)


def test_the_sites_interface_words_are_read_again_when_they_change(bigger_site):
    """locales/ is an input: a rebuild after an edit to a catalog shows the new words on every page
    (the catalog is not kept from the first time it was read)."""
    build = pipeline.build(pipeline.BuildOptions(bigger_site, CHART_CACHE))
    for label in ("Downloads:", "Get the data:"):
        write_words(bigger_site, label)
        build = pipeline.rebuild(build)
        assert f"{label}\n" in build.files["index.html"].decode()
        assert build.files == full_files(bigger_site)


def test_each_language_remakes_only_what_depends_on_the_edit(site):
    """A site with a Russian edition: each edition's pages, charts and files besides them are taken
    from the previous build unless something they read changed, and the result equals a full build."""
    from test_languages import with_russian

    with_russian(site)
    build = pipeline.build(pipeline.BuildOptions(site, CHART_CACHE))
    assert build.files == full_files(site)
    steps = [
        # (what to do, pages expected to be rendered again in every language)
        (lambda: edit(site / "content/index.ru.md", "См. [", "Смотрите ["), {"ru/index.html"}),
        (
            lambda: edit(site / "content/second.md", "title: Second page", "title: Second page, renamed"),
            {"second.html"},
        ),
        (
            lambda: edit(site / "content/facts/main.yaml", "value: 159090", "value: 159091"),
            {"index.html", "second.html", "ru/index.html", "ru/second.html"},
        ),
    ]
    for number, (change, pages) in enumerate(steps, start=1):
        before = build
        change()
        build = pipeline.rebuild(build)
        assert build.files == full_files(site), f"step {number}"
        assert set(build.rendered_pages) == pages, f"step {number}"
        kept = {name for name in build.files if name.startswith("ru/") and build.files[name] is before.files[name]}
        assert kept >= ({"ru/sources.html", "ru/facts.json"} if number == 1 else set()), f"step {number}"
