"""An apply report as Markdown for reviewers: per-action results, verification and what remains.

Input is an `ApplyReport` (the Action reads `hfmap apply --format json` back with `from_json`); `at`
and `reviewed` are the commits (already Markdown) the Action applied and reviewed. Every user value goes
through `code` / `escape_text`, and the results table is cut to `budget` characters with a note.
"""

from __future__ import annotations

from hfmap.mapping.apply_report import ApplyReport
from hfmap.report.escape import code, escape_text
from hfmap.report.plan_markdown import COMMENT_BUDGET, attention_note, footer, table


def _verification(result: ApplyReport) -> str:
    """What was verified, and no more: after a selection, only that the selected changes are in place."""
    if not result.verified:
        return "⚠️ not verified"
    if result.matches_files:
        return "✅ verified: the Hub matches the files"
    return "✅ verified: the selected changes are in place (the Hub does not match the files in everything)"


def apply_markdown(result: ApplyReport, *, at: str, budget: int = COMMENT_BUDGET, reviewed: str = "") -> str:
    """The outcome of an apply: per-action results, verification and what remains."""
    results = result.results
    failed = [r for r in results if r.outcome == "failed"]
    if failed:
        head = f"### ❌ Apply at {at}: {len(failed)} of {len(results)} operations failed\n\n"
    elif results:
        head = f"### ✅ Applied at {at}: {len(results)} operations\n\n"
    else:
        head = f"### ✅ Nothing to apply at {at}: the Hub already matched\n\n"
    notes = f"**Verification:** {_verification(result)}."
    remaining = result.remaining
    if remaining:
        notes += f" {len(remaining)} change(s) remain; the next run will plan them again."
    selection = result.plan.selection if result.plan is not None else None
    if selection is not None and selection.selected and selection.excluded:
        excluded = selection.excluded
        notes += (
            f" {len(excluded)} other difference(s) between the files and the Hub were left alone by this "
            "selection: "
            + ", ".join(f"{code(e.provider)} {code(e.key)}" for e in excluded[:10])
            + (f" … and {len(excluded) - 10} more" if len(excluded) > 10 else "")
            + "."
        )
    attention = "\n".join(attention_note(result.attention))
    if attention:
        notes += "\n\n" + attention
    rows = []
    for item in results:
        outcome = item.outcome
        icon = {"done": "✅", "failed": "❌", "skipped": "⏭️"}.get(outcome, "")
        error = code(item.error) if item.error else ""
        if item.request_id:  # what Hugging Face support asks for
            error += f" (X-Request-Id {code(item.request_id)})"
        cells = [escape_text(item.action.kind), code(item.action.provider), code(item.action.key)]
        rows.append("| " + " | ".join([*cells, f"{icon} {escape_text(outcome)}", error]) + " |")
    table_text = ""
    if rows:
        table_text, _left = table(
            ["Action", "Provider", "Mapping", "Outcome", "Error"],
            rows,
            budget - len(head) - len(notes) - 200,
            "Every result is in the job summary.",
        )
        table_text = f"<details open><summary>Results</summary>\n\n{table_text}\n</details>\n\n"
    where = f"reviewed at {reviewed}" if reviewed else ""
    plan_hash = result.plan.hash if result.plan is not None else None
    return f"{head}{table_text}{notes}\n\n{footer(plan_hash, where)}"
