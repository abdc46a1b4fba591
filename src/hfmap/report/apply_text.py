"""An apply report as text: one line per action's outcome, a summary line, and what still differs.

Input is an `ApplyReport`, or the finished `ActionResult`s after Ctrl-C: the same lines serve both.
"""

from __future__ import annotations

from hfmap.mapping.apply_report import ActionResult, ApplyReport
from hfmap.mapping.plan import Selection
from hfmap.mapping.verdict import WaitReport
from hfmap.report.escape import clean
from hfmap.report.plan_text import SELECTION_FLAGS, SYMBOLS, retest_command
from hfmap.report.view import View

_DONE_VERB = {
    "create": "created",
    "update": "updated",
    "retest": "status re-sent for a new test",
    "replace": "replaced",
    "delete": "deleted",
}


def result_line(result: ActionResult) -> str:
    """`[provider] <symbol> key: created` (or `FAILED: <the Hub's message>`), one line per action."""
    ref = result.action
    symbol = SYMBOLS[ref.kind]
    what = _DONE_VERB[ref.kind] + (f" ({ref.change})" if ref.change else "")
    if result.outcome == "done":
        line = f"{symbol} {clean(ref.key)}: {what}"
        if result.note:
            line += f" ({result.note})"
    else:
        error = clean(result.error or "")
        line = f"{symbol} {clean(ref.key)}: {result.outcome.upper()}: {error}"
        if result.request_id:
            line += f" (X-Request-Id: {clean(result.request_id)})"
    return f"[{clean(ref.provider)}] {line}"


def _wait_lines(wait: WaitReport) -> list[str]:
    """What `--wait` saw: the written mappings the Hub's tests failed, and the others' last verdict."""
    failed = wait.failed
    head = (
        f"Waited {wait.seconds:g} s for the Hub's tests ({wait.polls} poll(s) of what clients see): "
        f"{len(failed)} of {len(failed) + len(wait.last)} written mapping(s) went to 'error'."
    )
    lines = ["", head]
    for item in failed:
        lines.append(
            f"[{clean(item.provider)}] ! {clean(item.key)}: {clean(item.message)}; "
            f"once fixed: {clean(retest_command(item.provider, item.key))}"
        )
    for item in wait.last:
        if item.verdict != "ok":
            where = f"[{clean(item.provider)}] {clean(item.key)}"
            lines.append(f"{where}: {item.verdict}: {clean(item.message)}")
    lines.extend(f"Could not read: {clean(problem)}" for problem in wait.problems)
    return lines


def other_differences(selection: Selection) -> str:
    """After a selection: how many differences it left alone (never "matches" when some remain)."""
    flag = SELECTION_FLAGS[selection.selected or ""]
    excluded = selection.excluded
    if not excluded:
        return f"No other differences remain: the live mapping matches the files outside {flag} too."
    shown = ", ".join(f"{SYMBOLS[e.action]} {clean(e.provider)}:{clean(e.key)}" for e in excluded[:10])
    more = f", ... ({len(excluded) - 10} more)" if len(excluded) > 10 else ""
    return (
        f"{len(excluded)} other difference(s) remain, left alone by {flag}: {shown}{more} "
        "(`hfmap plan` shows them)."
    )


def render_report(report: ApplyReport, view: View = View()) -> str:  # noqa: B008 - frozen
    """Each action's outcome, then one summary line and what (if anything) still differs."""
    refused = report.refused
    if refused:
        return f"Apply refused ({refused.code}): {refused.reason}"
    lines = [f"Warning: {clean(w)}" for w in report.warnings]
    if not view.streamed:
        lines += [result_line(result) for result in report.results]
    s = report.summary
    lines.append("")
    lines.append(f"Apply: {s['done']} done, {s['failed']} failed, {s['skipped']} skipped.")
    remaining = report.remaining
    selection = report.plan.selection if report.plan is not None else None
    selected = selection.selected if selection is not None else None
    if report.verify_error:
        lines.append(f"Not verified: {report.verify_error}")
    elif report.verified and selected:
        lines.append(f"Verified: the changes selected by {SELECTION_FLAGS[selected]} are in place.")
    elif report.verified:
        lines.append("Verified: the live mapping now matches the files.")
    else:
        what = "selected change(s)" if selected else "change(s)"
        lines.append(f"Not verified: {len(remaining)} {what} still differ from the files:")
        for action in remaining:
            lines.append(
                f"  {SYMBOLS[action.action]} {clean(action.provider)}: {clean(action.key)} ({action.action})"
            )
        lines.append("Run `hfmap apply` again once the cause is fixed; it only does what is still missing.")
    for item in report.attention:
        lines.append(
            f"[{clean(item.provider)}] ! {clean(item.key)}: status '{clean(item.status)}' on the "
            f"Hub (declared {clean(item.declared)}); set by the Hub's own tests, hfmap cannot change it"
        )
    if selection is not None and selected:
        lines.append(other_differences(selection))
    if report.wait is not None:
        lines.extend(_wait_lines(report.wait))
    elif any(r.outcome == "done" for r in report.results):
        lines.append(
            "The Hub tests written mappings a moment later: `hfmap verify` (or `apply --wait`) shows "
            "whether they pass."
        )
    return "\n".join(lines)


def interrupted_lines(finished: list[ActionResult]) -> list[str]:
    """Ctrl-C mid-apply: which writes finished, so nobody has to guess what the Hub holds."""
    return [
        "",
        f"hfmap: apply interrupted; {len(finished)} action(s) had finished:",
        *(result_line(result) for result in finished),
        "The other actions were not started, or were cut off with their outcome unknown. "
        "Run `hfmap plan` to see what still differs, and `hfmap apply` again to finish: it only does "
        "what is still missing and re-reads the Hub before repeating a write.",
    ]
