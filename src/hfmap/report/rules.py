"""`--list-rules`: one table over the lint registry and the online rules, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from hfmap.report.view import View


def render_json(rows: Iterable[Mapping[str, Any]], view: View = View()) -> str:  # noqa: B008 - frozen
    """Rows of `{id, level, description, can_disable}` as one JSON list (for scripts)."""
    return json.dumps(list(rows), indent=2)


def render_text(rows: Iterable[Mapping[str, Any]], view: View = View()) -> str:  # noqa: B008 - frozen
    """Aligned columns: id, level, description (`(always on)` for rules that cannot be disabled)."""
    rows = list(rows)
    width = max(len(row["id"]) for row in rows)
    lines = [
        f"{row['id']:<{width}}  {row['level']:<7}  {row['description']}"
        + ("" if row["can_disable"] else " (always on)")
        for row in rows
    ]
    return "\n".join(lines)
