"""The diff report (diff): one document of sections and items, written as Markdown (a pull request's
comment, report.md) or as text for a terminal, with the charts' old and new drawings beside it."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .diff_compare import ChartChange, Comparison, FactChange, Place, Segment, StatementChange
from .errors import one_line
from .model import Site
from .report import plural

ROWS_SHOWN = 6  # rows added or removed listed per chart or dataset; the rest are counted


@dataclass
class Item:
    title: list[Segment]
    lines: list[tuple[int, list[Segment]]] = field(default_factory=list)  # (depth, Segments)
    images: tuple[str, str] | None = None  # (old file, new file) inside the report folder, either may be ""
    code: str = ""  # YAML to paste


@dataclass
class Section:
    title: str
    items: list[Item]
    intro: list[Segment] = field(default_factory=list)
    blocks: bool = False  # each item under a heading of its own (charts, corrections), not a list entry


def chart_files(comparison: Comparison) -> dict[str, str]:
    """SVG files of the charts that changed, by their path inside the report folder."""
    files = {}
    for change in comparison.charts:
        if change.old_svg:
            files[f"charts/{change.id}.old.svg"] = change.old_svg
        if change.new_svg:
            files[f"charts/{change.id}.new.svg"] = change.new_svg
    return files


def report_files(comparison: Comparison, markdown: str) -> dict[str, bytes]:
    """The report folder's files: report.md and each changed chart's old and new SVG."""
    files = {"report.md": markdown.encode()}
    files.update({name: svg.encode() for name, svg in chart_files(comparison).items()})
    return files


def place_line(place: Place, prefix: str = "") -> list[Segment]:
    where = [("strong", place.title), ("", f" ({place.page})")]
    if place.gone:
        where.append(("", f", on {prefix or 'BASE'} only: no longer shown there"))
    if place.chart:
        return [*where, ("", f": in the chart “{place.chart}”")]
    if place.sentence:
        return [*where, ("", ": “"), *place.sentence, ("", "”")]
    return where


def fact_item(change: FactChange, base: str) -> Item:
    item = Item(change.title, [(0, figure_line(change))])
    for name, before, after in change.fields:
        if name == "unit" or (name == "decimals" and change.before != change.after):
            continue  # shown with the figure
        item.lines.append(
            (0, [("", f"{name.replace('_', ' ')}: "), ("change", (before or "(none)", after or "(none)"))])
        )
    if change.places:
        item.lines.append((0, [("", "shown on:" if change.new else "was shown on:")]))
        item.lines += [(1, place_line(place, base)) for place in change.places]
    else:
        item.lines.append((0, [("", "not shown on any page")]))
    correction = correction_line(change)
    if correction:
        item.lines.append((0, correction))
    return item


def figure_line(change: FactChange) -> list[Segment]:
    """The figure as readers read it before and after."""
    if change.before and change.after and change.before == change.after:
        hidden = " (its value changed below the decimals shown)" if change.figure_changed else ""
        return [("", "reads, as before: "), ("strong", change.after), ("", hidden)]
    if change.before and change.after:
        return [("", "before → after: "), ("change", (change.before, change.after))]
    if change.after:
        return [("", "reads: "), ("strong", change.after)]
    return [("", "read: "), ("strong", change.before)]


def correction_line(change: FactChange) -> list[Segment]:
    """The correction a changed figure has, follows or needs; nothing when it needs none to be said."""
    if change.owes_correction and change.corrected_by:
        return [("", "correction: "), ("", f"{change.corrected_by.date}, “{change.corrected_by.change}”")]
    if change.owes_correction and change.follows:
        return [
            ("", "correction: follows the correction of "),
            ("code", change.follows),
            ("", ", which it is calculated from"),
        ]
    if change.owes_correction:
        return [("strong", "correction needed"), ("", ": published on BASE, and the log has no entry for it")]
    if change.figure_changed and change.before != change.after:
        return [("", "correction: none needed (not shown on BASE)")]
    return []


def chart_item(change: ChartChange, folder: str) -> Item:
    title = change.title if change.kind != "changed" or change.old_title == change.title else change.old_title
    item = Item([("", f"“{title}” ("), ("code", change.id), ("", f"): {change.kind}")])
    if change.pages:
        item.lines.append((0, [("", "on: " + ", ".join(change.pages))]))
    if change.kind == "changed":
        if change.data_changed:
            item.lines.append((0, [("", "its data changed")]))
            item.lines += rows_lines(change.rows_removed, change.rows_added)
        for part in change.spec_changes:
            if part in ("title", "description"):
                continue
            item.lines.append((0, [("", f"its spec changed: {part}")]))
        if change.old_title != change.title:
            item.lines.append((0, [("", "title: "), ("change", (change.old_title, change.title))]))
        if "description" in change.spec_changes:
            item.lines.append((0, [("", "its description (the text alternative) changed")]))
    old = f"{folder}charts/{change.id}.old.svg" if change.old_svg else ""
    new = f"{folder}charts/{change.id}.new.svg" if change.new_svg else ""
    item.images = (old, new)
    return item


def rows_lines(removed: tuple[str, ...], added: tuple[str, ...]) -> list[tuple[int, list[Segment]]]:
    lines = [(1, [("", "− "), ("", row)]) for row in removed[:ROWS_SHOWN]]
    if len(removed) > ROWS_SHOWN:
        lines.append((1, [("", f"− and {len(removed) - ROWS_SHOWN} more rows")]))
    lines += [(1, [("", "+ "), ("", row)]) for row in added[:ROWS_SHOWN]]
    if len(added) > ROWS_SHOWN:
        lines.append((1, [("", f"+ and {len(added) - ROWS_SHOWN} more rows")]))
    return lines


def corrections_file(site: Site) -> str:
    """The facts file that holds the corrections log (or should): as messages show paths."""
    from .load import display_path

    if site.corrections:
        return site.corrections[-1].where.path
    facts = Path(site.root) / "content" / "facts"
    for path in sorted(facts.glob("*.y*ml")) if facts.is_dir() else []:
        if path.name.count(".") == 1 and re.search(r"^corrections\s*:", path.read_text(errors="replace"), re.M):
            return display_path(path)
    return display_path(facts / "corrections.yaml")


def correction_entries(comparison: Comparison, today: str) -> str:
    """YAML to paste into the corrections log (and its words files) for each figure that needs it."""
    site = comparison.new.site
    path = corrections_file(site)
    lines = [f"# {path}, under corrections: (replace [] if the list is empty); then say why, in reason:"]
    for change in comparison.missing_corrections:
        said = f"{change.label[:1].upper()}{change.label[1:]} now reads {change.after} (was {change.before})."
        lines += [
            f"  - date: {today}",
            f"    change: {json.dumps(said, ensure_ascii=False)}",
            "    reason:  # why it changed: a typing error, a revised report, a new source...",
            f"    fact: {change.id}",
        ]
    for language in sorted(site.editions):
        stem, _, suffix = path.rpartition(".")
        lines.append(f"# {stem}.{language}.{suffix}, under corrections:, at the same place in its list")
        for _ in comparison.missing_corrections:
            lines += [f"  - change:  # the change, in {language}", f"    reason:  # why, in {language}"]
    return "\n".join(lines)


def document(comparison: Comparison, today: str, folder: str = "") -> tuple[list[list[Segment]], list[Section]]:
    """The report's heading lines and sections; `folder` leads from where the report is read to the
    report folder ("" for report.md itself)."""
    base = comparison.old.label.split(" (")[0]
    sections = [
        *corrections_needed(comparison, today),
        *figure_sections(comparison, base),
        *drawn_sections(comparison, folder),
        *fact_entry_sections(comparison, base),
        *site_sections(comparison),
    ]
    return heading(comparison), sections


def section(title: str, items: list[Item], intro: list[Segment] | None = None, blocks: bool = False) -> list[Section]:
    """A section of the report, or none when nothing is in it."""
    return [Section(title, items, intro or [], blocks)] if items else []


def heading(comparison: Comparison) -> list[list[Segment]]:
    """What was compared, and the verdict on corrections."""
    old, new = comparison.old, comparison.new
    site = new.site
    languages = ", ".join(sorted(site.editions)) or "none"
    head: list[list[Segment]] = [
        [
            ("", "Compared "),
            ("code", old.label),
            ("", f" with {new.label}, as readers of the default language ("),
            ("code", site.config.language),
            ("", ") see it; translations: "),
            ("code" if site.editions else "", languages),
            ("", "."),
        ],
    ]
    missing = comparison.missing_corrections
    if missing:
        head.append(
            [
                ("strong", f"{plural(len(missing), 'published figure')} changed without a correction"),
                ("", ": "),
                *joined([("code", c.id) for c in missing]),
                ("", ". Add an entry to the corrections log for each (below)."),
            ]
        )
    elif any(c.owes_correction for c in comparison.facts):
        head.append([("", "Every published figure that changed has its correction.")])
    if comparison.empty:
        head.append([("", "Nothing a reader would see changed.")])
    return head


def corrections_needed(comparison: Comparison, today: str) -> list[Section]:
    """The corrections log's entries to paste, when a published figure changed without one."""
    if not comparison.missing_corrections:
        return []
    return section(
        "Corrections needed",
        [Item([("", "Paste and complete:")], code=correction_entries(comparison, today))],
        intro=[
            (
                "",
                "A figure published on BASE changed value; the method page promises readers"
                " an entry in the corrections log for it. Facts calculated from it follow its entry.",
            )
        ],
        blocks=True,
    )


def figure_sections(comparison: Comparison, base: str) -> list[Section]:
    """Figures changed, those owing a correction first; then facts whose text readers read changed."""
    in_order = sorted(comparison.facts, key=lambda c: (not c.needs_correction, not c.figure_changed, c.id))
    return section("Figures changed", [fact_item(c, base) for c in in_order if not c.text]) + section(
        "Computed sentences whose outcome changed",
        [fact_item(c, base) for c in in_order if c.text],
        intro=[("", "Facts whose value is text, drawn from data: the words readers read changed.")],
    )


def drawn_sections(comparison: Comparison, folder: str) -> list[Section]:
    """Checked statements, and charts with their drawings before and after."""
    return section("Checked statements", [statement_item(c) for c in comparison.statements]) + section(
        "Charts",
        [chart_item(c, folder) for c in comparison.charts],
        blocks=True,
        intro=[
            (
                "",
                "Each chart's drawings on BASE and with this change are SVG files in the report"
                " folder's charts/ (a pull request's checks attach the folder to the run).",
            )
        ],
    )


def fact_entry_sections(comparison: Comparison, base: str) -> list[Section]:
    """Facts added, removed, and reworded without a change of figure."""
    reworded = [
        Item(
            [("code", c.id), ("", ": " + ", ".join(name for name, _, _ in c.fields))],
            [(0, [("", f"{name}: "), ("change", (b or "(none)", a or "(none)"))]) for name, b, a in c.fields],
        )
        for c in comparison.reworded_facts
    ]
    return (
        section("Facts added", [fact_item(c, base) for c in comparison.added_facts])
        + section("Facts removed", [fact_item(c, base) for c in comparison.removed_facts])
        + section("Facts reworded (no figure changed)", reworded)
    )


def site_sections(comparison: Comparison) -> list[Section]:
    """Sources, datasets, pages, translations and the corrections log's new entries."""
    datasets = [
        Item([("code", i), ("", f" {kind}: {title}")], rows_lines(removed, added))
        for i, title, kind, removed, added in comparison.datasets
    ]
    gained = [
        Item(
            [("", f"{c.date}: {c.change} "), *([("", "(fact "), ("code", c.fact), ("", ")")] if c.fact else [])],
            [(0, [("", f"reason: {c.reason}")])],
        )
        for c in comparison.corrections_gained
    ]
    return (
        section("Sources", [Item([("code", i), ("", f" {kind}: {text}")]) for kind, i, text in comparison.sources])
        + section("Datasets", datasets)
        + section("Pages", page_items(comparison))
        + section("Translations", translation_items(comparison))
        + section("Corrections log: entries added", gained)
    )


def page_items(comparison: Comparison) -> list[Item]:
    pages = [Item([("", "added: "), ("strong", t), ("", f" ({f})")]) for f, t in comparison.pages_added]
    pages += [Item([("", "removed: "), ("strong", t), ("", f" ({f})")]) for f, t in comparison.pages_removed]
    pages += [Item([("", "renamed: "), ("strong", t), ("", f" ({a} → {b})")]) for a, b, t in comparison.pages_renamed]
    pages += [Item([("", "reads differently: "), ("strong", t), ("", f" ({f})")]) for f, t in comparison.pages_changed]
    return pages


def translation_items(comparison: Comparison) -> list[Item]:
    """Each language: its pages that read differently, were added or removed."""
    return [
        Item(
            [
                ("code", language),
                (
                    "",
                    ": "
                    + "; ".join(
                        f"{what} {', '.join(f'{t} ({f})' for f, t in found)}"
                        for what, found in (("reads differently:", changed), ("added:", added), ("removed:", removed))
                        if found
                    ),
                ),
            ]
        )
        for language, changed, added, removed in comparison.translations
    ]


def statement_item(change: StatementChange) -> Item:
    statement = change.new or change.old
    assert statement is not None  # a change has a statement on one side at least
    item = Item([("code", change.id), ("", ": " + ", ".join(STATEMENT_CHANGES[k] for k in change.changes))])
    if "reworded" in change.changes and change.old and change.new:
        item.lines.append((0, [("", "says: "), ("change", (change.old.says, change.new.says))]))
    else:
        item.lines.append((0, [("", f"says: {statement.says}")]))
    if "condition" in change.changes and change.old and change.new:
        item.lines.append((0, [("", "check: "), ("change", (change.old.check, change.new.check))]))
    if change.reads_changed:
        item.lines.append(
            (
                0,
                [
                    ("", "it reads, changed: "),
                    *joined([("code", r) for r in change.reads_changed]),
                    ("", "; it still holds (the build checks it), but reread its sentence"),
                ],
            )
        )
    if change.places:
        item.lines.append((0, [("", "the sentence:")]))
        item.lines += [(1, place_line(place)) for place in change.places]
    return item


STATEMENT_CHANGES = {
    "added": "added",
    "removed": "removed",
    "reworded": "now reads differently",
    "condition": "its condition changed",
    "data": "the data it rests on changed",
}


def joined(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for number, segment in enumerate(segments):
        if number:
            out.append(("", ", "))
        out.append(segment)
    return out


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")


def md_text(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", one_line(str(text)))


def md_segments(segments: Iterable[Segment]) -> str:
    out = []
    for style, payload in segments:
        if style == "code":
            out.append(f"`{one_line(str(payload)).replace('`', '')}`")
        elif style == "strong":
            out.append(f"**{md_text(payload)}**")
        elif style == "change":
            before, after = payload
            out.append(
                f"**{md_text(after)}**"
                if before is None or before == after
                else f"~~{md_text(before)}~~ **{md_text(after)}**"
            )
        else:
            out.append(md_text(payload))
    return "".join(out)


def markdown_report(comparison: Comparison, today: str) -> str:
    """The report as GitHub-flavoured Markdown (report.md, and a pull request's job summary)."""
    head, sections = document(comparison, today)
    out = [f"# What this change does to readers: {md_text(comparison.old.label)} → {md_text(comparison.new.label)}", ""]
    for line in head:
        out += [md_segments(line), ""]
    for section in sections:
        out += [f"## {md_text(section.title)} ({len(section.items)})", ""]
        if section.intro:
            out += [md_segments(section.intro), ""]
        for item in section.items:
            if section.blocks:
                out += [f"### {md_segments(item.title)}", ""]
                out += [f"{'  ' * depth}- {md_segments(line)}" for depth, line in item.lines]
                if item.lines:
                    out.append("")
            else:
                out.append(f"- {md_segments(item.title)}")
                out += [f"{'  ' * (depth + 1)}- {md_segments(line)}" for depth, line in item.lines]
            if item.images:
                old, new = item.images
                out += [
                    "| BASE | This change |",
                    "| --- | --- |",
                    f"| {f'![BASE]({old})' if old else '(none)'} | {f'![This change]({new})' if new else '(none)'} |",
                    "",
                ]
            if item.code:
                out += ["```yaml", item.code, "```", ""]
        if not section.blocks:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def text_report(comparison: Comparison, today: str, folder: str = "", colour: bool = False) -> str:
    """The report for a terminal: plain text, readable without colour; bold, red and green with it."""

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    def segments_text(segments: Iterable[Segment]) -> str:
        out = []
        for style, payload in segments:
            if style == "strong":
                out.append(paint(one_line(str(payload)), "1"))
            elif style == "change":
                before, after = payload
                after = one_line(str(after))
                out.append(
                    paint(after, "32")
                    if before is None or before == after
                    else f"{paint(one_line(str(before)), '31')} → {paint(after, '32')}"
                )
            else:
                out.append(one_line(str(payload)))
        return "".join(out)

    head, sections = document(comparison, today, folder)
    title = f"What this change does to readers: {comparison.old.label} → {comparison.new.label}"
    out = [paint(title, "1"), "=" * len(title), ""]
    for line in head:
        out.append(segments_text(line))
    for section in sections:
        heading = f"{section.title} ({len(section.items)})"
        out += ["", paint(heading, "1"), "-" * len(heading)]
        if section.intro:
            out.append(segments_text(section.intro))
        for item in section.items:
            out.append(f"* {segments_text(item.title)}")
            out += [f"{'    ' * (depth + 1)}{segments_text(line)}" for depth, line in item.lines]
            if item.images:
                old, new = item.images
                out.append(f"    images: BASE {old or '(none)'}  |  this change {new or '(none)'}")
            if item.code:
                out += ["", *(f"    {line}" for line in item.code.split("\n")), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def correction_message(comparison: Comparison, today: str) -> tuple[str, str]:
    """(the error line, the entries to paste) when published figures changed without a correction."""
    missing = comparison.missing_corrections
    listed_ = "; ".join(f"{c.id} ({c.before} → {c.after})" for c in missing)
    headline = (
        f"{plural(len(missing), 'published figure')} changed without a correction"
        f" since {comparison.old.label}: {listed_}. Add an entry naming each to the corrections log:"
    )
    return one_line(headline), correction_entries(comparison, today)


def report_folder_text(out: Path) -> str:
    """The report folder as the text report names the chart files: relative to here where possible."""
    relative = os.path.relpath(out)
    return "" if relative == "." else (out.as_posix() if relative.startswith("..") else Path(relative).as_posix()) + "/"
