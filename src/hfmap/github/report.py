"""What a reviewer reads: the PR comment (planned, applied, refused), job summary and drift issue.

Input is the JSON that `hfmap plan` / `hfmap apply` print, so this module depends only on the contract.
The plan itself is drawn by `hfmap.report.plan_markdown` (the same Markdown as `hfmap plan --format
markdown`); this module adds what is GitHub's: the commit and paths in the footer, the Action's notes and
budgets, and the applied / refused / failed texts. Every user value goes through `code` / `escape_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hfmap.report.escape import code, escape_text
from hfmap.report.plan_markdown import (
    COMMENT_BUDGET,
    Measure,
    render_markdown,
    summary_line,
)
from hfmap.report.plan_markdown import change_count as change_count  # re-exported for the flows


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
    plan: dict[str, Any],
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
        force_hint="`force: true`",
        measure=measure,
    )
    return text + "\n"


def refused_markdown(
    refused: dict[str, Any],
    *,
    approved_hash: str | None,
    approved_summary: dict[str, Any] | None,
    new_plan: dict[str, Any] | None,
    commit: Commit,
    paths: list[str],
    budget: int = COMMENT_BUDGET,
) -> str:
    """Why nothing was applied, and (for a changed plan) what the plan is now next to what was reviewed."""
    code_name = str(refused.get("code", ""))
    reason = escape_text(refused.get("reason", ""))
    if code_name == "hash-mismatch":
        head = f"### ⛔ Not applied at {commit.markdown()}: the plan changed since it was reviewed\n\n"
        reviewed = summary_line({"summary": approved_summary}) if approved_summary else "unknown"
        now = summary_line(new_plan) if new_plan else "unknown"
        head += "| | plan hash | changes |\n|---|---|---|\n"
        head += f"| reviewed | {code(approved_hash or 'none')} | {reviewed} |\n"
        head += f"| now | {code((new_plan or {}).get('hash', ''))} | {now} |\n\n"
        head += (
            "Nothing was written. The live mapping (or the files) changed after the review: open a pull "
            "request to review the plan below; merging it applies that plan.\n\n"
        )
    elif code_name == "unsafe":
        head = f"### ⛔ Not applied at {commit.markdown()}: the plan needs force\n\n{reason}\n\n"
        head += "Nothing was written. Set `force: true` on the apply workflow to carry it out.\n\n"
    elif code_name == "no-token":
        head = f"### ⛔ Not applied at {commit.markdown()}: no Hugging Face token\n\n"
        head += "Nothing was written. Give the workflow `hf-token` (a secret with write access).\n\n"
    else:
        head = f"### ⛔ Not applied at {commit.markdown()}: {escape_text(code_name)}\n\n{reason}\n\n"
    if new_plan is None:
        return head
    body = plan_markdown(new_plan, commit=commit, paths=paths, budget=budget - len(head), title="Plan now")
    return head + body


def failure_markdown(what: str, message: str, commit: Commit) -> str:
    return f"### ❌ hfmap could not {what} at {commit.markdown()}\n\n{code(message)}\n"
