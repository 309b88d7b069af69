"""`factsite new PATH`: a new explainer's repository that builds, passes check and can be pushed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CHART_CACHE, PROJECT, run, run_captured

import factsite.cli
import factsite.new
from factsite.cli import VERSION, main
from factsite.load import load_site
from factsite.validate import validate_site

STARTER = Path(factsite.new.__file__).parent / "starter"
# Words of this explainer that must not reach a new site (see also tests/test_package.py).
THIS_EXPLAINERS_WORDS = re.compile(r"russia|ukrain|general staff|mediazona|bessudnov|rosstat|\bwar\b", re.I)


def new(*args: str) -> int:
    return main(["new", *args])


def test_new_site_passes_check_and_builds(tmp_path, capsys):
    target = tmp_path / "explainer"
    assert new(str(target)) == 0
    assert f"wrote a new explainer in {target}; next:" in capsys.readouterr().err
    assert run("check", "--site", str(target)) == 0, capsys.readouterr().err
    assert "no problems" in capsys.readouterr().err
    assert run("build", "--site", str(target), "--quiet") == 0
    out = target / "_site"
    for name in (
        "index.html",
        "method.html",
        "sources.html",
        "facts.json",
        "feed.xml",
        "charts/trees_by_year.svg",
        "css/site.css",
        "favicon.svg",
    ):
        assert (out / name).is_file(), name
    index = (out / "index.html").read_text()
    for fact in ("trees_planted_2024", "trees_per_day_2024", "trees_aim_2030", "trees_short_of_aim"):
        assert f'data-fact="{fact}"' in index, fact
    assert 'id="corrections-log"' in (out / "method.html").read_text()


def test_check_reports_the_starters_leftovers_once_its_example_content_is_replaced(tmp_path, capsys):
    """The issue form's example fact id and CONTRIBUTING's list of files, when the site no longer has
    them: errors at their lines (the starter as written passes, above)."""
    target = tmp_path / "explainer"
    assert new(str(target)) == 0
    method = target / "content/method.md"
    method.rename(target / "content/how-we-check.md")
    (target / "site.yaml").write_text((target / "site.yaml").read_text().replace("  - method\n", "  - how-we-check\n"))
    index = target / "content/index.md"
    index.write_text(index.read_text().replace("](method.html)", "](how-we-check.html)"))
    form = target / ".github/ISSUE_TEMPLATE/wrong-figure.yml"
    form.write_text(form.read_text().replace("(trees_planted_2024)", "(trees_planted_2042)"))
    outcome = run_captured(capsys, "check", "--site", str(target))
    assert outcome.code == 1
    found = {(Path(e["path"]).name, e["message"].split(":")[0]) for e in outcome.errors}
    assert found == {
        ("wrong-figure.yml", 'the placeholder shows readers fact "trees_planted_2042", which the site does not have'),
        ("CONTRIBUTING.md", "the list of where things are names content/method.md, which the site does not have"),
    }, outcome.stderr
    contributing = target / "CONTRIBUTING.md"
    contributing.write_text(contributing.read_text().replace("index.md, method.md ", "index.md, how-we-check.md"))
    form.write_text(form.read_text().replace("(trees_planted_2042)", "(trees_planted_2024)"))
    assert run("check", "--site", str(target), "--quiet") == 0, capsys.readouterr().err


def test_new_site_has_one_of_each_kind_of_thing(tmp_path):
    target = tmp_path / "explainer"
    assert new(str(target), "--quiet") == 0
    site = validate_site(load_site(target))
    assert sorted(page.slug for page in site.pages) == ["index", "method"]
    assert len(site.sources) == 1 and len(site.charts) == 1 and list(site.datasets) == ["trees_by_year"]
    assert site.datasets["trees_by_year"].csv == "data/trees_by_year.csv"
    assert sorted(fact.status for fact in site.facts.values()) == ["claim", "count", "derived", "derived"]
    assert site.facts["trees_planted_2024"].expression.startswith("lookup(trees_by_year")
    assert site.facts["trees_per_day_2024"].inputs == ("trees_planted_2024",)
    assert list(site.statements) == ["record_year_2024"]
    assert '{{ check("record_year_2024") }}' in (target / "content" / "index.md").read_text()
    assert next(page for page in site.pages if page.slug == "method").template == "method.html"
    assert site.corrections == () and (target / "content" / "facts" / "corrections.yaml").is_file()


def test_new_site_is_a_repository_ready_to_push(tmp_path):
    target = tmp_path / "explainer"
    assert new(str(target), "--quiet") == 0
    for name in (
        "README.md",
        "CONTRIBUTING.md",
        "requirements.txt",
        ".github/workflows/pages.yml",
        ".github/workflows/pr.yml",
        ".github/ISSUE_TEMPLATE/wrong-figure.yml",
        "wheels/README.md",
    ):
        assert (target / name).is_file(), name
    ignored = (target / ".gitignore").read_text().split()
    assert {"_site/", ".cache/", ".venv/"} <= set(ignored)
    readme = (target / "README.md").read_text()
    assert "python -m pip install -r requirements.txt" in readme and "factsite build" in readme
    assert "factsite serve" in readme and "factsite check" in readme


def test_new_site_pins_this_factsite_and_finds_it_in_wheels(tmp_path):
    target = tmp_path / "explainer"
    assert new(str(target), "--quiet") == 0
    lines = [line for line in (target / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines == ["--find-links wheels", f"factsite=={VERSION}"]


def test_new_site_workflows_install_the_pinned_tool_and_pass_the_pages_address(tmp_path):
    target = tmp_path / "explainer"
    assert new(str(target), "--quiet") == 0
    workflows = target / ".github" / "workflows"
    pages, pr = (workflows / "pages.yml").read_text(), (workflows / "pr.yml").read_text()
    for workflow in (pages, pr):
        assert "python -m pip install -r requirements.txt" in workflow
        assert "cache-dependency-path: requirements.txt" in workflow
        assert "make" not in workflow and "build.py" not in workflow and ".venv" not in workflow
    assert "id: pages" in pages
    assert 'factsite build --base-url "${{ steps.pages.outputs.base_url }}/"' in pages
    assert 'factsite check --base-url "${{ steps.pages.outputs.base_url }}/"' in pages
    assert pages.index("factsite build") < pages.index("factsite check") < pages.index("upload-pages-artifact")
    assert "factsite check" in pr and "factsite build" in pr and "upload-artifact" in pr


def test_new_site_has_no_templates_or_static_the_theme_comes_from_the_package(tmp_path):
    target = tmp_path / "explainer"
    assert new(str(target), "--quiet") == 0
    assert not (target / "templates").exists() and not (target / "static").exists()
    assert not (STARTER / "templates").exists() and not (STARTER / "static").exists()


def test_starter_speaks_of_nothing_of_this_explainer():
    docs = yaml.safe_load((PROJECT / "docs" / "site.yaml").read_text(encoding="utf-8"))["url"]  # published beside it
    for path in sorted(p for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        found = THIS_EXPLAINERS_WORDS.search(path.read_text(encoding="utf-8").replace(docs, ""))
        assert not found, f"{path.relative_to(STARTER)}: {found.group(0) if found else ''}"
    assert not (STARTER / "static" / "CNAME").exists()


def test_new_copies_the_wheel_factsite_was_installed_from(tmp_path, monkeypatch, capsys):
    wheel = tmp_path / "dist" / f"factsite-{VERSION}-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(b"a wheel")
    monkeypatch.setattr(factsite.new, "installed_wheel", lambda version: wheel if version == VERSION else None)
    target = tmp_path / "explainer"
    assert new(str(target)) == 0
    assert (target / "wheels" / wheel.name).read_bytes() == b"a wheel"
    assert "pip wheel" not in capsys.readouterr().err  # nothing left to do before pushing


def test_installed_wheel_is_none_when_factsite_runs_from_this_clone():
    assert factsite.new.installed_wheel(VERSION) is None


def test_new_prints_next_steps_that_run_this_clone_from_any_folder(tmp_path, capsys):
    target = tmp_path / "explainer"
    assert new(str(target)) == 0
    err = capsys.readouterr().err
    python = factsite.cli.shortest(sys.executable)
    tool = f"{python} {PROJECT / 'build.py'}"
    assert f"\n  cd {target}\n" in err
    assert f"\n  {python} -m pip wheel --no-deps -w wheels {PROJECT}    # factsite's wheel:" in err
    for command in ("build", "check", "serve"):
        assert f"\n  {tool} {command}    # " in err, command
    assert f"README.md in {target} says how to publish it on GitHub Pages." in err
    # The steps work as printed, from another folder: build the new site with them.
    steps = [line.split("    # ")[0].strip() for line in err.splitlines() if line.startswith("  ")]
    build = [step for step in steps if step.startswith("cd ") or step.endswith(" build")]
    script = " && ".join(build) + f" --quiet --cache {CHART_CACHE}"
    result = subprocess.run(
        ["sh", "-c", script], cwd=tmp_path.parent, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (target / "_site" / "index.html").is_file()


def test_new_names_the_factsite_command_by_how_it_was_started(monkeypatch, tmp_path):
    script = tmp_path / "bin" / "factsite"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(script)])
    monkeypatch.setenv("PATH", os.pathsep.join([str(script.parent), os.environ.get("PATH", "")]))
    assert factsite.cli.tool_command("factsite") == ("factsite", [])
    monkeypatch.setenv("PATH", "/nonexistent")
    assert factsite.cli.tool_command("factsite") == (str(script), [])
    monkeypatch.setattr(factsite.cli, "CHECKOUT", tmp_path / "installed")  # no build.py beside the package
    assert factsite.cli.tool_command("python -m factsite") == (f"{sys.executable} -m factsite", [])


def test_new_from_a_python_without_the_engine_points_to_the_clone_venv(monkeypatch, tmp_path):
    monkeypatch.setattr(factsite.cli, "engine_installed", lambda: False)
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "build.py").write_text("")
    monkeypatch.setattr(factsite.cli, "CHECKOUT", clone)
    tool, setup = factsite.cli.tool_command("build.py")
    assert tool == f"{clone / '.venv' / 'bin' / 'python'} {clone / 'build.py'}"
    assert setup == [f"make -C {clone}    # sets up {clone / '.venv' / 'bin' / 'python'}"]
    (clone / ".venv" / "bin").mkdir(parents=True)
    (clone / ".venv" / "bin" / "python").write_text("")
    assert factsite.cli.tool_command("build.py") == (tool, [])


def test_new_outside_a_clone_without_a_wheel_says_where_the_workflows_find_factsite(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(factsite.cli, "CHECKOUT", tmp_path / "installed")
    target = tmp_path / "explainer"
    assert new(str(target)) == 0
    err = capsys.readouterr().err
    assert "pip wheel" not in err
    assert (
        f"Its workflows install factsite=={VERSION} from PyPI or from wheels/: if PyPI does not have it yet,"
        " put factsite's wheel in wheels/ before you push (README.md says how)."
    ) in err


def without_site_packages(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """build.py under a Python that has none of the engine's dependencies (-S: no site-packages)."""
    return subprocess.run(
        [sys.executable, "-S", str(PROJECT / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": ""},
        check=False,
    )


def test_new_works_with_a_plain_python_and_build_says_what_to_install(tmp_path):
    result = without_site_packages("new", "explainer", cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "explainer" / "site.yaml").is_file()
    assert f"{PROJECT / '.venv' / 'bin' / 'python'} {PROJECT / 'build.py'} build" in result.stderr
    result = without_site_packages("build", "--site", "explainer", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(
        r"^error: \w+ is not installed for .+, and factsite needs it: install factsite with pip"
        r" \(in a clone of its repository, `make` sets up \.venv/bin/python\) and run again$",
        result.stderr,
        re.M,
    ), result.stderr


def test_a_missing_module_that_is_not_the_engines_still_raises(monkeypatch, tmp_path):
    def broken(options, reporter):
        raise ModuleNotFoundError("No module named 'frobnicate'", name="frobnicate")

    monkeypatch.setattr(factsite.cli, "run_build", broken)
    with pytest.raises(ModuleNotFoundError):
        main(["build", "--site", str(tmp_path)])


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    target = tmp_path / "explainer"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    assert new(str(target)) == 2
    assert f"refusing to write into {target}: it is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_new_refuses_a_file(tmp_path, capsys):
    target = tmp_path / "explainer"
    target.write_text("mine")
    assert new(str(target)) == 2
    assert f"refusing to write into {target}: it is a file, not a folder" in capsys.readouterr().err


def test_new_writes_into_an_empty_folder(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    assert new(str(target), "--quiet") == 0
    assert (target / "site.yaml").is_file()


def test_starter_is_data_only():
    """factsite/starter/ holds the example site, not engine code."""
    python = [p.relative_to(STARTER).as_posix() for p in STARTER.rglob("*.py")]
    assert python == ["content/charts/trees_by_year.py"]


def test_every_workflows_cache_key_names_the_engine():
    """A cache kept by CI is restored only for the engine that made it: this repository's workflows hash
    the package and the constraints, a new site's ask the installed factsite for its key."""
    import yaml

    from factsite import keys

    for folder, part in (
        (PROJECT / ".github/workflows", "hashFiles('constraints.txt', 'factsite/**')"),
        (STARTER / ".github/workflows", "steps.engine.outputs.key"),
    ):
        for path in sorted(folder.glob("*.yml")):
            steps = [step for job in yaml.safe_load(path.read_text())["jobs"].values() for step in job["steps"]]
            caches = [step["with"] for step in steps if step.get("uses", "").startswith("actions/cache@")]
            assert caches, path
            for cache in caches:
                assert part in cache["key"] and part in cache["restore-keys"], path
            if folder.parent.parent == STARTER:
                engine = next(step["run"] for step in steps if step.get("id") == "engine")
                code = re.search(r"python -c '([^']+)'", engine).group(1)
                done = subprocess.run(
                    [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=False
                )
                assert done.stdout == keys.engine_key_of(keys.PACKAGE)[:16] + "\n", (path, done.stderr)
