"""On a schedule: drift and health in one issue, kept up to date, closed when both are clean.

Drift is what `hfmap plan` would change (the live mapping differs from the files); health is what
`hfmap verify` finds clients cannot use (a mapping missing from model info, in `error`, shadowed, a tag
filter matching nothing). One open issue, written by the Action's own identity, carries both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hfmap.github import report
from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.comment import own_login
from hfmap.github.env import ActionEnv
from hfmap.github.flows.common import (
    FlowResult,
    commit_of,
    job_summary,
    lint_and_check,
    make_plan,
    plan_failed,
    problems_note,
    run_link,
    save_plan,
    step_outputs,
)
from hfmap.github.marker import marker, read_marker
from hfmap.github.report import Commit
from hfmap.github.runner import run_json
from hfmap.github.workflow import SUMMARY_BUDGET, annotate, write_summary
from hfmap.report.escape import code
from hfmap.report.verify_markdown import render_markdown as render_verify

DRIFT_TITLE = "hfmap: live mappings drifted from the repository"
HEALTH_TITLE = "hfmap: live mappings that clients cannot use"


@dataclass
class Health:
    """`hfmap verify --format json` (None when it could not run), and why not."""

    report: dict[str, Any] | None
    error: str = ""

    @property
    def known(self) -> bool:
        """Whether every mapping could be read: an unanswered model is not a healthy one."""
        if self.report is None or self.report.get("problems"):
            return False
        return all(m.get("verdict") != "unavailable" for m in self.report.get("mappings") or [])

    @property
    def failing(self) -> list[dict[str, Any]]:
        """Mappings clients cannot use: missing, in `error`, shadowed, a tag filter matching nothing."""
        return [m for m in (self.report or {}).get("mappings") or [] if m.get("level") == "error"]

    def markdown(self, budget: int) -> str:
        if self.report is None:
            return f"**hfmap verify:** ⚠️ what clients see could not be read: {code(self.error)}\n"
        return render_verify(self.report, budget, title="What clients see") + "\n"


def read_health(env: ActionEnv) -> Health:
    run = run_json(["verify", "--format", "json", *env.paths])
    if run.data is None or "mappings" not in run.data:
        annotate("warning", f"hfmap verify failed: {run.error}")
        return Health(None, run.error)
    return Health(run.data)


def drift_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    commit = commit_of(env)
    checked = lint_and_check(env) if env.check else None  # the scheduled run checks every entry
    planned = make_plan(env)
    plan = planned.data
    if plan is None:
        return plan_failed(env, planned.error, commit)
    outputs = step_outputs(plan, **{"plan-file": save_plan(env, plan)})
    health = read_health(env)
    drifted = report.change_count(plan) > 0
    failing = health.failing
    summary = job_summary(env, plan, commit, "hfmap drift check") + problems_note(env, checked)
    write_summary(env.summary_path, summary + "\n" + health.markdown(SUMMARY_BUDGET - len(summary) - 8192))
    exit_code = 0 if checked is None or checked.exit_code == 0 else 1
    if client is None or not env.comment:
        return FlowResult(exit_code, outputs)
    try:
        issue = _drift_issue(client, env)
        if drifted or failing or (issue is not None and not health.known):
            body = _issue_body(env, plan, health, commit, drifted)
            title = DRIFT_TITLE if drifted else HEALTH_TITLE
            title = title if env.paths == ["mappings"] else f"{title} ({', '.join(env.paths)})"
            posted = (
                client.update_issue(issue["number"], body=body) if issue else client.create_issue(title, body)
            )
            outputs["comment-url"] = str(posted.get("html_url") or "")
        elif issue is not None:
            note = (
                f"✅ No drift, and clients see every mapping, at {commit.markdown()}{run_link(env)}: closing."
            )
            client.create_comment(int(issue["number"]), note)
            client.update_issue(issue["number"], state="closed", state_reason="completed")
    except GitHubError as exc:
        annotate("warning", f"could not update the drift issue: {exc.message}; the job summary has the plan")
    return FlowResult(exit_code, outputs)


def _issue_body(env: ActionEnv, plan: dict[str, Any], health: Health, commit: Commit, drifted: bool) -> str:
    """The marker, the drift (what applying would change) and the health (what clients cannot use)."""
    checked = f"checked at {commit.markdown()}{run_link(env)}"
    parts = [marker("hfmap-drift", {"tool": "hfmap", "paths": env.paths, "hash": plan.get("hash")})]
    if drifted:
        parts.append(
            f"The live mappings on the Hub differ from the files in this repository ({checked}). "
            "Applying would make these changes:\n\n"
            + report.plan_markdown(plan, commit=commit, paths=env.paths, title="Drift", budget=30_000)
        )
    else:
        parts.append(f"No drift: the live mappings match the files ({checked}).\n")
    parts.append(health.markdown(24_000))
    return "\n".join(parts)


def _drift_issue(client: GitHubClient, env: ActionEnv) -> dict[str, Any] | None:
    """The open drift issue hfmap's own identity wrote for these paths (never someone else's)."""
    login = own_login(client, env)
    for issue in client.open_issues():
        data = read_marker(issue.get("body"), "hfmap-drift")
        if data and data.get("paths") == env.paths and (issue.get("user") or {}).get("login") == login:
            return issue
    return None
