"""An apply report as Markdown for reviewers: per-action results, verification and what remains.

Input is the contract's apply JSON (what `hfmap apply --format json` prints); `at` and `reviewed` are the
commits (already Markdown) the Action applied and reviewed. Every user value goes through `code` /
`escape_text`, and the results table is cut to `budget` characters with a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hfmap.report.escape import code, escape_text
from hfmap.report.plan_markdown import COMMENT_BUDGET, footer, notes_block, table


def _verification(result: Mapping[str, Any]) -> str:
    """What was verified, and no more: after a selection, only that the selected changes are in place."""
    if not result.get("verified"):
        return "⚠️ not verified"
    if result.get("matches_files", not result.get("excluded")):
        return "✅ verified: the Hub matches the files"
    return "✅ verified: the selected changes are in place (the Hub does not match the files in everything)"


def apply_markdown(
    result: Mapping[str, Any], *, at: str, budget: int = COMMENT_BUDGET, reviewed: str = ""
) -> str:
    """The outcome of an apply: per-action results, verification and what remains."""
    results = result.get("results") or []
    failed = [r for r in results if r.get("outcome") == "failed"]
    if failed:
        head = f"### ❌ Apply at {at}: {len(failed)} of {len(results)} operations failed\n\n"
    elif results:
        head = f"### ✅ Applied at {at}: {len(results)} operations\n\n"
    else:
        head = f"### ✅ Nothing to apply at {at}: the Hub already matched\n\n"
    notes = f"**Verification:** {_verification(result)}."
    remaining = result.get("remaining") or []
    if remaining:
        notes += f" {len(remaining)} change(s) remain; the next run will plan them again."
    excluded = result.get("excluded") or []
    if result.get("selected") and excluded:
        notes += (
            f" {len(excluded)} other difference(s) between the files and the Hub were left alone by this "
            "selection: "
            + ", ".join(f"{code(e.get('provider', ''))} {code(e.get('key', ''))}" for e in excluded[:10])
            + (f" … and {len(excluded) - 10} more" if len(excluded) > 10 else "")
            + "."
        )
    attention = notes_block({"attention": result.get("attention") or []})
    if attention:
        notes += "\n\n" + attention.rstrip("\n")
    rows = []
    for item in results:
        outcome = str(item.get("outcome", ""))
        icon = {"done": "✅", "failed": "❌", "skipped": "⏭️"}.get(outcome, "")
        error = code(item.get("error")) if item.get("error") else ""
        if item.get("request_id"):  # what Hugging Face support asks for
            error += f" (X-Request-Id {code(item['request_id'])})"
        cells = [
            escape_text(item.get("action", "")),
            code(item.get("provider", "")),
            code(item.get("key", "")),
        ]
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
    return f"{head}{table_text}{notes}\n\n{footer(result.get('hash'), where)}"
