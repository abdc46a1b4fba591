"""The three things the Action does: plan on a pull request, apply on a push, report drift on a schedule.

Each flow runs hfmap's commands, renders what happened for people (comment, job summary, issue), and
returns step outputs plus an exit code. GitHub API problems that must not fail a run (a fork's read-only
token) become warnings; a refused or failed apply always fails the job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hfmap import __version__
from hfmap.github import report
from hfmap.github.api import ACTIONS_BOT, GitHubClient, GitHubError
from hfmap.github.env import ActionEnv, PullRequest
from hfmap.github.marker import marker, read_marker
from hfmap.github.report import Commit
from hfmap.github.runner import Run, run_json, run_passthrough
from hfmap.github.workflow import SUMMARY_BUDGET, annotate, write_summary
from hfmap.report.escape import code

DRIFT_TITLE = "hfmap: live mappings drifted from the repository"


@dataclass
class FlowResult:
    exit_code: int = 0
    outputs: dict[str, str] = field(default_factory=dict)


def _outputs(plan: dict[str, Any] | None, **extra: str) -> dict[str, str]:
    values = {
        "has-changes": "true" if plan and report.change_count(plan) else "false",
        "plan-hash": str((plan or {}).get("hash") or ""),
        "needs-force": "true" if plan and plan.get("needs_force") else "false",
        "applied": "false",
        "comment-url": "",
        "plan-file": "",
    }
    values.update(extra)
    return values


def lint_and_check(env: ActionEnv) -> Run:
    """`hfmap check` (or `lint` when online checks are off) with annotations on the changed lines."""
    command = "check" if env.check else "lint"
    return run_passthrough(["--format", "github", command, *env.paths])


def make_plan(env: ActionEnv) -> Run:
    run = run_json(["plan", "--format", "json", *env.paths])
    if run.exit_code != 0 or run.data is None or "actions" not in run.data:
        run.data = None
    return run


def save_plan(env: ActionEnv, plan: dict[str, Any]) -> str:
    """plan.json for an `actions/upload-artifact` step; returns its path."""
    env.workdir.mkdir(parents=True, exist_ok=True)
    path = env.workdir / "plan.json"
    path.write_text(json.dumps(plan, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return str(path)


def plan_marker(env: ActionEnv, plan: dict[str, Any] | None, head_sha: str, **extra: Any) -> str:
    data = {
        "tool": "hfmap",
        "version": __version__,
        "paths": env.paths,
        "hash": (plan or {}).get("hash"),
        "head_sha": head_sha,
        "summary": (plan or {}).get("summary"),
        "state": "planned",
    }
    data.update(extra)
    return marker("hfmap-plan", data)


def find_plan_comment(client: GitHubClient, number: int, paths: list[str]) -> dict[str, Any] | None:
    """Our comment for this path set: its marker matches and its author is the token's user."""
    authors = {client.login(), ACTIONS_BOT}
    for comment in client.issue_comments(number):
        data = read_marker(comment.get("body"))
        if data is None or data.get("paths") != paths:
            continue
        if (comment.get("user") or {}).get("login") in authors:
            return comment
    return None


def _post(client: GitHubClient, number: int, body: str, existing: dict[str, Any] | None) -> dict[str, Any]:
    if existing is not None:
        return client.update_comment(int(existing["id"]), body)
    return client.create_comment(number, body)


# -- pull request ------------------------------------------------------------------------------------------


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
    outputs = _outputs(plan)
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
    summary = _summary(env, plan, commit) + problems if plan is not None else body
    comment_note = ""
    if env.comment and pr and client is not None:
        try:
            existing = find_plan_comment(client, pr.number, env.paths)
            posted = _post(client, pr.number, plan_marker(env, plan, head_sha) + "\n" + body, existing)
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


def comment_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    """On `workflow_run` after a fork's plan: plan its files (from an artifact) with a token that can comment.

    Nothing of the fork is executed here: hfmap only reads the mapping files. The pull request is looked up
    through the API (never taken from the artifact) and must still be at the commit the run planned.
    """
    run = env.event.get("workflow_run") or {}
    head_sha = str(run.get("head_sha") or "")
    if run.get("event") not in ("pull_request", "pull_request_target") or client is None or not head_sha:
        annotate(
            "notice", "hfmap: this workflow_run was not triggered by a pull request; nothing to comment on"
        )
        return FlowResult(0, _outputs(None))
    head_repo = str((run.get("head_repository") or {}).get("full_name") or "")
    try:
        candidates = [
            p for p in run.get("pull_requests") or [] if (p.get("head") or {}).get("sha") == head_sha
        ]
        if not candidates and head_repo and run.get("head_branch"):
            owner = head_repo.split("/")[0]
            candidates = client.open_pulls(head=f"{owner}:{run['head_branch']}")
        pull = next((p for p in candidates if (p.get("head") or {}).get("sha") == head_sha), None)
    except GitHubError as exc:
        annotate("error", f"could not find the pull request for {head_sha[:7]}: {exc.message}")
        return FlowResult(1, _outputs(None))
    if pull is None:
        annotate(
            "notice", f"hfmap: no open pull request is at {head_sha[:7]} any more (a newer push replaced it)"
        )
        return FlowResult(0, _outputs(None))
    pr = PullRequest(int(pull["number"]), head_sha, head_repo or env.repository, env.repository)
    return pr_flow(env, client, pr)


def _summary(env: ActionEnv, plan: dict[str, Any], commit: Commit, title: str = "hfmap plan") -> str:
    return report.plan_markdown(
        plan,
        commit=commit,
        paths=env.paths,
        budget=SUMMARY_BUDGET - 4096,
        more_note="The full plan is in the `plan.json` artifact.",
        title=title,
        measure=report.utf8_len,
    )


# -- push: apply the reviewed plan ---------------------------------------------------------------------------


def _merged_pull(client: GitHubClient, sha: str) -> dict[str, Any] | None:
    pulls = [p for p in client.pulls_for_commit(sha) if p.get("merged_at")]
    exact = [p for p in pulls if p.get("merge_commit_sha") == sha]
    return (exact or pulls or [None])[0]


def apply_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    commit = Commit(env.sha, env.commit_url if env.repository else "")
    pull = comment = approved = None
    if client is not None and env.sha:
        try:
            pull = _merged_pull(client, env.sha)
            if pull is not None:
                comment = find_plan_comment(client, int(pull["number"]), env.paths)
                approved = read_marker(comment.get("body")) if comment else None
        except GitHubError as exc:
            annotate("error", f"could not read the merged pull request for {env.sha[:7]}: {exc.message}")
            write_summary(
                env.summary_path, report.failure_markdown("find the merged pull request", exc.message, commit)
            )
            return FlowResult(1, _outputs(None))
    args = ["apply", "--format", "json", *(["--force"] if env.force else [])]
    if approved and approved.get("hash"):
        args += ["--expect-hash", str(approved["hash"])]
    elif pull is not None and not env.force:
        reason = f"pull request #{pull['number']} has no reviewed hfmap plan comment"
        return _refuse_without_apply(env, commit, reason)
    elif pull is None and not (env.force or env.mode == "apply"):
        reason = "a direct push without a pull request is applied only with `force: true` or `mode: apply`"
        return _refuse_without_apply(env, commit, reason)
    applied = run_json([*args, *env.paths])
    result = applied.data
    if result is None:
        body = report.failure_markdown("apply", applied.error, commit)
        annotate("error", f"hfmap apply failed: {applied.error}")
        _finish(env, client, pull, comment, approved, body, state="failed")
        return FlowResult(1, _outputs(None))
    refused = result.get("refused")
    outputs = _outputs(None, **{"plan-hash": str(result.get("hash") or "")})
    if refused:
        new_plan = make_plan(env).data
        outputs = _outputs(new_plan)
        if (
            refused.get("code") == "hash-mismatch"
            and new_plan is not None
            and not report.change_count(new_plan)
        ):
            return _already_applied(env, client, pull, comment, approved, commit, outputs)
        body = report.refused_markdown(
            refused,
            approved_hash=(approved or {}).get("hash"),
            approved_summary=(approved or {}).get("summary"),
            new_plan=new_plan,
            commit=commit,
            paths=env.paths,
        )
        annotate("error", f"hfmap apply refused ({refused.get('code')}): {refused.get('reason')}")
        summary, state = body, "refused"
    else:
        outputs["applied"] = "true" if result.get("applied") else "false"
        outputs["has-changes"] = "true" if result.get("results") else "false"
        head_sha = str((approved or {}).get("head_sha") or "")
        reviewed = (
            Commit(head_sha, f"{env.server_url}/{env.repository}/commit/{head_sha}") if head_sha else None
        )
        body = report.apply_markdown(result, commit=commit, reviewed=reviewed)
        summary = report.apply_markdown(
            result, commit=commit, budget=SUMMARY_BUDGET - 65_536, reviewed=reviewed
        )
        state = "applied" if applied.exit_code == 0 else "failed"
        if applied.exit_code != 0:
            annotate("error", "hfmap apply: some operations failed (see the job summary)")
    write_summary(env.summary_path, summary)
    url = _finish(env, client, pull, comment, approved, body, state=state)
    outputs["comment-url"] = url
    return FlowResult(0 if applied.exit_code == 0 else applied.exit_code, outputs)


def _already_applied(
    env: ActionEnv,
    client: GitHubClient | None,
    pull: dict[str, Any] | None,
    comment: dict[str, Any] | None,
    approved: dict[str, Any] | None,
    commit: Commit,
    outputs: dict[str, str],
) -> FlowResult:
    """The reviewed plan no longer matches because there is nothing left to do (a re-run, or done by hand)."""
    body = f"### ✅ Nothing to apply at {commit.markdown()}: the Hub already matches the files\n"
    write_summary(env.summary_path, body)
    if (approved or {}).get("state") != "applied":
        outputs["comment-url"] = _finish(env, client, pull, comment, approved, body, state="applied")
    return FlowResult(0, outputs)


def _refuse_without_apply(env: ActionEnv, commit: Commit, reason: str) -> FlowResult:
    """No approved plan to hold an apply to: plan, show it, apply nothing (fail if it has changes)."""
    plan = make_plan(env).data
    if plan is None:
        write_summary(env.summary_path, report.failure_markdown("make a plan", reason, commit))
        return FlowResult(1, _outputs(None))
    outputs = _outputs(plan, **{"plan-file": save_plan(env, plan)})
    if report.change_count(plan) == 0:
        write_summary(env.summary_path, _summary(env, plan, commit))
        return FlowResult(0, outputs)
    annotate("error", f"hfmap: not applied: {reason}")
    body = f"### ⛔ Not applied at {commit.markdown()}\n\n{reason}.\n\n" + _summary(env, plan, commit, "Plan")
    write_summary(env.summary_path, body)
    return FlowResult(3, outputs)


def _finish(
    env: ActionEnv,
    client: GitHubClient | None,
    pull: dict[str, Any] | None,
    comment: dict[str, Any] | None,
    approved: dict[str, Any] | None,
    body: str,
    *,
    state: str,
) -> str:
    """Edit the reviewed comment to say what happened (or add one); a failure here only warns."""
    if client is None or pull is None or not env.comment:
        return ""
    data = dict(approved or {"tool": "hfmap", "paths": env.paths})
    data.update({"state": state, "applied_sha": env.sha, "version": __version__})
    text = marker("hfmap-plan", data) + "\n" + body
    try:
        return str(_post(client, int(pull["number"]), text, comment).get("html_url") or "")
    except GitHubError as exc:
        annotate("warning", f"could not update the pull request comment: {exc.message}")
        return ""


# -- schedule: drift --------------------------------------------------------------------------------------


def drift_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    commit = Commit(env.sha, env.commit_url if env.repository else "")
    planned = make_plan(env)
    plan = planned.data
    if plan is None:
        write_summary(env.summary_path, report.failure_markdown("make a plan", planned.error, commit))
        annotate("error", f"hfmap plan failed: {planned.error}")
        return FlowResult(1, _outputs(None))
    outputs = _outputs(plan, **{"plan-file": save_plan(env, plan)})
    drifted = report.change_count(plan) > 0
    write_summary(env.summary_path, _summary(env, plan, commit, "hfmap drift check"))
    if client is None or not env.comment:
        return FlowResult(0, outputs)
    try:
        issue = _drift_issue(client, env.paths)
        if drifted:
            body = (
                marker("hfmap-drift", {"tool": "hfmap", "paths": env.paths, "hash": plan.get("hash")})
                + "\nThe live mappings on the Hub differ from the files in this repository (checked at "
                + f"{commit.markdown()}{_run_link(env)}). Applying would make these changes:\n\n"
                + report.plan_markdown(plan, commit=commit, paths=env.paths, title="Drift")
            )
            title = DRIFT_TITLE if env.paths == ["mappings"] else f"{DRIFT_TITLE} ({', '.join(env.paths)})"
            posted = (
                client.update_issue(issue["number"], body=body) if issue else client.create_issue(title, body)
            )
            outputs["comment-url"] = str(posted.get("html_url") or "")
        elif issue is not None:
            note = f"✅ No drift any more at {commit.markdown()}{_run_link(env)}: closing."
            client.create_comment(int(issue["number"]), note)
            client.update_issue(issue["number"], state="closed", state_reason="completed")
    except GitHubError as exc:
        annotate("warning", f"could not update the drift issue: {exc.message}; the job summary has the plan")
    return FlowResult(0, outputs)


def _run_link(env: ActionEnv) -> str:
    return f", [run]({env.run_url})" if env.run_url else ""


def _drift_issue(client: GitHubClient, paths: list[str]) -> dict[str, Any] | None:
    authors = {client.login(), ACTIONS_BOT}
    for issue in client.open_issues():
        data = read_marker(issue.get("body"), "hfmap-drift")
        if data and data.get("paths") == paths and (issue.get("user") or {}).get("login") in authors:
            return issue
    return None


def check_flow(env: ActionEnv) -> FlowResult:
    checked = lint_and_check(env)
    verdict = "✅ no problems" if checked.exit_code == 0 else "❌ problems found (see the annotations)"
    where = ", ".join(code(p) for p in env.paths)
    write_summary(env.summary_path, f"**hfmap {'check' if env.check else 'lint'}:** {verdict} in {where}\n")
    return FlowResult(0 if checked.exit_code == 0 else 1, _outputs(None))


__all__ = ["FlowResult", "apply_flow", "check_flow", "comment_flow", "drift_flow", "pr_flow"]
