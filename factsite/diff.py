"""`diff BASE`: what a change does to readers, and the corrections it owes them.

BASE's site files are taken from git into a temporary folder (`git archive`, never a checkout of the
working tree), both versions are built in memory with the same cache, and the two are compared as
readers see them: figures (old and new, with the pages and sentences that show them), computed
sentences, checked statements, charts (with both versions' SVGs written beside the report), facts,
sources, datasets, pages and translations.

The corrections rule: a figure published on BASE (a fact BASE's pages show, in prose or through a
chart) whose value changes needs an entry in the corrections log (`corrections:`) naming it, gained
since BASE. A fact the build calculates (status: derived) follows the correction of a changed fact it
is calculated from, or of a changed fact drawn from a dataset it reads. Additions and changes of
wording (label, quote, note) need none.

Stages, each a plain function: checkout_base (diff_git) -> build_snapshot (twice) -> compare
(diff_compare) -> document -> markdown_report / text_report, report_files; correction_message for
the failure (diff_report)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from .diff_compare import Comparison, build_snapshot, compare
from .diff_git import checkout_base
from .errors import ContentError, ContentErrors, listed


def compare_with(
    base: str,
    site_root: Path,
    cache_dir: Path,
    workers: int | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> Comparison:
    """Build BASE's version of the site and the working tree's, and compare them."""
    import tempfile

    from .prose import load_memo, save_memo

    site_root = Path(site_root)
    with tempfile.TemporaryDirectory(prefix="factsite-diff-") as folder:
        progress(f"taking {base} from git")
        base_root, commit = checkout_base(site_root, base, Path(folder))
        memo = load_memo(cache_dir)
        progress(f"building {base}")
        try:
            label = base if commit.startswith(base) else f"{base} ({commit[:7]})"
            old = build_snapshot(base_root, cache_dir, memo, label, workers)
        except (ContentError, ContentErrors) as exc:
            raise ContentErrors([in_base(error, base_root, base) for error in listed(exc)]) from None
        progress("building the working tree")
        new = build_snapshot(site_root, cache_dir, memo, "the working tree", workers)
        save_memo(cache_dir, memo, [page.body for snapshot in (old, new) for page in snapshot.site.every_page])
        progress("comparing")
        return compare(old, new)


def in_base(error: ContentError, folder: Path, base: str) -> ContentError:
    """A content error of BASE's files, its path written as git names them: origin/main:content/x.yaml."""
    try:
        inside = Path(error.path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return error
    return dataclasses.replace(error, path=f"{base}:{inside}")
