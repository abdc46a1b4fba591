"""On a push to the default branch: apply the plan reviewed on the merged pull request, mark its comment."""

from __future__ import annotations

from typing import Any

from hfmap import __version__
from hfmap.github import report
from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.comment import find_plan_comment, post_comment
from hfmap.github.env import ActionEnv
from hfmap.github.flows.common import FlowResult, job_summary, make_plan, save_plan, step_outputs
from hfmap.github.marker import marker, read_marker
from hfmap.github.report import Commit
from hfmap.github.runner import run_json
from hfmap.github.workflow import SUMMARY_BUDGET, annotate, write_summary
from hfmap.report.apply_markdown import apply_markdown


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
            return FlowResult(1, step_outputs(None))
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
        return FlowResult(1, step_outputs(None))
    refused = result.get("refused")
    outputs = step_outputs(None, **{"plan-hash": str(result.get("hash") or "")})
    if refused:
        new_plan = make_plan(env).data
        outputs = step_outputs(new_plan)
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
            Commit(head_sha, f"{env.server_url}/{env.repository}/commit/{head_sha}").markdown()
            if head_sha
            else ""
        )
        body = apply_markdown(result, at=commit.markdown(), reviewed=reviewed)
        summary = apply_markdown(
            result, at=commit.markdown(), budget=SUMMARY_BUDGET - 65_536, reviewed=reviewed
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
        return FlowResult(1, step_outputs(None))
    outputs = step_outputs(plan, **{"plan-file": save_plan(env, plan)})
    if report.change_count(plan) == 0:
        write_summary(env.summary_path, job_summary(env, plan, commit))
        return FlowResult(0, outputs)
    annotate("error", f"hfmap: not applied: {reason}")
    body = f"### ⛔ Not applied at {commit.markdown()}\n\n{reason}.\n\n" + job_summary(
        env, plan, commit, "Plan"
    )
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
        return str(post_comment(client, int(pull["number"]), text, comment).get("html_url") or "")
    except GitHubError as exc:
        annotate("warning", f"could not update the pull request comment: {exc.message}")
        return ""
