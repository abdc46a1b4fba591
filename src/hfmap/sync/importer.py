"""A provider's live mapping → a canonical mapping file, so adopting hfmap starts with an empty plan.

Statuses are written explicitly on every entry (no `defaults`), so the file says exactly what the
Hub serves. A status the partner API cannot write (`error`, set by the Hub's own tests) cannot be
declared; such entries are written as `live` and listed in `ImportResult.odd` for the command to
report (a plan then shows them as needing attention, not as changes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hfmap.clients.live import LiveState


@dataclass
class ImportResult:
    document: dict[str, Any]
    odd: list[tuple[str, str]] = field(default_factory=list)  # (key, live status) written as `live`
    dropped_fields: set[str] = field(default_factory=set)  # live fields a file cannot express


def live_to_document(state: LiveState) -> ImportResult:
    """The mapping-file document (plain data) that declares exactly `state`."""
    result = ImportResult(document={})
    mappings: list[dict[str, Any]] = []
    for key, mapping in state.mappings.items():
        entry = mapping.record.to_dict()
        if mapping.odd_status:
            result.odd.append((key, mapping.record.status))
            entry["status"] = "live"
        result.dropped_fields.update(mapping.extra)
        mappings.append(entry)
    mappings.sort(key=lambda e: (e["task"], (e.get("hfModel") or "\x7f" + ",".join(e["hfFilter"])).lower()))
    result.document = {"provider": state.provider, "prune": True, "mappings": mappings}
    return result
