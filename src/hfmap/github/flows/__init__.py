"""The Action's flows, one module each: what it does on a pull request, a fork's comment run, a push, a
schedule, or when only checking. Each returns step outputs and an exit code (`FlowResult`).

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

FLOWS: dict[str, Callable[[ActionEnv, GitHubClient | None], FlowResult]] = {
    "pr": pr_flow,
    "apply": apply_flow,
    "comment": comment_flow,
    "drift": drift_flow,
    "check": lambda env, _client: check_flow(env),
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
    return "comment" if env.event_name == "workflow_run" else "drift"


__all__ = ["FLOWS", "FlowResult", "flow_for"]
