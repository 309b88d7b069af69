"""Content YAML: lines kept, unsafe or ambiguous documents refused with file, line and column."""

import time
from itertools import pairwise

import pytest

from factsite.errors import ContentError
from factsite.safe_yaml import parse_yaml


def test_mappings_remember_their_lines_and_dates_stay_text():
    parsed = parse_yaml("a: 1\nlist:\n  - x: 2023-03-12\n", "f.yaml")
    assert parsed.key_lines == {"a": 1, "list": 2}  # the key's own line, where an editor finds the field
    assert parsed["list"][0] == {"x": "2023-03-12"}
    assert parsed["list"][0].line == 3


def test_front_matter_lines_are_shifted():
    with pytest.raises(ContentError) as caught:
        parse_yaml("a: [1\n", "page.md", first_line=2)
    assert (caught.value.path, caught.value.line) == ("page.md", 3)


def test_syntax_error_names_line_and_column():
    with pytest.raises(ContentError) as caught:
        parse_yaml("a: 1\nb: : :\n", "f.yaml")
    assert str(caught.value).startswith("f.yaml:2:")
    assert caught.value.col is not None


def test_duplicate_key_names_both_lines():
    with pytest.raises(ContentError) as caught:
        parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert caught.value.line == 3
    assert "first given on line 1" in caught.value.message


def test_python_object_tags_are_refused(tmp_path):
    marker = tmp_path / "ran"
    text = f"x: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "f.yaml")
    assert "not allowed" in caught.value.message
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for previous, name in pairwise("abcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    started = time.perf_counter()
    with pytest.raises(ContentError) as caught:
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 10  # a guard against a hang, not a speed target
    assert "aliases" in caught.value.message


def test_small_aliases_and_merge_keys_still_work():
    parsed = parse_yaml("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n", "f.yaml")
    assert parsed["item"] == {"x": 1, "y": 2}


def test_only_yaml_1_2_booleans_are_booleans():
    # YAML 1.1 read Norwegian's language tag `no`, and yes/on/off, as booleans.
    parsed = parse_yaml("languages: [no, nb]\nanswer: yes\nswitch: off\nshown: true\nhidden: False\n", "f.yaml")
    assert parsed["languages"] == ["no", "nb"]
    assert (parsed["answer"], parsed["switch"]) == ("yes", "off")
    assert parsed["shown"] is True
    assert parsed["hidden"] is False
