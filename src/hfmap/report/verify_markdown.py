"""`hfmap verify --format markdown`: what clients see, for an issue or a job summary.

Input is a `VerifyReport`. A heading with the counts, then one table row per mapping that is not fine
(cut to a budget with a note, like the plan's table), and how to retest mappings in `error`. Every value
from files or the Hub goes through `code` / `escape_text`.
"""

from __future__ import annotations

from hfmap.mapping.verdict import VerifyReport
from hfmap.report.escape import code, escape_text
from hfmap.report.plan_markdown import COMMENT_BUDGET, table
from hfmap.report.verify_text import counts_text
from hfmap.report.view import View

_ICON = {"error": "❌", "warning": "⚠️", "notice": "ℹ️"}
INFO_LIMIT = 20  # notes of healthy mappings shown; the rest are counted
MORE_NOTE = "Run `hfmap verify` (text, or `--format json`) to see them all."


def render_markdown(
    report: VerifyReport, budget: int = COMMENT_BUDGET, *, title: str = "hfmap verify"
) -> str:
    summary = report.summary
    items = [v for v in report.verdicts if v.level != "ok"]
    total = sum(summary.values())
    if not items:
        ok = f"**{escape_text(title)}:** ✅ all {total} mapping(s) are what clients see, as declared."
        return ok + _informational(report)
    head = f"### {escape_text(title)}: {escape_text(counts_text(summary))}\n\n"
    rows = []
    for item in items:
        verdict = f"{_ICON.get(item.level, '')} {escape_text(item.verdict)}".strip()
        seen = item.seen.to_json() if item.seen is not None else {}
        seen_text = (
            " · ".join(
                f"{name} {code(seen[name])}" for name in ("providerId", "task", "status") if name in seen
            )
            or "nothing"
        )
        cells = [verdict, code(item.provider), code(item.key), seen_text]
        cells.append("<br>".join(escape_text(text) for text in [item.message, *item.notes]))
        rows.append("| " + " | ".join(cells) + " |")
    notes = []
    if summary.get("error"):
        notes.append(
            "Mappings in `error` failed the Hub's test; once the provider model works, "
            "<code>hfmap apply --retest-errors</code> has the Hub test them again."
        )
    if summary.get("staging") and not report.authenticated:
        notes.append("Read without a token: staging mappings are shown to the provider's organization only.")
    notes.extend(f"Could not read: {escape_text(problem)}" for problem in report.problems)
    tail = "".join(f"\n- {note}" for note in notes)
    header = ["Verdict", "Provider", "Mapping", "Clients see", "Why"]
    info = _informational(report)
    text, _left = table(header, rows, budget - len(head) - len(tail) - len(info) - 100, MORE_NOTE)
    return (head + text + tail + info).rstrip("\n")


def _informational(report: VerifyReport) -> str:
    """The notes of healthy mappings (e.g. `auto` picks another provider), the first INFO_LIMIT."""
    noted = [(v, note) for v in report.verdicts if v.level == "ok" for note in v.notes]
    if not noted:
        return ""
    lines = [f"- ℹ️ {code(v.provider)} {code(v.key)}: {escape_text(note)}" for v, note in noted[:INFO_LIMIT]]
    if len(noted) > INFO_LIMIT:
        lines.append(f"- … and {len(noted) - INFO_LIMIT} more: {MORE_NOTE}")
    return "\n\nFor information:\n" + "\n".join(lines)


def render_verify(report: VerifyReport, view: View = View()) -> str:  # noqa: B008 - frozen
    return render_markdown(report)
