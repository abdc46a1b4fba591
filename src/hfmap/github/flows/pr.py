"""On a pull request: lint and check (annotations), plan, the approval (one comment per pull request and
path set, or a check run with `comment: false`), and the job summary."""

from __future__ import annotations

import functools
from typing import Any

from hfmap.github import report
from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.approval import new_approval
from hfmap.github.comment import find_approvals, fit, own_login, record_check_run, write
from hfmap.github.env import ActionEnv, PullRequest
from hfmap.github.flows.common import (
    FlowResult,
    commit_of,
    job_summary,
    lint_and_check,
    lint_errors,
    make_plan,
    problems_note,
    save_plan,
    step_outputs,
)
from hfmap.github.workflow import annotate, write_summary


def pr_flow(env: ActionEnv, client: GitHubClient | None, pr: PullRequest | None = None) -> FlowResult:
    """Lint and check (annotations), plan, one comment per pull request and path set, the job summary.

    `pr` is given by the `workflow_run` flow, which plans a fork's files: their lint errors are named in
    the comment (annotations from that run would not show on the pull request), and
    the run fails only when it could not write the comment or could not plan for a reason other than them.
    """
    lint = pr is None
    pr = pr or env.pull_request
    head_sha = pr.head_sha if pr else env.sha
    commit = commit_of(env, head_sha)
    checked = lint_and_check(env, changed_only=True) if lint else None
    errors = [] if lint else lint_errors(env)
    planned = make_plan(env)
    plan = planned.plan
    outputs = step_outputs(plan)
    exit_code = 0 if checked is None or checked.exit_code == 0 else 1
    problems = problems_note(env, checked) + report.lint_errors_markdown(errors)
    # with no github-token the run only plans (a branch's own run: the approval is written elsewhere)
    recording = pr is not None and client is not None and env.github_token is not None
    trust = report.trust_note(env.approval_key is not None) if recording else ""
    approve = functools.partial(
        new_approval,
        repo=env.repository,
        pr=pr.number if pr else 0,
        paths=env.paths,
        head_sha=head_sha,
        plan=plan,
        key=env.approval_key,
    )
    approval: dict[str, Any] = approve()
    if plan is None:
        exit_code = 1
        approval.update(hash=None, actions=None, state="failed")
        visible = report.failure_markdown("make a plan", planned.error, commit) + problems
        summary = visible
        annotate("error", f"hfmap plan failed: {planned.error}")
    else:
        outputs["plan-file"] = save_plan(env, plan)
        extra = problems + trust
        marker_size = len(fit(approval, "", "", env.approval_key))
        budget = 65_000 - marker_size - len(extra) - report.SPLIT_NOTE_SIZE
        visible = report.plan_markdown(plan, commit=commit, paths=env.paths, budget=budget)
        shown, total = report.shown_rows(plan, visible), len(plan.actions)
        if shown < total:
            approval = approve(shown=shown)  # only the rows the comment shows
            extra = report.split_note(shown, total) + extra
        visible += extra
        summary = job_summary(env, plan, commit) + extra
    note = ""
    if recording and pr is not None and client is not None:
        note, url = _record(env, client, pr, head_sha, approval, visible)
        outputs["comment-url"] = url
        if not lint:  # the fork's own run is red for its lint errors, and the comment now names them
            exit_code = 1 if note or (plan is None and not errors) else 0
    write_summary(env.summary_path, note + summary)
    return FlowResult(exit_code, outputs)


def _too_late(client: GitHubClient, number: int, head_sha: str) -> str:
    """Why an approval may no longer be written for `head_sha` (empty when it may): an approval must be
    written before the merge, for the head that is merged."""
    pull = client.pull(number)
    if pull.get("merged_at") or pull.get("state") == "closed":
        return f"pull request #{number} was merged or closed before this plan was ready"
    head = str((pull.get("head") or {}).get("sha") or "")
    if head and head != head_sha:
        return f"pull request #{number} has moved on to {head[:7]}; the run for that commit records it"
    return ""


def _record(
    env: ActionEnv, client: GitHubClient, pr: PullRequest, head_sha: str, approval: dict, visible: str
) -> tuple[str, str]:
    """Write the approval where it belongs; returns (a note for the job summary, the comment's URL)."""
    fork = " (a pull request from a fork gets a read-only token)" if pr.from_fork else ""
    try:
        login = own_login(client, env)
        if login is None:
            raise GitHubError(
                0, "cannot tell which account github-token belongs to (GraphQL and /user failed)"
            )
        late = _too_late(client, pr.number, head_sha)
        if late:
            annotate("notice", f"hfmap: no approval recorded: {late}")
            return f"> ℹ️ No approval was recorded: {late}.\n\n", ""
        mine = [
            v for v in find_approvals(client, env, pr.number, login, head_sha, require_head=False) if v.ok
        ]
        existing = next((v.source for v in mine if not (v.source or {}).get("_check_run")), None)
        body = fit(approval, "", visible, env.approval_key)
        if env.comment:
            return "", str(write(client, pr.number, body, existing).get("html_url") or "")
        existing = next((v.source for v in mine if (v.source or {}).get("_check_run")), None)
        record_check_run(client, env, head_sha, body, existing)
        return "", ""
    except GitHubError as exc:
        where = "PR comment" if env.comment else "approval check run (a personal token cannot write one)"
        annotate(
            "warning", f"could not write the {where}{fork}: {exc.message}; the plan is in the job summary"
        )
        return (
            f"> ⚠️ The {where} could not be written{fork}; this summary carries the plan, and merging "
            "will be refused until an approval is recorded.\n\n",
            "",
        )
