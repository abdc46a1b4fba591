"""Markdown that stays inert whatever a model id contains, and the hidden marker that finds our comment.

Every value that comes from mapping files or the Hub is shown as `<code>` with all Markdown- and
HTML-significant characters written as numeric entities: a `|` cannot split a table cell, a backtick cannot
open a code span, `<details>` or `<img>` stays text, and `@user` / `#1` are not linked (GitHub does not
resolve mentions or references inside `<code>`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from hfmap.secrets import redact

# Characters that mean something to Markdown, GitHub's extensions or HTML, anywhere in a line.
_SPECIAL = set("&<>\"'`|\\*_[]()~@#:$!{}=")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
MARKER_PREFIX = "<!-- hfmap-plan "
DRIFT_MARKER_PREFIX = "<!-- hfmap-drift "
_MARKER = re.compile(r"<!-- (hfmap-plan|hfmap-drift) (\{.*?\}) -->")


def escape_text(value: object) -> str:
    """Plain text safe anywhere in Markdown, including a table cell (one line, entities for specials)."""
    text = _CONTROL.sub(" ", redact(str(value)))
    return "".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in text)


def code(value: object) -> str:
    """A user value as inline code that renders literally (never empty, so the cell stays visible)."""
    text = escape_text(value)
    return f"<code>{text}</code>" if text else "<code></code>"


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
