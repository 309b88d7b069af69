"""`build.py new PATH`: a small explainer that builds and passes check as it is."""

from __future__ import annotations

from pathlib import Path

import factsite.new
from conftest import PROJECT, run
from factsite.cli import main
from factsite.load import load_site
from factsite.validate import validate_site


def new(*args: str) -> int:
    return main(["new", *args])


def test_new_site_passes_check_and_builds(tmp_path, capsys):
    target = tmp_path / "explainer"
    assert new(str(target)) == 0
    assert f"wrote a new explainer in {target}" in capsys.readouterr().err
    assert run("check", "--site", str(target)) == 0, capsys.readouterr().err
    assert "no problems" in capsys.readouterr().err
    assert run("build", "--site", str(target), "--quiet") == 0
    out = target / "_site"
    for name in ("index.html", "sources.html", "facts.json", "feed.xml", "charts/trees_by_year.svg", "css/site.css"):
        assert (out / name).is_file(), name
    assert 'data-fact="trees_per_day_2024"' in (out / "index.html").read_text()


def test_new_site_has_one_of_each_kind_of_thing(tmp_path):
    target = tmp_path / "explainer"
    assert new(str(target), "--quiet") == 0
    site = validate_site(load_site(target))
    assert len(site.pages) == 1 and len(site.sources) == 1 and len(site.charts) == 1
    statuses = sorted(fact.status for fact in site.facts.values())
    assert statuses == ["count", "derived"]
    assert (target / ".gitignore").read_text().count("_site/") == 1


def test_new_site_takes_this_projects_templates_and_static_files(tmp_path):
    target = tmp_path / "explainer"
    assert new(str(target), "--quiet") == 0
    for folder in ("templates", "static"):
        ours = sorted(p.relative_to(PROJECT / folder) for p in (PROJECT / folder).rglob("*") if p.is_file())
        theirs = sorted(p.relative_to(target / folder) for p in (target / folder).rglob("*") if p.is_file())
        assert ours == theirs
        assert all((PROJECT / folder / p).read_bytes() == (target / folder / p).read_bytes() for p in ours)


def test_new_leaves_out_this_projects_cname(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "templates").mkdir(parents=True)
    (project / "templates" / "page.html").write_text("x")
    (project / "static").mkdir()
    (project / "static" / "CNAME").write_text("facts.example.org\n")
    (project / "static" / "style.css").write_text("p {}\n")
    monkeypatch.setattr(factsite.new, "PROJECT", project)
    factsite.new.write_starter(tmp_path / "explainer")
    assert (tmp_path / "explainer" / "static" / "style.css").is_file()
    assert not (tmp_path / "explainer" / "static" / "CNAME").exists()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    target = tmp_path / "explainer"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    assert new(str(target)) == 2
    assert f"refusing to write into {target}: it is not empty" in capsys.readouterr().err
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_new_writes_into_an_empty_folder(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    assert new(str(target), "--quiet") == 0
    assert (target / "site.yaml").is_file()


def test_starter_is_data_only():
    """factsite/starter/ holds the example site, not engine code."""
    starter = Path(factsite.new.__file__).parent / "starter"
    python = [p.relative_to(starter).as_posix() for p in starter.rglob("*.py")]
    assert python == ["content/charts/trees_by_year.py"]
