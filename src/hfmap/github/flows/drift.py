"""On a schedule: plan, and keep one open drift issue up to date (closed when there is no drift)."""

from __future__ import annotations

from typing import Any

from hfmap.github import report
from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.comment import own_login
from hfmap.github.env import ActionEnv
from hfmap.github.flows.common import FlowResult, job_summary, make_plan, run_link, save_plan, step_outputs
from hfmap.github.marker import marker, read_marker
from hfmap.github.report import Commit
from hfmap.github.workflow import annotate, write_summary

DRIFT_TITLE = "hfmap: live mappings drifted from the repository"


def drift_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    commit = Commit(env.sha, env.commit_url if env.repository else "")
    planned = make_plan(env)
    plan = planned.data
    if plan is None:
        write_summary(env.summary_path, report.failure_markdown("make a plan", planned.error, commit))
        annotate("error", f"hfmap plan failed: {planned.error}")
        return FlowResult(1, step_outputs(None))
    outputs = step_outputs(plan, **{"plan-file": save_plan(env, plan)})
    drifted = report.change_count(plan) > 0
    write_summary(env.summary_path, job_summary(env, plan, commit, "hfmap drift check"))
    if client is None or not env.comment:
        return FlowResult(0, outputs)
    try:
        issue = _drift_issue(client, env)
        if drifted:
            body = (
                marker("hfmap-drift", {"tool": "hfmap", "paths": env.paths, "hash": plan.get("hash")})
                + "\nThe live mappings on the Hub differ from the files in this repository (checked at "
                + f"{commit.markdown()}{run_link(env)}). Applying would make these changes:\n\n"
                + report.plan_markdown(plan, commit=commit, paths=env.paths, title="Drift")
            )
            title = DRIFT_TITLE if env.paths == ["mappings"] else f"{DRIFT_TITLE} ({', '.join(env.paths)})"
            posted = (
                client.update_issue(issue["number"], body=body) if issue else client.create_issue(title, body)
            )
            outputs["comment-url"] = str(posted.get("html_url") or "")
        elif issue is not None:
            note = f"✅ No drift any more at {commit.markdown()}{run_link(env)}: closing."
            client.create_comment(int(issue["number"]), note)
            client.update_issue(issue["number"], state="closed", state_reason="completed")
    except GitHubError as exc:
        annotate("warning", f"could not update the drift issue: {exc.message}; the job summary has the plan")
    return FlowResult(0, outputs)


def _drift_issue(client: GitHubClient, env: ActionEnv) -> dict[str, Any] | None:
    """The open drift issue hfmap's own identity wrote for these paths (never someone else's)."""
    login = own_login(client, env)
    for issue in client.open_issues():
        data = read_marker(issue.get("body"), "hfmap-drift")
        if data and data.get("paths") == env.paths and (issue.get("user") or {}).get("login") == login:
            return issue
    return None
