"""Chart words: each chart's titles, subtitles, labels, keys and descriptions, read from the words files
beside its module (content/charts/<id>.yaml in the site's language, <id>.ru.yaml in Russian) and checked
as the words of facts are: a translation has every word the site's language has, and no other.

Part of the validate stage. A chart module takes its words as facts.words (charts.ChartInputs), so no
module keeps a dictionary of its own for each language, and an edition draws only the charts it has
words for: a page of that language showing another is an error naming the file to write."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import ContentError, ContentErrors, did_you_mean
from .i18n import language_of_name, translated_charts
from .model import LoadedSite, Site

Words = dict[str, Any]  # a chart's words in one language: a name -> text, a number, a list of texts or more words


def leaf_problem(value: Any) -> str | None:
    """Why `value` cannot be a word (None when it can): text, a number, nothing or a list of texts."""
    if value is None or isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return None
    return "must be text, a number or a list of texts (lines), or a mapping of more words"


def tree_problems(
    given: dict[str, Any], base: dict[str, Any] | None, path: str, base_path: str, trail: str
) -> list[ContentError]:
    """What is wrong with a mapping of words: words that are no text, and in a translation (`base` the
    site language's words at the same place) the words the site's language lacks or has besides."""
    lines: dict[str, int] = getattr(given, "key_lines", {})
    errors = []
    for key, value in given.items():
        name, line = f"{trail}{key}", lines.get(key)
        if base is not None and key not in base:
            errors.append(
                ContentError(
                    path, line, f'"{name}" is not a word of this chart in {base_path}{did_you_mean(str(key), base)}'
                )
            )
        elif isinstance(value, dict):
            if base is not None and not isinstance(base[key], dict):
                errors.append(ContentError(path, line, f'"{name}" is one word in {base_path}, not a mapping of words'))
                continue
            errors += tree_problems(value, None if base is None else base[key], path, base_path, f"{name}.")
        elif base is not None and isinstance(base[key], dict):
            errors.append(ContentError(path, line, f'"{name}" is a mapping of words in {base_path}: translate each'))
        elif leaf_problem(value):
            errors.append(ContentError(path, line, f'"{name}" {leaf_problem(value)}'))
    if base is not None:
        first_line = min(lines.values(), default=1)
        errors += [
            ContentError(path, first_line, f'"{trail}{key}" is missing: {base_path} has it; give its words here')
            for key in base
            if key not in given
        ]
    return errors


def chart_of_words(path: str, languages: tuple[str, ...]) -> tuple[str, str]:
    """(chart id, language or "" for the site's own) that a words file's name gives."""
    return language_of_name(Path(path).stem, languages)


def read_chart_words(
    files: tuple[tuple[str, str, Any], ...], chart_ids: set[str], languages: tuple[str, ...]
) -> tuple[dict[str, dict[str, Words]], list[ContentError]]:
    """The words of every chart by language ("" for the site's own) and chart id, and the problems of
    the files (path, language, parsed YAML) they come from."""
    found: dict[str, dict[str, Words]] = {}
    errors: list[ContentError] = []
    paths = {path for path, _, _ in files}
    for path, language, parsed in sorted(files, key=lambda entry: (entry[1] != "", entry[0])):
        chart_id = chart_of_words(path, languages)[0]
        base_path = str(Path(path).with_name(f"{chart_id}{Path(path).suffix}"))
        if chart_id not in chart_ids:
            errors.append(
                ContentError(
                    path,
                    None,
                    f'words of a chart "{chart_id}" that does not exist{did_you_mean(chart_id, chart_ids)}:'
                    f" a words file is named after its chart's module ({chart_id}.py), with the language"
                    f" before .yaml for another of site.yaml's languages ({chart_id}.{(languages or ('ru',))[0]}.yaml)",
                )
            )
            continue
        if not isinstance(parsed, dict):
            errors.append(
                ContentError(path, 1, "a chart's words file maps the name of each word to its text, such as title: ...")
            )
            continue
        if language and base_path not in paths:
            errors.append(
                ContentError(
                    path, None, f"the words of {base_path} in {language}, which does not exist: write that file first"
                )
            )
            continue
        base = found.get("", {}).get(chart_id) if language else None
        if language and base is None:  # the site's words have problems, reported at their file
            continue
        problems = tree_problems(parsed, base, path, base_path, "")
        errors += problems
        if not problems:
            found.setdefault(language, {})[chart_id] = parsed
    return found, errors


def with_chart_words(site: Site, loaded: LoadedSite) -> Site:
    """The site and each edition with their charts' words; an edition keeps only the charts it has
    words for. ContentErrors for bad words files, and at the first translated page of an edition that
    shows a chart without words in its language (i18n.translated_charts: a chart only untranslated
    pages show is published with them in the site's language and needs none)."""
    languages = site.config.languages
    words, errors = read_chart_words(loaded.chart_word_files, set(site.charts), languages)
    given = {chart_of_words(path, languages) for path, _, _ in loaded.chart_word_files}  # bad ones reported above
    editions = {}
    for language, edition in site.editions.items():
        own = words.get(language, {})
        for chart_id, where in sorted(translated_charts(site, language).items()):
            if chart_id in own or chart_id not in site.charts or (chart_id, language) in given:
                continue
            module = site.charts[chart_id].path
            errors.append(
                ContentError(
                    where.path,
                    where.line,
                    f'chart "{chart_id}" has no words in {language}: write'
                    f" {module.removesuffix('.py')}.{language}.yaml, with the words of"
                    f" {module.removesuffix('.py')}.yaml in {language}",
                )
            )
        charts = {chart_id: raw for chart_id, raw in edition.charts.items() if chart_id in own}
        editions[language] = replace(edition, chart_words=own, charts=charts)
    if errors:
        raise ContentErrors(errors)
    return replace(site, chart_words=words.get("", {}), editions=editions)
