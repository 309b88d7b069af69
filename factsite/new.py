"""`build.py new PATH`: write a small explainer that builds and passes `check` as it is.

The example content lives in factsite/starter/; templates/ and static/ are this project's own,
so a new site starts with the same look and accessibility work.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import UsageError

STARTER = Path(__file__).parent / "starter"
PROJECT = Path(__file__).parent.parent
# Files that belong to this project's own publication, not to a new site.
NOT_COPIED = shutil.ignore_patterns("CNAME", "__pycache__", "*.pyc", ".DS_Store")


def check_target(path: Path) -> None:
    if path.is_dir() and any(path.iterdir()):
        raise UsageError(f"refusing to write into {path}: it is not empty; name a new or empty folder")
    if path.exists() and not path.is_dir():
        raise UsageError(f"refusing to write into {path}: it is a file, not a folder")


def write_starter(path: Path) -> None:
    """Copy the starter content and this project's templates/ and static/ into a new folder `path`."""
    check_target(path)
    shutil.copytree(STARTER, path, ignore=NOT_COPIED, dirs_exist_ok=True)
    for folder in ("templates", "static"):
        if (PROJECT / folder).is_dir():
            shutil.copytree(PROJECT / folder, path / folder, ignore=NOT_COPIED)
