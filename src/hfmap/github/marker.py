"""The hidden marker at the top of hfmap's comments: JSON in an HTML comment that data cannot close.

A marker belongs to the comment only when the body *starts* with it (`<!-- hfmap-plan {...} -->` and a
newline): a marker quoted somewhere inside another comment (a bot echoing a pull request's description)
is never read as ours. Escaping of user values for Markdown lives in `hfmap.report.escape`.
"""

from __future__ import annotations

import json
import re
from typing import Any

_MARKER = re.compile(r"<!-- (hfmap-plan|hfmap-drift) (\{.*?\}) -->")


def marker(kind: str, data: dict[str, Any]) -> str:
    """A hidden HTML comment holding JSON; `<`, `>` and `&` escaped so the JSON cannot close the comment."""
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"<!-- {kind} {payload} -->"


def _load(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("tool") == "hfmap" else None


def read_marker(body: str | None, kind: str = "hfmap-plan") -> dict[str, Any] | None:
    """The JSON of the first marker of `kind` anywhere in a body, or None (for the drift issue)."""
    for match in _MARKER.finditer(body or ""):
        if match.group(1) == kind and (data := _load(match.group(2))) is not None:
            return data
    return None


def split_marker(body: str | None, kind: str = "hfmap-plan") -> tuple[dict[str, Any], str] | None:
    """(marker data, visible text) when `body` starts with a marker of `kind`; else None.

    The visible text is what follows the marker's line, with line endings as `\\n` (GitHub stores an
    edit made in the browser with CRLF).
    """
    text = (body or "").replace("\r\n", "\n")
    match = _MARKER.match(text)
    if match is None or match.group(1) != kind or text[match.end() : match.end() + 1] not in ("\n", ""):
        return None
    data = _load(match.group(2))
    return None if data is None else (data, text[match.end() + 1 :])
