"""`hfmap suggest` as YAML: entries to paste under `mappings:` (or a whole mapping file), with comments.

Values are written plain only when no YAML reader could take them for anything but the string (a
repo-id shape holding `/`, or a word starting with a letter that is no boolean or null); everything else
is double-quoted with every character a reader must not see raw (controls, bidi and other invisible
format characters) as a YAML escape, so the text reads back as the same strings.
Comments quote ids through `one_line`, so no id can end a comment and start YAML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hfmap.report.escape import one_line
from hfmap.report.view import View

INDENT = "  "  # entries as `hfmap import` and `hfmap fmt` write them: `mappings:` then `  - key: value`
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._/-]*[A-Za-z0-9._-]|[A-Za-z][A-Za-z0-9._-]*")
# Words a YAML 1.1 reader (PyYAML) takes for a boolean or null when plain.
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
LIVE_SHOWN = 20  # live mappings named in the text (all of them in JSON)
_ESCAPES = {'"': '\\"', "\\": "\\\\"}


def yaml_string(value: str) -> str:
    """`value` as a YAML scalar that reads back as exactly this string."""
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            out.append(
                f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            )
    return '"' + "".join(out) + '"'


def _entry(fields: list[tuple[str, Any]], prefix: str = "") -> list[str]:
    """An entry's lines (`- key: value`, then its other keys under it), each started with `prefix`."""
    lines = []
    for number, (key, value) in enumerate(fields):
        if isinstance(value, list):
            value = "[" + ", ".join(yaml_string(v) for v in value) + "]"
        else:
            value = yaml_string(str(value))
        lead = "- " if number == 0 else "  "
        lines.append(f"{INDENT}{prefix}{lead}{key}: {value}")
    return lines


def _comment(text: str) -> str:
    return f"{INDENT}# {one_line(text)}"


def _candidates(doc: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for c in doc["candidates"]:
        lines.append(_comment(c["evidence"]))
        fields = [("hfModel", c["hub_id"]), ("providerModel", c["provider_id"]), ("task", c["task"])]
        lines += _entry([*fields, ("status", c["status"])])
    return lines


def _lora(doc: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for item in doc["lora"]:
        count = f"{item['adapters']}{' or more' if item['more'] else ''}"
        noun = "model is an adapter" if item["adapters"] == 1 and not item["more"] else "models are adapters"
        lines.append(
            _comment(
                f"{doc['provider']} runs LoRA for {item['task']}: {count} public Hub {noun} of "
                f"'{item['base']}' ({item['source']} mapping) and no tag filter serves them."
            )
        )
        lines.append(
            _comment(
                f"Replace providerModel '{item['providerModel']}' with your LoRA-capable {item['task']} "
                "endpoint, then uncomment:"
            )
        )
        fields = [
            ("hfFilter", item["hfFilter"]),
            ("providerModel", item["providerModel"]),
            ("task", item["task"]),
        ]
        lines += _entry(
            [*fields, ("status", item["status"]), ("adapterType", item["adapterType"])], prefix="# "
        )
    return lines


def _live(doc: Mapping[str, Any]) -> list[str]:
    live = doc["live_undeclared"]
    if not live:
        return []
    noun = "mapping is" if len(live) == 1 else "mappings are"
    lines = [
        _comment(
            f"{len(live)} live {noun} declared in no file (not suggested here); adopt them with "
            f"`hfmap import --provider {doc['provider']}`:"
        )
    ]
    lines += [
        _comment(f"  {m['key']} -> {m['providerModel']} ({m['task']}, {m['status']})")
        for m in live[:LIVE_SHOWN]
    ]
    if len(live) > LIVE_SHOWN:
        lines.append(_comment(f"  ... and {len(live) - LIVE_SHOWN} more (all of them in --format json)"))
    return lines


def _sections(doc: Mapping[str, Any]) -> list[str]:
    lines = _candidates(doc)
    for part in (_lora(doc), _live(doc)):
        if part and lines:
            lines.append("")
        lines += part
    return lines


def render_text(doc: Mapping[str, Any], view: View = View()) -> str:  # noqa: B008 - frozen
    """The entries to paste under `mappings:` (LoRA filters and live-undeclared mappings as comments)."""
    lines = _sections(doc)
    if doc["list_problem"]:
        lines.insert(0, _comment(f"{doc['provider']}'s model list was not read: {doc['list_problem']}"))
    elif not doc["candidates"]:
        lines.insert(0, _comment(f"no new mappings found in {doc['provider']}'s model list"))
    return "\n".join(lines) + "\n"


def render_file(doc: Mapping[str, Any], view: View = View()) -> str:  # noqa: B008 - frozen
    """A new mapping file holding the suggestions (`hfmap suggest -o FILE`)."""
    head = [
        f"# Mappings {one_line(doc['provider'])} could add, found by `hfmap suggest`: each is staging until",
        "# `hfmap check` and a test call confirm it.",
        f"provider: {yaml_string(doc['provider'])}",
        "mappings:" if doc["candidates"] else "mappings: []",
    ]
    return "\n".join([*head, *_sections(doc)]) + "\n"
