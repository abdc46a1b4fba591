"""A plan or an apply report as the contract's JSON object (`--format json`, `plan -o FILE`)."""

from __future__ import annotations

import json
from typing import Any, Protocol

from hfmap.report.view import View


class HasJson(Protocol):
    def to_json(self) -> dict[str, Any]: ...


def render_json(data: HasJson, view: View = View()) -> str:  # noqa: B008 - frozen
    return json.dumps(data.to_json(), indent=2, ensure_ascii=False)
