"""The Action's flows, one module each: what it does on a pull request, a merge queue, a fork's comment
run, a push, a schedule, or when only checking. A new flow is one module plus a line in `FLOWS` (and in
`PLAN_FLOWS` or `env.MODES` for how it is chosen). Each returns step outputs and an exit code (`FlowResult`).

A flow renders what happened for people (comment, job summary, issue); GitHub API problems that must not
fail a run (a fork's read-only token) become warnings; a refused or failed apply always fails the job.
"""

from __future__ import annotations

from collections.abc import Callable

from hfmap.github.api import GitHubClient
from hfmap.github.env import ActionEnv
from hfmap.github.flows.apply import apply_flow
from hfmap.github.flows.check import check_flow
from hfmap.github.flows.common import FlowResult
from hfmap.github.flows.drift import drift_flow
from hfmap.github.flows.fork_comment import comment_flow
from hfmap.github.flows.pr import pr_flow
from hfmap.github.flows.queue import queue_flow
from hfmap.github.flows.sync import sync_flow

FLOWS: dict[str, Callable[[ActionEnv, GitHubClient | None], FlowResult]] = {
    "pr": pr_flow,
    "apply": apply_flow,
    "comment": comment_flow,
    "drift": drift_flow,
    "check": lambda env, _client: check_flow(env),
    "queue": lambda env, _client: queue_flow(env),
    "sync": lambda env, _client: sync_flow(env),
}

# With mode `plan` (or `auto` outside a push), the flow each event gets; anything else is a drift report.
PLAN_FLOWS = {
    "pull_request": "pr",
    "pull_request_target": "pr",
    "merge_group": "queue",
    "workflow_run": "comment",
}


def flow_for(env: ActionEnv, requested: str) -> str:
    """`run` picks the flow from the mode and event: a PR's plan, a fork's comment, or a drift report."""
    if requested != "run":
        return requested
    mode = env.resolved_mode()
    if mode != "plan":
        return mode
    if env.pull_request:
        return "pr"
    return PLAN_FLOWS.get(env.event_name, "drift")


__all__ = ["FLOWS", "FlowResult", "flow_for"]
