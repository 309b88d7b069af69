"""Typography for the text readers see, per language: no-break spaces, true dashes, curly quotes and
apostrophes, percent spacing and ranges that do not split at the end of a line.

typus (a typograph for English and Russian web text) does most of it; the rules below add what it
leaves out: a no-break space before every dash and after one-letter words even where a tag or a
figure follows, ranges of figures bound across their dash, and one spacing of % per language. Text
inside code, scripts, styles and SVG, and every tag with its attributes, is passed through as it is.
"""

from __future__ import annotations

import functools
import html as html_text
import re
from collections.abc import Callable
from typing import Any

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"  # thin no-break space: Russian sets % apart by it
WORD_JOINER = "\u2060"  # forbids a line break where it stands, and shows nothing
EN_DASH, EM_DASH = "\u2013", "\u2014"

# typus's expressions minus those that would change what a figure or a name says: the minus and
# multiplication signs (a date 2023-03-12 would read 2023−03−12), fractions, primes after digits,
# "р." read as roubles, and (c)/(р) read as signs.
EXPRESSIONS = (
    "spaces linebreaks apostrophe mdash digit_spaces pairs units ranges abbrs"
    " rep_positional_spaces del_positional_spaces"
)
# Tokens kept exactly as written: ISO dates in data tables, and addresses that appear as text.
KEPT = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b|\b[a-z][a-z0-9+.-]*://\S+|\S+@\S+\.\w+")
TAG = re.compile(r"""<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!?(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
RAW_TEXT = {"script", "style", "textarea"}  # their text runs to the closing tag, whatever it holds
KEPT_ELEMENTS = {"code", "pre", "kbd", "samp", "var", "svg", "math"}
SPACES = re.compile(r"[ \t\r\n]+")
DASH_AFTER_SPACE = re.compile(rf"[ \u2009{NBSP}{NARROW_NBSP}]+(?=[{EM_DASH}{EN_DASH}][ \u2009{NBSP}{NARROW_NBSP}])")
RANGE = re.compile(rf"(\d)[{EN_DASH}](?=[\d\u2212])")
RU_ONE_LETTER = re.compile(r"(?<![\w\-.])([А-ЯЁа-яё]) (?=\S)")
RU_FOUR_DIGITS = re.compile(rf"(?<![\d,.])(\d)[{NBSP}{NARROW_NBSP}](\d{{3}})(?![\d]|[{NBSP}{NARROW_NBSP}]\d)")
PERCENT = re.compile(rf"(\d)[ {NBSP}{NARROW_NBSP}]?%")
# A double quote whose pair is in another text node (a quote round a figure: "{{ fact() }}+"): typus
# would turn it into a straight single quote, so it is set here, opening after a space or at the
# start and closing elsewhere. And apostrophes after a word's last letter (the ministries' figures).
QUOTES = {"en": ("\u201c", "\u201d"), "ru": ("\u00ab", "\u00bb")}
DOUBLE_QUOTES = '"\u201c\u201d\u00ab\u00bb\u201e'
OPEN_MARK, CLOSE_MARK = "\ue000", "\ue001"  # private-use stand-ins while typus runs
OPENING_QUOTE = re.compile(rf"(^|[\s(\[{NBSP}])[{DOUBLE_QUOTES}](?!\s)")
APOSTROPHE_AFTER_WORD = re.compile(r"(?<=[^\W_])'(?=[^\w]|$)|(?<=\))'(?=s\b)")  # ministries' ... Sakha (Yakutia)'s


# Characters without one of which a typus step cannot change a text: each step is skipped when its text
# holds none of them. Most text nodes hold no digit, dash, quote or full stop, and the steps that look
# for those are most of typus's time (one pattern backtracks over every word before a dash).
QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb"  # what typus's quotes step reads as quotes
SPACE_MARKS = " \u00a0\u202f\u2009"  # typus's ANYSP
DASHES = "-|\u2013"  # typus's mdash patterns read "|" as a dash too
A_DIGIT = "0"  # in a guard: the step needs a digit (any, as typus's \d reads one)
EVERY_TEXT = ""  # a guard no text fails
DIGIT = re.compile(r"\d")


def character_class(characters: str) -> re.Pattern[str]:
    """A pattern matching any one of `characters`."""
    return re.compile(f"[{re.escape(characters)}]")


def any_of(characters: str) -> Callable[[str], object]:
    """A test of whether a text holds any of `characters` (a match, or None)."""
    return character_class(characters).search


has_digit = DIGIT.search
has_double_quote = any_of(DOUBLE_QUOTES)
has_dash = any_of(EM_DASH + EN_DASH)
may_keep = re.compile(r"[\d:@]").search  # what each of KEPT's tokens holds

# For each expression in EXPRESSIONS, a guard for each pattern it compiles, in its order: characters of
# which its text must hold one for the pattern to match (rep_ and del_positional_spaces: typus's own).
EXPRESSION_GUARDS: dict[str, tuple[str, ...]] = {
    "spaces": (SPACE_MARKS, SPACE_MARKS),
    "linebreaks": ("\r", "\n"),
    "apostrophe": ("'",),
    "mdash": ("-", DASHES, DASHES, "-", "-", EM_DASH),
    "digit_spaces": (A_DIGIT,),
    "pairs": (EVERY_TEXT, "-\u2026\u2019"),
    "units": (A_DIGIT,),
    "ranges": ("-",),
    "abbrs": (".", "."),
}
# What earlier steps can bring into a text that later guards look for: an em dash where a dash was, ’ for '.
BROUGHT = {"-": EM_DASH, "|": EM_DASH, EN_DASH: EM_DASH, "'": "\u2019"}


@functools.cache
def typographs() -> dict[str, tuple[Any, Any]]:
    """Two typus typographs per language it knows, built on first use (they compile many patterns):
    one that keeps phrases (escape_phrases) and tags as they are, and one for text that holds neither."""
    from typus.core import TypusCore
    from typus.processors import EnQuotes, EnRuExpressions, EscapeHtml, EscapePhrases, RuQuotes

    class Expressions(EnRuExpressions):  # type: ignore[misc]  # typus has no type hints
        """typus's expressions, each run only where its guard passes. A text's plan (which steps run)
        depends only on which guarded characters it holds, so it is worked out once per such set."""

        expressions = EXPRESSIONS.split()

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            positional = {
                "rep_positional_spaces": "".join(self.rep_positional_spaces.values()),
                "del_positional_spaces": "".join(self.del_positional_spaces.values()),
            }
            guards = [
                guard
                for name in self.expressions
                for guard in EXPRESSION_GUARDS.get(name) or (positional[name],) * len(getattr(self, f"expr_{name}")())
            ]
            if len(guards) != len(self.compiled):  # a typus whose patterns are not those guarded here
                raise RuntimeError("typus's expressions differ from typography.EXPRESSION_GUARDS")
            self.guarded = tuple(zip(guards, self.compiled, strict=True))
            looked_for = set("".join(guards)) - {" ", A_DIGIT}  # the space and digits are asked apart
            self.looked_for = character_class("".join(sorted(looked_for)))
            self.plan = functools.lru_cache(maxsize=1024)(self.steps_for)

        def steps_for(self, present: frozenset[str], digit: bool) -> tuple[Callable[[str], str], ...]:
            """The steps to run on a text holding the characters `present` (and a digit, and a space):
            those whose guard a character of it, or one an earlier step may bring, passes. A step run
            on a text it cannot change changes nothing."""
            held = {" ", *present, *(BROUGHT[mark] for mark in present if mark in BROUGHT)}
            if digit:
                held.add(A_DIGIT)
            return tuple(step for guard, step in self.guarded if guard == EVERY_TEXT or not held.isdisjoint(guard))

        def run(self, text: str, **kwargs: Any) -> str:
            for step in self.plan(frozenset(self.looked_for.findall(text)), has_digit(text) is not None):
                text = step(text)
            return str(self.run_other(text, **kwargs))

    class Html(EscapeHtml):  # type: ignore[misc]
        def _save_values(self, text: str, *args: Any, **kwargs: Any) -> str:
            return str(super()._save_values(text, *args, **kwargs)) if "<" in text else text

    has_quote = any_of(QUOTE_MARKS)

    class Quoted:
        def run(self, text: str, **kwargs: Any) -> str:
            if has_quote(text):
                return str(super().run(text, **kwargs))  # type: ignore[misc]
            return str(self.run_other(text, **kwargs))  # type: ignore[attr-defined]

    english_quotes = type("EnglishQuotes", (Quoted, EnQuotes), {})
    russian_quotes = type("RussianQuotes", (Quoted, RuQuotes), {})

    class English(TypusCore):  # type: ignore[misc]
        processors = (EscapePhrases, Html, english_quotes, Expressions)

    class Russian(TypusCore):  # type: ignore[misc]
        processors = (EscapePhrases, Html, russian_quotes, Expressions)

    # The same without the steps that set aside phrases and tags, for text that holds neither (most)
    class PlainEnglish(TypusCore):  # type: ignore[misc]
        processors = (english_quotes, Expressions)

    class PlainRussian(TypusCore):  # type: ignore[misc]
        processors = (russian_quotes, Expressions)

    return {"en": (English(), PlainEnglish()), "ru": (Russian(), PlainRussian())}


def base_of(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def typeset(text: str, language: str) -> str:
    """Plain text set for `language`; text in a language typus does not know keeps its own spacing
    and gets only the dash and range rules. Leading and trailing whitespace stays (a text node's
    edge touches a tag), turned no-break where a dash follows or a one-letter word precedes it."""
    base = base_of(language)
    core = text.strip()  # typus strips every kind of space, no-break ones too: they are put back below
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    lead, trail = (NBSP if NBSP in edge or NARROW_NBSP in edge else edge for edge in (lead, trail))
    core = SPACES.sub(" ", core)
    typograph = typographs().get(base)
    unpaired = base in QUOTES and has_double_quote(core) and sum(core.count(mark) for mark in DOUBLE_QUOTES) % 2 == 1
    if unpaired:
        core = re.sub(f"[{DOUBLE_QUOTES}]", CLOSE_MARK, OPENING_QUOTE.sub(rf"\1{OPEN_MARK}", core))
    if typograph:
        kept = KEPT.findall(core) if may_keep(core) else ()
        core = typograph[0](core, escape_phrases=kept) if kept or "<" in core else typograph[1](core)
    if unpaired:
        core = core.replace(OPEN_MARK, QUOTES[base][0]).replace(CLOSE_MARK, QUOTES[base][1])
    if base in QUOTES and "'" in core:
        core = APOSTROPHE_AFTER_WORD.sub("\u2019", core)
    if has_dash(core):
        core = RANGE.sub(rf"\1{EN_DASH}{WORD_JOINER}", DASH_AFTER_SPACE.sub(NBSP, core))
    if base == "ru":
        core = RU_ONE_LETTER.sub(rf"\1{NBSP}", core)
        if has_digit(core):
            core = PERCENT.sub(rf"\1{NARROW_NBSP}%", RU_FOUR_DIGITS.sub(r"\1\2", core))
        if trail and re.search(r"(?:^|[^\w\-.])[А-ЯЁа-яё]$", core):
            trail = NBSP
    elif base == "en" and "%" in core:
        core = PERCENT.sub(r"\1%", core)
    if lead and core[0] in (EM_DASH, EN_DASH):
        lead = NBSP
    return lead + core + trail


def typeset_html(html: str, language: str) -> str:
    """Every text node of an HTML document or fragment set for `language`; tags, attributes,
    comments, scripts, styles, code and SVG as they are."""
    out: list[str] = []
    position, kept = 0, 0
    while match := TAG.search(html, position):
        out.append(text_node(html[position : match.start()], language) if not kept else html[position : match.start()])
        closing, name = match.group(1), (match.group(2) or "").lower()
        end = match.end()
        if name in RAW_TEXT and not closing:
            close = re.compile(rf"</{name}\s*>", re.I).search(html, end)
            end = close.end() if close else len(html)
        elif name in KEPT_ELEMENTS and not match.group(0).endswith("/>"):
            kept = max(kept - 1, 0) if closing else kept + 1
        out.append(html[match.start() : end])
        position = end
    out.append(text_node(html[position:], language) if not kept else html[position:])
    return "".join(out)


# Text nodes a process remembers the set form of: a site's pages repeat most of theirs (the menu, the
# legend, the figure cards' labels, the footer), and setting one costs typus a fraction of a millisecond.
REMEMBERED_TEXT_NODES = 16384


@functools.lru_cache(maxsize=REMEMBERED_TEXT_NODES)
def text_node(text: str, language: str) -> str:
    if not text.strip():
        return text
    plain = html_text.unescape(text)
    set_text = typeset(plain, language)
    return text if set_text == plain else html_text.escape(set_text, quote=False)


SPEC_TEXT_KEYS = ("title", "description", "text", "subtitle")
SPEC_SKIPPED_KEYS = ("data", "datasets", "usermeta", "field", "expr", "format", "values")


def typeset_spec(spec: Any, language: str) -> Any:
    """A Vega-Lite spec with its words (titles, descriptions, text marks and labels) set for
    `language`; data, fields, expressions and formats as they are. Chart text does not wrap, so its
    spaces stay plain: a title is also the chart's name in the page's structured data and in `diff`,
    and the page sets the spaces where the words are shown as text."""
    if isinstance(spec, dict):
        return {
            key: (
                value
                if key in SPEC_SKIPPED_KEYS
                else typeset_words(value, language)
                if key in SPEC_TEXT_KEYS
                else typeset_spec(value, language)
            )
            for key, value in spec.items()
        }
    if isinstance(spec, list):
        return [typeset_spec(item, language) for item in spec]
    return spec


def typeset_words(value: Any, language: str) -> Any:
    if isinstance(value, str):
        return chart_text(value, language)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [chart_text(item, language) for item in value]
    return typeset_spec(value, language)


def chart_text(text: str, language: str) -> str:
    return typeset(text, language).replace(NBSP, " ").replace(WORD_JOINER, "")
