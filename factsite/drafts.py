"""Draft pages (`draft: true` in front matter): `serve` shows them; `build` and `check` leave them out.

A build without drafts reads the site as if their files were not there: no page, no entry in the
navigation, sitemap or sources page. `check` names each draft it skipped, counts what a draft
uses as used (a fact written for a draft is not "unused"), and reports a published page's link
to a draft, which would be broken once the site is published.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .model import LoadedSite, RawPage, Site
from .safe_yaml import LineDict, LineList


@dataclass(frozen=True)
class Draft:
    path: str  # the page file, as messages show it
    filename: str  # the output file it would be
    uses: frozenset[str] = frozenset()  # "fact:id", "chart:id", "check:id" its prose names


def is_draft(raw: RawPage) -> bool:
    return isinstance(raw.front, dict) and raw.front.get("draft") is True


def without_drafts(loaded: LoadedSite, keep: bool = False) -> tuple[LoadedSite, tuple[Draft, ...]]:
    """The site without its draft pages (nor their translations, nor their nav entries), and the
    drafts left out; as it is when `keep` (serve, build --drafts) or when there is no draft."""
    drafts = [raw for raw in loaded.pages if is_draft(raw)]
    if keep or not drafts:
        return loaded, ()
    from .validate import find_references  # validate imports much; only drafts need it

    draft_slugs = {raw.slug for raw in drafts if not getattr(raw, "language", "")}
    left_out = [raw for raw in loaded.pages if is_draft(raw) or raw.slug in draft_slugs]
    kept = tuple(raw for raw in loaded.pages if not any(raw is other for other in left_out))
    notes = tuple(
        Draft(raw.path, raw.filename, frozenset(f"{r.kind}:{r.id}" for r in find_references(raw)[0]))
        for raw in left_out
    )
    return dataclasses.replace(loaded, pages=kept, config=without_nav_entries(loaded.config, draft_slugs)), notes


def without_nav_entries(config: Any, slugs: set[str]) -> Any:
    """site.yaml's mapping with the draft pages taken out of `nav:`, keeping every line number."""
    nav = config.get("nav") if isinstance(config, dict) else None
    if not isinstance(nav, list) or not any(entry in slugs for entry in nav if isinstance(entry, str)):
        return config
    kept = [
        (entry, line)
        for entry, line in zip(nav, getattr(nav, "item_lines", [None] * len(nav)), strict=True)
        if not (isinstance(entry, str) and entry in slugs)
    ]
    new_nav = LineList(entry for entry, _ in kept)
    new_nav.line, new_nav.item_lines = getattr(nav, "line", 0), [line for _, line in kept]
    new_config = LineDict(config)
    new_config.line, new_config.key_lines = getattr(config, "line", 0), getattr(config, "key_lines", {})
    new_config["nav"] = new_nav
    return new_config


def noting_drafts(site: Site, drafts: tuple[Draft, ...]) -> Site:
    """The site, remembering the drafts left out (for `check`)."""
    return dataclasses.replace(site, config=dataclasses.replace(site.config, drafts=drafts)) if drafts else site
