"""Wrong results and reports made right: a check over no rows, pages that collide with generated files,
the output folder's message, YAML numbers, cascading errors, duplicate CSV headers, orphan words files,
incomplete catalogs and control characters. Each is refused with `path:line: error:` and the previous
`_site/` is left as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import CHART_CACHE, PROJECT, Outcome, make_site, require_tool, run, run_captured, write
from test_languages import RU_INDEX, RU_SECOND, RU_SITE, RU_WORDS, write_chart_words

from factsite import pipeline
from factsite import write as write_stage
from factsite.errors import ContentErrors
from factsite.i18n import source_version
from factsite.safe_yaml import parse_yaml


def build(capsys, site: Path):
    return run_captured(capsys, "build", "--site", str(site))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(site):
    """The fixture site built once, so a refused build can be seen to leave `_site/` as it was."""
    assert run("build", "--site", str(site), "--quiet") == 0
    return site


def refused(outcome, site: Path, before: dict[str, bytes]) -> list:
    """The errors of a refused build, which left `_site/` byte for byte as it was."""
    assert outcome.code == 1, outcome.stderr
    assert snapshot(site / "_site") == before, "a refused build changed the previous output"
    return outcome.errors


# ---- a check over no rows --------------------------------------------------------------------


@pytest.mark.parametrize(
    "check",
    [
        'all(rises, rise > 1000000, where=date == "2O23-03-10")',  # letter O for a zero: no row matches
        'any(rises, rise > 0, where=date > "2024")',
    ],
)
def test_a_statement_over_no_rows_fails_instead_of_holding(built, capsys, check):
    main = built / "content/facts/main.yaml"
    main.write_text(
        main.read_text() + f"statements:\n  - id: typo\n    says: Every rise was small\n    check: {check}\n"
    )
    before = snapshot(built / "_site")
    errors = refused(build(capsys, built), built, before)
    assert len(errors) == 1, [e.string for e in errors]
    assert errors[0]["path"].endswith("content/facts/main.yaml")
    assert errors[0]["line"] == str(main.read_text().splitlines().index("  - id: typo") + 1)
    assert 'no row of "rises" matches' in errors[0]["message"]


def test_an_all_whose_every_cell_is_empty_fails(built, capsys):
    write(built, "content/data/blank.csv", "region,rate\nA,\nB,\n")
    main = built / "content/facts/main.yaml"
    text = main.read_text().replace(
        "datasets:\n", "datasets:\n  - id: blank\n    title: Blank\n    sources: survey\n    csv: data/blank.csv\n", 1
    )
    main.write_text(
        text + "statements:\n  - id: blank_low\n    says: Every rate is low\n    check: all(blank, rate < 5)\n"
    )
    before = snapshot(built / "_site")
    errors = refused(build(capsys, built), built, before)
    assert len(errors) == 1 and 'no row of "blank" has a value' in errors[0]["message"], [e.string for e in errors]


# ---- pages that collide with generated files -------------------------------------------------


@pytest.fixture
def bilingual(built):
    """The built fixture site with a Russian edition (test_languages' pages), built again."""
    (built / "site.yaml").write_text((built / "site.yaml").read_text() + "languages: [ru]\n" + RU_SITE)
    for name, text in (("index", RU_INDEX), ("second", RU_SECOND)):
        version = source_version((built / f"content/{name}.md").read_text())
        write(built, f"content/{name}.ru.md", text.format(version=version))
    write(built, "content/facts/main.ru.yaml", RU_WORDS)
    write_chart_words(built)
    assert run("build", "--site", str(built), "--quiet") == 0
    return built


PAGE = "---\ntitle: Look-alike\ndescription: A page named like a generated one.\n---\nText.\n"


def test_a_page_named_404_is_refused(built, capsys):
    before = snapshot(built / "_site")
    write(built, "content/404.md", PAGE)
    errors = refused(build(capsys, built), built, before)
    assert [e["path"].split("site/")[-1] for e in errors] == ["content/404.md"], [e.string for e in errors]
    assert '"404.html"' in errors[0]["message"] and "rename this page" in errors[0]["message"]


@pytest.mark.parametrize(
    "name, other",
    [
        ("ru/index.md", "content/index.ru.md"),
        ("ru/second.md", "content/second.ru.md"),
        ("ru/sources.md", "the ru sources page"),
    ],
)
def test_a_page_in_a_language_folder_that_collides_is_refused(bilingual, capsys, name, other):
    before = snapshot(bilingual / "_site")
    write(bilingual, f"content/{name}", PAGE)
    errors = refused(build(capsys, bilingual), bilingual, before)
    assert [e["path"].split("site/")[-1] for e in errors] == [f"content/{name}"], [e.string for e in errors]
    assert f'"{name[:-3]}.html"' in errors[0]["message"] and other in errors[0]["message"]


# ---- an output folder the build cannot replace -----------------------------------------------


def test_an_output_folder_that_is_a_link_is_refused_before_anything_is_written(built, capsys, tmp_path):
    real = tmp_path / "real"
    (built / "_site").rename(real)
    (built / "_site").symlink_to(real)
    before = snapshot(real)
    write(built, "content/index.md", (built / "content/index.md").read_text() + "\nA new line.\n")
    outcome = build(capsys, built)
    assert outcome.code == 2
    [error] = outcome.errors
    assert "symbolic link" in error["message"] and "nothing was written" in error["message"]
    assert "untouched" not in error["message"]
    assert (built / "_site").is_symlink() and snapshot(real) == before
    assert not list(built.glob("._site.building-*")), "no leftover beside _site"


def run_as_another_user(site: Path, cache: Path) -> subprocess.CompletedProcess:
    """build.py as a user who is not root (root may delete anything): this user, or `nobody` through
    setpriv when the tests run as root."""
    command = [
        sys.executable,
        str(PROJECT / "build.py"),
        "build",
        "--site",
        str(site),
        "--cache",
        str(cache),
        "--quiet",
    ]
    if os.geteuid() == 0:
        require_tool(shutil.which("setpriv") is not None, "setpriv (util-linux) is needed to build as another user")
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    env = {**os.environ, "HOME": str(site.parent), "XDG_CACHE_HOME": str(site.parent / ".cache")}
    return subprocess.run(command, capture_output=True, text=True, cwd=site, env=env, timeout=300, check=False)


def test_an_output_folder_this_user_cannot_write_is_refused_before_the_swap(tmp_path):
    # A folder every user may enter, owned by whoever builds: the pytest folder is root's alone.
    with tempfile.TemporaryDirectory() as scratch:
        os.chmod(scratch, 0o755)
        site = make_site(Path(scratch) / "site")
        assert run("build", "--site", str(site), "--quiet") == 0
        cache = Path(shutil.copytree(CHART_CACHE, site / ".cache" / "copied"))
        if os.geteuid() == 0:
            for path in [site, *site.rglob("*")]:
                os.lchown(path, 65534, 65534)
        os.chmod(site / "_site" / "charts", 0o555)
        before = snapshot(site / "_site")
        write(site, "content/index.md", (site / "content/index.md").read_text() + "\nA new line.\n")
        result = run_as_another_user(site, cache)
        os.chmod(site / "_site" / "charts", 0o755)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "_site/charts" in result.stderr and "nothing was written" in result.stderr, result.stderr
        assert snapshot(site / "_site") == before
        assert not list(site.glob("._site.building-*"))


def test_a_previous_output_that_cannot_be_deleted_after_the_swap_is_told_as_such(tmp_path, monkeypatch):
    site, out = tmp_path / "site", tmp_path / "site" / "_site"
    site.mkdir()
    write_stage.write_site({"index.html": b"old"}, out, site)
    real_rmtree = shutil.rmtree

    def refuse_the_previous_build(path, *args, **kwargs):
        if (Path(path) / "index.html").read_bytes() == b"old" and not kwargs.get("ignore_errors"):
            raise PermissionError(13, "Permission denied")
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(write_stage.shutil, "rmtree", refuse_the_previous_build)
    with pytest.raises(write_stage.OutputError) as refused_delete:
        write_stage.write_site({"index.html": b"new"}, out, site)
    message = str(refused_delete.value)
    assert "the new site is in place" in message and "untouched" not in message
    assert (out / "index.html").read_bytes() == b"new"


def test_where_folders_cannot_be_swapped_in_one_step_a_failed_swap_puts_the_previous_output_back(tmp_path, monkeypatch):
    site, out = tmp_path / "site", tmp_path / "site" / "_site"
    site.mkdir()
    write_stage.write_site({"index.html": b"old"}, out, site)
    real_rename = Path.rename

    def refuse_the_new_build(self, target):
        if self.name.startswith("._site.building-") and not self.name.endswith("-old"):
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(write_stage, "exchange", lambda first, second: False)
    monkeypatch.setattr(Path, "rename", refuse_the_new_build)
    with pytest.raises(write_stage.OutputError, match="the previous output is untouched"):
        write_stage.write_site({"index.html": b"new"}, out, site)
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in site.iterdir()) == ["_site"]


# ---- YAML numbers: YAML 1.2's decimal forms only -----------------------------------------------


@pytest.mark.parametrize("written", ["0755", "0x1F", "0o17", "1:30", "1_000"])
def test_a_figure_in_a_yaml_1_1_number_form_is_refused_not_changed(built, capsys, written):
    main = built / "content/facts/main.yaml"
    before = snapshot(built / "_site")
    main.write_text(main.read_text().replace("    value: 159090\n", f"    value: {written}\n", 1))
    errors = refused(build(capsys, built), built, before)
    assert [(e["path"].split("site/")[-1], e["line"]) for e in errors] == [("content/facts/main.yaml", "15")], [
        e.string for e in errors
    ]
    assert f'"{written}" is text' in errors[0]["message"]


def test_numbers_are_read_as_yaml_1_2_writes_them(built):
    main = built / "content/facts/main.yaml"
    main.write_text(main.read_text().replace("    value: 159090\n", "    value: 1.5909e5\n", 1))
    write(built, "content/second.md", (built / "content/second.md").read_text().replace("title: ", "title: 1:30 ", 1))
    assert run("build", "--site", str(built), "--quiet") == 0
    assert "159,090" in (built / "_site/index.html").read_text()
    assert "<title>1:30" in (built / "_site/second.html").read_text()  # the typography may bind the next word
    assert parse_yaml("[0755, 0x1F, 1:30, 2e4, -3, .5, 12]", "x.yaml") == ["0755", "0x1F", "1:30", 20000.0, -3, 0.5, 12]


# ---- a wrong languages: entry is reported alone ----------------------------------------------


@pytest.mark.parametrize(
    "listed, message",
    [
        ("ru", '"languages": must be a list'),
        ("[rus]", 'no interface words for "rus"'),
        ("[ru, klingon]", '"klingon" is not a language tag'),
        ("[ru, ru]", '"ru" is listed twice'),
    ],
)
def test_a_wrong_languages_entry_is_the_only_error(bilingual, capsys, listed, message):
    before = snapshot(bilingual / "_site")
    config = bilingual / "site.yaml"
    config.write_text(config.read_text().replace("languages: [ru]\n", f"languages: {listed}\n", 1))
    errors = refused(build(capsys, bilingual), bilingual, before)
    assert len(errors) == 1, [e.string for e in errors]
    assert errors[0]["path"].endswith("site.yaml") and message in errors[0]["message"]


# ---- a duplicate CSV header ------------------------------------------------------------------


def test_a_csv_header_naming_a_column_twice_is_refused(built, capsys):
    before = snapshot(built / "_site")
    write(
        built,
        "content/data/rises.csv",
        "# a comment line\ndate,rise,rise\n2023-03-10,900,1\n2023-03-11,1010,2\n2023-03-12,1090,3\n",
    )
    errors = refused(build(capsys, built), built, before)
    assert [(e["path"].split("site/")[-1], e["line"]) for e in errors] == [("content/data/rises.csv", "2")], [
        e.string for e in errors
    ]
    assert 'column "rise" twice (columns 2 and 3)' in errors[0]["message"]


# ---- words files: one per facts file, one word per id ----------------------------------------


def test_a_words_file_for_a_facts_file_that_does_not_exist_is_refused(bilingual, capsys):
    before = snapshot(bilingual / "_site")
    write(
        bilingual,
        "content/facts/ghost.ru.yaml",
        "facts:\n  total: {label: Подменённая подпись, unit: чел., counts: убитые,"
        " claimant: Подмена, quote: Подмена}\n",
    )
    errors = refused(build(capsys, bilingual), bilingual, before)
    assert [(e["path"].split("site/")[-1], e["line"]) for e in errors] == [("content/facts/ghost.ru.yaml", "1")], [
        e.string for e in errors
    ]
    assert "content/facts/ghost.yaml, which does not exist" in errors[0]["message"]


def test_words_given_twice_for_one_fact_are_refused(bilingual, capsys):
    before = snapshot(bilingual / "_site")
    write(bilingual, "content/facts/other.yaml", "facts: []\n")
    write(
        bilingual,
        "content/facts/other.ru.yaml",
        "facts:\n  total: {label: Подменённая подпись, unit: чел., counts: убитые,"
        " claimant: Подмена, quote: Подмена}\n",
    )
    errors = refused(build(capsys, bilingual), bilingual, before)
    assert [(e["path"].split("site/")[-1], e["line"]) for e in errors] == [("content/facts/other.ru.yaml", "2")], [
        e.string for e in errors
    ]
    assert (
        'words for fact "total" are given twice: also at ' in errors[0]["message"]
        and "main.ru.yaml:2" in errors[0]["message"]
    )


# ---- interface words: a catalog that is broken or incomplete ---------------------------------

THEME_RU = PROJECT / "factsite/theme/locales/ru/LC_MESSAGES/messages.po"
CHARTS_ENTRY = 'msgid "Charts"\nmsgstr "Графики"\n'


@pytest.mark.parametrize(
    "entry, line, message",
    [  # line: counted from the entry's first line
        ('#, fuzzy\nmsgid "Charts"\nmsgstr "Графики"\n', 1, '"Charts" is marked fuzzy'),
        ('msgid "Charts"\nmsgstr ""\n', 0, '"Charts" is not translated'),
        ("", None, '1 interface word missing, which readers would see in English: "Charts"'),
        ('msgid "Charts\nmsgstr "Графики"\n', 0, "not a line of a catalog"),
        ('msgid "Charts"\nGraphs\nmsgstr "Графики"\n', 1, "not a line of a catalog"),
        ('msgid "Charts"\n', 0, "cannot read the catalog: missing msgstr"),
        ('msgid "Charts"\nmsgstr "Гра\x01фики"\n', 0, "U+0001 cannot be published"),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_catalog_that_would_show_english_words_is_refused(bilingual, capsys, entry, line, message, command):
    before = snapshot(bilingual / "_site")
    text = THEME_RU.read_text()
    assert CHARTS_ENTRY in text
    po = write(bilingual, "locales/ru/LC_MESSAGES/messages.po", text.replace(CHARTS_ENTRY, entry, 1))
    capsys.readouterr()
    code = run(command, "--site", str(bilingual), "--quiet")
    printed = capsys.readouterr()
    assert printed.out == "", "nothing on stdout (babel warns there of lines it skips)"
    errors = refused(Outcome(code, printed.err), bilingual, before)
    entry_line = text[: text.index(CHARTS_ENTRY)].count("\n") + 1  # where the entry starts in the catalog
    expected = None if line is None else entry_line + line
    assert [(e["path"], e["line"] and int(e["line"])) for e in errors] == [(str(po), expected)], [
        e.string for e in errors
    ]
    assert message in errors[0]["message"]


def test_a_complete_site_catalog_passes(bilingual, capsys):
    write(
        bilingual,
        "locales/ru/LC_MESSAGES/messages.po",
        THEME_RU.read_text().replace('msgstr "Графики"', 'msgstr "Диаграммы"', 1),
    )
    outcome = run_captured(capsys, "check", "--site", str(bilingual))
    assert outcome.code == 0, outcome.stderr


# ---- control characters written as YAML escapes ---------------------------------------------


@pytest.mark.parametrize(
    "path, old, new, line",
    [
        ("site.yaml", "title: Fixture explainer", r'title: "Fixture\x01 explainer"', 1),
        ("content/second.md", "title: Second page", r'title: "Second\x1b[31m page"', 2),
        ("content/facts/main.yaml", '    quote: "About 159 thousand"', r'    quote: "About 159\x00 thousand"', 22),
        ("content/facts/main.yaml", "    publisher: Example Agency", r'    publisher: "Example \ud800Agency"', 3),
        ("content/facts/main.yaml", "    publisher: Example Agency", r'    publisher: "Example \uFFFEAgency"', 3),
    ],
)
def test_a_character_xml_cannot_hold_is_refused_where_it_is_written(built, capsys, path, old, new, line):
    before = snapshot(built / "_site")
    text = (built / path).read_text()
    assert old in text
    (built / path).write_text(text.replace(old, new, 1))
    errors = refused(build(capsys, built), built, before)
    assert [(e["path"].split("site/")[-1], e["line"]) for e in errors] == [(path, str(line))], [
        e.string for e in errors
    ]
    assert "cannot be published (XML, so feed.xml, cannot hold it)" in errors[0]["message"]


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.mark.parametrize(
    "relative, output",
    [
        ("static/ru/index.html", "ru/index.html"),
        ("static/ru/feed.xml", "ru/feed.xml"),
        ("content/ru/charts/rises.png", "ru/charts/rises.png"),
    ],
)
def test_a_file_where_an_edition_writes_its_own_is_refused(bilingual, capsys, relative, output):
    assert (bilingual / "_site" / output).is_file()
    before = snapshot(bilingual / "_site")
    path = bilingual / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PNG if relative.endswith(".png") else b"<p>look-alike</p>\n")
    errors = refused(build(capsys, bilingual), bilingual, before)
    assert [e["path"].split("site/")[-1] for e in errors] == [relative], [e.string for e in errors]
    assert f'"ru" edition\'s generated "{output}"' in errors[0]["message"]


def test_serve_refuses_a_file_where_an_edition_writes_its_own(bilingual):
    write(bilingual, "static/ru/index.html", "<p>look-alike</p>\n")
    with pytest.raises(ContentErrors) as refused_build:
        pipeline.build(pipeline.BuildOptions(bilingual, CHART_CACHE))
    assert [(e.path.split("site/")[-1], e.message) for e in refused_build.value.errors] == [
        ("static/ru/index.html", 'would replace the "ru" edition\'s generated "ru/index.html"; rename it')
    ]
