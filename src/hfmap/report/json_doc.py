"""A plan or an apply report as the contract's JSON object (`--format json`, `plan -o FILE`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hfmap.report.view import View


def render_json(data: Mapping[str, Any], view: View = View()) -> str:  # noqa: B008 - frozen
    return json.dumps(data, indent=2, ensure_ascii=False)
