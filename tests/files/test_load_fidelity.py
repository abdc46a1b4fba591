"""The loader reads what ruamel's safe loader reads (or refuses), and the same with either YAML parser."""

from __future__ import annotations

import math

import pytest
from ruamel.yaml import YAML

from hfmap.files.load import LoadProblem, parse_yaml


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
