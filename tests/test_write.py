"""The write stage swaps in a complete folder or leaves the old one as it was."""

import pytest

from factsite import write


def test_failed_write_keeps_previous_output_and_leaves_no_temporary_folder(tmp_path, monkeypatch):
    site, out = tmp_path / "site", tmp_path / "site" / "_site"
    site.mkdir()
    write.write_site({"index.html": b"old", "a/b.txt": b"x"}, out, site)

    def half_written(files, folder, previous):
        folder.mkdir(parents=True)
        (folder / "index.html").write_bytes(b"new")
        raise OSError("disk full")

    monkeypatch.setattr(write, "write_files", half_written)
    with pytest.raises(write.OutputError, match="disk full"):
        write.write_site({"index.html": b"new"}, out, site)
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in site.iterdir()) == ["_site"]


def test_rebuild_replaces_only_files_it_wrote(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    site.mkdir()
    write.write_site({"index.html": b"1", "old.html": b"1"}, out, site)
    write.write_site({"index.html": b"2"}, out, site)
    assert sorted(p.name for p in out.iterdir()) == [".factsite-manifest", "index.html"]
    assert (out / "index.html").read_bytes() == b"2"


def test_leftover_from_a_killed_build_is_cleaned_up(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    site.mkdir()
    leftover = tmp_path / ".out.building-99999"
    leftover.mkdir()
    (leftover / "half.html").write_text("half")
    write.write_site({"index.html": b"1"}, out, site)
    assert not leftover.exists()
