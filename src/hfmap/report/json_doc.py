"""A plan, apply or verify report, or a suggestion document, as JSON (`--format json`, `-o FILE`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from hfmap.report.view import View


class HasJson(Protocol):
    def to_json(self) -> dict[str, Any]: ...


def render_json(data: HasJson | Mapping[str, Any], view: View = View()) -> str:  # noqa: B008 - frozen
    """A core type prints its `to_json()`; `suggest` still hands over its document as plain data."""
    doc = data if isinstance(data, Mapping) else data.to_json()
    return json.dumps(doc, indent=2, ensure_ascii=False)
