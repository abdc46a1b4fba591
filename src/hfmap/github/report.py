"""What a reviewer reads: the PR comment (planned, applied, refused), job summary and drift issue.

Input is what `hfmap plan` / `hfmap apply` print, read back with the core types' `from_json`.
The plan itself is drawn by `hfmap.report.plan_markdown` (the same Markdown as `hfmap plan --format
markdown`); this module adds what is GitHub's: the commit and paths in the footer, the Action's notes and
budgets, and the applied / refused / failed texts. Every user value goes through `code` / `escape_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hfmap.mapping.plan import Action, Plan
from hfmap.report.escape import code, escape_text
from hfmap.report.plan_markdown import COMMENT_BUDGET, Measure, plan_rows, render_markdown


@dataclass(frozen=True)
class Commit:
    sha: str
    url: str = ""

    def markdown(self) -> str:
        short = code(self.sha[:7] or "unknown")
        return f"[{short}]({self.url})" if self.url and self.sha else short


def utf8_len(text: str) -> int:
    """Size as GitHub counts the job summary (bytes); comments are counted in characters (`len`)."""
    return len(text.encode("utf-8"))


def plan_markdown(
    plan: Plan,
    *,
    commit: Commit,
    paths: list[str],
    budget: int = COMMENT_BUDGET,
    more_note: str = "The full plan is in the job summary and the `plan.json` artifact.",
    title: str = "hfmap plan",
    measure: Measure = len,
) -> str:
    """The plan as a reviewer reads it: summary, safety, details, hash and commit; one line when empty."""
    text = render_markdown(
        plan,
        budget - 1,
        title=title,
        paths=paths,
        where=f"planned at {commit.markdown()}",
        more_note=more_note,
        force_hint="`allow-unsafe: true` on the apply workflow",
        measure=measure,
    )
    return text + "\n"


def shown_rows(plan: Plan, visible: str) -> int:
    """How many of the plan's actions, from the first, have their row in `visible` (the table is cut at
    the comment's size; an approval covers only what a reviewer could see)."""
    lines = set(visible.splitlines())
    count = 0
    for row in plan_rows(plan):
        if row not in lines:
            break
        count += 1
    return count


SPLIT_NOTE_SIZE = 400  # room kept for `split_note`


def split_note(shown: int, total: int) -> str:
    """Under a plan too large to show whole: what the approval covers, and what to do."""
    return (
        f"\n> ⚠️ **Only the {shown} change(s) shown are approved** ({total - shown} of {total} are not "
        "shown, so nobody can review them here). Merging applies none of the rest: split this pull request "
        "into smaller ones.\n"
    )


def trust_note(keyed: bool) -> str:
    """Says how the approval is protected, under the plan in the comment and the job summary."""
    if keyed:
        return (
            "\n<sub>🔏 Signed with the repository's approval-key: merging applies only these reviewed "
            "changes.</sub>\n"
        )
    return (
        "\n> ℹ️ Approvals are checked by author only (no `approval-key`): any workflow that comments as the "
        "same account could forge one. Set the `approval-key` input from a repository secret to sign them "
        "(see the README).\n"
    )


def refused_markdown(
    title: str,
    details: str,
    *,
    new_plan: Plan | None,
    commit: Commit,
    paths: list[str],
    budget: int = COMMENT_BUDGET,
) -> str:
    """Why nothing was written, what to do, and the plan as it is now."""
    head = f"### ⛔ Refused at {commit.markdown()}: {title}\n\n{details.rstrip()}\n\n"
    if new_plan is None or not new_plan.has_changes:
        return head
    body = plan_markdown(new_plan, commit=commit, paths=paths, budget=budget - len(head), title="Plan now")
    return head + body


def action_list(actions: list[Action], limit: int = 20) -> str:
    """Actions named one per line (for refusals), the rest counted."""
    lines = [f"- {escape_text(a.action)} {code(a.provider)} {code(a.key)}" for a in actions[:limit]]
    if len(actions) > limit:
        lines.append(f"- … and {len(actions) - limit} more")
    return "\n".join(lines) + "\n"


def lint_errors_markdown(errors: list[dict[str, Any]], limit: int = 20) -> str:
    """Lint errors named in the comment: `file:line:col`, rule and message as `<code>` (cut at 300 characters,
    at most `limit` of them, so the comment stays within GitHub's limit whatever the files hold)."""
    if not errors:
        return ""
    lines = [f"\n> ❌ `hfmap lint` found {len(errors)} error(s) in the pull request's files:"]
    for error in errors[:limit]:
        where = f"{error.get('path', '')}:{error.get('line', '')}:{error.get('column', '')}"
        message = _cut(str(error.get("message", "")))
        lines.append(f"> - {code(where)} {code(error.get('rule', ''))} {code(message)}")
    if len(errors) > limit:
        lines.append(f"> - … and {len(errors) - limit} more (see the annotations of the pull request's run)")
    return "\n".join(lines) + "\n"


def _cut(text: str, size: int = 300) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def failure_markdown(what: str, message: str, commit: Commit) -> str:
    return f"### ❌ hfmap could not {what} at {commit.markdown()}\n\n{code(message)}\n"
