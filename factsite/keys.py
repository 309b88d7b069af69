"""Keys that stages share to remember work by: below every stage, so none imports a later one."""

from __future__ import annotations

import functools
import hashlib
import sys
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The libraries whose version shapes what a build writes: numbers and dates (Babel), charts
# (Altair, vl-convert), templates (Jinja2, MarkupSafe), page markup (Markdown, nh3), typography (typus).
ENGINE_LIBRARIES = ("babel", "vl-convert-python", "altair", "jinja2", "markupsafe", "markdown", "nh3", "typus")
# Not the engine: what `factsite new` copies into a new site, and Python's compiled files.
NOT_ENGINE = frozenset({"starter", "__pycache__"})


def body_key(body: str) -> str:
    """The key a page body's parsed calls (validate) and markup (render) are remembered by."""
    return hashlib.sha256(body.encode()).hexdigest()


def engine_files(package: Path) -> list[Path]:
    """Every file of the package that can change a build's output: its code, theme and assets (the
    chart fonts among them), found on disk so that a new or split module is never left out."""
    return sorted(
        path
        for path in package.rglob("*")
        if path.is_file() and not NOT_ENGINE.intersection(path.relative_to(package).parts)
    )


def engine_key_of(package: Path) -> str:
    """The hash of the engine in `package` and of the libraries it draws with: every cache entry
    carries it, so a change to any of them makes the next build as a cold one would."""
    hashed = hashlib.sha256(f"python {sys.version_info.major}.{sys.version_info.minor}\0".encode())
    for name in ENGINE_LIBRARIES:
        hashed.update(f"{name}={metadata.version(name)}\0".encode())
    for path in engine_files(package):
        hashed.update(f"{path.relative_to(package).as_posix()}\0".encode())
        hashed.update(hashlib.sha256(path.read_bytes()).digest())
    return hashed.hexdigest()


@functools.cache
def engine_key() -> str:
    """engine_key_of this very package, worked out once per process (from its own files, so an
    installed wheel has one as a checkout does)."""
    return engine_key_of(PACKAGE)
