"""The compiled yes/no schema check agrees with jsonschema on every document (it decides when to skip it)."""

from __future__ import annotations

import datetime
import functools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from hfmap.lint.rules.schema import inline_local_refs, schema_text
from hfmap.lint.validity import Unsupported, compile_check

SCHEMA = json.loads(schema_text())
JSONSCHEMA = Draft202012Validator(SCHEMA)
CHECK = compile_check(SCHEMA)
CHECK_INLINED = compile_check(inline_local_refs(SCHEMA))

ENTRY_KEYS = ["hfModel", "hfFilter", "providerModel", "task", "status", "adapterType", "extra"]
TOP_KEYS = ["provider", "defaults", "prune", "ignore", "mappings", "extra"]
STRINGS = st.sampled_from(
    ["", "live", "staging", "lora", "org/model", "bad id", "a--b/c", "text-to-image", "x" * 97 + "/y", "Live"]
)
SCALARS = (
    STRINGS
    | st.booleans()
    | st.integers(-2, 2)
    | st.sampled_from([None, 1.0, 1.5, float("nan"), datetime.date(2001, 12, 14)])
)


@functools.cache  # built once: hypothesis spends most of a draw preparing a new strategy object
def values(depth: int = 0):
    if depth > 1:
        return SCALARS
    return (
        SCALARS
        | st.lists(values(depth + 1), max_size=3)
        | st.dictionaries(STRINGS, values(depth + 1), max_size=2)
    )


ENTRY_KEY_LISTS = st.lists(st.sampled_from(ENTRY_KEYS), unique=True, max_size=6)
HF_FILTERS = st.lists(STRINGS | st.integers(0, 1) | st.booleans(), max_size=3) | values()


@st.composite
def entries(draw):
    entry = {}
    for key in draw(ENTRY_KEY_LISTS):
        if key == "hfFilter":
            entry[key] = draw(HF_FILTERS)
        else:
            entry[key] = draw(STRINGS if draw(st.integers(0, 3)) else values())
    return entry


TOP_KEY_LISTS = st.lists(st.sampled_from(TOP_KEYS), unique=True, max_size=6)
MAPPINGS = st.lists(entries(), max_size=3) | values()
DEFAULTS = st.dictionaries(st.sampled_from(["status", "task", "hfModel"]), STRINGS | values())
IGNORES = st.lists(STRINGS, max_size=2) | values()


@st.composite
def documents(draw):
    document = {}
    for key in draw(TOP_KEY_LISTS):
        if key == "mappings":
            document[key] = draw(MAPPINGS)
        elif key == "defaults":
            document[key] = draw(DEFAULTS)
        elif key == "ignore":
            document[key] = draw(IGNORES)
        else:
            document[key] = draw(STRINGS if key == "provider" else values())
    if draw(st.integers(0, 9)) == 0:
        document[draw(st.sampled_from([1, None, True]))] = "x"  # keys that are not strings
    return document


@st.composite
def near_valid(draw):
    """A valid file with at most one slip: most of them valid, the rest one mistake away."""
    entry = draw(
        st.sampled_from(
            [
                {"hfModel": "org/model", "providerModel": "p/m", "task": "text-to-image"},
                {"hfFilter": ["lora", "base"], "adapterType": "lora", "providerModel": "p/m", "task": "t"},
                {"hfModel": "org/model", "providerModel": "p/m", "status": "live"},
            ]
        )
    )
    document = {"provider": "replicate", "prune": True, "ignore": ["zeke/*"], "mappings": [dict(entry)]}
    if "task" not in entry:
        document["defaults"] = {"task": "text-to-image", "status": "staging"}
    slip = draw(st.integers(0, 4))
    if slip == 1:
        document["mappings"][0][draw(st.sampled_from(ENTRY_KEYS))] = draw(SCALARS)
    elif slip == 2:
        document[draw(st.sampled_from(TOP_KEYS))] = draw(values())
    elif slip == 3:
        document["mappings"][0].pop(draw(st.sampled_from(sorted(document["mappings"][0]))))
    return document


@settings(max_examples=1500, deadline=None)
@given(documents() | near_valid())
def test_the_check_agrees_with_jsonschema(document) -> None:
    expected = JSONSCHEMA.is_valid(document)
    assert CHECK(document) is expected
    assert CHECK_INLINED(document) is expected


def test_both_valid_and_invalid_documents_were_generated() -> None:
    valid = {"provider": "p", "mappings": [{"hfModel": "a/b", "providerModel": "x", "task": "t"}]}
    assert CHECK(valid) and JSONSCHEMA.is_valid(valid)
    assert not CHECK({**valid, "mappings": [{"hfModel": "a/b", "providerModel": "x"}]})  # no task anywhere
    assert CHECK({**valid, "defaults": {"task": "t"}, "mappings": [{"hfModel": "a/b", "providerModel": "x"}]})


@pytest.mark.parametrize(
    "schema",
    [
        {"patternProperties": {"a": {}}},
        {"format": "uri"},
        {"$ref": "https://x.test/s.json"},
        {"type": "decimal"},
    ],
)
def test_a_keyword_it_does_not_know_is_refused_at_compile_time(schema) -> None:
    with pytest.raises(Unsupported):
        compile_check(schema)


KEYWORD_CASES = [
    ({"type": ["integer", "null"]}, [1, 1.0, 1.5, True, None, "1"]),
    ({"enum": [1, "a", None]}, [1, True, 1.0, "a", None, "b"]),
    ({"const": False}, [False, 0, None]),
    ({"minLength": 2, "minItems": 1}, ["ab", "a", [], [1], 5]),
    ({"uniqueItems": True}, [[1, True], [1, 1.0], [[1], [1]], ["a", "b"], {"a": 1}]),
    ({"pattern": "^a"}, ["abc", "ba", 3]),
    (
        {"required": ["a"], "dependentRequired": {"b": ["c"]}},
        [{"a": 1}, {"a": 1, "b": 2}, {"a": 1, "b": 2, "c": 3}, []],
    ),
    (
        {"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
        [{"a": "x", "b": 1}, {"b": "x"}, {1: 2}],
    ),
    ({"additionalProperties": False}, [{}, {"a": 1}, "x"]),
    ({"items": {"type": "string"}}, [["a"], ["a", 1], "x"]),
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, ["a", None, 1]),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, [1, 1.5, "a"]),
    ({"oneOf": []}, [1]),
    ({"allOf": [{"type": "string"}, {"minLength": 1}]}, ["a", "", 1]),
    ({"not": {"type": "string"}}, ["a", 1]),
    ({"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "integer"}}, ["ab", "a", 1, 1.5]),
    (
        {"$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"},
        [[], [[[]]], [[1]]],
    ),
]


@pytest.mark.parametrize(("schema", "instances"), KEYWORD_CASES)
def test_each_keyword_means_what_it_means_to_jsonschema(schema, instances) -> None:
    check, reference = compile_check(schema), Draft202012Validator(schema)
    for instance in instances:
        assert check(instance) is reference.is_valid(instance), instance
