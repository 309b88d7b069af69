"""BASE's site files, from git (diff): taken with `git archive` into a folder of their own, never a
checkout of the working tree, and their size asked of git before anything is read."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from .errors import ContentError, UsageError, one_line
from .inputs import CONFIG_FILE, SITE_INPUTS

# BASE's site files are read whole, so their size is asked of git first: a small repository can hold a
# huge file (a gigabyte of zeros packs into 1.5 MB, and reading it took 2 GB of memory).
MAX_BASE_BYTES = 256 * 1024 * 1024


def git(arguments: list[str], cwd: Path, text: bool = True) -> subprocess.CompletedProcess[Any]:
    try:
        # check=False: callers read returncode and stderr to say what went wrong in words of their own
        return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=text, timeout=600, check=False)
    except FileNotFoundError:
        raise UsageError(
            "diff compares the site with a commit of its git repository, and git is not installed"
        ) from None


def repository_of(site_root: Path) -> tuple[Path, str]:
    """The top folder of the git repository holding the site folder, and the site's folder inside it
    ("" at the top, "site/" for a site in a subfolder)."""
    if not (site_root / "site.yaml").is_file():
        raise UsageError(f"{site_root}: no site.yaml here; run diff in a site folder or pass --site")
    found = git(["rev-parse", "--show-toplevel", "--show-prefix"], site_root)
    if found.returncode:
        said = found.stderr.strip().splitlines()[:1]
        why = f" (git says: {one_line(said[0])})" if said and "not a git repository" not in said[0] else ""
        raise UsageError(
            f"{site_root} is not in a git repository{why}: diff compares the site with a commit of its"
            " repository (git init, git add, git commit, then change it and run diff)"
        )
    top, prefix = [*found.stdout.split("\n"), "", ""][:2]
    return Path(top), prefix


def resolve_commit(top: Path, base: str) -> str:
    """BASE's commit id; a usage error saying what to do when git does not know it."""
    if not base or base.startswith("-") or any(ord(char) < ord(" ") for char in base):
        raise UsageError(f"BASE must name a commit, branch or tag, such as main or origin/main, not {base!r}")
    found = git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
    if found.returncode:
        raise UsageError(
            f'unknown BASE "{one_line(base)}": not a commit, branch or tag of the repository in {top}'
            " (a branch of a remote needs fetching first: git fetch origin; in GitHub Actions,"
            " actions/checkout with fetch-depth: 0)"
        )
    return str(found.stdout).strip()


def checkout_base(site_root: Path, base: str, into: Path) -> tuple[Path, str]:
    """BASE's version of the site folder written into `into` (its site.yaml, content/, templates/,
    static/, locales/): (that folder, BASE's commit). The working tree is not touched."""
    top, prefix = repository_of(site_root)
    commit = resolve_commit(top, base)
    tree = f"{commit}:{prefix.rstrip('/')}"
    listing = git(["ls-tree", "--name-only", "-z", tree], top)
    names = listing.stdout.split("\0") if listing.returncode == 0 else []
    if CONFIG_FILE not in names:
        where = f"{prefix.rstrip('/')}/" if prefix else "the repository's top folder"
        raise UsageError(f'BASE "{one_line(base)}" has no site in {where}: it has no site.yaml there')
    parts = [name for name in names if name in SITE_INPUTS]
    check_base_size(top, tree, parts, f"{base}:{prefix}")
    archive = git(["archive", "--format=tar", tree, *parts], top, text=False)
    if archive.returncode:
        raise UsageError(f"git archive could not read BASE: {archive.stderr.decode(errors='replace').strip()}")
    extract(archive.stdout, into)
    return into, commit


def check_base_size(top: Path, tree: str, parts: list[str], shown_as: str) -> None:
    """A content error, before anything is read, when BASE's site files add up to more than
    MAX_BASE_BYTES (git tells each file's size without reading it)."""
    listing = git(["ls-tree", "-r", "-l", "-z", tree, "--", *parts], top)
    sizes = []
    for entry in listing.stdout.split("\0") if listing.returncode == 0 else []:
        info, _, name = entry.partition("\t")
        size = info.split()[-1] if info else "-"
        if size.isdigit():
            sizes.append((int(size), name))
    total = sum(size for size, _ in sizes)
    if total > MAX_BASE_BYTES:
        largest, name = max(sizes)
        raise ContentError(
            f"{shown_as}{name}",
            None,
            f"BASE's site files come to {total:,} bytes, more than diff reads"
            f" ({MAX_BASE_BYTES:,}); this file alone is {largest:,} bytes",
        )


def safe_member(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """Python's "data" filter, skipping (not failing on) a link that leads out of the folder."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


def extract(data: bytes, into: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(into, filter=safe_member)
        else:  # Python 3.11 before 3.11.4: plain files and folders inside `into` only
            members = [
                m
                for m in archive.getmembers()
                if (m.isfile() or m.isdir()) and not m.name.startswith("/") and ".." not in Path(m.name).parts
            ]
            archive.extractall(into, members=members)
