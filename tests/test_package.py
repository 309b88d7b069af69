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
from conftest import PROJECT
from packaging.requirements import Requirement
from test_new import THIS_EXPLAINERS_WORDS
from test_publishing import actionlint

from factsite.cli import VERSION

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


def test_a_new_site_from_the_installed_package_builds_checks_and_publishes(installed, tmp_path):
    wheel, venv = installed
    python = venv_python(venv)
    factsite = python.parent / "factsite"
    work = tmp_path / "work"  # anywhere outside the repository
    work.mkdir()
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p).resolve() != python.parent.resolve()
        ),
    }
    env.pop("PYTHONPATH", None)

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
