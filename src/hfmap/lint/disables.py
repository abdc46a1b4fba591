"""`# hfmap: disable=RULE` comments: findings inside such an entry are dropped (and listed with -v).

Shared by `lint` and `check`: online findings carry the same positions, so one comment serves both.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from hfmap.files.model import Declared
from hfmap.findings import Finding


@dataclass
class Suppressed:
    """A finding switched off by an entry's `# hfmap: disable=...` comment (shown with -v)."""

    finding: Finding
    path: str
    line: int  # the line of the comment (the entry's first line, or its lone `-` line)

    def describe(self) -> str:
        return f"suppressed by comment at {self.path}:{self.line}"


def apply_entry_disables(
    findings: Iterable[Finding], declared: Declared
) -> tuple[list[Finding], list[Suppressed]]:
    """Drop findings inside an entry whose first line says `# hfmap: disable=RULE` (or `=all`).

    `syntax` findings are never dropped.
    """
    spans = {
        file.path: file.entry_spans()
        for file in declared.files
        if any(e.disabled_rules for e in file.entries)
    }
    starts = {path: [start for start, _, _ in rows] for path, rows in spans.items()}
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    for finding in findings:
        rows = spans.get(finding.path)
        if rows is None or finding.rule == "syntax":
            kept.append(finding)
            continue
        index = bisect.bisect_right(starts[finding.path], finding.line) - 1
        if index >= 0:
            start, end, entry = rows[index]
            if finding.line <= end and entry.is_disabled(finding.rule):
                line = entry.disable_at.line if entry.disable_at else start
                suppressed.append(Suppressed(finding, finding.path, line))
                continue
        kept.append(finding)
    return kept, suppressed
