"""The hidden marker that finds our comment again: JSON in an HTML comment that data cannot close.

Escaping of user values for Markdown lives in `hfmap.report.escape` (shared with the CLI).
"""

from __future__ import annotations

import json
import re
from typing import Any

_MARKER = re.compile(r"<!-- (hfmap-plan|hfmap-drift) (\{.*?\}) -->")


def marker(kind: str, data: dict[str, Any]) -> str:
    """A hidden HTML comment holding JSON; `<`, `>` and `&` escaped so the JSON cannot close the comment."""
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"<!-- {kind} {payload} -->"


def read_marker(body: str | None, kind: str = "hfmap-plan") -> dict[str, Any] | None:
    """The JSON of the first marker of `kind` in a comment body, or None."""
    for match in _MARKER.finditer(body or ""):
        if match.group(1) != kind:
            continue
        try:
            data = json.loads(match.group(2))
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("tool") == "hfmap":
            return data
    return None
