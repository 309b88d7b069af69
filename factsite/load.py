"""Stage 1, load: read the site folder into plain values. Parses files; checks only what reading needs."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .errors import ContentError, ContentErrors, UsageError
from .i18n import language_of_name
from .model import LoadedSite, RawChart, RawPage, RawTable
from .safe_yaml import LineDict, parse_yaml

THEME = Path(__file__).parent / "theme"  # the default look: templates/ and static/, each file replaceable by a site's
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
T = TypeVar("T")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# What a build reads of a site folder (and .cache/, the default cache, which it reads and writes).
SITE_ITEMS = ("site.yaml", "content", "static", "templates", "locales", ".cache")


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working folder where possible."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def read_text(path: Path) -> str:
    """UTF-8 text with universal newlines; ContentError naming the line of the first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(display_path(path), None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(display_path(path), line, "file is not UTF-8 text (save it as UTF-8)") from None
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def inside(path: Path, folder: Path) -> bool:
    """True when `path`, with links followed, lies within `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, int]:
    """(front matter mapping, body, line of the body's first line)."""
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            raise ContentError(path, 1, "front matter starts with --- but has no closing --- line")
        return {}, text, 1
    front = parse_yaml(match.group(1) or "", path, first_line=2) or {}
    if not isinstance(front, dict):
        raise ContentError(path, 2, "front matter must be a mapping of keys to values")
    return front, text[match.end() :], text[: match.end()].count("\n") + 1


def load_page(path: Path, content_dir: Path, languages: tuple[str, ...] = ()) -> RawPage:
    """A page; content/guides/night-buses.md has the slug "guides/night-buses", and
    content/regions.ru.md is the translation of "regions" into ru when ru is one of `languages`."""
    shown = display_path(path)
    text = read_text(path)
    front, body, body_line = split_front_matter(text, shown)
    slug, language = language_of_name(path.relative_to(content_dir).with_suffix("").as_posix(), languages)
    return RawPage(slug, shown, front, body, body_line, language, text)


def load_table(path: Path) -> RawTable:
    shown = display_path(path)
    reader = csv.reader(io.StringIO(read_text(path)))
    rows: list[list[str]] = []
    lines: list[tuple[int, int]] = []  # (first, last) line of each row, so messages point past comment lines
    try:
        for row in reader:
            start = lines[-1][1] + 1 if lines else 1
            lines.append((start, reader.line_num))
            rows.append(row)
    except csv.Error as exc:
        raise ContentError(shown, reader.line_num, f"cannot read the CSV: {exc}") from None
    kept = [(row, start) for row, (start, _) in zip(rows, lines, strict=True) if row and not row[0].startswith("#")]
    if not kept:
        raise ContentError(shown, 1, "CSV file is empty: it needs a header row")
    header, body = tuple(kept[0][0]), kept[1:]
    for number, name in enumerate(header):
        if name in header[:number]:  # a row maps each name to one cell: the later column would hide the first
            raise ContentError(
                shown,
                kept[0][1],
                f'the header names column "{name}" twice (columns {header.index(name) + 1}'
                f" and {number + 1}); give each column its own name",
            )
    for row, line in body:
        if len(row) != len(header):
            raise ContentError(shown, line, f"row has {len(row)} cells but the header has {len(header)}")
    return RawTable(shown, header, tuple(tuple(row) for row, _ in body), tuple(line for _, line in body))


def dataset_csv_paths(parsed_fact_file: Any) -> list[tuple[str, int]]:
    """(csv path as written, line) for each dataset entry that names a CSV file."""
    datasets = parsed_fact_file.get("datasets") if isinstance(parsed_fact_file, dict) else None
    if not isinstance(datasets, list):
        return []
    return [
        (entry["csv"], entry.key_lines.get("csv", entry.line))
        for entry in datasets
        if isinstance(entry, LineDict) and isinstance(entry.get("csv"), str)
    ]


def resolve_table(written: str, line: int, fact_path: str, content_dir: Path) -> RawTable:
    """Read the CSV a dataset names, refusing paths that leave content/."""
    if os.path.isabs(written):
        raise ContentError(fact_path, line, f'csv path "{written}" must be relative to content/')
    path = content_dir / written
    if not inside(path, content_dir):
        raise ContentError(fact_path, line, f'csv path "{written}" leaves the content/ folder')
    if not path.is_file():
        raise ContentError(fact_path, line, f'csv file "{written}" not found in content/')
    return load_table(path)


LAYOUT: dict[str, tuple[str, Callable[[Path], bool]]] = {
    ".md": ("content/**/*.md, outside facts/ and charts/", lambda rel: rel.parts[0] not in ("facts", "charts")),
    # Facts files, and the words of each chart beside its module (content/charts/<id>.yaml, <id>.ru.yaml).
    ".yaml": (
        "content/facts/*.yaml or content/charts/*.yaml",
        lambda rel: rel.parent in (Path("facts"), Path("charts")),
    ),
    ".yml": (
        "content/facts/*.yaml or content/charts/*.yaml",
        lambda rel: rel.parent in (Path("facts"), Path("charts")),
    ),
    ".py": ("content/charts/*.py", lambda rel: rel.parent == Path("charts")),
}
LAYOUT[".markdown"] = LAYOUT[".md"]  # a page, read as .md is (fares.markdown is fares.html)
PAGE_SUFFIXES = (".md", ".markdown")


def files_under(folder: Path) -> tuple[list[Path], list[ContentError]]:
    """Every file in `folder` (__pycache__ aside), and an error for each file or folder that is
    a link leading out of it: nothing outside the site is read or published."""
    files, errors = [], []
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.relative_to(folder).parts:
            continue
        if path.is_symlink() and not inside(path, folder):  # (rglob does not go into linked folders)
            errors.append(
                ContentError(display_path(path), None, f"link points outside {folder.name}/: copy the file in instead")
            )
        elif path.is_file():
            files.append(path)
    return files, errors


def links_out(root: Path) -> list[ContentError]:
    """An error for each of the site's items (SITE_ITEMS) that is itself a link, and for each file or
    folder in templates/, locales/ or .cache/ that is a link leading out of it (content/ and static/
    are looked through as they are read): a pull request can add links, since git stores them, and
    nothing outside the site folder may be read or published. Reads no file."""
    errors = []
    for name in SITE_ITEMS:
        path = root / name
        if path.is_symlink():
            errors.append(
                ContentError(
                    display_path(path),
                    None,
                    f"{name} is a link (symbolic link): the build reads only"
                    f" the site's own files; put the real {'file' if name == 'site.yaml' else 'folder'} here",
                )
            )
        elif name in ("templates", "locales", ".cache") and path.is_dir():
            errors.extend(files_under(path)[1])
    return errors


def content_files(content_dir: Path) -> tuple[list[Path], list[ContentError]]:
    """Every file in content/, and an error for each that is not where the layout puts it."""
    files, errors = files_under(content_dir)
    placed = []
    for path in files:
        if path.name.startswith("."):
            continue
        rule = LAYOUT.get(path.suffix)
        if rule and not rule[1](path.relative_to(content_dir)):
            errors.append(ContentError(display_path(path), None, f"file is not where the layout expects it: {rule[0]}"))
        else:
            placed.append(path)
    pages: dict[Path, Path] = {}
    for path in (p for p in placed if p.suffix in PAGE_SUFFIXES):
        other = pages.setdefault(path.with_suffix(""), path)
        if other is not path:
            errors.append(
                ContentError(
                    display_path(path),
                    None,
                    f"{display_path(other)} makes the same page,"
                    f" {path.relative_to(content_dir).with_suffix('.html').as_posix()}: keep one of the two files",
                )
            )
    return placed, errors


def read_yaml(path: Path) -> Any:
    """A content YAML file, parsed (safe_yaml); ContentError at the line of a problem."""
    return parse_yaml(read_text(path), display_path(path))


def languages_of(config: Any) -> tuple[str, ...]:
    """The site's other languages as site.yaml lists them (checked in validate), for telling
    translations (regions.ru.md) from pages."""
    listed = config.get("languages") if isinstance(config, dict) else None
    return tuple(code for code in listed if isinstance(code, str)) if isinstance(listed, list) else ()


def chart_id(path: Path, shown: str) -> str:
    if not ID_PATTERN.match(path.stem):
        raise ContentError(shown, None, f'chart file name "{path.name}" must be lower_case_with_underscores.py')
    return path.stem


class Attempt(Protocol):
    """Runs one read of a file: returns what it read, or None when it collected the ContentError."""

    def __call__(self, read: Callable[..., T], /, *args: Any) -> T | None: ...


def raise_at_once(read: Callable[..., T], /, *args: Any) -> T | None:
    """The `attempt` for loading one file by itself: the first problem is raised."""
    return read(*args)


def load_fact_file(
    path: Path, content_dir: Path, attempt: Attempt = raise_at_once
) -> tuple[str, Any, dict[str, RawTable]]:
    """(path as shown, parsed YAML, CSV tables its datasets name); `attempt` runs each read, collecting errors."""
    shown = display_path(path)
    parsed = attempt(read_yaml, path)
    tables: dict[str, RawTable] = {}
    for written, line in dataset_csv_paths(parsed):
        table = attempt(resolve_table, written, line, shown, content_dir)
        if table:
            tables[written] = table
    return shown, parsed, tables


def load_chart(path: Path, attempt: Attempt = raise_at_once) -> RawChart | None:
    shown = display_path(path)
    cid = attempt(chart_id, path, shown)
    source = attempt(read_text, path)
    return RawChart(cid, shown, source) if cid and source is not None else None


def load_site(root: Path) -> LoadedSite:
    """Read everything under `root`; ContentErrors listing every file that could not be read."""
    root = Path(root)
    config_file = root / "site.yaml"
    content_dir = root / "content"
    outside = links_out(root)
    if outside:
        raise ContentErrors(outside)
    if not config_file.is_file():  # the command was aimed at another folder: a usage error (exit 2), not content
        raise UsageError(
            f"{display_path(config_file)}: error: site.yaml not found: is this a site folder?"
            " (pass the site's folder with --site, or start one with factsite new)"
        )
    if not content_dir.is_dir():
        raise ContentErrors([ContentError(display_path(content_dir), None, "content/ folder not found")])

    errors: list[ContentError] = []

    def attempt(read: Callable[..., T], /, *args: Any) -> T | None:
        try:
            return read(*args)
        except ContentError as error:
            errors.append(error)
            return None

    config: Any = attempt(lambda: parse_yaml(read_text(config_file), display_path(config_file)) or {})
    languages = languages_of(config)
    files, layout_errors = content_files(content_dir)
    errors.extend(layout_errors)
    pages = [
        page
        for page in (attempt(load_page, p, content_dir, languages) for p in files if p.suffix in PAGE_SUFFIXES)
        if page is not None  # (a page that could not be read is among the errors)
    ]
    fact_files: list[tuple[str, Any]] = []
    word_files: list[tuple[str, str, Any]] = []
    tables: dict[str, RawTable] = {}
    chart_word_files = [
        (display_path(path), language_of_name(path.stem, languages)[1], attempt(read_yaml, path))
        for path in files
        if path.suffix in (".yaml", ".yml") and path.parent == content_dir / "charts"
    ]
    for path in (p for p in files if p.suffix in (".yaml", ".yml") and p.parent != content_dir / "charts"):
        language = language_of_name(path.stem, languages)[1]
        if language:  # content/facts/regions.ru.yaml: the words of regions.yaml in Russian
            word_files.append((display_path(path), language, attempt(read_yaml, path)))
            continue
        shown, parsed, its_tables = load_fact_file(path, content_dir, attempt)
        fact_files.append((shown, parsed))
        tables.update(its_tables)
    charts = [chart for chart in (load_chart(p, attempt) for p in files if p.suffix == ".py") if chart]
    if not [p for p in files if p.suffix in PAGE_SUFFIXES]:
        errors.append(ContentError(display_path(content_dir), None, "content/ has no pages: add content/index.md"))
    elif not any((content_dir / f"index{suffix}").is_file() for suffix in PAGE_SUFFIXES):
        errors.append(
            ContentError(display_path(content_dir / "index.md"), None, "the home page content/index.md is missing")
        )
    static_files: dict[str, str] = {}
    for static_dir in (THEME / "static", root / "static"):  # the site's file of a name replaces the theme's
        static_paths, static_errors = files_under(static_dir) if static_dir.is_dir() else ([], [])
        errors.extend(static_errors)
        static_files.update((path.relative_to(static_dir).as_posix(), str(path)) for path in static_paths)
    if errors:
        raise ContentErrors(errors)

    return LoadedSite(
        root=str(root),
        config_path=display_path(config_file),
        config=config,
        pages=tuple(pages),
        fact_files=tuple(fact_files),
        word_files=tuple(word_files),
        tables=tables,
        charts=tuple(charts),
        chart_word_files=tuple(chart_word_files),
        template_dirs=tuple(str(folder) for folder in (root / "templates", THEME / "templates") if folder.is_dir()),
        static_files=tuple(sorted(static_files.items())),
    )
