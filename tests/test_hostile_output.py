"""The output folder: foreign files refused and left alone; the previous build whole whatever happens."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHART_CACHE, PROJECT, run, run_captured, write


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), links included as their target text."""
    return {
        p.relative_to(folder).as_posix(): (os.readlink(p).encode() if p.is_symlink() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def leftovers(site: Path) -> list[str]:
    return [p.name for p in site.parent.iterdir() if ".building-" in p.name] + [
        p.name for p in site.iterdir() if ".building-" in p.name
    ]


def refused_output(capsys, site, out) -> str:
    before = snapshot(site.parent)
    outcome = run_captured(capsys, "build", "--site", str(site), "--out", str(out))
    assert outcome.code == 2, outcome.stderr
    [error] = outcome.errors
    assert error["path"] == str(out) and error["line"] is None
    assert snapshot(site.parent) == before
    return error["message"]


def test_out_folder_with_foreign_files_is_refused_and_left_alone(site, capsys, tmp_path):
    out = tmp_path / "mine"
    write(out, "notes.txt", "my notes\n")
    write(out, "deep/er/draft.md", "# draft\n")
    message = refused_output(capsys, site, out)
    assert "holds files this build did not write (deep/er/draft.md, notes.txt)" in message
    assert snapshot(out) == {"deep/er/draft.md": b"# draft\n", "notes.txt": b"my notes\n"}


def test_foreign_file_added_to_a_previous_build_is_refused(site, capsys):
    assert run("build", "--site", str(site), "--quiet") == 0
    (site / "_site/keep-me.txt").write_text("added by hand\n")
    before = snapshot(site / "_site")
    message = refused_output(capsys, site, site / "_site")
    assert "keep-me.txt" in message
    assert snapshot(site / "_site") == before


@pytest.mark.parametrize(
    "choose, wanted",
    [
        (lambda site: site, "it holds the site folder"),
        (lambda site: site.parent, "it holds the site folder"),
        (lambda site: Path("/"), "root of the file system"),
        (lambda site: site / "content", "inside the site's content/ folder"),
        (lambda site: site / "static/css", "inside the site's static/ folder"),
        (lambda site: site / "content/index.md", "inside the site's content/ folder"),
    ],
)
def test_out_folder_that_would_swallow_the_site_is_refused(site, capsys, choose, wanted):
    assert wanted in refused_output(capsys, site, choose(site))


def test_out_that_is_a_file_is_refused(site, capsys, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("x")
    assert "it is a file" in refused_output(capsys, site, target)


def test_content_error_leaves_the_previous_build_untouched(site, capsys):
    assert run("build", "--site", str(site), "--quiet") == 0
    before = snapshot(site / "_site")
    write(site, "content/index.md", "---\ntitle: Home\ndescription: D\n---\n<script>alert(1)</script>\n")
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    assert snapshot(site / "_site") == before


# A build in a subprocess that announces each step on stdout and pauses after it, so the test can
# kill it (SIGKILL: no cleanup runs) at a known moment: after any file is written, around the swap.
ANNOUNCING_BUILD = """
import pathlib, shutil, sys, time
from factsite import cli, write

def announce(event):
    print(event, flush=True)
    time.sleep(0.03)

write_bytes = pathlib.Path.write_bytes
def announced_write_bytes(self, data):
    written = write_bytes(self, data)
    announce("wrote " + self.name)
    return written
pathlib.Path.write_bytes = announced_write_bytes

exchange = write.exchange
def announced_exchange(first, second):
    announce("exchanging")
    swapped = exchange(first, second)
    announce("exchanged")
    return swapped
write.exchange = announced_exchange

rmtree = shutil.rmtree
def announced_rmtree(path, *args, **kwargs):
    announce("removing")
    rmtree(path, *args, **kwargs)
    announce("removed")
write.shutil.rmtree = announced_rmtree

sys.exit(cli.main(sys.argv[1:]))
"""


def start_build(site: Path, *code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *code, "build", "--site", str(site), "--cache", str(CHART_CACHE), "-q"],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def two_builds(site, tmp_path):
    """The site built into _site (the previous build), then changed; returns (old, new) snapshots."""
    assert run("build", "--site", str(site), "--quiet") == 0
    old = snapshot(site / "_site")
    index = site / "content/index.md"
    index.write_text(index.read_text() + "\nA sentence added after the first build.\n")
    assert run("build", "--site", str(site), "--out", str(tmp_path / "expected"), "--quiet") == 0
    new = snapshot(tmp_path / "expected")
    assert old != new
    return old, new


def announced_events(site: Path, kill_after: int | None = None) -> list[str]:
    """Run the announcing build, SIGKILL it after event number `kill_after`; the events seen."""
    build = start_build(site, "-c", ANNOUNCING_BUILD)
    events = []
    for line in build.stdout:
        events.append(line.strip())
        if len(events) == kill_after:
            build.send_signal(signal.SIGKILL)
            break
    build.wait(timeout=30)
    return events


def test_build_killed_at_any_step_leaves_a_whole_site(site, two_builds):
    old, new = two_builds
    steps = announced_events(site)  # one whole run, to learn its steps
    assert steps[-1] == "removed" and "exchanged" in steps, steps
    shutil.rmtree(site / "_site")
    write_snapshot(site / "_site", old)
    writes = [number for number, step in enumerate(steps, start=1) if step.startswith("wrote")]
    # After the first file, one in the middle, the last; then before and after the swap, and while clearing up.
    moments = [writes[0], writes[len(writes) // 2], writes[-1], *range(writes[-1] + 1, len(steps))]
    for moment in moments:
        events = announced_events(site, kill_after=moment)
        now = snapshot(site / "_site")
        assert now == (new if "exchanged" in events else old), f"killed after {events[-1]!r}: _site is not whole"
        if now == new:  # back to the previous build for the next moment
            shutil.rmtree(site / "_site")
            write_snapshot(site / "_site", old)
    assert run("build", "--site", str(site), "--quiet") == 0  # the next build clears what the killed ones left
    assert snapshot(site / "_site") == new
    assert leftovers(site) == []


def write_snapshot(folder: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
