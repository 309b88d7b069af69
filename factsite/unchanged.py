"""Whether a build would write exactly what its output folder already holds: nothing it reads changed
since the last build (the site's input files byte for byte, the engine with its libraries, the
options that shape the output) and the output folder is as that build left it. Then `build` writes
nothing, and needs none of the engine's stages: below every stage, it imports none of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .inputs import input_paths
from .keys import engine_key

RECORD_FILE = "last-build.json"  # in the cache folder


@dataclass(frozen=True)
class BuildRecord:
    """What the last build read (`inputs`, a hash) and left in its output folder, and what it built."""

    inputs: str
    outputs: dict[str, tuple[int, int, int]]  # path in the output folder -> (modified ns, size, inode)
    pages: int
    charts: int


def inputs_key(site: Path, out: Path, drafts: bool, base_url: str | None) -> str:
    """The hash of everything a build's output is made from: the engine and its libraries, the options
    that change what is written, and every input file's path and bytes (bytes, not modification times:
    a file put back as it was is no change, and a change that keeps the time is one)."""
    hashed = hashlib.sha256(
        json.dumps([engine_key(), str(site.resolve()), str(out.absolute()), drafts, base_url]).encode()
    )
    for relative, path in input_paths(site):
        hashed.update(f"\0{relative}\0".encode())
        try:
            # A link by where it leads, never read through: one leading out of its folder is refused by
            # the build, and one within it leads to a file hashed here under its own name.
            found = b"link\0" + os.fsencode(os.readlink(path)) if path.is_symlink() else path.read_bytes()
        except OSError:
            found = b"unreadable\0"  # the build says why, and this one is not skipped
        hashed.update(hashlib.sha256(found).digest())
    return hashed.hexdigest()


def output_stamps(out: Path) -> dict[str, tuple[int, int, int]]:
    """(modified ns, size, inode) of every file in the output folder: a file written, replaced, removed
    or added there by anyone since gets another stamp."""
    stamps = {}
    for folder, _, files in os.walk(out):
        for name in files:
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                status = os.lstat(path)
                stamps[os.path.relpath(path, out)] = (status.st_mtime_ns, status.st_size, status.st_ino)
    return stamps


def read_record(cache: Path) -> BuildRecord | None:
    try:
        found = json.loads((cache / RECORD_FILE).read_text())
        return BuildRecord(
            inputs=str(found["inputs"]),
            outputs={path: (stamp[0], stamp[1], stamp[2]) for path, stamp in found["outputs"].items()},
            pages=int(found["pages"]),
            charts=int(found["charts"]),
        )
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None  # none yet, or damaged: the build runs


def unchanged_build(cache: Path, key: str, out: Path) -> BuildRecord | None:
    """The last build's record when its inputs hashed to `key` too and `out` holds what it wrote; else None."""
    record = read_record(cache)
    if record is None or record.inputs != key or not record.outputs:
        return None
    return record if output_stamps(out) == record.outputs else None


def record_build(cache: Path, key: str, out: Path, pages: int, charts: int) -> None:
    """Remember a build whose inputs hashed to `key` (taken before it read them) and what it left in `out`."""
    record = {"inputs": key, "outputs": output_stamps(out), "pages": pages, "charts": charts}
    temporary = cache / f".{RECORD_FILE}.{os.getpid()}"
    try:
        temporary.write_text(json.dumps(record))
        temporary.replace(cache / RECORD_FILE)
    except OSError:  # an unwritable cache costs the next build its shortcut, nothing else
        with contextlib.suppress(OSError):
            temporary.unlink()
