"""The Action reads the CLI's JSON back as core types; output of another shape is no output, not a crash."""

from __future__ import annotations

import json

import pytest

from hfmap.github.runner import read_as
from hfmap.mapping.apply_report import ApplyReport
from hfmap.mapping.plan import Plan
from hfmap.mapping.verdict import VerifyReport

PLAN = {
    "version": 1,
    "hash": "sha256:x",
    "needs_force": False,
    "summary": {"create": 0, "update": 0, "replace": 0, "delete": 0},
    "actions": [],
    "unmanaged": [],
    "attention": [],
    "safety": {
        "reasons": [],
        "destructive": 0,
        "limits": {"max_destructive_percent": 30.0, "max_destructive": 50},
        "providers": {},
    },
    "providers": {"replicate": {"live": 3, "ignored": 0}},
}


def test_a_plan_reads_back_and_prints_the_same() -> None:
    plan = read_as(PLAN, Plan.from_json)
    assert plan is not None and plan.live_counts == {"replicate": 3}
    assert json.dumps(plan.to_json()) == json.dumps({**PLAN, "hash": plan.hash})


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {**PLAN, "actions": "not a list"},
        {**PLAN, "actions": [{"action": "create"}]},
        {**PLAN, "safety": None},
        {**PLAN, "providers": {"replicate": 3}},
    ],
)
@pytest.mark.parametrize("read", [Plan.from_json, ApplyReport.from_json, VerifyReport.from_json])
def test_output_of_another_shape_is_none(data: dict | None, read) -> None:
    assert read_as(data, read) is None
