"""A plan as the contract's JSON object (`hfmap plan --format json`, `plan -o FILE`)."""

from __future__ import annotations

import json

from hfmap.sync.plan import Plan


def render_json(plan: Plan) -> str:
    return json.dumps(plan.to_json(), indent=2, ensure_ascii=False)
