"""A provider's live mapping → a canonical mapping file, so adopting hfmap starts with an empty plan.

Statuses are written explicitly on every entry (no `defaults`), so the file says exactly what the
Hub serves. A status the partner API cannot write (`error`, set by the Hub's own tests) cannot be
declared; such entries are written as `live` and listed in `ImportResult.odd` for the command to
report (a plan then shows them as needing attention, not as changes). Every other character is
written (escaped in double quotes where YAML cannot write it plainly); an entry no UTF-8 file can
hold (a lone surrogate) is left out and listed in `ImportResult.unwritable`, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hfmap.mapping.record import LiveState


@dataclass
class ImportResult:
    document: dict[str, Any]
    odd: list[tuple[str, str]] = field(default_factory=list)  # (key, live status) written as `live`
    dropped_fields: set[str] = field(default_factory=set)  # live fields a file cannot express
    unwritable: list[tuple[str, str]] = field(default_factory=list)  # (key, why) left out of the file


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unwritable(entry: dict[str, Any]) -> str | None:
    """Why no UTF-8 file can hold this entry (a lone surrogate from the Hub's JSON), else None."""
    for name, value in entry.items():
        for text in value if isinstance(value, list) else [value]:
            found = _SURROGATE.search(text) if isinstance(text, str) else None
            if found:
                return f"its {name} holds U+{ord(found.group()):04X}, which no UTF-8 file can hold"
    return None


def live_to_document(state: LiveState) -> ImportResult:
    """The mapping-file document (plain data) that declares exactly `state`."""
    result = ImportResult(document={})
    mappings: list[tuple[tuple[str, str], dict[str, Any]]] = []
    for key, mapping in state.mappings.items():
        entry = mapping.record.to_json()
        if mapping.odd_status:
            result.odd.append((key, mapping.record.status))
            entry["status"] = "live"
        result.dropped_fields.update(mapping.extra)
        reason = _unwritable(entry)
        if reason is not None:
            result.unwritable.append((key, reason))
            continue
        record = mapping.record
        # by task, then key (case-insensitive), tag filters after single models
        order = (record.task, ("" if record.hf_model is not None else "\x7f") + record.key.lower())
        mappings.append((order, entry))
    mappings.sort(key=lambda pair: pair[0])
    result.document = {"provider": state.provider, "prune": True, "mappings": [e for _, e in mappings]}
    return result
