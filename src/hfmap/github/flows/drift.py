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
from hfmap.github.runner import read_as, run_json
from hfmap.github.workflow import SUMMARY_BUDGET, annotate, write_summary
from hfmap.mapping.plan import Plan
from hfmap.mapping.verdict import Verdict, VerifyReport
from hfmap.report.escape import code
from hfmap.report.verify_markdown import render_markdown as render_verify

DRIFT_TITLE = "hfmap: live mappings drifted from the repository"
HEALTH_TITLE = "hfmap: live mappings that clients cannot use"


@dataclass
class Health:
    """`hfmap verify --format json` (None when it could not run), and why not."""

    report: VerifyReport | None
    error: str = ""

    @property
    def known(self) -> bool:
        """Whether every mapping could be read: an unanswered model is not a healthy one."""
        if self.report is None or self.report.problems:
            return False
        return all(v.verdict not in ("unavailable", "router-unavailable") for v in self.report.verdicts)

    @property
    def failing(self) -> list[Verdict]:
        """Mappings clients cannot use: missing, in `error`, shadowed, a tag filter matching nothing."""
        return [v for v in self.report.verdicts if v.level == "error"] if self.report is not None else []

    def markdown(self, budget: int) -> str:
        if self.report is None:
            return f"**hfmap verify:** ⚠️ what clients see could not be read: {code(self.error)}\n"
        return render_verify(self.report, budget, title="What clients see") + "\n"


def read_health(env: ActionEnv) -> Health:
    run = run_json(["verify", "--format", "json", *env.paths])
    verified = read_as(run.data, VerifyReport.from_json)
    if verified is None:
        annotate("warning", f"hfmap verify failed: {run.error}")
        return Health(None, run.error)
    return Health(verified)


def drift_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    commit = commit_of(env)
    checked = lint_and_check(env) if env.check else None  # the scheduled run checks every entry
    planned = make_plan(env)
    plan = planned.plan
    if plan is None:
        return plan_failed(env, planned.error, commit)
    outputs = step_outputs(plan, **{"plan-file": save_plan(env, plan)})
    health = read_health(env)
    drifted = plan.has_changes
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


def _issue_body(env: ActionEnv, plan: Plan, health: Health, commit: Commit, drifted: bool) -> str:
    """The marker, the drift (what applying would change) and the health (what clients cannot use)."""
    checked = f"checked at {commit.markdown()}{run_link(env)}"
    parts = [marker("hfmap-drift", {"tool": "hfmap", "paths": env.paths, "hash": plan.hash})]
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
