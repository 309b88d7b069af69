"""`factsite new PATH`: write a new explainer's repository, ready to push to GitHub.

The example content, the workflows and the documents live in factsite/starter/. The look comes
from the theme inside the package (factsite/theme/), so the new site has no templates/ or static/
until it changes a file of the theme, and later fixes to the theme reach it with each factsite
version. Only the standard library is used here: `new` works with any Python 3.11 or later.
"""

from __future__ import annotations

import json
import os
import shutil
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .errors import UsageError

STARTER = Path(__file__).parent / "starter"
NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")

# The new site's requirements.txt: factsite pinned, found on PyPI or in wheels/ (the line
# `--find-links` is read relative to this file).
REQUIREMENTS = """\
# The tool that builds this site, pinned: the workflows install exactly this version, and so does
# `python -m pip install -r requirements.txt`. To upgrade, change the version, then run factsite check.
# pip looks for it on PyPI and in wheels/ (see "Installing factsite" in README.md).
--find-links wheels
factsite=={version}
"""


def check_target(path: Path) -> None:
    for folder in (path, *path.parents):
        if folder.is_symlink() and not folder.exists():
            raise UsageError(
                f"refusing to write into {path}: {folder} is a link to {os.readlink(folder)}, which does not"
                " exist; name a new folder, or make the folder the link points to"
            )
    if path.is_dir() and any(path.iterdir()):
        raise UsageError(f"refusing to write into {path}: it is not empty; name a new or empty folder")
    if path.exists() and not path.is_dir():
        raise UsageError(f"refusing to write into {path}: it is a file, not a folder")


def write_starter(path: Path, version: str) -> Path | None:
    """Write the starter into a new folder `path`, pinned to factsite `version`.

    Returns the wheel copied into wheels/ (the one this factsite was installed from, so the new
    site's workflows can install the same), or None when there is none to copy.
    """
    check_target(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a dangling link or a file on the way there
        raise UsageError(f"cannot make the folder {path}: {exc.strerror}; name a folder that can be made") from None
    shutil.copytree(STARTER, path, ignore=NOT_COPIED, dirs_exist_ok=True)
    (path / "requirements.txt").write_text(REQUIREMENTS.format(version=version), encoding="utf-8")
    wheel = installed_wheel(version)
    if wheel is None:
        return None
    return Path(shutil.copy2(wheel, path / "wheels" / wheel.name))


def installed_wheel(version: str) -> Path | None:
    """The wheel file this very factsite was installed from, when pip recorded one (PEP 610's
    direct_url.json, written when a wheel is installed by its path) and it is still there."""
    try:
        dist = metadata.distribution("factsite")
        recorded = json.loads(dist.read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        return None
    ours = Path(str(dist.locate_file("factsite/new.py")))
    if dist.version != version or not ours.is_file() or not ours.samefile(__file__):
        return None  # another copy of factsite than the one running
    parts = urlsplit(str(recorded.get("url", "")))
    if parts.scheme != "file" or not parts.path.endswith(".whl"):
        return None
    wheel = Path(url2pathname(parts.path))
    return wheel if wheel.is_file() else None
