"""Findings → `path:line:col` text, a JSON list, or GitHub workflow-command annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable

import click

from hfmap.findings import Finding, Level, count_levels, sort_findings
from hfmap.report.escape import annotation, one_line
from hfmap.report.view import View

_COLORS = {Level.ERROR: "red", Level.WARNING: "yellow", Level.NOTICE: "cyan"}


def plural(n: int, word: str) -> str:
    """`1 file`, `2 files`: the counts in closing lines."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(findings: list[Finding], files: int) -> str:
    """One closing line, like linters print: counts by level and how many files were read."""
    counts = count_levels(findings)
    parts = [plural(counts[Level.ERROR], "error"), plural(counts[Level.WARNING], "warning")]
    if counts[Level.NOTICE]:
        parts.append(plural(counts[Level.NOTICE], "notice"))
    return f"{', '.join(parts)} in {plural(files, 'file')}"


def format_text(finding: Finding, color: bool = False) -> str:
    level = finding.level.value
    rule = f"[{finding.rule}]"
    if color:
        level = click.style(level, fg=_COLORS[finding.level])
        rule = click.style(rule, dim=True)
    place = f"{one_line(finding.path)}:{finding.line}:{finding.column}"
    return f"{place}: {level} {rule} {one_line(finding.message)}"


def format_github(finding: Finding) -> str:
    """An annotation GitHub places on the file's line (error / warning / notice are GitHub's own names)."""
    return annotation(
        finding.level.value,
        one_line(finding.message),
        file=finding.path,
        line=finding.line,
        col=finding.column,
        title=f"hfmap [{finding.rule}]",
    )


def render_text(findings: Iterable[Finding], view: View) -> str:
    """One `path:line:col: level [rule] message` line each, then the summary line (unless quiet)."""
    ordered = sort_findings(list(findings))
    lines = [format_text(f, view.color) for f in ordered]
    if not view.quiet:
        lines.append(summary_line(ordered, view.files))
    return "".join(line + "\n" for line in lines)


def render_json(findings: Iterable[Finding], view: View) -> str:
    """One JSON list of finding objects (path, line, column, level, rule, message)."""
    ordered = sort_findings(list(findings))
    return json.dumps([f.to_dict() for f in ordered], indent=2, ensure_ascii=False) + "\n"


def render_github(findings: Iterable[Finding], view: View) -> str:
    """One annotation each (GitHub places them on the changed lines), then the summary line."""
    ordered = sort_findings(list(findings))
    lines = [format_github(f) for f in ordered] + [summary_line(ordered, view.files)]
    return "".join(line + "\n" for line in lines)
