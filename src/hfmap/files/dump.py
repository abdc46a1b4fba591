"""Writing a canonical mapping file from plain data (what `hfmap import` produces).

ruamel's round-trip emitter writes it (comments on top, tag lists inline); the text is then read back
through hfmap's own loader and compared with the data, so a file that would not load the same is never
handed out.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
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

    def text(value: Any) -> Any:
        """A value with a character YAML cannot write plainly (U+0085, U+2028, controls) double-quoted,
        where the emitter writes it as an escape (`\\N`, `\\L`); otherwise as ruamel chooses."""
        if isinstance(value, str) and not value.isprintable():
            return DoubleQuotedScalarString(value)
        return value

    root = CommentedMap()
    for key in canonical_keys(list(document), TOP_LEVEL_ORDER):
        value = document[key]
        if key == "mappings" and isinstance(value, list):
            defaults = document.get("defaults")
            entries = CommentedSeq()
            for item in sorted(value, key=lambda entry: entry_sort_key(entry, defaults)):
                entries.append(_entry_node(item, CommentedMap, CommentedSeq, scalar, text))
            value = entries
        elif key == "ignore" and isinstance(value, list):
            value = CommentedSeq(scalar(pattern) for pattern in value)
        root[key] = text(value)
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # ids are long; never fold a value over two lines
    stream = io.StringIO()
    if header:
        for line in header.splitlines():
            stream.write(f"# {line}\n" if line and not line.startswith("#") else f"{line}\n")
    yaml.dump(root, stream)
    text = stream.getvalue()
    loaded = load_or_raise(text, "<canonical_dump>").data  # never hand out a file that would not read back
    if loaded != expected_data(json.loads(json.dumps(dict(document), default=str))):
        raise FormatError("canonical_dump: the written file does not read back as the same data")
    return text


def _entry_node(item: Any, map_type: Any, seq_type: Any, scalar: Any, text: Any) -> Any:
    if not isinstance(item, Mapping):
        return item
    node = map_type()
    for key in canonical_keys(list(item), ENTRY_ORDER):
        value = item[key]
        if key == "hfFilter" and isinstance(value, list):
            tags = seq_type(scalar(tag) for tag in value)
            tags.fa.set_flow_style()
            value = tags
        node[key] = text(value)
    return node
