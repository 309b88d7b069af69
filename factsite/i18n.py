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

import functools
import gettext
import hashlib
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .errors import ContentError, did_you_mean
from .formatting import N_, locale_of
from .model import Claim, Fact, Page, Site, Where

THEME_LOCALES = Path(__file__).parent / "theme" / "locales"
FACT_WORDS = ("label", "unit", "counts", "claimant", "note", "quote")
SOURCE_WORDS = ("title", "note", "publisher")  # a publisher's name as readers of the language know it (optional)
DATASET_WORDS = ("title", "note", "claimant", "values")
CALCULATED_FROM = N_("calculated from figures by")
AND = N_("and")


# ---- names and versions ------------------------------------------------------------------


def language_of_name(stem: str, languages) -> tuple[str, str]:
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
    return tag.split("-")[0].lower()


# ---- interface words -------------------------------------------------------------------------


@functools.cache
def catalog(language: str, site_locales: str = "") -> gettext.NullTranslations:
    """The interface words of a language, compiled in memory from the .po file (site's, then theme's).

    English is the catalogs' source language: its words are the msgids themselves."""
    code = base_language(language)
    for folder in ([Path(site_locales)] if site_locales else []) + [THEME_LOCALES]:
        po_file = folder / code / "LC_MESSAGES" / "messages.po"
        if po_file.is_file():
            with po_file.open("rb") as handle:
                messages = read_po(handle, locale=code)
            buffer = io.BytesIO()
            write_mo(buffer, messages)
            buffer.seek(0)
            return gettext.GNUTranslations(buffer)
    if code == "en":
        return gettext.NullTranslations()
    raise ValueError(f'no interface words for "{language}": add locales/{code}/LC_MESSAGES/messages.po'
                     " (copy the theme's factsite/theme/locales/ru/LC_MESSAGES/messages.po and translate it)")


# ---- the words of facts, sources, datasets in a language ------------------------------------


@dataclass(frozen=True)
class Words:
    """One language's words for what the facts files hold; figures are never here."""

    language: str
    facts: dict = field(default_factory=dict)  # fact id -> {label, unit, counts, claimant, note, quote}
    sources: dict = field(default_factory=dict)  # source id -> {title, note}
    datasets: dict = field(default_factory=dict)  # dataset id -> {title, note, claimant, values: {column: {cell: word}}}
    statements: dict = field(default_factory=dict)  # statement id -> says
    corrections: dict = field(default_factory=dict)  # (facts file, number) -> {change, reason}
    where: dict = field(default_factory=dict)  # ("fact", id) -> Where of its words, for messages


def words_problems(section: str, entries: Any, known: dict, allowed: tuple[str, ...], path: str) -> list[ContentError]:
    """Unknown ids and fields in one section of a words file."""
    lines = getattr(entries, "key_lines", {})
    errors = []
    for item_id, words in entries.items():
        line = lines.get(item_id)
        if item_id not in known:
            errors.append(ContentError(path, line, f'words for unknown {section[:-1]} "{item_id}"{did_you_mean(str(item_id), known)}'))
        elif not isinstance(words, dict):
            errors.append(ContentError(path, line, f'"{item_id}": give its words as a mapping, such as label: ...'))
        else:
            errors += [
                ContentError(path, getattr(words, "key_lines", {}).get(key, line),
                             f'"{item_id}": "{key}" is not a word field of a {section[:-1]}; use {", ".join(allowed)}')
                for key in words if key not in allowed
            ]
            errors += [
                ContentError(path, getattr(words, "key_lines", {}).get(key, line), f'"{item_id}": "{key}" must be text')
                for key, value in words.items() if key in allowed and key != "values" and not (isinstance(value, str) and value.strip())
            ]
    return errors


def read_words(files: list[tuple[str, str, Any]], site: Site) -> tuple[dict[str, Words], list[ContentError]]:
    """The words of each language from its files (path, language, parsed YAML), checked against the site."""
    gathered: dict[str, dict] = {}
    errors: list[ContentError] = []
    sections = {"facts": (site.facts, FACT_WORDS), "sources": (site.sources, SOURCE_WORDS),
                "datasets": (site.datasets, DATASET_WORDS), "statements": (site.statements, ("says",))}
    for path, language, parsed in files:
        if parsed is None:
            continue
        into = gathered.setdefault(language, {"facts": {}, "sources": {}, "datasets": {}, "statements": {}, "corrections": {}, "where": {}})
        if not isinstance(parsed, dict):
            errors.append(ContentError(path, 1, "a words file maps facts:, sources:, datasets:, statements: and corrections: to their words"))
            continue
        for section, entries in parsed.items():
            line = getattr(parsed, "key_lines", {}).get(section)
            if section == "corrections":
                if not isinstance(entries, list):
                    errors.append(ContentError(path, line, '"corrections" lists the log\'s entries in order: - {change: ..., reason: ...}'))
                    continue
                source_file = path.rsplit(".", 2)[0] + "." + path.rsplit(".", 1)[1]
                for number, entry in enumerate(entries):
                    into["corrections"][(source_file, number)] = entry
                continue
            if section not in sections:
                errors.append(ContentError(path, line, f'unknown section "{section}"{did_you_mean(str(section), [*sections, "corrections"])}'))
                continue
            if not isinstance(entries, dict):
                errors.append(ContentError(path, line, f'"{section}" maps each id to its words'))
                continue
            known, allowed = sections[section]
            errors += words_problems(section, entries, known, allowed, path)
            for item_id, words in entries.items():
                if item_id in known and isinstance(words, dict) and (section != "statements" or "says" in words):
                    into[section][item_id] = words["says"] if section == "statements" else dict(words)
                    into["where"][(section, item_id)] = Where(path, getattr(entries, "key_lines", {}).get(item_id))
    return {language: Words(language, **parts) for language, parts in gathered.items()}, errors


# ---- a site as readers of one language see it -----------------------------------------------


def translated_value(fact: Fact, site: Site, words: Words) -> tuple[Any, str | None]:
    """A text figure (a region's name drawn from a dataset) in the language, or why it has none."""
    if not isinstance(fact.value, str):
        return fact.value, None
    for dataset_id in fact.datasets:
        for column, cells in (words.datasets.get(dataset_id, {}).get("values") or {}).items():
            if isinstance(cells, dict) and fact.value in cells:
                return cells[fact.value], None
    return fact.value, f'fact "{fact.id}" shows "{fact.value}" from the data: give it words under values: of its dataset'


def localized_claimant(fact: Fact, facts: dict, datasets: dict, gettext: Callable[[str], str]) -> str:
    """A calculated fact's claimant, rebuilt from the claimants of what it was calculated from."""
    names = list(dict.fromkeys(
        (facts[item].claimant if kind == "fact" else datasets[item].claimant) for kind, item in fact.calculated_from
    ))
    return f"{gettext(CALCULATED_FROM)} " + f" {gettext(AND)} ".join(names)


def localized(site: Site, language: str, pages: tuple[Page, ...], words: Words | None,
              gettext: Callable[[str], str]) -> tuple[Site, list[ContentError]]:
    """The site as readers of `language` see it: its pages in that language, and the words of every
    fact, source, dataset, statement and correction in it; figures unchanged. A missing word is an
    error naming the entry, never an English word shown in its place."""
    errors: list[ContentError] = []
    words = words or Words(language)

    def need(section: str, item_id: str, key: str, english: str, where: Where) -> str:
        if not english:
            return ""
        given = words.__dict__[section].get(item_id, {}).get(key)
        if given:
            return given
        errors.append(ContentError(where.path, where.line, f'{section[:-1]} "{item_id}" has no "{key}" in {language}:'
                                   f" add it to the words file beside this facts file ({Path(where.path).stem}.{language}.yaml)"))
        return english

    datasets = {}
    for dataset in site.datasets.values():
        # Rows stay as the data has them (charts match on them); a chart shows a cell in this
        # language through facts.label(), which reads these words.
        values = words.datasets.get(dataset.id, {}).get("values") or {}
        datasets[dataset.id] = replace(
            dataset,
            title=need("datasets", dataset.id, "title", dataset.title, dataset.where),
            note=need("datasets", dataset.id, "note", dataset.note, dataset.where),
            claimant=need("datasets", dataset.id, "claimant", dataset.claimant, dataset.where),
            labels={column: dict(cells) for column, cells in values.items() if isinstance(cells, dict)},
        )
    facts = {}
    for fact in site.facts.values():
        value, missing = translated_value(fact, site, words)
        if missing:
            errors.append(ContentError(fact.where.path, fact.where.line, missing))
        facts[fact.id] = replace(
            fact,
            value=value,
            **{key: need("facts", fact.id, key, getattr(fact, key), fact.where)
               for key in FACT_WORDS if not (key == "claimant" and fact.calculated_from)},
        )
    for fact in facts.values():  # calculated claimants, once every fact has its words
        if fact.calculated_from:
            facts[fact.id] = replace(fact, claimant=localized_claimant(fact, facts, datasets, gettext))
    sources = {
        source.id: replace(source, translated_title=words.sources.get(source.id, {}).get("title", ""),
                           publisher=words.sources.get(source.id, {}).get("publisher", source.publisher),
                           note=need("sources", source.id, "note", source.note, source.where))
        for source in site.sources.values()
    }
    statements = {}
    for statement in site.statements.values():
        says = words.statements.get(statement.id)
        if not says:
            errors.append(ContentError(statement.where.path, statement.where.line, f'statement "{statement.id}" has no words in'
                                       f" {language}: give its says: in the words file or the translated page's statements:"))
        statements[statement.id] = replace(statement, says=says or statement.says)
    corrections = []
    for correction in site.corrections:
        given = words.corrections.get(correction.key) or {}
        if not (given.get("change") and given.get("reason")):
            errors.append(ContentError(correction.where.path, correction.where.line,
                                       f"correction of {correction.date} has no change: and reason: in {language}"))
        corrections.append(replace(correction, change=given.get("change", correction.change), reason=given.get("reason", correction.reason)))
    return replace(site, pages=pages, facts=facts, sources=sources, datasets=datasets, statements=statements,
                   corrections=tuple(corrections)), errors


def translated_claims(source: Page, front: dict, path: str) -> tuple[tuple[Claim, ...], list[ContentError]]:
    """The source page's claims with the translation's words for what is claimed, the verdict and,
    when it gives one, who claims it (claimant:)."""
    given = front.get("claims") or {}
    claims, errors = [], []
    for claim in source.claims:
        words = given.get(claim.id) if isinstance(given, dict) else None
        if not (isinstance(words, dict) and words.get("claim") and words.get("verdict")):
            errors.append(ContentError(path, getattr(given, "line", 1) if given else 1,
                                       f'claim "{claim.id}" needs its claim: and verdict: in this translation'))
            continue
        claimant = words.get("claimant") if isinstance(words.get("claimant"), str) and words["claimant"].strip() else claim.claimant
        claims.append(replace(claim, claim=words["claim"], verdict=words["verdict"], claimant=claimant,
                              where=Where(path, claim.where.line)))
    return tuple(claims), errors

