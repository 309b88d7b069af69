"""factsite as a package: a wheel built from this repository installs into a fresh virtual
environment outside it, and there `factsite new` writes a site that builds, passes check, carries
none of this explainer's words and publishes with workflows that pass actionlint."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import PROJECT
from packaging.requirements import Requirement
from test_new import THIS_EXPLAINERS_WORDS
from test_publishing import actionlint

from factsite.cli import VERSION
from factsite.i18n import source_version

PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text())
# Pages added to the new site before it is built, by file name: one line each.
# What an author adds first: a page named the web's way, with a figure from the starter's facts.
ADDED_PAGES: dict[str, str] = {
    "night-buses.md": "---\ntitle: Night buses\ndescription: A page an author added.\n---\n"
    'The council planted {{ fact("trees_planted_2024") }} trees in 2024.\n',
}


def pinned(path: Path) -> dict[str, str]:
    """name -> version of each `name==version` line of a requirements or constraints file."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if match:
            found[match[1].lower().replace("_", "-")] = match[2]
    return found


def test_pyproject_declares_the_package_its_commands_and_pythons():
    project = PYPROJECT["project"]
    assert project["name"] == "factsite" and project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "factsite.cli.VERSION"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert project["scripts"] == {"factsite": "factsite.cli:console"}
    assert project["requires-python"] == ">=3.11"
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE", "factsite/assets/fonts/OFL.txt"]
    assert (PROJECT / "LICENSE").read_text().startswith("MIT License")
    assert (PROJECT / project["license-files"][1]).read_text().count("SIL OPEN FONT LICENSE") >= 1
    assert PYPROJECT["build-system"]["build-backend"] == "setuptools.build_meta"


def test_dependencies_are_ranges_that_admit_this_repositorys_pins():
    requirements = [Requirement(text) for text in PYPROJECT["project"]["dependencies"]]
    names = {r.name.lower() for r in requirements}
    constraints = pinned(PROJECT / "constraints.txt")
    assert set(pinned(PROJECT / "requirements.txt")) <= names  # everything the build needs is declared
    for requirement in requirements:
        assert not any(spec.operator == "==" for spec in requirement.specifier), (
            requirement
        )  # pins stay in constraints.txt
        name = requirement.name.lower()
        assert name in constraints, f"{name} is not pinned in constraints.txt"
        assert constraints[name] in requirement.specifier, requirement


def test_python_m_factsite_runs_the_same_commands():
    result = subprocess.run(
        [sys.executable, "-m", "factsite", "--version"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.strip() == f"factsite {VERSION}"
    result = subprocess.run(
        [sys.executable, "-m", "factsite", "new", "--help"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("usage: python -m factsite new [-h]")


def data_files() -> list[str]:
    """Every file the engine reads at run time that is not a module: assets, theme, starter."""
    package = PROJECT / "factsite"
    return sorted(
        path.relative_to(PROJECT).as_posix()
        for folder in ("assets", "theme", "starter")
        for path in (package / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def checked(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(*args, capture_output=True, text=True, **kwargs, check=False)
    assert result.returncode == 0, f"{args[0]}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(wheel, venv): the wheel built from this repository, installed into a new venv outside it.

    The wheel is built from a copy of pyproject.toml and factsite/, so setuptools' build/ and
    *.egg-info/ stay out of the repository; dependencies come from the index, at the versions
    constraints.txt pins."""
    base = tmp_path_factory.mktemp("package")
    assert PROJECT not in base.parents
    source = base / "source"
    source.mkdir()
    shutil.copy2(PROJECT / "pyproject.toml", source)
    shutil.copy2(PROJECT / "LICENSE", source)
    shutil.copytree(PROJECT / "factsite", source / "factsite", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    checked(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(base / "dist"), str(source)],
        timeout=600,
    )
    (wheel,) = (base / "dist").glob("factsite-*.whl")
    venv = base / "venv"
    checked([sys.executable, "-m", "venv", str(venv)], timeout=300)
    checked(
        [
            str(venv_python(venv)),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(PROJECT / "constraints.txt"),
            str(wheel),
        ],
        timeout=600,
    )
    return wheel, venv


def test_wheel_holds_every_file_the_engine_reads(installed):
    wheel, _ = installed
    assert wheel.name == f"factsite-{VERSION}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in data_files() if name not in names]
    assert not missing, missing
    for needed in (
        "factsite/__main__.py",
        "factsite/assets/fonts/OFL.txt",
        "factsite/starter/.gitignore",
        "factsite/starter/.github/workflows/pages.yml",
        "factsite/theme/templates/base.html",
        "factsite/theme/static/css/site.css",
    ):
        assert needed in names, needed
    assert not [name for name in names if name.startswith("factsite/starter/templates/")]
    assert any(name.endswith(".dist-info/licenses/factsite/assets/fonts/OFL.txt") for name in names)
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def outside_env(python: Path) -> dict[str, str]:
    """The environment of a new user's shell: no PYTHONPATH to this repository, the venv not on PATH."""
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p).resolve() != python.parent.resolve()
        ),
    }
    env.pop("PYTHONPATH", None)
    return env


def test_a_new_site_from_the_installed_package_builds_checks_and_publishes(installed, tmp_path):
    wheel, venv = installed
    python = venv_python(venv)
    factsite = python.parent / "factsite"
    work = tmp_path / "work"  # anywhere outside the repository
    work.mkdir()
    env = outside_env(python)

    assert checked([str(factsite), "--version"], cwd=work, env=env, timeout=60).stdout.strip() == f"factsite {VERSION}"
    assert checked([str(python), "-m", "factsite", "--help"], cwd=work, env=env, timeout=60).stdout.startswith(
        "usage: python -m factsite [-h] [--version] COMMAND"
    )

    printed = checked([str(factsite), "new", "site"], cwd=work, env=env, timeout=60).stderr
    site = work / "site"
    assert not (site / "templates").exists()
    assert (site / "wheels" / wheel.name).read_bytes() == wheel.read_bytes()  # for the workflows to install
    assert "pip wheel" not in printed and "Its workflows install" not in printed
    for name, text in ADDED_PAGES.items():
        (site / "content" / name).write_text(text)

    # What `new` printed next works as printed, from the folder it ran in.
    steps = [line.split("    # ")[0].strip() for line in printed.splitlines() if line.startswith("  ")]
    assert steps == ["cd site", *(f"{factsite} {command}" for command in ("build", "check", "serve"))]
    built = checked(["sh", "-c", " && ".join(steps[:3])], cwd=work, env=env, timeout=600)
    assert "no problems" in built.stderr
    pages = sorted((site / "_site").glob("*.html"))
    assert {"index.html", "method.html", "sources.html", "night-buses.html"} <= {page.name for page in pages}
    for page in pages:
        found = THIS_EXPLAINERS_WORDS.search(page.read_text(encoding="utf-8"))
        assert not found, f"{page.name}: {found.group(0) if found else ''}"

    lint = actionlint(*sorted((site / ".github" / "workflows").glob("*.yml")))
    assert lint.returncode == 0, lint.stdout + lint.stderr

    # The workflows' install step finds the pinned factsite in wheels/ (PyPI does not have it yet).
    dry = checked(
        [str(python), "-m", "pip", "install", "--dry-run", "--no-deps", "--ignore-installed", "-r", "requirements.txt"],
        cwd=site,
        env=env,
        timeout=300,
    )
    assert f"Would install factsite-{VERSION}" in dry.stdout
    assert f"wheels/{wheel.name}" in dry.stdout


# Issue 24's new user: a second language with one page translated. German interface words are the
# site's own catalog (the theme ships English and Russian); the notice is the one word this test reads.
GERMAN_NOTICE = "Diese Seite ist noch nicht übersetzt. Sie wird in ihrer Originalsprache gezeigt (%(language)s)."
GERMAN_SITE = """\
languages: [de]
translations:
  de:
    title: Bäume in Exampletown
    description: Jede Zahl auf dieser Seite hat eine Quelle.
untranslated: {rule}
"""
GERMAN_INDEX = """\
---
title: Wie viele Bäume hat Exampletown gepflanzt?
description: Eine Beispielseite mit belegten Zahlen.
source_version: {version}
statements:
  record_year_2024: 2024 pflanzte die Stadt mehr Bäume als in jedem früheren Jahr ihres Berichts
---
Die Stadt sagt, sie habe 2024 {{{{ fact("trees_planted_2024") }}}} Bäume gepflanzt
({{{{ fact("trees_planted_2024", "compact") }}}}), mehr als je zuvor{{{{ check("record_year_2024") }}}}. Das sind
etwa {{{{ fact("trees_per_day_2024") }}}} am Tag.

{{{{ chart("trees_by_year") }}}}

Bis 2030 will sie {{{{ fact("trees_aim_2030") }}}} Bäume im Jahr pflanzen: {{{{ fact("trees_short_of_aim") }}}} mehr.

Wie die Zahlen geprüft werden, steht auf der [Methodenseite]({method}).
"""
PARKS_CSV = """\
Park Name,Trees Planted,Area (ha)
RIVERSIDE (S),251000,40
MILL MEADOW (N),182000,25
"""
PARKS_FACTS = """\
sources:
  - id: parks_survey
    publisher: Exampletown Parks Trust
    title: Trees in the parks, 2024
    url: https://example.org/parks-2024
    published: 2024
datasets:
  - id: parks
    title: Trees planted in each park
    sources: parks_survey
    claimant: Exampletown Parks Trust
    csv: data/parks.csv
    rename: {Park Name: park, Trees Planted: trees, Area (ha): area}
    values:
      park: {"RIVERSIDE (S)": Riverside, "MILL MEADOW (N)": Mill Meadow}
tables:
  - id: parks_table
    dataset: parks
    caption: Trees planted in each park, the most first
    by: trees
    order: descending
    columns:
      - {column: park, heading: Park}
      - {column: trees, heading: Trees planted}
      - {column: area, heading: Area, unit: ha}
"""
PARKS_PAGE = """\
---
title: Trees in the parks
description: How many trees each park has had planted.
---
The Parks Trust counts the trees planted in each park.

{{ table("parks_table") }}
"""
GERMAN_CHART_WORDS = """\
title: Von der Stadt gepflanzte Bäume je Jahr, {first} bis {last}
year: Jahr
trees_planted: Gepflanzte Bäume
trees: Bäume
rising: steigt jedes Jahr
mixed: schwankt
description: >-
  Balkendiagramm: die Zahl der gepflanzten Bäume {trend}, von {first_trees} im Jahr {first}
  bis {last_trees} im Jahr {last}.
"""
GERMAN_WORDS = """\
datasets:
  trees_by_year: {title: Von der Stadt gepflanzte Bäume je Jahr, claimant: Stadtrat von Exampletown}
facts:
  trees_planted_2024: {label: 2024 von der Stadt gepflanzte Bäume, unit: Bäume, counts: gepflanzte Bäume,
                       claimant: Stadtrat von Exampletown, quote: "2024 haben wir 12.410 Bäume gepflanzt."}
  trees_aim_2030: {label: "Bäume, die die Stadt 2030 pflanzen will", unit: Bäume, counts: Bäume in einem Jahr,
                   claimant: Stadtrat von Exampletown, quote: "Bis 2030 wollen wir 20.000 Bäume im Jahr pflanzen."}
  trees_per_day_2024: {label: 2024 gepflanzte Bäume pro Tag, unit: Bäume am Tag, counts: gepflanzte Bäume}
  trees_short_of_aim: {label: Wie viele Bäume dem Ziel fehlen, unit: Bäume, counts: Bäume in einem Jahr}
"""


def german_catalog(python: Path, env: dict[str, str], into: Path) -> None:
    """locales/de/LC_MESSAGES/messages.po from the installed theme's messages.pot, every word given
    (the words themselves, but the notice in German): a catalog that leaves one out is refused."""
    pot = checked(
        [str(python), "-c", "from factsite.i18n import THEME_LOCALES; print(THEME_LOCALES / 'messages.pot')"],
        env=env,
        timeout=60,
    ).stdout.strip()
    with open(pot, "rb") as handle:
        german = read_po(handle, locale="de")
    for message in german:
        if isinstance(message.id, tuple):  # singular and plural, in each of German's plural forms
            message.string = tuple(message.id[min(n, 1)] for n in range(german.num_plurals))
        elif message.id:
            message.string = message.id
    [notice] = [m for m in german if isinstance(m.id, str) and m.id.startswith("This page has not been translated")]
    notice.string = GERMAN_NOTICE
    into.mkdir(parents=True)
    with (into / "messages.po").open("wb") as handle:
        write_po(handle, german)


@pytest.mark.parametrize("rule", ["fallback", "omit"])
def test_a_new_site_publishes_a_second_language_with_one_page_translated(installed, tmp_path, rule):
    """Issue 24, done when: the installed wheel, `factsite new` outside the repository, German with
    only the home page translated. build and check pass, and the untranslated method page follows
    site.yaml's untranslated: rule."""
    _, venv = installed
    python = venv_python(venv)
    factsite = str(python.parent / "factsite")
    env = outside_env(python)
    checked([factsite, "new", "site"], cwd=tmp_path, env=env, timeout=60)
    site = tmp_path / "site"
    # A table page from a CSV whose headers have spaces, as its publisher wrote them (renamed in YAML).
    (site / "content/data/parks.csv").write_text(PARKS_CSV)
    (site / "content/facts/parks.yaml").write_text(PARKS_FACTS)
    (site / "content/parks.md").write_text(PARKS_PAGE)
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + GERMAN_SITE.format(rule=rule))
    german_catalog(python, env, site / "locales/de/LC_MESSAGES")
    version = source_version((site / "content/index.md").read_text())
    method = "method.html" if rule == "fallback" else "../method.html"  # omit: no German method page
    (site / "content/index.de.md").write_text(GERMAN_INDEX.format(version=version, method=method))
    (site / "content/facts/trees.de.yaml").write_text(GERMAN_WORDS)
    (site / "content/charts/trees_by_year.de.yaml").write_text(GERMAN_CHART_WORDS)

    checked([factsite, "build"], cwd=site, env=env, timeout=600)
    checked_site = checked([factsite, "check"], cwd=site, env=env, timeout=600)
    assert "no problems" in checked_site.stderr
    assert f"de: 1 of 3 pages translated; untranslated, {'published in en' if rule == 'fallback' else 'left out'}" in (
        checked_site.stderr
    )
    out = site / "_site"
    home = (out / "de/index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in home and ">12.410<" in home, "German words and number formats"
    assert '<link rel="alternate" hreflang="en"' in home and '<link rel="alternate" hreflang="de"' in home
    sitemap = (out / "sitemap.xml").read_text()
    assert "/de/</loc>" in sitemap and "/de/method.html" not in sitemap
    assert 'hreflang="de"' not in (out / "method.html").read_text(encoding="utf-8")
    if rule == "fallback":
        page = (out / "de/method.html").read_text(encoding="utf-8")
        assert '<html lang="de">' in page and "(Englisch)" in page and '<h1 lang="en">' in page
        assert "hreflang" not in page and 'href="method.html" aria-current="page" lang="en"' in page
    else:
        assert not (out / "de/method.html").exists() and 'href="method.html"' not in home
    parks = (out / "parks.html").read_text(encoding="utf-8")
    assert re.search(r"<t[dh][^>]*>\s*Riverside\s*</t[dh]>", parks) and ">251,000<" in parks, "the table from the CSV"
    if rule == "fallback":
        assert '<h1 lang="en">' in (out / "de/parks.html").read_text(encoding="utf-8")
    # A chart without German words fails on the German page only.
    (site / "content/charts/trees_by_year.de.yaml").unlink()
    failed = subprocess.run(
        [factsite, "check"], check=False, cwd=site, env=env, timeout=600, capture_output=True, text=True
    )
    assert failed.returncode == 1, failed.stderr
    errors = [line for line in failed.stderr.splitlines() if ": error: " in line]
    assert errors and all(line.startswith("content/index.de.md:") for line in errors), errors
    assert 'chart "trees_by_year" has no words in de' in errors[0]
