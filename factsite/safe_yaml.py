"""YAML parsing for content: safe tags only, line numbers kept, duplicate keys and alias bombs refused."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import NOT_IN_XML, ContentError

# An alias may be used to share a few values; beyond this many nodes once aliases are
# expanded the document is refused, so a "billion laughs" file costs bounded time and memory.
MAX_EXPANDED_NODES = 100_000
# Lists and mappings inside each other, at most. Counted from the parser's events, which come one at a
# time, before anything builds the document: building it recurses once a level, and libyaml's
# builder overflows the C stack (a segfault, no message) at some ten thousand levels.
MAX_DEPTH = 100


class LineDict(dict[Any, Any]):
    """A mapping that remembers the line of itself and of each key (1-based, in the whole file)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that remembers the line of itself and of each item (1-based, in the whole file)."""

    line: int = 0
    item_lines: list[int]


class _ContentLoader(yaml.SafeLoader):
    """SafeLoader whose dates stay strings (validated later) and whose mappings carry lines."""

    first_line = 1  # line of the YAML's first line in its file (front matter starts below ---)

    def line_of(self, node: yaml.Node | yaml.Event) -> int:
        mark = node.start_mark  # (the parser marks every node and event it makes)
        return (mark.line if mark else 0) + self.first_line


# Numbers as YAML 1.2's core schema writes them in decimal (12, -3, 4.5, 2e4, .5, .inf), not YAML 1.1's
# octal, base-60 and hexadecimal, which read 0755 as 493, 1:30 as 90 and 0x1F as 31 and refused 2e4
# as a number. Other forms (0755, 0x1F, 0o17, 1:30, 1_000) are text: a figure written so is refused
# where a number is due, instead of changing value unseen.
NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
DECIMAL_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
DECIMAL_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
OTHER_NUMBER = re.compile(
    r"^[-+]?(?:0[0-9_]+(?:\.[0-9_]*)?|0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-9_]+)+(?:\.[0-9_]*)?|[0-9]+_[0-9_]*(?:\.[0-9_]*)?)$"
)


def line_of(value: Any, key: Any = None) -> int | None:
    """The line where a mapping (or list) read by this module starts, or where its `key` is written."""
    lines = getattr(value, "key_lines", None) or {}
    if key is not None and key in lines:
        return int(lines[key])
    line = getattr(value, "line", None)
    return int(line) if line is not None else None


def decimal_hint(value: object) -> str:
    """For text that YAML 1.1 would have read as a number (0755, 0x1F, 1:30, 1_000): how to write it."""
    if isinstance(value, str) and OTHER_NUMBER.match(value):
        return f' ("{value}" is text: write numbers in decimal digits, without a leading zero, 0x, _ or :)'
    return ""


# Booleans as YAML 1.2 writes them (true, false), not YAML 1.1's yes/no/on/off, which turned Norwegian's
# language tag `no` and an answer "no" into False.
BOOL_TAG = "tag:yaml.org,2002:bool"
YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_ContentLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", BOOL_TAG, *NUMBER_TAGS)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ContentLoader.add_implicit_resolver(BOOL_TAG, YAML12_BOOL, list("tTfF"))
_ContentLoader.add_implicit_resolver(NUMBER_TAGS[0], DECIMAL_INT, list("-+0123456789"))
_ContentLoader.add_implicit_resolver(NUMBER_TAGS[1], DECIMAL_FLOAT, list("-+0123456789."))


def _construct_mapping(loader: _ContentLoader, node: yaml.MappingNode) -> LineDict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "a mapping key must be plain text", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f'duplicate key "{key}" (first given on line {seen[key]})',
                key_node.start_mark,
            )
        seen[key] = loader.line_of(key_node)
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = loader.line_of(node)
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = loader.line_of(key_node)
    return mapping


def _construct_sequence(loader: _ContentLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = loader.line_of(node)
    items.item_lines = [loader.line_of(child) for child in node.value]
    return items


# Characters XML 1.0 cannot hold (errors.NOT_IN_XML), which only an escape ("\x01", "\ud800") can put in
# YAML text: refused where they are written, since feed.xml, sitemap.xml and the SVG charts would be invalid.
def _construct_text(loader: _ContentLoader, node: yaml.ScalarNode) -> str:
    text = loader.construct_yaml_str(node)
    found = NOT_IN_XML.search(text)
    if found:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"the character U+{ord(found.group()):04X} cannot be published (XML, so feed.xml, cannot hold it):"
            " remove the escape that writes it",
            node.start_mark,
        )
    return text


def _construct_int(loader: _ContentLoader, node: yaml.ScalarNode) -> int:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # more digits than Python converts (4,300): far beyond any figure
        raise yaml.constructor.ConstructorError(
            None, None, "this number is too long to be read", node.start_mark
        ) from None


_ContentLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_ContentLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_ContentLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_ContentLoader.add_constructor("tag:yaml.org,2002:str", _construct_text)


# Characters the two parsers treat differently in places (tabs, other line breaks, a byte-order mark
# inside the text, control characters): text holding one is left to the pure-Python parser.
_UNLIKE_IN_C = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")


class _FastContentLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # C only with libyaml
    """_ContentLoader over libyaml's parser, written in C: several times faster (most of a large
    site's load time is front matter). What it refuses is parsed again by _ContentLoader, so every
    message reads the same."""

    first_line = 1
    line_of = _ContentLoader.line_of
    yaml_implicit_resolvers = _ContentLoader.yaml_implicit_resolvers
    yaml_constructors = _ContentLoader.yaml_constructors


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Nodes in the document once every alias is expanded; memoised so the count itself is cheap."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a self-referencing alias counts once instead of recursing forever
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, memo) for child in node.value)
    else:
        size = 1
    memo[id(node)] = size
    return size


def _check_depth(text: str, path: str, first_line: int, loader_class: type[_ContentLoader]) -> None:
    """ContentError at the first list or mapping nested more than MAX_DEPTH deep."""
    loader = loader_class(text)
    loader.first_line = first_line
    depth = 0
    try:
        while loader.check_event():
            event: yaml.Event = loader.get_event()  # type: ignore[no-untyped-call]  # (untyped in types-PyYAML)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ContentError(
                        path,
                        loader.line_of(event),
                        f"invalid YAML: nested too deeply (more than {MAX_DEPTH} levels)",
                        event.start_mark.column + 1 if event.start_mark else None,
                    )
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


def _load(text: str, path: str, first_line: int, loader_class: type[_ContentLoader] = _ContentLoader) -> Any:
    _check_depth(text, path, first_line, loader_class)  # may raise the parser's errors, reported as usual
    loader = loader_class(text)  # checks the characters first: may raise ReaderError
    loader.first_line = first_line
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            raise ContentError(
                path,
                loader.line_of(node),
                f"YAML expands to more than {MAX_EXPANDED_NODES:,} values through aliases;"
                " refusing it (remove the nested anchors)",
            )
        return loader.construct_document(node)
    finally:
        loader.dispose()


# `key: value` on one line, with an optional list dash: for suggesting the value in quotes.
_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s#:'\"][^:]*?):[ \t]+(.*?)\s*$")
INDENT_HINT = (
    "; check the indentation: YAML counts spaces, so the keys of one entry must start in the same column"
    ' and the items of a list ("- ") must line up'
)


def quoted(value: str) -> str:
    """`value` as a quoted YAML scalar: in single quotes when it holds double ones, else in double."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_hint(exc: yaml.MarkedYAMLError, text: str, first_line: int) -> str:
    """What usually causes this syntax error, as "; ..." to follow the message, or ""."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    lines = text.split("\n")
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "'\\t'" in problem or (mark and "\t" in line_text[: mark.column + 1]):
        return "; YAML indents with spaces, never tabs: replace the tab on this line with spaces"
    if problem.startswith("mapping values are not allowed"):
        return mapping_values_hint(line_text[: mark.column] if mark else "", line_text)
    if "expected <block end>" in problem or "expected <block end>" in context:
        return INDENT_HINT
    return unclosed_hint(problem, context, opened, first_line)


def mapping_values_hint(before: str, line_text: str) -> str:
    """Why a ": " was not expected where it stands (`before` is the line up to it)."""
    if ": " in before.strip():
        found = _KEY_VALUE.match(line_text)
        example = f"{found.group(2)}: {quoted(found.group(3))}" if found else 'title: "Fares: a guide"'
        return f'; a value holding ": " must be in quotes: {example}'
    return "; this line is indented further than the keys above it: the keys of one entry start in the same column"


def unclosed_hint(problem: str, context: str, opened: yaml.Mark | None, first_line: int) -> str:
    """The hint for a quote, a bracket or a "key: value" line that was opened and not closed, or ""."""
    if opened is not None and "quoted scalar" in context:
        return f"; the quote opened on line {opened.line + first_line} is never closed"
    if opened is not None and context.startswith("while parsing a flow"):
        bracket = "[" if "sequence" in context else "{"
        return f"; the {bracket} opened on line {opened.line + first_line} is never closed"
    if "could not find expected ':'" in problem:
        where = f"line {opened.line + first_line}" if opened is not None else "a line above"
        return (
            f'; {where} is not "key: value": each line holds a key, or continues the value above,'
            " indented under its key"
        )
    return ""


def parse_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse one YAML document; ContentError (with line and column) for anything refused.

    `first_line` shifts reported lines, for YAML that starts inside a larger file (front matter).
    """
    if yaml.__with_libyaml__ and not _UNLIKE_IN_C.search(text):
        try:
            return _load(text, path, first_line, _FastContentLoader)
        except ContentError:
            raise
        except Exception:
            pass
    try:
        return _load(text, path, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if problem.startswith("could not determine a constructor for the tag"):
            tag = problem.rsplit("tag ", 1)[-1].replace("tag:yaml.org,2002:", "!!")
            problem = f"the tag {tag} is not allowed in content (tags could run code)"
        line = mark.line + first_line if mark else None
        col = mark.column + 1 if mark else None
        raise ContentError(path, line, f"invalid YAML: {problem}{yaml_hint(exc, text, first_line)}", col) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise ContentError(
            path, line, f"invalid YAML: the character U+{exc.character:04X} is not allowed in YAML"
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, None, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ContentError(path, first_line, "invalid YAML: nested too deeply") from None
