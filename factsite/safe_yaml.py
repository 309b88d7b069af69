"""YAML parsing for content: safe tags only, line numbers kept, duplicate keys and alias bombs refused."""
from __future__ import annotations

import yaml

from .errors import ContentError

# An alias may be used to share a few values; beyond this many nodes once aliases are
# expanded the document is refused, so a "billion laughs" file costs bounded time and memory.
MAX_EXPANDED_NODES = 100_000


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based, in the whole file)."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A sequence that remembers the line of itself and of each item (1-based, in the whole file)."""

    line: int = 0
    item_lines: list


class _ContentLoader(yaml.SafeLoader):
    """SafeLoader whose dates stay strings (validated later) and whose mappings carry lines."""

    first_line = 1  # line of the YAML's first line in its file (front matter starts below ---)

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line


_ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _ContentLoader, node: yaml.MappingNode) -> LineDict:
    seen: dict = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be plain text", key_node.start_mark
            )
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


_ContentLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_ContentLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


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


def _load(text: str, path: str, first_line: int):
    loader = _ContentLoader(text)  # checks the characters first: may raise ReaderError
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


def parse_yaml(text: str, path: str, first_line: int = 1):
    """Parse one YAML document; ContentError (with line and column) for anything refused.

    `first_line` shifts reported lines, for YAML that starts inside a larger file (front matter).
    """
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
        raise ContentError(path, line, f"invalid YAML: {problem}", col) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        raise ContentError(path, line, f"invalid YAML: the character U+{exc.character:04X} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise ContentError(path, None, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ContentError(path, first_line, "invalid YAML: nested too deeply") from None
