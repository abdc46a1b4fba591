"""On a pull request: lint and check (annotations), plan, one comment per pull request and path set, and
the job summary."""

from __future__ import annotations

from hfmap.github import report
from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.comment import find_plan_comment, plan_marker, post_comment
from hfmap.github.env import ActionEnv, PullRequest
from hfmap.github.flows.common import (
    FlowResult,
    job_summary,
    lint_and_check,
    make_plan,
    save_plan,
    step_outputs,
)
from hfmap.github.report import Commit
from hfmap.github.workflow import annotate, write_summary


def pr_flow(env: ActionEnv, client: GitHubClient | None, pr: PullRequest | None = None) -> FlowResult:
    """Lint and check (annotations), plan, one comment per pull request and path set, the job summary.

    `pr` is given by the `workflow_run` flow, which plans a fork's files without linting them again.
    """
    lint = pr is None
    pr = pr or env.pull_request
    head_sha = pr.head_sha if pr else env.sha
    commit = Commit(
        head_sha, f"{env.server_url}/{env.repository}/commit/{head_sha}" if env.repository else ""
    )
    checked = lint_and_check(env) if lint else None
    planned = make_plan(env)
    plan = planned.data
    outputs = step_outputs(plan)
    exit_code = 0 if checked is None or checked.exit_code == 0 else 1
    if plan is None:
        exit_code = 1
        body = report.failure_markdown("make a plan", planned.error, commit)
        annotate("error", f"hfmap plan failed: {planned.error}")
    else:
        outputs["plan-file"] = save_plan(env, plan)
        body = report.plan_markdown(plan, commit=commit, paths=env.paths)
    problems = ""
    if checked is not None and checked.exit_code != 0:
        problems = f"\n> ❌ `hfmap {'check' if env.check else 'lint'}` found problems: see the annotations.\n"
    body += problems
    summary = job_summary(env, plan, commit) + problems if plan is not None else body
    comment_note = ""
    if env.comment and pr and client is not None:
        try:
            existing = find_plan_comment(client, pr.number, env.paths)
            posted = post_comment(client, pr.number, plan_marker(env, plan, head_sha) + "\n" + body, existing)
            outputs["comment-url"] = str(posted.get("html_url") or "")
        except GitHubError as exc:
            fork = " (a pull request from a fork gets a read-only token)" if pr.from_fork else ""
            annotate(
                "warning",
                f"could not write the PR comment{fork}: {exc.message}; the plan is in the job summary",
            )
            comment_note = (
                f"> ⚠️ The pull request comment could not be written{fork}; this summary carries the plan.\n\n"
            )
    write_summary(env.summary_path, comment_note + summary)
    return FlowResult(exit_code, outputs)
