"""What a build reads of a site folder: the one list that serve's watcher, incremental rebuilds
and diff (which takes these from git for BASE) all go by. Below every stage: none imports a later one."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_FILE = "site.yaml"
# content/: pages, facts files and their words, data, chart modules and their words (charts/<id>.yaml,
# <id>.ru.yaml); locales/: the site's interface words
INPUT_FOLDERS = ("content", "templates", "static", "locales")
SITE_INPUTS = (CONFIG_FILE, *INPUT_FOLDERS)


def input_folders(root: Path) -> list[Path]:
    """The site's input folders that exist."""
    return [root / name for name in INPUT_FOLDERS if (root / name).is_dir()]


def input_paths(root: Path) -> list[tuple[str, Path]]:
    """Every input file that exists, as (its path inside the site, with "/" between folders; the file),
    in that order."""
    found = [(CONFIG_FILE, root / CONFIG_FILE)] if (root / CONFIG_FILE).is_file() else []
    for folder_path in input_folders(root):
        for folder, folders, files in os.walk(folder_path):
            folders[:] = [f for f in folders if f != "__pycache__"]
            prefix = Path(folder).relative_to(root).as_posix() + "/"
            found.extend((prefix + file, Path(folder, file)) for file in files)
    return sorted(found)


def input_stamps(root: Path) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every input file, by its path inside the site: a file saved in
    any way (in place, by renaming, deleted and made again) gets another stamp."""
    stamps = {}
    for relative, path in input_paths(root):
        try:
            status = path.stat()
        except OSError:
            continue
        stamps[relative] = (status.st_mtime_ns, status.st_size)
    return stamps


def changed_inputs(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """The input files made, changed or removed between two input_stamps, with "/" between folders."""
    return sorted(
        path.replace(os.sep, "/") for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )
