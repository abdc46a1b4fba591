"""The loader reads what ruamel's safe loader reads (or refuses), and the same with either YAML parser."""

from __future__ import annotations

import math

import pytest
from ruamel.yaml import YAML

from hfmap.files.parse import parse_yaml
from hfmap.files.problem import LoadProblem
from hostile_text import PLAIN_SPELLINGS as SPELLINGS


def reference(text: str) -> object:
    """ruamel's safe loader (pure Python: the same answer with or without ruamel.yaml.clib)."""
    return YAML(typ="safe", pure=True).load(text)


@pytest.mark.parametrize(
    "text",
    [
        'a: {x: 1}\nb:\n  "<<": {y: 2}\n',  # a quoted "<<" is an ordinary key
        "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",  # a plain one merges
        "&k a: 1\nb: *k\n",  # an anchor on a key, then its alias
        "a: &x k\n*x : 2\n",  # an alias as a key
        "1: a\n'1': b\n",  # an integer key and a string key
        "null: a\nb: c\n",  # a null key
        "? \n: a\nb: c\n",  # an empty key is null
        "true: a\n2.5: b\n0x10: c\n",
        "a: !!str 1\nb: !!int '7'\nc: !!seq [1]\nd: !!map {e: f}\n",
        "%YAML 1.2\n---\na: 1\n...\n",
    ],
)
def test_same_data_as_the_safe_loader(text: str) -> None:
    assert parse_yaml(text).data == reference(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mappings: !!python/object/apply:os.system\n- ls\n", "unsupported YAML tag"),
        ("mappings: !!python/object/apply:os.system\n", "unsupported YAML tag"),
        ("a: !!set {x, y}\n", "unsupported YAML tag 'tag:yaml.org,2002:set'"),
        ("a: !!omap [x: 1]\n", "unsupported YAML tag"),
        ("a: !custom {b: 1}\n", "unsupported YAML tag '!custom'"),
        ("%YAML 1.3\n---\na: 1\n", "unsupported YAML version '1.3'"),
        ("providerModel: &an:chor acme/x\n", "an anchor name &an:chor has characters other than"),
        ("a: &x 1\n*x : 2\n1: 3\n", "duplicate key 1 (first defined at line 2, column 1)"),
    ],
)
def test_refused_the_same_way_by_both_parsers(text: str, message: str) -> None:
    """Tags on lists and mappings were ignored while the same tag on a scalar was refused; `%YAML 1.3`
    was an internal error without ruamel.yaml.clib, and `&an:chor` silently changed the value with it."""
    with pytest.raises(LoadProblem) as caught:
        parse_yaml(text)
    assert message in caught.value.message


def test_special_floats_and_null_values() -> None:
    data = parse_yaml("a: .inf\nb: -.Inf\nc: .nan\nd: ~\ne:\n").data
    assert data["a"] == math.inf and data["b"] == -math.inf and math.isnan(data["c"])
    assert data["d"] is None and data["e"] is None


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_plain_scalars_resolve_as_the_safe_loader_resolves_them(spelling: str) -> None:
    """The loader knew only the YAML 1.2 core schema: `1_000`, `0b101` and `2001-12-14` stayed strings
    here while ruamel (and check-jsonschema, built on it) read numbers and a date."""
    text = (
        f"a: {spelling}\n{spelling}: a\n"
        if spelling not in ("~", "null", "Null", "NULL")
        else f"a: {spelling}\n"
    )
    ours, theirs = parse_yaml(text).data, reference(text)
    assert repr(ours) == repr(theirs)  # repr: nan == nan, and 1 is not True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: -_\n", "'-_' reads as a number in YAML but is not one; quote it"),
        ("a: 2001-13-40\n", "'2001-13-40' reads as a date in YAML but is not a valid one"),
        ("a: =\n", "a plain = is reserved in YAML as a value; quote it"),
        ("a: <<\n", "a plain << is a merge key, not a value; quote it"),
    ],
)
def test_what_the_safe_loader_cannot_read_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - ruamel's own errors vary (ValueError, ConstructorError)
        reference(text)
    with pytest.raises(LoadProblem) as caught:
        parse_yaml(text)
    assert message in caught.value.message


def test_a_yaml_1_1_document_is_refused_not_read_by_other_rules() -> None:
    """ruamel reads `%YAML 1.1` documents by 1.1 rules (`yes` is true); this loader reads 1.2 only."""
    assert reference("%YAML 1.1\n---\na: yes\n") == {"a": True}
    with pytest.raises(LoadProblem) as caught:
        parse_yaml("%YAML 1.1\n---\na: yes\n")
    assert "unsupported YAML version '1.1'" in caught.value.message
