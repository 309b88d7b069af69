"""Wrong results and reports made right: a check over no rows, pages that collide with generated files,
the output folder's message, YAML numbers, cascading errors, duplicate CSV headers, orphan words files,
incomplete catalogs and control characters. Each is refused with `path:line: error:` and the previous
`_site/` is left as it was."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run, run_captured, write
from factsite.i18n import source_version
from test_languages import RU_INDEX, RU_SECOND, RU_SITE, RU_WORDS


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


@pytest.mark.parametrize("check", [
    'all(rises, rise > 1000000, where=date == "2O23-03-10")',  # letter O for a zero: no row matches
    'any(rises, rise > 0, where=date > "2024")',
])
def test_a_statement_over_no_rows_fails_instead_of_holding(built, capsys, check):
    main = built / "content/facts/main.yaml"
    main.write_text(main.read_text() + f"statements:\n  - id: typo\n    says: Every rise was small\n    check: {check}\n")
    before = snapshot(built / "_site")
    errors = refused(build(capsys, built), built, before)
    assert len(errors) == 1, [e.string for e in errors]
    assert errors[0]["path"].endswith("content/facts/main.yaml")
    assert errors[0]["line"] == str(main.read_text().splitlines().index("  - id: typo") + 1)
    assert 'no row of "rises" matches' in errors[0]["message"]


def test_an_all_whose_every_cell_is_empty_fails(built, capsys):
    write(built, "content/data/blank.csv", "region,rate\nA,\nB,\n")
    main = built / "content/facts/main.yaml"
    text = main.read_text().replace("datasets:\n", "datasets:\n  - id: blank\n    title: Blank\n    sources: survey\n    csv: data/blank.csv\n", 1)
    main.write_text(text + "statements:\n  - id: blank_low\n    says: Every rate is low\n    check: all(blank, rate < 5)\n")
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
    assert run("build", "--site", str(built), "--quiet") == 0
    return built


PAGE = "---\ntitle: Look-alike\ndescription: A page named like a generated one.\n---\nText.\n"


def test_a_page_named_404_is_refused(built, capsys):
    before = snapshot(built / "_site")
    write(built, "content/404.md", PAGE)
    errors = refused(build(capsys, built), built, before)
    assert [e["path"].split("site/")[-1] for e in errors] == ["content/404.md"], [e.string for e in errors]
    assert '"404.html"' in errors[0]["message"] and "rename this page" in errors[0]["message"]


@pytest.mark.parametrize("name, other", [
    ("ru/index.md", "content/index.ru.md"),
    ("ru/second.md", "content/second.ru.md"),
    ("ru/sources.md", "the ru sources page"),
])
def test_a_page_in_a_language_folder_that_collides_is_refused(bilingual, capsys, name, other):
    before = snapshot(bilingual / "_site")
    write(bilingual, f"content/{name}", PAGE)
    errors = refused(build(capsys, bilingual), bilingual, before)
    assert [e["path"].split("site/")[-1] for e in errors] == [f"content/{name}"], [e.string for e in errors]
    assert f'"{name[:-3]}.html"' in errors[0]["message"] and other in errors[0]["message"]
