"""Stage 4, write: put the rendered files into the output folder all at once, or not at all.

Files go to a temporary sibling folder that is swapped in only when complete (atomically where
the system allows), so a failed or killed build leaves the previous output whole. A folder that
holds files this tool did not write is refused and left alone.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
from pathlib import Path

from .errors import UsageError, first_names, one_line

MANIFEST = ".factsite-manifest"
RENAME_EXCHANGE = 2  # Linux renameat2() flag: swap two paths in one step
AT_FDCWD = -100


class OutputError(UsageError):
    """The output folder cannot be used: `folder: error: why and what to do`, like a content error."""

    def __init__(self, folder: Path, message: str):
        super().__init__(one_line(f"{folder}: error: {message}"))


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def manifest_of(folder: Path) -> set[str]:
    try:
        return set((folder / MANIFEST).read_text().splitlines())
    except OSError:
        return set()


def check_output_folder(out: Path, site_root: Path) -> None:
    """Refuse an output folder the build must not replace."""
    target, root = out.resolve(), site_root.resolve()
    if target == Path(target.anchor):
        raise OutputError(out, "refusing to build into the root of the file system; choose another --out folder")
    if target == Path.home().resolve():
        raise OutputError(out, "refusing to build into your home folder; choose another --out folder")
    if target == root or root.is_relative_to(target):
        raise OutputError(
            out,
            f"refusing to build into this folder: it holds the site folder {site_root}; choose another --out folder",
        )
    for part in ("content", "templates", "static"):
        if target.is_relative_to(root / part):
            raise OutputError(out, f"refusing to build into this folder: it is inside the site's {part}/ folder")
    if out.is_symlink():  # the swap would replace the link, not the folder it leads to
        raise OutputError(
            out,
            f"refusing to build into this folder: it is a symbolic link to {os.readlink(out)};"
            " remove the link, or give the folder it leads to as --out; nothing was written",
        )
    if target.exists() and not target.is_dir():
        raise OutputError(out, "refusing to build into this folder: it is a file, not a folder")
    locked = locked_folder(target) if target.is_dir() else None
    if locked is not None:
        raise OutputError(
            out,
            f"cannot replace the previous output: this user may not delete files in {locked};"
            " make it writable (chmod -R u+w) or choose another --out folder; nothing was written",
        )
    if target.is_dir():
        foreign = sorted(files_in(target) - manifest_of(target) - {MANIFEST})
        if foreign:
            shown = first_names(foreign)
            raise OutputError(
                out,
                f"refusing to build into this folder: it holds files this build did not write ({shown});"
                " move them away or choose another --out folder",
            )


def locked_folder(folder: Path) -> Path | None:
    """The first folder of the previous output whose files this user may not delete, or None (the
    previous output is deleted after the new one is in its place, so this is asked before)."""
    for parent, _, _ in os.walk(folder):
        if not os.access(parent, os.W_OK | os.X_OK):
            return Path(parent)
    return None


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    return bool(renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(out: Path) -> None:
    """Delete temporary folders that an earlier, killed build of this output left behind
    (not those of a build still running, such as `serve` rebuilding beside a manual build)."""
    for leftover in out.parent.glob(f".{out.name}.building-*"):
        pid = leftover.name.rsplit(".building-", 1)[1].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and running(int(pid)):
            continue
        shutil.rmtree(leftover, ignore_errors=True)


def same_file(path: Path, data: bytes) -> bool:
    """True when `path` is a regular file holding exactly `data`."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode) or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_files(files: dict[str, bytes], folder: Path, previous: Path | None = None) -> None:
    """Write `files` into `folder`; a file identical in the `previous` output is hard-linked instead.

    Linking reuses the previous build's file (never changed in place: every build writes new files),
    and creating a file costs far more than reading and comparing one.
    """
    made: set[Path] = set()
    for relative, data in sorted(files.items()):
        path = folder / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        if previous is not None and same_file(previous / relative, data):
            try:
                os.link(previous / relative, path)
                continue
            except OSError:  # no hard links on this file system, or across devices: write it
                pass
        path.write_bytes(data)
    (folder / MANIFEST).write_text("".join(f"{name}\n" for name in sorted(files)))


def write_site(files: dict[str, bytes], out: Path, site_root: Path) -> None:
    """Replace `out` with exactly `files`; on a failure before the swap the old `out` is untouched,
    and one after it (deleting the previous build) is told as such."""
    out = out.absolute()
    check_output_folder(out, site_root)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    try:
        swap_in(files, staging, out)
    except OSError as exc:
        raise OutputError(
            out, f"could not write the output: {exc.strerror or exc}; the previous output is untouched"
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def swap_in(files: dict[str, bytes], staging: Path, out: Path) -> None:
    """Write `files` into `staging`, then put it in the place of `out` in one step where possible."""
    write_files(files, staging, out if out.is_dir() else None)
    if not out.exists():
        staging.rename(out)
    elif exchange(staging, out):
        delete_previous(staging, out)  # staging now holds the previous build
    else:
        previous = out.parent / f".{out.name}.building-{os.getpid()}-old"
        out.rename(previous)
        try:
            staging.rename(out)
        except OSError:
            previous.rename(out)  # put the previous output back, so it is untouched as the message says
            raise
        delete_previous(previous, out)


def delete_previous(previous: Path, out: Path) -> None:
    """Delete the previous build, already moved out of `out`: a failure now is told as what it is."""
    try:
        shutil.rmtree(previous)
    except OSError as exc:
        raise OutputError(
            out,
            f"the new site is in place, but the previous output, moved to {previous},"
            f" could not be deleted: {exc.strerror or exc}; delete it by hand",
        ) from None
