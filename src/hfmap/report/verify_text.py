"""`hfmap verify` as text (per provider, the mappings that are not fine) or as GitHub annotations.

Input is a `VerifyReport`. Healthy mappings are counted, not listed unless they carry a note (such as
another provider being `auto`'s pick): with
thousands of them the few that need attention must stand out. Every value from files or the Hub goes
through `clean` (terminal) or `annotation` (workflow commands).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import click

from hfmap.mapping.verdict import Verdict, VerifyReport
from hfmap.report.escape import annotation, clean
from hfmap.report.view import View

MARKS = {"error": "x", "warning": "!", "notice": "i", "ok": " "}
_COLORS = {"error": "red", "warning": "yellow", "notice": "cyan"}
ANNOTATION_LEVELS = {"error": "error", "warning": "warning", "notice": "notice"}


def counts_text(summary: Mapping[str, int]) -> str:
    """`2 ok, 1 error, 1 missing`: the verdicts that occur, in the table's order."""
    parts = [f"{n} {verdict}" for verdict, n in summary.items() if n]
    return ", ".join(parts) if parts else "nothing to verify"


def _retest(item: Verdict) -> str | None:
    return item.retest_command() if item.verdict == "error" else None


def _line(item: Verdict, color: bool) -> list[str]:
    level = item.level
    mark = f"  {MARKS.get(level, '?')} {clean(item.key)}: {item.verdict}"
    if color and level in _COLORS:
        mark = click.style(mark, fg=_COLORS[level])
    lines = [f"{mark}: {clean(item.message)}"]
    lines.extend(f"      note: {clean(note)}" for note in item.notes)
    retest = _retest(item)
    if retest:
        lines.append(f"      retest: {clean(retest)}")
    return lines


def closing_lines(report: VerifyReport) -> list[str]:
    """The summary line, and what a reader needs to know about how the Hub was read."""
    summary = report.summary
    total = sum(summary.values())
    lines = [f"Verify: {counts_text(summary)} ({total} mapping(s), {report.requests} request(s))."]
    if summary.get("staging") and not report.authenticated:
        lines.append(
            "Read without a token: the Hub shows staging mappings only to members of the provider's "
            "organization (set HF_TOKEN to see them as they do)."
        )
    lines.extend(f"Could not read: {clean(problem)}" for problem in report.problems)
    return lines


def render_text(report: VerifyReport, view: View = View()) -> str:  # noqa: B008 - frozen
    by_provider: dict[str, list[Verdict]] = {}
    for item in report.verdicts:
        by_provider.setdefault(item.provider, []).append(item)
    out: list[str] = []
    for provider, items in by_provider.items():
        counts = Counter(item.verdict for item in items)
        ordered = {v: counts[v] for v in report.summary}
        header = f"{clean(provider)} ({len(items)} mapping(s)): {counts_text(ordered)}"
        out.append(click.style(header, bold=True) if view.color else header)
        for item in items:
            if item.level != "ok" or item.notes:
                out.extend(_line(item, view.color))
        out.append("")
    if not view.quiet:
        out.extend(closing_lines(report))
    return "\n".join(out).rstrip("\n")


def render_github(report: VerifyReport, view: View = View()) -> str:  # noqa: B008 - frozen
    """One annotation per mapping that is not fine, on its line in the mapping file; then the summary."""
    lines = []
    for item in report.verdicts:
        level = ANNOTATION_LEVELS.get(item.level)
        if level is None:
            continue
        message = f"{item.provider}:{item.key}: {item.verdict}: {item.message}"
        retest = _retest(item)
        if retest:
            message += f" (retest: {retest})"
        source = item.expected.source
        where: dict[str, object] = {"file": source.path, "line": source.line} if source else {}
        lines.append(annotation(level, message, **where, title=f"hfmap verify [{item.verdict}]"))
    lines.extend(closing_lines(report))
    return "\n".join(lines)
