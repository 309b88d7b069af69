"""Files: paths and links that leave the site, bytes that are not UTF-8, files out of place, no pages."""

from __future__ import annotations

import shutil

import pytest
from conftest import CHART_CACHE, run_captured, write

from factsite import pipeline
from factsite.cli import main
from factsite.errors import ContentErrors
from factsite.load import THEME

SECRET = "secret-outside-the-site"


def build(capsys, site) -> list:
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1, outcome.stderr
    assert SECRET not in outcome.stderr
    assert not (site / "_site").exists()
    return outcome.errors


def dataset(csv_path: str) -> str:
    return f"datasets:\n  - id: outside\n    title: Outside\n    sources: survey\n    csv: {csv_path}\n"


@pytest.fixture
def outside(tmp_path):
    """A file beside the site (not inside it) that no build may read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "data.csv").write_text(f"a,b\n{SECRET},1\n")
    return folder


def test_dataset_path_climbing_out_of_content(site, capsys):
    (site / "secret.csv").write_text(f"a\n{SECRET}\n")
    write(site, "content/facts/extra.yaml", dataset("../secret.csv"))
    [error] = build(capsys, site)
    assert error["path"].endswith("content/facts/extra.yaml") and error["line"] == "5"
    assert 'csv path "../secret.csv" leaves the content/ folder' in error["message"]


def test_dataset_path_that_is_absolute(site, capsys, outside):
    write(site, "content/facts/extra.yaml", dataset(str(outside / "data.csv")))
    [error] = build(capsys, site)
    assert error["line"] == "5" and "must be relative to content/" in error["message"]


def test_dataset_csv_that_is_a_link_out_of_content(site, capsys, outside):
    (site / "content/data/linked.csv").symlink_to(outside / "data.csv")
    write(site, "content/facts/extra.yaml", dataset("data/linked.csv"))
    errors = build(capsys, site)
    by_file = {e["path"].rsplit("/content/", 1)[-1]: e for e in errors}
    assert set(by_file) == {"facts/extra.yaml", "data/linked.csv"}
    assert (
        by_file["facts/extra.yaml"]["line"] == "5"
        and "leaves the content/ folder" in by_file["facts/extra.yaml"]["message"]
    )
    assert "link points outside content/" in by_file["data/linked.csv"]["message"]


def test_dataset_through_a_linked_folder_out_of_content(site, capsys, outside):
    (site / "content/more").symlink_to(outside, target_is_directory=True)
    write(site, "content/facts/extra.yaml", dataset("more/data.csv"))
    errors = build(capsys, site)
    assert {e["path"].rsplit("/content/", 1)[-1] for e in errors} == {"facts/extra.yaml", "more"}


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_static_link_out_of_the_site(site, capsys, outside, linked):
    target = outside / "data.csv" if linked == "file" else outside
    (site / "static").mkdir(exist_ok=True)
    (site / "static/leak").symlink_to(target, target_is_directory=linked == "folder")
    [error] = build(capsys, site)
    assert error["path"].endswith("static/leak") and "link points outside static/" in error["message"]


@pytest.mark.parametrize(
    "relative, before",
    [
        ("content/facts/extra.yaml", "facts:\n  - id: x\n    note: "),
        ("content/extra.md", "---\ntitle: T\ndescription: D\n---\nText "),
        ("content/data/rises.csv", "date,rise\n2023-03-10,900\n2023-03-11,"),
        ("content/charts/rises.py", "def chart(facts):\n    # comment\n    return "),
        ("site.yaml", "title: T\ndescription: "),
    ],
)
def test_non_utf8_text_names_the_line_of_the_bad_byte(site, capsys, relative, before):
    path = site / relative
    path.write_bytes(before.encode() + b"caf\xe9\n")
    [error] = build(capsys, site)
    assert error["path"].endswith(relative)
    assert error["line"] == str(before.count("\n") + 1) and "not UTF-8" in error["message"]


def test_csv_the_csv_module_cannot_read(site, capsys):
    (site / "content/data/rises.csv").write_text("date,rise\n2023-03-10,900\n2023-03-11," + "9" * 200_000 + "\n")
    [error] = build(capsys, site)
    assert error["path"].endswith("content/data/rises.csv") and error["line"] == "3"
    assert "cannot read the CSV" in error["message"]


@pytest.mark.parametrize(
    "relative, expected",
    [
        ("content/facts/page.md", "content/**/*.md, outside facts/ and charts/"),
        ("content/charts/page.md", "content/**/*.md, outside facts/ and charts/"),
        ("content/notes.yaml", "content/facts/*.yaml or content/charts/*.yaml"),
        ("content/facts/old/notes.yml", "content/facts/*.yaml or content/charts/*.yaml"),
        ("content/charts/sub/extra.py", "content/charts/*.py"),
        ("content/helper.py", "content/charts/*.py"),
    ],
)
def test_file_not_where_the_layout_says(site, capsys, relative, expected):
    write(site, relative, "---\ntitle: T\ndescription: D\n---\n" if relative.endswith(".md") else "facts: []\n")
    [error] = build(capsys, site)
    assert error["path"].endswith(relative)
    assert error["message"] == f"file is not where the layout expects it: {expected}"


def test_empty_content_folder(site, capsys):
    shutil.rmtree(site / "content")
    (site / "content").mkdir()
    [error] = build(capsys, site)
    assert error["path"].endswith("content") and "content/ has no pages" in error["message"]


def test_missing_home_page(site, capsys):
    (site / "content/index.md").unlink()
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("nav: [index, second, sources]", "nav: [second, sources]"))
    [error] = build(capsys, site)
    assert error["path"].endswith("content/index.md") and "home page" in error["message"]


def test_missing_content_folder(site, capsys):
    shutil.rmtree(site / "content")
    [error] = build(capsys, site)
    assert error["path"].endswith("content") and "content/ folder not found" in error["message"]


def test_folder_that_is_not_a_site(tmp_path, capsys):
    outcome = run_captured(capsys, "build", "--site", str(tmp_path))
    assert outcome.code == 2  # a usage error: the command was aimed at the wrong folder
    [error] = outcome.errors
    assert error["path"].endswith("site.yaml") and "is this a site folder?" in error["message"]


def snapshot(folder) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def replace_with_link(site, name: str, outside) -> None:
    """Move the site's `name` (or nothing, when it has none) out of the site, with SECRET added,
    and leave a link to it in its place: what a pull request can do, since git stores links."""
    moved = outside / name
    if name == "site.yaml":
        moved.write_text((site / name).read_text() + f'api_key: "sk-live-{SECRET}: abc"\n  bad indent: [\n')
        (site / name).unlink()
    elif (site / name).exists():
        shutil.move(site / name, moved)
    else:
        moved.mkdir()
    if name == "content":
        (moved / "leak.md").write_text(f"---\ntitle: Leak\ndescription: D\n---\n{SECRET}\n")
    elif name == "locales":
        write(moved, "ru/LC_MESSAGES/messages.po", f'msgid "Sources"\nmsgstr "{SECRET}"\n')
    elif name != "site.yaml":
        (moved / ("base.html" if name == "templates" else "id_ed25519")).write_text(SECRET)
    (site / name).symlink_to(moved, target_is_directory=name != "site.yaml")


@pytest.mark.parametrize("name", ["site.yaml", "content", "static", "templates", "locales", ".cache"])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_site_item_that_is_a_link_is_refused_and_nothing_outside_is_read(site, capsys, outside, name, command):
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    before = snapshot(site / "_site")
    replace_with_link(site, name, outside)
    outcome = run_captured(capsys, command, "--site", str(site))
    assert outcome.code == 1 and SECRET not in outcome.stderr, outcome.stderr
    [error] = outcome.errors
    assert error["path"].endswith(f"site/{name}") and error["line"] is None
    assert error["message"].startswith(f"{name} is a link (symbolic link): the build reads only the site's own files")
    assert snapshot(site / "_site") == before


@pytest.mark.parametrize("folder, file", [("templates", "base.html"), ("locales", "ru/LC_MESSAGES/messages.po")])
def test_a_link_inside_templates_or_locales_leading_out_is_refused(site, capsys, outside, folder, file):
    (outside / "secret.txt").write_text(SECRET)
    (site / folder / file).parent.mkdir(parents=True)
    (site / folder / file).symlink_to(outside / "secret.txt")
    [error] = build(capsys, site)
    assert (
        error["path"].endswith(f"{folder}/{file}")
        and error["message"] == f"link points outside {folder}/: copy the file in instead"
    )


@pytest.mark.parametrize("target", ["explainer", "explainer/sub"])
def test_new_aimed_at_a_dangling_link_says_so(tmp_path, capsys, target):
    (tmp_path / "explainer").symlink_to(tmp_path / "gone")
    assert main(["new", str(tmp_path / target)]) == 2
    assert capsys.readouterr().err == (
        f"error: refusing to write into {tmp_path / target}: {tmp_path / 'explainer'} is a link to"
        f" {tmp_path / 'gone'}, which does not exist; name a new folder, or make the folder the link points to\n"
    )
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("relative", ["content/second.md", "templates/page.html"])
def test_a_file_made_a_link_out_while_serving_is_refused_at_the_rebuild(site, outside, relative):
    """serve rebuilds only what changed (factsite/incremental.py): a file that becomes a link is looked at
    as a full build would."""
    shutil.copytree(THEME / "templates", site / "templates")
    build = pipeline.build(pipeline.BuildOptions(site, CHART_CACHE))
    (outside / "leak").write_text(f"---\ntitle: Leak\ndescription: D\n---\n{SECRET}\n")
    (site / relative).unlink()
    (site / relative).symlink_to(outside / "leak")
    with pytest.raises(ContentErrors) as raised:
        pipeline.rebuild(build)
    [error] = raised.value.errors
    assert error.path.endswith(relative) and error.message.startswith("link points outside")
