"""On a push to the default branch (or a dispatch naming a pull request): apply what was reviewed, once.

1. A forced push is refused as a direct push is. Gather this run's pull requests, the tip of the default
   branch and what is pending since the last apply (`hfmap.github.pending`); an approval that does not
   verify, was written after the merge or is for another head does not count, and says why.
2. A run whose pull requests were all applied already stops as superseded; a run that is not at the tip
   stops as stale, naming the newer commit (whose run applies what this one would have). Both write
   nothing and end green: `failure-reason` says why.
3. Plan afresh at the tip. Every merged pull request of the push that changed files under `paths` needs
   its own verified approval; then apply only when every action of the fresh plan is one that a pending
   approval still allows (shown to the reviewer, not applied from it before).
4. Mark each approval "applying" before the first write, then "applied" or "partly applied" with the
   actions carried out recorded in it (so none is applied from it again), or "refused" (why).
   `hfmap apply --expect-hash` holds the write to the very plan that was checked.

Overrides: `allow-unsafe` lifts the safety limits, `allow-unreviewed` applies without an approval.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from hfmap.github import report
from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.approval import ApprovalClaim, unreviewed, with_applied
from hfmap.github.comment import fit, record_check_run, reviewed_part, status_part, write
from hfmap.github.env import ActionEnv
from hfmap.github.flows.common import FlowResult, commit_of, make_plan, run_link, save_plan, step_outputs
from hfmap.github.pending import WALK, Review, approved_at, gather
from hfmap.github.report import Commit
from hfmap.github.runner import read_as, run_json
from hfmap.github.workflow import SUMMARY_BUDGET, annotate, write_summary
from hfmap.mapping.apply_report import ApplyReport
from hfmap.mapping.plan import Action, Plan
from hfmap.report.apply_markdown import apply_markdown
from hfmap.report.escape import code, escape_text

RERUN_NOTE = "ℹ️ A re-run at "  # starts the note of a superseded run (one kept: the latest)


def apply_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    commit = commit_of(env)
    if env.force_used:
        annotate(
            "warning",
            "input 'force' is deprecated: it means both allow-unsafe and allow-unreviewed; "
            "set the one you mean",
        )
    if env.dispatch_pull is not None and env.ref != f"refs/heads/{env.default_branch}":
        reason = f"a pull request's plan is re-applied only from the default branch, not {env.ref}"
        return _fail(env, commit, reason, "not-approved")
    review = Review()
    if client is not None and env.repository:
        try:
            review = gather(env, client)
        except GitHubError as exc:
            return _fail(
                env, commit, f"could not read the merged pull requests: {exc.message}", "apply-failed"
            )
    if env.forced and not (env.allow_unreviewed or env.mode == "apply"):
        details = (
            "Nothing was written. A forced push rewrites the default branch (it may put back an old pull "
            "request's merge commit and files), so it is applied only with `mode: apply` or "
            "`allow-unreviewed: true`, as a direct push is; an approval is never applied twice."
        )
        forced = Review(review.login, review.own, review.tip)
        return _refuse(
            env, client, forced, commit, None, step_outputs(None), "a forced push", details, "unreviewed"
        )
    if client is not None and env.repository:
        stopped = _stopped(env, client, review, commit)
        if stopped is not None:
            return stopped
    elif env.dispatch_pull is not None:
        return _fail(env, commit, "re-applying a pull request's plan needs github-token", "apply-failed")
    planned = make_plan(env)
    plan = planned.plan
    if plan is None:
        return _fail(env, commit, f"could not make a plan: {planned.error}", "apply-failed")
    outputs = step_outputs(plan, **{"plan-file": save_plan(env, plan)})
    if not plan.has_changes:
        return _nothing_to_do(env, client, review, commit, outputs)
    refusal = _refusal(env, client, review, plan)
    if refusal is not None:
        return _refuse(env, client, review, commit, plan, outputs, *refusal)
    _mark(
        env, client, review.approved, "applying", f"### ⏳ Applying at {commit.markdown()}{run_link(env)} …\n"
    )
    args = ["apply", "--format", "json", "--expect-hash", plan.hash]
    applied = run_json([*args, *(["--force"] if env.allow_unsafe else []), *env.paths])
    result = read_as(applied.data, ApplyReport.from_json)
    return _finish(env, client, review, commit, plan, outputs, result, applied.exit_code, applied.error)


def _stopped(env: ActionEnv, client: GitHubClient, review: Review, commit: Commit) -> FlowResult | None:
    """Superseded (this run's approvals were carried out already, or a later apply moved past them) or
    stale (not the tip): nothing is written, the approvals stay usable, and the reason is told."""
    own = review.own
    tip = commit_of(env, review.tip)
    if not review.tip:
        return _fail(env, commit, f"could not read the tip of {env.default_branch}", "apply-failed")
    if own and (all(p.done for p in own) or not review.reached):
        numbers = ", ".join(f"#{p.number}" for p in own)
        title = f"superseded: {numbers} already applied"
        line = (
            f"{RERUN_NOTE}{commit.markdown()}{run_link(env)} wrote nothing: the reviewed changes of "
            f"{numbers} were already applied (the default branch is at {tip.markdown()}). An approval is "
            "applied once; a later change needs its own pull request.\n\n"
        )
        verdicts = [v for p in own for v in p.approved]
        return _stop(env, client, verdicts, line, title, "superseded", keep=True)
    if env.sha != review.tip:
        numbers = ", ".join(f"#{p.number}" for p in own) or "this push"
        title = f"stale: {env.default_branch} has moved on to {review.tip[:7]}"
        line = (
            f"### ⏭️ Not applied at {commit.markdown()}{run_link(env)}: stale\n\n"
            f"{env.default_branch} has moved on to {tip.markdown()}. An apply acts on the tip only, so the "
            f"apply run of that commit applies the reviewed changes of {numbers} (re-run it, or dispatch the "
            "apply workflow, if it already ended).\n"
        )
        verdicts = [v for p in own for v in p.approved]
        return _stop(env, client, verdicts, line, title, "stale", keep=False)
    return None


def _stop(
    env: ActionEnv,
    client: GitHubClient,
    verdicts: list[ApprovalClaim],
    line: str,
    title: str,
    reason: str,
    *,
    keep: bool,
) -> FlowResult:
    annotate("notice", f"hfmap: not applied: {title}")
    write_summary(env.summary_path, line)
    outputs = step_outputs(None, **{"failure-reason": reason})
    if keep:  # the approval says "applied": the note goes above what it says
        url = ""
        for verdict in verdicts:
            earlier = status_part(verdict.visible).split("\n\n")
            status = line + "\n\n".join(part for part in earlier if not part.startswith(RERUN_NOTE))
            url = _mark(env, client, [verdict], str(verdict.data.get("state")), status) or url
    else:
        url = _mark(env, client, verdicts, "waiting", line)
    outputs["comment-url"] = url
    return FlowResult(0, outputs)


def _refusal(
    env: ActionEnv, client: GitHubClient | None, review: Review, plan: Plan
) -> tuple[str, str, str] | None:
    """(title, details, failure reason) when the fresh plan may not be applied; None to go ahead."""
    if not review.own and env.dispatch_pull is None:
        if not (env.allow_unreviewed or env.mode == "apply"):
            return (
                "a direct push without a pull request",
                "Nothing was written. A push that merges no pull request is applied only with `mode: apply` "
                "or `allow-unreviewed: true`.",
                "unreviewed",
            )
    elif env.allow_unreviewed:
        annotate("warning", "hfmap: allow-unreviewed is set: applying without checking the approvals")
    else:
        lacking = _without_approval(env, client, review)
        stray = unreviewed([v.data for v in review.approved], plan, env.approval_key)
        if lacking:
            unapproved = (
                f"\nOf the fresh plan, {len(stray)} action(s) are in no pending approval:\n\n"
                + report.action_list(stray)
                if stray
                else ""
            )
            details = (
                "Nothing was written. Every merged pull request that changed files under "
                f"{', '.join(code(p) for p in env.paths)} needs its own verified approval at its merged "
                "head:\n\n"
                + "".join(f"- {line}\n" for line in lacking)
                + "\nRe-open the change as a new pull request (its reviewed plan then applies on merge), or "
                "run the apply workflow with `allow-unreviewed: true` if it is intended.\n" + unapproved
            )
            return "a merged pull request without its own approval", details, "not-approved"
        if stray:
            problems = "".join(f"- {line}\n" for line in _problems(review))
            numbers = ", ".join(f"#{p.number}" for p in review.pending)
            details = (
                f"Nothing was written. {len(stray)} of {len(plan.actions)} action(s) of the "
                f"fresh plan are in no verified approval of the merged pull request(s) {numbers}:\n\n"
                + report.action_list(stray)
            )
            if problems:
                details += "\n" + problems
            details += (
                "\nAn approval covers only the changes its comment showed, once. Open a pull request for "
                "these changes (split a large one so that every change is shown), or run the apply workflow "
                "with `allow-unreviewed: true` if they are intended."
            )
            if review.exhausted:
                details += (
                    f"\n\nThis run looked back {WALK} commits of {code(env.default_branch)} without reaching "
                    "the last applied pull request, so a reviewed one merged before them is not counted: run "
                    "the apply workflow with its number as `pull-request` to apply it."
                )
            return "changes nobody reviewed", details, "unreviewed"
    if plan.needs_force and not env.allow_unsafe:
        reasons = "".join(f"- {escape_text(r)}\n" for r in plan.safety.reasons)
        return (
            "the plan exceeds the safety limits",
            f"Nothing was written.\n\n{reasons}\n"
            "Set `allow-unsafe: true` on the apply workflow to carry it out.",
            "unsafe",
        )
    return None


def _problems(review: Review) -> list[str]:
    """One line per pending pull request without a verified approval: why."""
    lines = []
    for pull in review.pending:
        if pull.approved:
            continue
        if not pull.verdicts:
            who = code(review.login or "unknown")
            lines.append(
                f"#{pull.number}: no hfmap approval by {who} (its plan comment is missing or deleted)"
            )
        for verdict in pull.verdicts:
            lines.append(f"#{pull.number}: an approval was refused because {escape_text(verdict.problem)}")
    return lines


def _without_approval(env: ActionEnv, client: GitHubClient | None, review: Review) -> list[str]:
    """This run's pull requests that changed files under `paths` but carry no verified approval: why."""
    lines = []
    own = [p for p in review.own if not p.approved]
    for pull in own:
        try:
            files = client.pull_files(pull.number) if client is not None else []
        except GitHubError as exc:
            lines.append(f"#{pull.number}: its changed files could not be read ({escape_text(exc.message)})")
            continue
        if not any(f == path or f.startswith(path.rstrip("/") + "/") for f in files for path in env.paths):
            continue
        single = Review(review.login, [pull])
        lines.extend(_problems(single) or [f"#{pull.number}: no verified approval"])
    return lines


def _mark(
    env: ActionEnv,
    client: GitHubClient | None,
    verdicts: Iterable[ApprovalClaim],
    state: str,
    status: str,
    update: Callable[[dict[str, Any]], dict[str, Any]] = lambda data: data,
) -> str:
    """Edit each approval to `state` with `status` above the reviewed plan, keeping when it was written
    (`approved_at`); returns one comment URL. A check-run approval is updated too: it holds the one-shot
    record."""
    url = ""
    if client is None:
        return url
    for verdict in verdicts:
        source = verdict.source or {}
        if not source.get("_check_run") and not env.comment:
            continue
        data = update(
            {**verdict.data, "state": state, "applied_sha": env.sha, "approved_at": approved_at(verdict)}
        )
        body = fit(data, status, reviewed_part(verdict.visible), env.approval_key)
        try:
            if source.get("_check_run"):
                record_check_run(client, env, str(data.get("head_sha") or ""), body, source)
                continue
            url = str(write(client, int(verdict.data["pr"]), body, source).get("html_url") or url)
        except GitHubError as exc:
            annotate("warning", f"could not update the approval of #{verdict.data.get('pr')}: {exc.message}")
    return url


def _tell(env: ActionEnv, client: GitHubClient | None, review: Review, status: str) -> str:
    """A new comment on each of this run's pull requests without a pending approval (never an edit)."""
    url = ""
    if client is None or not env.comment:
        return url
    for pull in review.own:
        if pull.approved and not pull.done:
            continue
        try:
            url = str(client.create_comment(pull.number, status).get("html_url") or url)
        except GitHubError as exc:
            annotate("warning", f"could not comment on #{pull.number}: {exc.message}")
    return url


def _refuse(
    env: ActionEnv,
    client: GitHubClient | None,
    review: Review,
    commit: Commit,
    plan: Plan | None,
    outputs: dict[str, str],
    title: str,
    details: str,
    reason: str,
) -> FlowResult:
    annotate("error", f"hfmap: not applied: {title}")
    body = report.refused_markdown(title, details, new_plan=plan, commit=commit, paths=env.paths)
    summary = report.refused_markdown(
        title, details, new_plan=plan, commit=commit, paths=env.paths, budget=SUMMARY_BUDGET - 4096
    )
    write_summary(env.summary_path, summary)
    own = [v for p in review.own if not p.done for v in p.approved]
    marked, told = _mark(env, client, own, "refused", body), _tell(env, client, review, body)
    outputs["comment-url"] = marked or told
    outputs["failure-reason"] = reason
    return FlowResult(3, outputs)


def _nothing_to_do(
    env: ActionEnv, client: GitHubClient | None, review: Review, commit: Commit, outputs: dict[str, str]
) -> FlowResult:
    """The Hub already matches the files: done by hand, or by an earlier run. Changes nothing; the pending
    approvals are marked applied (nothing of them is left to do)."""
    status = f"### ✅ Applied: the Hub matches the files at {commit.markdown()}{run_link(env)}\n"
    write_summary(
        env.summary_path, f"### ✅ Nothing to apply at {commit.markdown()}: the Hub already matches\n"
    )
    outputs["comment-url"] = _mark(env, client, review.approved, "applied", status)
    return FlowResult(0, outputs)


def _carried_out(plan: Plan, result: ApplyReport) -> list[Action]:
    """The plan's actions that the apply reports done."""
    done = {(r.action.kind, r.action.provider, r.action.key) for r in result.results if r.outcome == "done"}
    return [a for a in plan.actions if (a.action, a.provider, a.key) in done]


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
    """Say what the apply did, in the job summary and on every approval it carried out, and record there
    what was carried out (so it is never applied from them again)."""
    heads = sorted({str(v.data.get("head_sha") or "") for v in review.approved} - {""})
    reviewed = ", ".join(commit_of(env, sha).markdown() for sha in heads)
    if result is None:
        annotate("error", f"hfmap apply failed: {error}")
        body = report.failure_markdown("apply", error, commit) + _rerun_note()
        write_summary(env.summary_path, body)
        outputs["comment-url"] = _mark(env, client, review.approved, "failed", body)
        outputs["failure-reason"] = "apply-failed"
        return FlowResult(1, outputs)
    refused = result.refused
    if refused:
        changed = refused.code == "hash-mismatch"
        title = "the live mapping changed during this run" if changed else escape_text(refused.code)
        details = f"Nothing was written: {escape_text(refused.reason)}.\n\n" + _rerun_note()
        reason = "plan-changed" if changed else "apply-failed"
        return _refuse(env, client, review, commit, plan, outputs, title, details, reason)
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
        outputs["failure-reason"] = "apply-failed"
    write_summary(env.summary_path, summary)
    carried = _carried_out(plan, result)
    outputs["comment-url"] = _mark(
        env, client, review.approved, state, body, lambda data: with_applied(data, carried, env.approval_key)
    ) or _tell(env, client, review, body)
    return FlowResult(0 if exit_code == 0 else 1, outputs)


def _rerun_note() -> str:
    return (
        "Re-run this apply job when the cause is fixed: it plans again and applies what the approvals "
        "cover, without any override.\n"
    )


def _fail(env: ActionEnv, commit: Commit, reason: str, word: str) -> FlowResult:
    annotate("error", f"hfmap: {reason}")
    write_summary(env.summary_path, report.failure_markdown("apply", reason, commit))
    return FlowResult(1, step_outputs(None, **{"failure-reason": word}))
