"""Findings → `path:line:col` text, a JSON list, or GitHub workflow-command annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from hfmap.findings import Finding, Level, count_levels, sort_findings
from hfmap.secrets import redact

_COLORS = {Level.ERROR: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.NOTICE: "\x1b[36m"}
_RESET = "\x1b[0m"
_DIM = "\x1b[2m"


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


def one_line(text: str) -> str:
    """`text` with line breaks, control and invisible characters written as escapes (`\\n`, `\\x1b`).

    A value from a file may carry any of them; printed raw, a CR/LF would start a line that CI logs can
    read as a workflow command and `path:line:col` parsers cannot place, and ESC would drive the terminal.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def format_text(finding: Finding, color: bool = False) -> str:
    level = finding.level.value
    rule = f"[{finding.rule}]"
    if color:
        level = f"{_COLORS[finding.level]}{level}{_RESET}"
        rule = f"{_DIM}{rule}{_RESET}"
    place = f"{one_line(finding.path)}:{finding.line}:{finding.column}"
    return f"{place}: {level} {rule} {one_line(finding.message)}"


def escape_data(value: str) -> str:
    """Escape an annotation message as GitHub's toolkit does (`%`, CR, LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape an annotation property (file, title): also `:` and `,`, which delimit properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(finding: Finding) -> str:
    command = finding.level.value  # error / warning / notice are GitHub's own names
    props = ",".join(
        (
            f"file={escape_property(finding.path)}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"title={escape_property(f'hfmap [{finding.rule}]')}",
        )
    )
    return f"::{command} {props}::{escape_data(finding.message)}"


def render_findings(
    findings: Iterable[Finding],
    fmt: str,
    out: TextIO,
    *,
    color: bool = False,
    files: int = 0,
    quiet: bool = False,
) -> None:
    """Write findings in `fmt` (text, json or github; markdown falls back to text)."""
    ordered = sort_findings(list(findings))
    if fmt == "json":
        out.write(redact(json.dumps([f.to_dict() for f in ordered], indent=2, ensure_ascii=False)) + "\n")
        return
    if fmt == "github":
        for finding in ordered:
            out.write(redact(format_github(finding)) + "\n")
        out.write(redact(summary_line(ordered, files)) + "\n")
        return
    for finding in ordered:
        out.write(redact(format_text(finding, color)) + "\n")
    if not quiet:
        out.write(summary_line(ordered, files) + "\n")
