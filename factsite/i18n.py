"""Languages: one site in several languages that share every fact, dataset and chart.

- site.yaml names the default `language` and the others: `languages: [ru]`.
- A translation of content/regions.md is content/regions.ru.md: beside its source, so a reviewer sees
  both in one folder and a page without its translation stands out. It is published as ru/regions.html,
  uses the same fact(), chart() and check() calls, and says which version of its source it translates
  (`source_version:`; `check` prints the current one).
- The words of facts, sources, datasets and statements in a language are in a file beside each facts
  file, content/facts/regions.ru.yaml. It holds words only: every figure stays in one place.
- Interface words ("How to read the figures") come from gettext catalogs: the site's
  locales/<lang>/LC_MESSAGES/messages.po first, then the theme's.

Every function takes values and returns values; catalogs are compiled once per process.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from markupsafe import Markup, escape

from .errors import NOT_IN_XML, ContentError, did_you_mean
from .formatting import N_, locale_of
from .model import Claim, Correction, Dataset, Fact, Page, Site, Statement, Where
from .sanitize import sanitize_interface_words

THEME_LOCALES = Path(__file__).parent / "theme" / "locales"
FACT_WORDS = ("label", "unit", "counts", "claimant", "note", "quote")
SOURCE_WORDS = ("title", "note", "publisher")  # a publisher's name as readers of the language know it (optional)
DATASET_WORDS = ("title", "note", "claimant", "values")
TABLE_WORDS = ("caption", "note", "headings")  # headings: column -> its heading
# Markup in a source string: the theme marks the place where a translation may hold some too.
WORDS_NAMED = 3  # a message names this many missing words, then says how many more
LONGEST_QUOTE = 60  # characters of an English text quoted in a message
MARKUP = re.compile(r"<[A-Za-z/!?]")
# A placeholder in an interface string; templates always format them (%% is a percent sign).
PLACEHOLDER = re.compile(r"%(?:\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%)")
CALCULATED_FROM = N_("calculated from figures by")
AND = N_("and")
UNTRANSLATED = ("fallback", "omit")  # site.yaml's untranslated: (model.SiteConfig.untranslated)


# ---- names and versions ------------------------------------------------------------------


def language_of_name(stem: str, languages: Iterable[str]) -> tuple[str, str]:
    """("regions", "ru") for the stem "regions.ru" when ru is one of the site's languages, else (stem, "")."""
    base, dot, suffix = stem.rpartition(".")
    return (base, suffix) if dot and suffix in languages else (stem, "")


def source_version(text: str) -> str:
    """The version of a source page a translation records: its file's text, digested."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def valid_tag(tag: Any) -> str | None:
    """Why `tag` is not a BCP 47 language tag CLDR knows, or None."""
    if not isinstance(tag, str):
        return "must be a language tag such as en, en-GB or ru"
    try:
        locale_of(tag)
    except ValueError as exc:
        return str(exc)
    return None


def base_language(tag: str) -> str:
    """ "en-GB" -> "en": the part that names a catalog and a folder."""
    return tag.split("-", maxsplit=1)[0].lower()


# ---- interface words -------------------------------------------------------------------------


def catalog(language: str, site_locales: str = "") -> gettext.NullTranslations:
    """The interface words of a language, compiled in memory from the .po file (site's, then theme's).

    English is the catalogs' source language: its words are the msgids themselves."""
    code = base_language(language)
    po_file = catalog_file(language, site_locales)
    if po_file is not None:
        return compiled_catalog(po_file.read_bytes(), code)
    if code == "en":
        return gettext.NullTranslations()
    raise ValueError(
        f'no interface words for "{language}": add locales/{code}/LC_MESSAGES/messages.po'
        " (copy the theme's factsite/theme/locales/ru/LC_MESSAGES/messages.po and translate it)"
    )


@functools.lru_cache(maxsize=16)
def compiled_catalog(po: bytes, code: str) -> gettext.GNUTranslations:
    """A .po file's words, compiled once for each text of the file (serve reads the file again on
    every build, so an edited catalog is never taken from memory)."""
    messages = read_po(io.BytesIO(po), locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def catalog_file(language: str, site_locales: str = "") -> Path | None:
    """The .po file that holds a language's interface words: the site's, else the theme's, else None."""
    code = base_language(language)
    for folder in ([Path(site_locales)] if site_locales else []) + [THEME_LOCALES]:
        po_file = folder / code / "LC_MESSAGES" / "messages.po"
        if po_file.is_file():
            return po_file
    return None


# One line of a .po file besides comments and blank lines: a keyword and a "quoted string", or a
# "quoted string" that continues the one above. babel reads other lines by guessing (an unclosed quote
# loses a letter, a stray line is skipped with a warning on stdout), so they are refused first.
PO_LINE = re.compile(r'[ \t]*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"(?:[^"\\]|\\.)*"[ \t]*')


MessageText = str | tuple[str, ...] | list[str]  # Babel's msgid or msgstr: one text, or a plural entry's forms


def message_key(message_id: MessageText) -> str:
    """A catalog entry's msgid; the singular one of a plural entry."""
    return message_id if isinstance(message_id, str) else message_id[0]


def message_texts(text: MessageText | None) -> tuple[str | None, ...]:
    """A catalog entry's msgid or msgstr as the tuple of its forms (one, unless it is a plural entry)."""
    return tuple(text) if isinstance(text, (tuple, list)) else (text,)


@functools.cache
def interface_words() -> frozenset[str]:
    """Every interface word a catalog translates: the msgids of the theme's messages.pot."""
    with (THEME_LOCALES / "messages.pot").open("rb") as handle:
        return frozenset(message_key(m.id) for m in read_po(handle) if m.id)


def plural_forms_problem(text: str, language: str, path: str) -> ContentError | None:
    """A Plural-Forms header gettext cannot compile, which is then the cause of babel's complaint."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # babel warns on stdout of what it skips
            compiled_catalog(text.encode(), base_language(language))
    except ValueError as exc:
        return ContentError(path, None, f"cannot read the catalog: {exc}")
    return None


def catalog_problems(language: str, site_locales: str = "") -> list[ContentError]:
    """Whatever would show readers of `language` an interface word in English: a line of its catalog
    that is not gettext's syntax, an entry left untranslated or marked fuzzy (gettext skips those),
    a word of the theme's messages.pot the catalog lacks. [] when there is no catalog (English)."""
    po_file = catalog_file(language, site_locales)
    if po_file is None:
        return []
    path = str(po_file)
    try:
        text = po_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [ContentError(path, None, f"cannot read the catalog: {exc}; save it as UTF-8 text")]
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#") and not PO_LINE.fullmatch(line):
            return [
                ContentError(
                    path,
                    number,
                    'not a line of a catalog: each is msgid "...", msgstr "...",'
                    ' a "..." that continues the text above (every quote closed), or a # comment',
                )
            ]
    try:
        messages = read_po(io.BytesIO(text.encode()), locale=base_language(language), abort_invalid=True)
    except PoFileError as exc:
        return [
            plural_forms_problem(text, language, path)
            or ContentError(path, exc.lineno + 1, f"cannot read the catalog: {str(exc).rsplit(' on ', 1)[0]}")
        ]
    if base_language(language) == "en":  # the source language: a word it leaves out is shown as its msgid, in English
        return []
    errors = []
    for message in (m for m in messages if m.id):
        strings = message_texts(message.string)
        unpublishable = next((found for text in strings if (found := NOT_IN_XML.search(text or ""))), None)
        if unpublishable:
            errors.append(
                ContentError(
                    path,
                    message.lineno,
                    f'"{message_key(message.id)}": the character'
                    f" U+{ord(unpublishable.group()):04X} cannot be published"
                    " (XML, so feed.xml, cannot hold it): remove it",
                )
            )
        elif message.fuzzy:
            errors.append(
                ContentError(
                    path,
                    message.lineno,
                    f'"{message_key(message.id)}" is marked fuzzy, so readers see it in'
                    ' English: check its translation, then delete the "#, fuzzy" line',
                )
            )
        elif not all(strings):
            errors.append(
                ContentError(
                    path,
                    message.lineno,
                    f'"{message_key(message.id)}" is not translated, so readers see it in'
                    " English: write its translation in msgstr",
                )
            )
    missing = sorted(interface_words() - {message_key(m.id) for m in messages if m.id})
    if missing:
        shown = ", ".join(f'"{word}"' for word in missing[:WORDS_NAMED]) + (
            f" and {len(missing) - WORDS_NAMED} more" if len(missing) > WORDS_NAMED else ""
        )
        errors.append(
            ContentError(
                path,
                None,
                f"{len(missing)} interface word{'s' if len(missing) > 1 else ''} missing, which"
                f" readers would see in English: {shown}; add them from the theme's"
                " factsite/theme/locales/messages.pot (pybabel update does it)",
            )
        )
    return errors


def interface_text(source: str, translated: str, variables: dict[str, Any]) -> Markup:
    """Interface words as HTML, the translation's and the variables' markup escaped like any other
    text: a catalog (a site's locales/ comes from pull requests) is not trusted. Only where the
    theme's `source` string holds markup may the translation hold some, kept as far as
    sanitize.INTERFACE_TAGS allow."""
    if not MARKUP.search(source):
        return escape(translated) % variables
    return Markup(sanitize_interface_words(str(Markup(translated) % variables))[0])


def template_gettext(translations: gettext.NullTranslations) -> dict[str, Callable[..., Markup]]:
    """The gettext, ngettext, pgettext and npgettext of templates (Jinja's i18n extension, new style:
    `_("%(site)s", site=...)`) with interface_text's escaping, in place of Jinja's, which mark every
    translation safe."""

    def interface_gettext(message: str, **variables: Any) -> Markup:
        return interface_text(message, translations.gettext(message), variables)

    def interface_ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
        return interface_text(singular, translations.ngettext(singular, plural, num), {"num": num, **variables})

    def interface_pgettext(context: str, message: str, **variables: Any) -> Markup:
        return interface_text(message, translations.pgettext(context, message), variables)

    def interface_npgettext(context: str, singular: str, plural: str, num: int, **variables: Any) -> Markup:
        return interface_text(
            singular, translations.npgettext(context, singular, plural, num), {"num": num, **variables}
        )

    return {
        "gettext": interface_gettext,
        "ngettext": interface_ngettext,
        "pgettext": interface_pgettext,
        "npgettext": interface_npgettext,
    }


def site_catalog_file(language: str, site_locales: str) -> Path | None:
    """The site's own catalog for `language`, when it has one."""
    path = Path(site_locales) / base_language(language) / "LC_MESSAGES" / "messages.po"
    return path if site_locales and path.is_file() else None


def translation_problem(source: str, allowed: set[str], translated: str) -> str | None:
    """Why a translation cannot stand for `source` on a page: a placeholder the source has not
    (`allowed`: its placeholders as written), a lone %, or markup where the source has none."""
    for match in PLACEHOLDER.finditer(translated):
        if match.group(0) != "%%" and match.group(0) not in allowed:
            return f"it uses {match.group(0)}, which the original does not have" + (
                f" (it has {', '.join(sorted(allowed))})" if allowed else ""
            )
    if "%" in PLACEHOLDER.sub("", translated):
        return "it holds a lone % (write %% for a percent sign)"
    if not MARKUP.search(source):
        return (
            "it holds markup, but these interface words are shown as text: write them without tags"
            if MARKUP.search(translated)
            else None
        )
    removed = sanitize_interface_words(translated)[1]
    return f"{removed[0]} (only links and emphasis may be kept: <a href>, <em>, <strong>, <code>)" if removed else None


def translation_problems(path: Path, shown: str, language: str) -> list[ContentError]:
    """An error at each translation in a site's catalog that a page could not show as it stands."""
    try:
        compiled_catalog(path.read_bytes(), base_language(language))
        with path.open("rb") as handle:
            messages = read_po(handle)
    except (OSError, ValueError) as exc:  # not UTF-8, a Plural-Forms header gettext refuses
        return [ContentError(shown, None, f"cannot read the catalog: {exc}")]
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    errors = []
    for message in messages:
        if not message.id or not message.string or "fuzzy" in message.flags:
            continue  # untranslated words, and fuzzy ones, are not used
        sources = [text or "" for text in message_texts(message.id)]
        allowed = {m.group(0) for source in sources for m in PLACEHOLDER.finditer(source) if m.group(0) != "%%"}
        if isinstance(message.id, tuple):
            allowed |= {"%(num)s", "%(num)d"}
        translations = [text or "" for text in message_texts(message.string)]
        for number, translated in enumerate(translations):
            problem = translation_problem(sources[0], allowed, translated)
            if problem:
                line = msgstr_line(lines, message.lineno or 0, number if isinstance(message.string, tuple) else None)
                short = sources[0] if len(sources[0]) <= LONGEST_QUOTE else sources[0][: LONGEST_QUOTE - 3] + "..."
                errors.append(ContentError(shown, line, f'the translation of "{short}": {problem}'))
    return errors


def msgstr_line(lines: list[str], msgid_line: int, form: int | None) -> int:
    """The line of a message's msgstr (of plural form `form`), found from its msgid's line."""
    start = "msgstr" if form is None else f"msgstr[{form}]"
    return next(
        (number for number in range(msgid_line, len(lines) + 1) if lines[number - 1].startswith(start)), msgid_line
    )


# ---- the words of facts, sources, datasets in a language ------------------------------------


@dataclass(frozen=True)
class Words:
    """One language's words for what the facts files hold; figures are never here."""

    language: str
    # The words as the words files give them (YAML), by id: a fact's label, unit, counts, claimant, note
    # and quote; a source's title and note; a dataset's title, note, claimant and values ({column: {cell:
    # word}}); a statement's says; a correction's change and reason, by (facts file, number).
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)
    statements: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # {caption, note, headings: {column: word}}
    corrections: dict[tuple[str, int], Any] = field(default_factory=dict)
    where: dict[tuple[str, str], Where] = field(default_factory=dict)  # ("facts", id) -> its words' place


def text_words(words: Any) -> bool:
    """A mapping of names to non-empty text: a table's headings by column."""
    return isinstance(words, dict) and all(isinstance(word, str) and word.strip() for word in words.values())


def cell_words(values: Any) -> bool:
    """A dataset's `values:` words: column -> {cell: text}."""
    return isinstance(values, dict) and all(
        isinstance(cells, dict) and all(isinstance(word, str) for word in cells.values()) for cells in values.values()
    )


def words_problems(
    section: str, entries: Any, known: Mapping[str, Any], allowed: tuple[str, ...], path: str
) -> list[ContentError]:
    """Unknown ids and fields in one section of a words file."""
    lines = getattr(entries, "key_lines", {})
    errors = []
    for item_id, words in entries.items():
        line = lines.get(item_id)
        if item_id not in known:
            errors.append(
                ContentError(
                    path, line, f'words for unknown {section[:-1]} "{item_id}"{did_you_mean(str(item_id), known)}'
                )
            )
        elif not isinstance(words, dict):
            errors.append(ContentError(path, line, f'"{item_id}": give its words as a mapping, such as label: ...'))
        else:
            errors += [
                ContentError(
                    path,
                    getattr(words, "key_lines", {}).get(key, line),
                    f'"{item_id}": "{key}" is not a word field of a {section[:-1]}; use {", ".join(allowed)}',
                )
                for key in words
                if key not in allowed
            ]
            errors += [
                ContentError(path, getattr(words, "key_lines", {}).get(key, line), f'"{item_id}": "{key}" must be text')
                for key, value in words.items()
                if key in allowed
                and key not in ("values", "headings")
                and not (isinstance(value, str) and value.strip())
            ]
            if "headings" in allowed and "headings" in words and not text_words(words["headings"]):
                errors.append(
                    ContentError(
                        path,
                        getattr(words, "key_lines", {}).get("headings", line),
                        f'"{item_id}": "headings" maps each column to its heading, such as headings: {{country: Land}}',
                    )
                )
            if "values" in allowed and "values" in words and not cell_words(words["values"]):
                errors.append(
                    ContentError(
                        path,
                        getattr(words, "key_lines", {}).get("values", line),
                        f'"{item_id}": "values" maps'
                        " each column to its cells' words, such as values: {region: {Moscow: Москва}}",
                    )
                )
    return errors


def words_source(path: str) -> str:
    """The facts file a words file translates: content/facts/regions.yaml for regions.ru.yaml."""
    return path.rsplit(".", 2)[0] + "." + path.rsplit(".", 1)[1]


def section_problem(
    section: str, entries: Any, path: str, line: int | None, sections: Mapping[str, object]
) -> ContentError | None:
    """Why a section of a words file is refused: a section it cannot have, or not the shape it needs."""
    if section == "corrections":
        if isinstance(entries, list):
            return None
        return ContentError(path, line, '"corrections" lists the log\'s entries in order: - {change: ..., reason: ...}')
    if section not in sections:
        return ContentError(
            path, line, f'unknown section "{section}"{did_you_mean(str(section), [*sections, "corrections"])}'
        )
    if not isinstance(entries, dict):
        return ContentError(path, line, f'"{section}" maps each id to its words')
    return None


def read_words(files: list[tuple[str, str, Any]], site: Site) -> tuple[dict[str, Words], list[ContentError]]:
    """The words of each language from its files (path, language, parsed YAML), checked against the site."""
    gathered: dict[str, dict[str, dict[Any, Any]]] = {}
    errors: list[ContentError] = []
    sections: dict[str, tuple[Mapping[str, Any], tuple[str, ...]]] = {
        "facts": (site.facts, FACT_WORDS),
        "sources": (site.sources, SOURCE_WORDS),
        "datasets": (site.datasets, DATASET_WORDS),
        "statements": (site.statements, ("says",)),
        "tables": (site.tables, TABLE_WORDS),
    }
    for path, language, parsed in files:
        if parsed is None:
            continue
        into = gathered.setdefault(
            language,
            {
                "facts": {},
                "sources": {},
                "datasets": {},
                "statements": {},
                "tables": {},
                "corrections": {},
                "where": {},
            },
        )
        if not isinstance(parsed, dict):
            errors.append(
                ContentError(
                    path,
                    1,
                    "a words file maps facts:, sources:, datasets:, statements: and corrections: to their words",
                )
            )
            continue
        for section, entries in parsed.items():
            refused = section_problem(section, entries, path, getattr(parsed, "key_lines", {}).get(section), sections)
            if refused:
                errors.append(refused)
                continue
            if section == "corrections":
                for number, entry in enumerate(entries):
                    into["corrections"][(words_source(path), number)] = entry
                continue
            known, allowed = sections[section]
            errors += words_problems(section, entries, known, allowed, path)
            for item_id, words in entries.items():
                first = into["where"].get((section, item_id))
                if first is not None:  # the later file would silently replace the words of the first
                    errors.append(
                        ContentError(
                            path,
                            getattr(entries, "key_lines", {}).get(item_id),
                            f'words for {section[:-1]} "{item_id}" are given twice: also at {first.path}:{first.line}',
                        )
                    )
                    continue
                if item_id in known and isinstance(words, dict) and (section != "statements" or "says" in words):
                    into[section][item_id] = (
                        words["says"]
                        if section == "statements"
                        else {
                            key: value
                            for key, value in words.items()
                            if (key != "values" or cell_words(value)) and (key != "headings" or text_words(value))
                        }
                    )  # reported above
                    into["where"][(section, item_id)] = Where(path, getattr(entries, "key_lines", {}).get(item_id))
    return {language: Words(language, **parts) for language, parts in gathered.items()}, errors


# ---- a site as readers of one language see it -----------------------------------------------


def translated_value(fact: Fact, site: Site, words: Words) -> tuple[Any, str | None]:
    """A text figure (a region's name drawn from a dataset) in the language, or why it has none."""
    if not isinstance(fact.value, str):
        return fact.value, None
    for dataset_id in fact.datasets:
        for cells in (words.datasets.get(dataset_id, {}).get("values") or {}).values():
            if isinstance(cells, dict) and fact.value in cells:
                return cells[fact.value], None
    return (
        fact.value,
        f'fact "{fact.id}" shows "{fact.value}" from the data: give it words under values: of its dataset',
    )


def localized_claimant(
    fact: Fact, facts: Mapping[str, Fact], datasets: Mapping[str, Dataset], gettext: Callable[[str], str]
) -> str:
    """A calculated fact's claimant, rebuilt from the claimants of what it was calculated from."""
    names = list(
        dict.fromkeys(
            (facts[item].claimant if kind == "fact" else datasets[item].claimant) for kind, item in fact.calculated_from
        )
    )
    return f"{gettext(CALCULATED_FROM)} " + f" {gettext(AND)} ".join(names)


@dataclass(frozen=True)
class Shown:
    """What the translated pages of one language show, directly or through a figure: each entry with
    the place on a page that first shows it (where a missing word is reported). Only these need words
    in the language; an untranslated page is published in the source language (or left out)."""

    facts: dict[str, Where] = field(default_factory=dict)
    sources: dict[str, Where] = field(default_factory=dict)
    datasets: dict[str, Where] = field(default_factory=dict)
    statements: dict[str, Where] = field(default_factory=dict)
    charts: dict[str, Where] = field(default_factory=dict)
    tables: dict[str, Where] = field(default_factory=dict)
    corrections: dict[tuple[str, int], Where] = field(default_factory=dict)


def shown_by(pages: Iterable[Page], site: Site) -> Shown:
    """What `pages` (one language's translations) show: their fact(), chart() and check() calls and
    share charts, with what those figures show in turn (figures_shown)."""
    shown = Shown()
    for page in pages:
        if page.share_chart in site.charts:
            shown.charts.setdefault(page.share_chart, Where(page.where.path, 1))
        for reference in page.references:
            section = {
                "fact": shown.facts,
                "chart": shown.charts,
                "check": shown.statements,
                "table": shown.tables,
            }[reference.kind]
            section.setdefault(reference.id, reference.where)
    first_page = next((Where(page.where.path, 1) for page in pages), None)
    return figures_shown(shown, site, first_page)


def figures_shown(shown: Shown, site: Site, first_page: Where | None) -> Shown:
    """`shown` with the figures its figures are calculated from (a calculated figure's card names whom
    they come from), the sources and datasets of each, and the corrections of shown figures; a
    correction naming no figure is the log's own, shown with the first page (`first_page`)."""
    todo = list(shown.facts)
    while todo:
        fact = site.facts.get(todo.pop())
        if fact is None:
            continue
        where = shown.facts[fact.id]
        for input_id in (i for i in fact.inputs if i not in shown.facts):
            shown.facts[input_id] = where
            todo.append(input_id)
        for source_id in fact.sources:
            shown.sources.setdefault(source_id, where)
        for dataset_id in fact.datasets:
            shown.datasets.setdefault(dataset_id, where)
    for table_id, where in shown.tables.items():  # a table cites its dataset's sources under it
        if table_id in site.tables:
            shown.datasets.setdefault(site.tables[table_id].dataset, where)
    for dataset_id, where in list(shown.datasets.items()):
        for source_id in getattr(site.datasets.get(dataset_id), "sources", ()):
            shown.sources.setdefault(source_id, where)
    for correction in site.corrections:
        shown_with = shown.facts.get(correction.fact) if correction.fact else first_page
        if shown_with is not None and correction.key:
            shown.corrections[correction.key] = shown_with
    return shown


def translated_charts(site: Site, language: str) -> dict[str, Where]:
    """The charts that pages translated into `language` show, each with the place on a page that first
    shows it: the charts that need the language's words. A chart only untranslated pages show is
    published with them in the source language, so it needs none."""
    edition = site.editions.get(language)
    return shown_by(edition.pages, site).charts if edition else {}


def words_file(facts_file: str, language: str, root: str) -> str:
    """The words file of a facts file in a language, as found from the site folder `root`:
    content/facts/regions.ru.yaml for regions.yaml."""
    stem, _, suffix = facts_file.rpartition(".")
    path = Path(f"{stem}.{language}.{suffix}")
    return (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()


def localized(
    site: Site,
    language: str,
    pages: tuple[Page, ...],
    words: Words | None,
    gettext: Callable[[str], str],
    shown: Shown | None = None,
) -> tuple[Site, list[ContentError]]:
    """The site as readers of `language` see it: its pages in that language, and the words of every
    fact, source, dataset, table, statement and correction in it; figures unchanged. A word that a
    translated page shows (`shown`, by default what `pages` show) and that is missing is an error at
    the page, naming the entry and its words file, never an English word shown in its place; entries
    no translated page shows keep the source language's words."""
    errors: list[ContentError] = []
    words = words or Words(language)
    shown = shown if shown is not None else shown_by(pages, site)
    missing: dict[tuple[str, str], list[str]] = {}  # (section, id) -> fields without words

    def need(section: str, item_id: str, key: str, english: str) -> str:
        given: str | None = words.__dict__[section].get(item_id, {}).get(key)  # (words_problems checked them)
        if given or not english:
            return given or ""
        if item_id in getattr(shown, section):
            missing.setdefault((section, item_id), []).append(key)
        return english

    datasets = {}
    for dataset in site.datasets.values():
        # Rows stay as the data has them (charts match on them); a chart shows a cell in this
        # language through facts.label(), which reads these words.
        values = words.datasets.get(dataset.id, {}).get("values") or {}
        datasets[dataset.id] = replace(
            dataset,
            title=need("datasets", dataset.id, "title", dataset.title),
            note=need("datasets", dataset.id, "note", dataset.note),
            claimant=need("datasets", dataset.id, "claimant", dataset.claimant),
            labels={column: dict(cells) for column, cells in values.items() if isinstance(cells, dict)},
        )
    facts = {}
    for fact in site.facts.values():
        value, without_words = translated_value(fact, site, words)
        if without_words and fact.id in shown.facts:
            where = shown.facts[fact.id]
            errors.append(
                ContentError(where.path, where.line, f"this page shows it in {language}, but {without_words}")
            )
        fact_words: dict[str, Any] = {
            key: need("facts", fact.id, key, getattr(fact, key))
            for key in FACT_WORDS
            if not (key == "claimant" and fact.calculated_from)
        }
        facts[fact.id] = replace(fact, value=value, **fact_words)
    for fact in facts.values():  # calculated claimants, once every fact has its words
        if fact.calculated_from:
            facts[fact.id] = replace(fact, claimant=localized_claimant(fact, facts, datasets, gettext))
    sources = {
        source.id: replace(
            source,
            translated_title=words.sources.get(source.id, {}).get("title", ""),
            publisher=words.sources.get(source.id, {}).get("publisher", source.publisher),
            note=need("sources", source.id, "note", source.note),
        )
        for source in site.sources.values()
    }
    tables = {
        table.id: replace(
            table,
            caption=need("tables", table.id, "caption", table.caption),
            note=need("tables", table.id, "note", table.note),
            columns=tuple(
                replace(
                    column,
                    heading=table_heading(words, table.id, column.column, shown.tables.get(table.id), language, errors),
                )
                for column in table.columns
            ),
        )
        for table in site.tables.values()
    }
    errors += missing_words(missing, shown, site, language)
    statements, statement_errors = localized_statements(site, words, language, shown)
    corrections, correction_errors = localized_corrections(site, words, language, shown)
    errors += statement_errors + correction_errors
    return replace(
        site,
        pages=pages,
        facts=facts,
        sources=sources,
        datasets=datasets,
        tables=tables,
        statements=statements,
        corrections=tuple(corrections),
    ), errors


def localized_statements(
    site: Site, words: Words, language: str, shown: Shown
) -> tuple[dict[str, Statement], list[ContentError]]:
    """Each statement with what it says in `language`; an error, at the page, for each that a
    translated page shows and the words do not give."""
    statements: dict[str, Statement] = {}
    errors: list[ContentError] = []
    for statement in site.statements.values():
        says = words.statements.get(statement.id)
        if not says and statement.id in shown.statements:
            where = shown.statements[statement.id]
            errors.append(
                ContentError(
                    where.path,
                    where.line,
                    f'statement "{statement.id}" has no words in {language}: give its says: under this'
                    " page's statements:"
                    + (
                        ""
                        if statement.where.path.endswith(".md")
                        else f" or in {words_file(statement.where.path, language, site.root)}"
                    ),
                )
            )
        statements[statement.id] = replace(statement, says=says or statement.says)
    return statements, errors


def localized_corrections(
    site: Site, words: Words, language: str, shown: Shown
) -> tuple[list[Correction], list[ContentError]]:
    """The corrections log with each entry's change and reason in `language`; an error for each that
    translated pages show and the words do not give."""
    corrections: list[Correction] = []
    errors: list[ContentError] = []
    for correction in site.corrections:
        given = (words.corrections.get(correction.key) if correction.key else None) or {}
        if not (given.get("change") and given.get("reason")) and correction.key in shown.corrections:
            errors.append(
                ContentError(
                    correction.where.path,
                    correction.where.line,
                    f"correction of {correction.date} has no change: and reason: in {language}, which"
                    f" translated pages show: add them to {words_file(correction.where.path, language, site.root)}",
                )
            )
        corrections.append(
            replace(
                correction, change=given.get("change", correction.change), reason=given.get("reason", correction.reason)
            )
        )
    return corrections, errors


def table_heading(
    words: Words, table_id: str, column: str, shown_at: Where | None, language: str, errors: list[ContentError]
) -> str:
    """A table column's heading in the language (its words file's headings:); a missing one is an error
    at the translated page that shows the table (`shown_at`), and none when no translated page does."""
    heading: str | None = (words.tables.get(table_id, {}).get("headings") or {}).get(column)
    if not heading and shown_at is not None:
        errors.append(
            ContentError(
                shown_at.path,
                shown_at.line,
                f'this page shows table "{table_id}", which has no heading for "{column}" in {language}:'
                f" add headings: {{{column}: ...}} under tables: {table_id}: in its words file",
            )
        )
    return heading or column


def missing_words(
    missing: dict[tuple[str, str], list[str]], shown: Shown, site: Site, language: str
) -> list[ContentError]:
    """An error at the page that shows each entry lacking words (`missing`: (section, id) -> fields),
    naming the words file to add them to."""
    entries: dict[str, Any] = {**site.facts, **site.sources, **site.datasets, **site.tables}
    errors: list[ContentError] = []
    for (section, item_id), keys in missing.items():
        where = getattr(shown, section)[item_id]
        file = words_file(entries[item_id].where.path, language, site.root)
        errors.append(
            ContentError(
                where.path,
                where.line,
                f'this page shows {section[:-1]} "{item_id}", which has no {", ".join(keys)} in {language}:'
                f" add {'them' if len(keys) > 1 else 'it'} to {file}",
            )
        )
    return errors


def untranslated_summary(site: Site) -> list[str]:
    """For each of the site's other languages with pages not translated into it: which, what happens to
    them (site.yaml's untranslated:), and how many figures and charts only they show (which need no
    words in the language yet). Not a problem: a language may be published while its translation grows."""
    lines = []
    for language, edition in site.editions.items():
        translated = {page.slug for page in edition.pages}
        left = [page.slug for page in site.pages if page.slug not in translated]
        if not left:
            continue
        rule = (
            f"published in {site.language} with a notice"
            if site.config.untranslated == "fallback"
            else f"left out of the {language} edition"
        )
        shown = shown_by(edition.pages, site)
        waiting = shown_by([page for page in site.pages if page.slug in left], site)
        facts = len(waiting.facts.keys() - shown.facts.keys())
        charts = len(waiting.charts.keys() - shown.charts.keys())
        lines.append(
            f"{language}: {len(translated)} of {len(site.pages)} pages translated; untranslated, {rule}"
            f" (untranslated: {site.config.untranslated} in site.yaml): {', '.join(left)};"
            f" {facts} figure{'s' * (facts != 1)} and {charts} chart{'s' * (charts != 1)} only they show"
            f" need no {language} words yet"
        )
    return lines


def translated_claims(source: Page, front: dict[str, Any], path: str) -> tuple[tuple[Claim, ...], list[ContentError]]:
    """The source page's claims with the translation's words for what is claimed, the verdict and,
    when it gives one, who claims it (claimant:)."""
    given = front.get("claims") or {}
    claims, errors = [], []
    for claim in source.claims:
        words = given.get(claim.id) if isinstance(given, dict) else None
        if not (isinstance(words, dict) and words.get("claim") and words.get("verdict")):
            errors.append(
                ContentError(
                    path,
                    getattr(given, "line", 1) if given else 1,
                    f'claim "{claim.id}" needs its claim: and verdict: in this translation',
                )
            )
            continue
        claimant = words.get("claimant") or claim.claimant  # who made it, as readers of the language know them
        if not isinstance(claimant, str):
            errors.append(ContentError(path, getattr(given, "line", 1), f'claim "{claim.id}": claimant: must be text'))
            continue
        claims.append(
            replace(
                claim,
                claim=words["claim"],
                verdict=words["verdict"],
                claimant=claimant,
                where=Where(path, claim.where.line),
            )
        )
    return tuple(claims), errors
