"""An apply report as text: one line per action's outcome, a summary line, and what still differs.

Input is the contract's apply JSON (`ApplyReport.to_json()`), so the same function serves the report
after a run and the list of finished writes after Ctrl-C.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hfmap.report.escape import clean
from hfmap.report.plan_text import SYMBOLS
from hfmap.report.view import View

_DONE_VERB = {"create": "created", "update": "updated", "replace": "replaced", "delete": "deleted"}


def result_line(result: Mapping[str, Any]) -> str:
    """`[provider] <symbol> key: created` (or `FAILED: <the Hub's message>`), one line per action."""
    kind = result["action"]
    symbol = SYMBOLS[kind]
    what = _DONE_VERB[kind] + (f" ({result['change']})" if result.get("change") else "")
    if result["outcome"] == "done":
        line = f"{symbol} {clean(result['key'])}: {what}"
        if result.get("note"):
            line += f" ({result['note']})"
    else:
        error = clean(result.get("error") or "")
        line = f"{symbol} {clean(result['key'])}: {result['outcome'].upper()}: {error}"
    return f"[{clean(result['provider'])}] {line}"


def render_report(report: Mapping[str, Any], view: View = View()) -> str:  # noqa: B008 - frozen
    """Each action's outcome, then one summary line and what (if anything) still differs."""
    refused = report.get("refused")
    if refused:
        return f"Apply refused ({refused['code']}): {refused['reason']}"
    lines = [result_line(result) for result in report["results"]]
    s = report["summary"]
    lines.append("")
    lines.append(f"Apply: {s['done']} done, {s['failed']} failed, {s['skipped']} skipped.")
    remaining = report.get("remaining") or []
    if report.get("verify_error"):
        lines.append(f"Not verified: {report['verify_error']}")
    elif report.get("verified"):
        lines.append("Verified: the live mapping now matches the files.")
    else:
        lines.append(f"Not verified: {len(remaining)} change(s) still differ from the files:")
        for action in remaining:
            lines.append(
                f"  {SYMBOLS[action['action']]} {clean(action['provider'])}: {clean(action['key'])} "
                f"({action['action']})"
            )
        lines.append("Run `hfmap apply` again once the cause is fixed; it only does what is still missing.")
    for item in report.get("attention") or ():
        lines.append(
            f"[{clean(item['provider'])}] ! {clean(item['key'])}: status '{clean(item['status'])}' on the "
            f"Hub (declared {clean(item['declared'])}); set by the Hub's own tests, hfmap cannot change it"
        )
    return "\n".join(lines)
