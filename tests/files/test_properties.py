"""Properties over generated files (hypothesis), under both YAML parsers (see conftest.py).

1. A generated YAML mapping document loads to the same data as ruamel's safe loader, or both refuse it.
2. `fmt` keeps the data (entries re-sorted, nothing else), keeps every comment, and is idempotent.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from hfmap.files.parse import parse_yaml
from hfmap.files.problem import LoadProblem
from hfmap.files.reorder import expected_data, format_text
from hostile_text import PLAIN_SPELLINGS

# The autouse parser fixture is function-scoped; it only sets an environment variable for the whole test.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

TRICKY = [
    *PLAIN_SPELLINGS,
    *[
        "False",
        "acme/x",
        "a#b",
        "x:y",
        "@x",
        "`x",
        "-",
        "?",
        ":",
        "|",
        ">",
        "%",
        "!",
        "&",
        "*",
        "=",
        "<<",
        "lora",
        "text-to-image",
        "black-forest-labs/FLUX.1-dev",
    ],
]
KEYS = [
    "provider",
    "mappings",
    "hfModel",
    "hfFilter",
    "task",
    "status",
    "1",
    "null",
    "~",
    "true",
    "a b",
    "<<",
]
# No tab: ruamel's pure scanner refuses `&a <tab>` where the YAML spec and libyaml accept it.
WORDS = st.text(alphabet="ab:#-./ '\"\\", max_size=6)


def _quoted(text: str, style: str) -> str:
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


# Written plain, these start anchors, aliases and tags that ruamel's pure scanner reads laxly (`&: yes`
# loads as 'yes'); the loader refuses such names under both parsers, so they are generated quoted.
INDICATORS = ("&", "*", "!")


@st.composite
def scalars(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TRICKY) | WORDS)
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    plain = style == "plain" and not text.startswith(INDICATORS)
    return text if plain else _quoted(text, "double" if style == "plain" else style)


@st.composite
def keys(draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(KEYS) | st.sampled_from(TRICKY))
    style = draw(st.sampled_from(["plain", "plain", "plain", "single", "double"]))
    plain = style == "plain" and not key.startswith(INDICATORS)
    return key if plain else _quoted(key, "double" if style == "plain" else style)


class _Anchors:
    def __init__(self) -> None:
        self.names: list[str] = []

    def value(self, draw: st.DrawFn, text: str) -> str:
        """`text`, or an anchored `text`, or an alias of an earlier anchor."""
        choice = draw(st.integers(0, 9))
        if choice == 0:
            self.names.append(f"a{len(self.names)}")
            return f"&{self.names[-1]} {text}"
        if choice == 1 and self.names:
            return "*" + draw(st.sampled_from(self.names))
        return text


def _comment(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["", "", "", "  # note", " # hfmap: disable=all"]))


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A block mapping with scalars, flow lists and maps, a list of entries, comments, anchors, aliases."""
    anchors = _Anchors()
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        key = draw(keys())
        kind = draw(st.sampled_from(["scalar", "flow-list", "flow-map", "entries", "nested"]))
        if kind == "scalar":
            lines.append(f"{key}: {anchors.value(draw, draw(scalars()))}{_comment(draw)}")
        elif kind == "flow-list":
            items = ", ".join(draw(st.lists(scalars(), max_size=3)))
            lines.append(f"{key}: {anchors.value(draw, f'[{items}]')}{_comment(draw)}")
        elif kind == "flow-map":
            pairs = ", ".join(
                f"{k}: {v}" for k, v in draw(st.lists(st.tuples(keys(), scalars()), max_size=3))
            )
            lines.append(f"{key}: {{{pairs}}}{_comment(draw)}")
        else:
            lines.append(f"{key}:{_comment(draw)}")
            for _ in range(draw(st.integers(0 if kind == "nested" else 1, 3))):
                prefix = "  - " if kind == "entries" else "  "
                for index in range(draw(st.integers(1, 3))):
                    value = anchors.value(draw, draw(scalars()))
                    lines.append(f"{prefix if index == 0 else '    '}{draw(keys())}: {value}{_comment(draw)}")
                if kind == "nested":
                    break
    return "\n".join(lines) + "\n"


def _key(key: Any) -> str:
    if isinstance(key, str):
        return repr(key)
    return "#nan" if isinstance(key, float) and math.isnan(key) else f"#{hash(key)}"


def _canonical(value: Any) -> Any:
    """Comparable form: mappings without order, NaN equal to itself, 1 and True and 1.0 told apart."""
    if isinstance(value, dict):  # keys as a dict sees them: 1, 1.0 and True are one key
        keyed = ((_key(k), _canonical(v)) for k, v in value.items())
        return ("map", sorted(keyed))
    if isinstance(value, list):
        return ("seq", [_canonical(item) for item in value])
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, repr(value))


@SETTINGS
@given(documents())
def test_generated_documents_load_as_the_safe_loader_loads_them(text: str) -> None:
    try:
        theirs: Any = _canonical(YAML(typ="safe", pure=True).load(text))
    except Exception as exc:  # any refusal of ruamel's (its error classes vary)
        theirs = ("refused", type(exc).__name__)
    try:
        ours: Any = _canonical(parse_yaml(text).data)
    except LoadProblem as problem:
        ours = ("refused", problem.message)
    if ours[0] == "refused" and ours[1].startswith("duplicate") and "<<" in text:
        return  # ruamel lets some mappings with merge keys repeat keys (the last wins); hfmap never does
    if "refused" in (ours[0], theirs[0]):
        assert ours[0] == theirs[0], (text, ours, theirs)
    else:
        assert ours == theirs, text


# --- fmt --------------------------------------------------------------------------------------------

TASKS = ["text-to-image", "text-to-speech", "conversational", "image-to-image"]
MODELS = ["org/b", "Org/a", "org/c-7B", "zed/x", "acme/Model", "a/a"]
COMMENT = re.compile(r"#.*$")


@st.composite
def mapping_files(draw: st.DrawFn) -> str:
    """A mapping file with entries out of order, keys out of order, comments and blank lines anywhere."""
    lines = [draw(st.sampled_from(["", "# header", "# yaml-language-server: $schema=x.json"]))]
    top = draw(st.permutations(["provider", "defaults", "prune", "mappings"]))
    used = draw(st.lists(st.sampled_from(MODELS), unique=True, min_size=1, max_size=5))
    for key in top:
        if draw(st.booleans()):
            lines.append(f"# about {key}")
        if key == "provider":
            lines.append(f"provider: replicate{_comment(draw)}")
        elif key == "defaults":
            lines += ["defaults:", f"  status: {draw(st.sampled_from(['live', 'staging']))}{_comment(draw)}"]
        elif key == "prune":
            lines.append(f"prune: {draw(st.sampled_from(['true', 'false']))}")
        else:
            lines.append("mappings:")
            for number, model in enumerate(used):
                if draw(st.booleans()):
                    lines.append(draw(st.sampled_from(["", f"  # entry {number}", f"    # entry {number}"])))
                fields = {
                    "hfModel": model,
                    "providerModel": f"p/{number}",
                    "task": draw(st.sampled_from(TASKS)),
                    "status": draw(st.sampled_from(["live", "staging"])),
                }
                order = draw(st.permutations(list(fields)))
                for index, name in enumerate(order):
                    lead = "  - " if index == 0 else "    "
                    lines.append(f"{lead}{name}: {fields[name]}{_comment(draw)}")
    text = "\n".join(line for line in lines) + "\n"
    return text if draw(st.booleans()) else text.replace("\n", "\r\n")


def _comments(text: str) -> list[str]:
    """Every comment, split where fmt may have joined two on one line (a disable comment moved)."""
    found = (match.group().rstrip("\r") for line in text.splitlines() if (match := COMMENT.search(line)))
    return sorted(part.strip() for comment in found for part in re.split(r"\s+(?=#)", comment))


@SETTINGS
@given(mapping_files())
def test_fmt_keeps_data_and_every_comment_and_is_idempotent(text: str) -> None:
    result = format_text(text)
    before, after = parse_yaml(text).data, parse_yaml(result).data
    assert after == expected_data(before)
    assert _comments(result) == _comments(text)
    assert format_text(result) == result
    assert ("\r\n" in result) == ("\r\n" in text) and result.count("\n") == text.count("\n")
