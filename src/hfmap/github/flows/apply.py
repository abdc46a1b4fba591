"""On a push to the default branch (or a dispatch naming a pull request): apply what was reviewed.

1. Find every pull request the push merged (`hfmap.github.merged`) and their approvals
   (`hfmap.github.comment`); an approval that does not verify does not count, and says why.
2. Plan afresh. Apply only when every action of the fresh plan is one a verified approval contains — so a
   rerun after a partial apply (what remains is a subset of what was reviewed) and a push that merged
   several reviewed pull requests both go ahead, and anything nobody reviewed is refused by name.
3. Mark each approval "applying" before the first write, then "applied", "partly applied" (what remains,
   and that a rerun finishes it) or "refused" (why). `hfmap apply --expect-hash` holds the write to the
   very plan that was checked.

Overrides: `allow-unsafe` lifts the safety limits, `allow-unreviewed` applies without an approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hfmap.github import report
from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.approval import ApprovalClaim, unreviewed
from hfmap.github.comment import find_approvals, fit, own_login, reviewed_part, write
from hfmap.github.env import ActionEnv
from hfmap.github.flows.common import FlowResult, commit_of, make_plan, run_link, save_plan, step_outputs
from hfmap.github.merged import merged_pulls
from hfmap.github.report import Commit
from hfmap.github.runner import read_as, run_json
from hfmap.github.workflow import SUMMARY_BUDGET, annotate, write_summary
from hfmap.mapping.apply_report import ApplyReport
from hfmap.mapping.plan import Plan
from hfmap.report.apply_markdown import apply_markdown
from hfmap.report.escape import code, escape_text


@dataclass
class Review:
    """The pull requests behind this run and what their approvals say."""

    login: str | None = None
    pulls: list[dict[str, Any]] = field(default_factory=list)
    verdicts: dict[int, list[ApprovalClaim]] = field(default_factory=dict)

    @property
    def approved(self) -> list[ApprovalClaim]:
        return [v for vs in self.verdicts.values() for v in vs if v.ok]

    def problems(self) -> list[str]:
        """One line per pull request without a verified approval: why."""
        lines = []
        for pull in self.pulls:
            number = int(pull["number"])
            verdicts = self.verdicts.get(number, [])
            if any(v.ok for v in verdicts):
                continue
            if not verdicts:
                who = code(self.login or "unknown")
                lines.append(
                    f"#{number}: no hfmap approval by {who} (its plan comment is missing or deleted)"
                )
            for verdict in verdicts:
                lines.append(f"#{number}: an approval was refused because {escape_text(verdict.problem)}")
        return lines


def _gather(env: ActionEnv, client: GitHubClient) -> Review:
    review = Review(login=own_login(client, env))
    number = env.dispatch_pull
    if number is not None:
        pull = client.pull(number)
        if not pull.get("merged_at"):
            raise GitHubError(0, f"pull request #{number} is not merged; only a merged one can be re-applied")
        review.pulls = [pull]
    else:
        review.pulls = merged_pulls(client, env)
    for pull in review.pulls:
        head = str((pull.get("head") or {}).get("sha") or "")
        found = find_approvals(client, env, int(pull["number"]), review.login, head) if review.login else []
        review.verdicts[int(pull["number"])] = found
    return review


def apply_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    commit = commit_of(env)
    if env.force_used:
        annotate(
            "warning",
            "input 'force' is deprecated: it means both allow-unsafe and allow-unreviewed; "
            "set the one you mean",
        )
    if env.dispatch_pull is not None and env.ref != f"refs/heads/{_default_branch(env)}":
        reason = f"a pull request's plan is re-applied only from the default branch, not {env.ref}"
        return _fail(env, commit, reason)
    review = Review()
    if client is not None and env.repository:
        try:
            review = _gather(env, client)
        except GitHubError as exc:
            return _fail(env, commit, f"could not read the merged pull requests: {exc.message}")
    elif env.dispatch_pull is not None:
        return _fail(env, commit, "re-applying a pull request's plan needs github-token")
    planned = make_plan(env)
    plan = planned.plan
    if plan is None:
        return _fail(env, commit, f"could not make a plan: {planned.error}")
    outputs = step_outputs(plan, **{"plan-file": save_plan(env, plan)})
    if not plan.has_changes:
        return _nothing_to_do(env, client, review, commit, outputs)
    refusal = _refusal(env, review, plan)
    if refusal is not None:
        return _refuse(env, client, review, commit, plan, outputs, *refusal)
    _mark(env, client, review, "applying", f"### ⏳ Applying at {commit.markdown()}{run_link(env)} …\n")
    args = ["apply", "--format", "json", "--expect-hash", plan.hash]
    applied = run_json([*args, *(["--force"] if env.allow_unsafe else []), *env.paths])
    result = read_as(applied.data, ApplyReport.from_json)
    return _finish(env, client, review, commit, plan, outputs, result, applied.exit_code, applied.error)


def _default_branch(env: ActionEnv) -> str:
    return str((env.event.get("repository") or {}).get("default_branch") or "main")


def _refusal(env: ActionEnv, review: Review, plan: Plan) -> tuple[str, str] | None:
    """(title, details) when the fresh plan may not be applied; None to go ahead."""
    if not review.pulls and env.dispatch_pull is None:
        if not (env.allow_unreviewed or env.mode == "apply"):
            return (
                "a direct push without a pull request",
                "Nothing was written. A push that merges no pull request is applied only with `mode: apply` "
                "or `allow-unreviewed: true`.",
            )
    elif env.allow_unreviewed:
        annotate("warning", "hfmap: allow-unreviewed is set: applying without checking the approvals")
    else:
        stray = unreviewed([v.data for v in review.approved], plan, env.approval_key)
        if stray:
            problems = "".join(f"- {line}\n" for line in review.problems())
            numbers = ", ".join(f"#{p['number']}" for p in review.pulls)
            details = (
                f"Nothing was written. {len(stray)} of {len(plan.actions)} action(s) of the "
                f"fresh plan are in no verified approval of the merged pull request(s) {numbers}:\n\n"
                + report.action_list(stray)
            )
            if problems:
                details += "\n" + problems
            details += (
                "\nOpen a pull request for these changes (its reviewed plan then applies on merge), or run "
                "the apply workflow with `allow-unreviewed: true` if they are intended."
            )
            return "changes nobody reviewed", details
    if plan.needs_force and not env.allow_unsafe:
        reasons = "".join(f"- {escape_text(r)}\n" for r in plan.safety.reasons)
        return (
            "the plan exceeds the safety limits",
            f"Nothing was written.\n\n{reasons}\n"
            "Set `allow-unsafe: true` on the apply workflow to carry it out.",
        )
    return None


def _mark(env: ActionEnv, client: GitHubClient | None, review: Review, state: str, status: str) -> str:
    """Edit every verified approval to `state` with `status` above the reviewed plan; returns one URL."""
    url = ""
    if client is None or not env.comment:
        return url
    for verdict in review.approved:
        source = verdict.source or {}
        if source.get("_check_run"):
            continue
        data = {**verdict.data, "state": state, "applied_sha": env.sha}
        body = fit(data, status, reviewed_part(verdict.visible), env.approval_key)
        try:
            url = str(write(client, int(verdict.data["pr"]), body, source).get("html_url") or url)
        except GitHubError as exc:
            annotate("warning", f"could not update the pull request comment: {exc.message}")
    return url


def _tell(env: ActionEnv, client: GitHubClient | None, review: Review, status: str) -> str:
    """A new comment on each merged pull request without a verified approval (never an edit)."""
    url = ""
    if client is None or not env.comment:
        return url
    approved = {int(v.data["pr"]) for v in review.approved}
    for pull in review.pulls:
        if int(pull["number"]) in approved:
            continue
        try:
            url = str(client.create_comment(int(pull["number"]), status).get("html_url") or url)
        except GitHubError as exc:
            annotate("warning", f"could not comment on #{pull['number']}: {exc.message}")
    return url


def _refuse(
    env: ActionEnv,
    client: GitHubClient | None,
    review: Review,
    commit: Commit,
    plan: Plan,
    outputs: dict[str, str],
    title: str,
    details: str,
) -> FlowResult:
    annotate("error", f"hfmap: not applied: {title}")
    body = report.refused_markdown(title, details, new_plan=plan, commit=commit, paths=env.paths)
    summary = report.refused_markdown(
        title, details, new_plan=plan, commit=commit, paths=env.paths, budget=SUMMARY_BUDGET - 4096
    )
    write_summary(env.summary_path, summary)
    outputs["comment-url"] = _mark(env, client, review, "refused", body) or _tell(env, client, review, body)
    return FlowResult(3, outputs)


def _nothing_to_do(
    env: ActionEnv, client: GitHubClient | None, review: Review, commit: Commit, outputs: dict[str, str]
) -> FlowResult:
    """The Hub already matches the files: a rerun after success, or done by hand. Changes nothing."""
    status = f"### ✅ Applied: the Hub matches the files at {commit.markdown()}{run_link(env)}\n"
    write_summary(
        env.summary_path, f"### ✅ Nothing to apply at {commit.markdown()}: the Hub already matches\n"
    )
    pending = Review(
        review.login,
        review.pulls,
        {n: [v for v in vs if v.data.get("state") != "applied"] for n, vs in review.verdicts.items()},
    )
    outputs["comment-url"] = _mark(env, client, pending, "applied", status)
    return FlowResult(0, outputs)


def _finish(
    env: ActionEnv,
    client: GitHubClient | None,
    review: Review,
    commit: Commit,
    plan: Plan,
    outputs: dict[str, str],
    result: ApplyReport | None,
    exit_code: int,
    error: str,
) -> FlowResult:
    """Say what the apply did, in the job summary and on every approval it carried out."""
    heads = sorted({str(v.data.get("head_sha") or "") for v in review.approved} - {""})
    reviewed = ", ".join(commit_of(env, sha).markdown() for sha in heads)
    if result is None:
        annotate("error", f"hfmap apply failed: {error}")
        body = report.failure_markdown("apply", error, commit) + _rerun_note()
        write_summary(env.summary_path, body)
        outputs["comment-url"] = _mark(env, client, review, "failed", body)
        return FlowResult(1, outputs)
    refused = result.refused
    if refused:
        title = "the live mapping changed during this run" if refused.code == "hash-mismatch" else ""
        details = f"Nothing was written: {escape_text(refused.reason)}.\n\n" + _rerun_note()
        title = title or escape_text(refused.code)
        return _refuse(env, client, review, commit, plan, outputs, title, details)
    done = sum(1 for r in result.results if r.outcome == "done")
    total = len(result.results)
    outputs["applied"] = "true" if done else "false"
    outputs["plan-hash"] = result.plan.hash if result.plan is not None else outputs["plan-hash"]
    state = "applied" if exit_code == 0 else "partly-applied"
    body = apply_markdown(result, at=commit.markdown(), reviewed=reviewed)
    summary = apply_markdown(result, at=commit.markdown(), budget=SUMMARY_BUDGET - 65_536, reviewed=reviewed)
    if exit_code != 0:
        remaining = len(result.remaining) or total - done
        note = (
            f"\n**Partly applied ({done} of {total}).** {remaining} change(s) remain. They were reviewed, so "
            "re-running this apply job (or the apply workflow with this pull request's number) finishes them "
            "without any override.\n"
        )
        body, summary = body + note, summary + note
        annotate("error", f"hfmap apply: partly applied ({done} of {total}); re-run the job to finish")
    write_summary(env.summary_path, summary)
    outputs["comment-url"] = _mark(env, client, review, state, body) or _tell(env, client, review, body)
    return FlowResult(0 if exit_code == 0 else 1, outputs)


def _rerun_note() -> str:
    return (
        "Re-run this apply job when the cause is fixed: it plans again and applies what the approvals "
        "cover, without any override.\n"
    )


def _fail(env: ActionEnv, commit: Commit, reason: str) -> FlowResult:
    annotate("error", f"hfmap: {reason}")
    write_summary(env.summary_path, report.failure_markdown("apply", reason, commit))
    return FlowResult(1, step_outputs(None))
