"""Writing a canonical mapping file from plain data (what `hfmap import` produces).

ruamel's round-trip emitter writes it (comments on top, tag lists inline); the text is then read back
through hfmap's own loader and compared with the data, so a file that would not load the same is never
handed out. A value holding a character a reader must not get raw (controls, bidi overrides such as U+202E
from a hostile Hub model id, zero-width characters) is double-quoted with the character written as an
escape (`\u202e`), as every other output shows it; YAML reads the escape back as the same character.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from hfmap.files.reorder import (
    ENTRY_ORDER,
    TOP_LEVEL_ORDER,
    FormatError,
    canonical_keys,
    entry_sort_key,
    expected_data,
    load_or_raise,
)

_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/+@=-]*$")


def canonical_dump(document: Mapping[str, Any], header: str | None = None) -> str:
    """A canonical mapping file from plain data (provider, defaults, prune, ignore, mappings, ...).

    Used by `hfmap import`. `header` (one or more lines) is written as comments on top, e.g. the
    `yaml-language-server: $schema=...` line. Tag lists are written inline (`[lora, "base_model:..."]`).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    def scalar(value: Any) -> Any:
        """Double quotes where a plain scalar would need care (`:`, `*`, ...), as people write them."""
        if isinstance(value, str) and not _PLAIN_SAFE.match(value):
            return DoubleQuotedScalarString(value)
        return value

    root = CommentedMap()
    for key in canonical_keys(list(document), TOP_LEVEL_ORDER):
        value = document[key]
        if key == "mappings" and isinstance(value, list):
            defaults = document.get("defaults")
            entries = CommentedSeq()
            for item in sorted(value, key=lambda entry: entry_sort_key(entry, defaults)):
                entries.append(_entry_node(item, CommentedMap, CommentedSeq, scalar))
            value = entries
        elif key == "ignore" and isinstance(value, list):
            value = CommentedSeq(scalar(pattern) for pattern in value)
        root[key] = value
    yaml = YAML(typ="rt")
    yaml.Emitter = _escaping_emitter()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # ids are long; never fold a value over two lines
    stream = io.StringIO()
    if header:
        for line in header.splitlines():
            stream.write(f"# {line}\n" if line and not line.startswith("#") else f"{line}\n")
    yaml.dump(root, stream)
    text = "\n".join(_escape_unprintable(line) for line in stream.getvalue().split("\n"))
    loaded = load_or_raise(text, "<canonical_dump>").data  # never hand out a file that would not read back
    if loaded != expected_data(json.loads(json.dumps(dict(document), default=str))):
        raise FormatError("canonical_dump: the written file does not read back as the same data")
    return text


def _entry_node(item: Any, map_type: Any, seq_type: Any, scalar: Any) -> Any:
    if not isinstance(item, Mapping):
        return item
    node = map_type()
    for key in canonical_keys(list(item), ENTRY_ORDER):
        value = item[key]
        if key == "hfFilter" and isinstance(value, list):
            tags = seq_type(scalar(tag) for tag in value)
            tags.fa.set_flow_style()
            value = tags
        node[key] = value
    return node


@cache
def _escaping_emitter() -> type:
    """ruamel's round-trip emitter, made to double-quote every scalar with an unprintable character.

    ruamel writes U+202E and other format characters raw, even in plain scalars; forced into double quotes,
    each such character can be escaped afterwards (`_escape_unprintable`), where YAML reads it back.
    """
    from ruamel.yaml.emitter import RoundTripEmitter

    class EscapingEmitter(RoundTripEmitter):
        def analyze_scalar(self, scalar: Any) -> Any:
            analysis = super().analyze_scalar(scalar)
            if not scalar.isprintable():
                analysis.allow_flow_plain = analysis.allow_block_plain = False
                analysis.allow_single_quoted = analysis.allow_block = False
            return analysis

    return EscapingEmitter


def _escape_unprintable(line: str) -> str:
    """Each character ruamel left raw that is not printable, as a YAML escape (`\\u202e`); only ever inside
    a double-quoted scalar (see `_escaping_emitter`). The same escape as report/escape.py's `one_line`."""
    if line.isprintable():
        return line
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in line)
