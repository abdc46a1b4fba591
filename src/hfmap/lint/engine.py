"""The lint engine: schema + every offline rule over the declared files, then rule switches applied.

Used by `hfmap lint` and `hfmap check` alike; it knows nothing of the CLI or of output formats.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from hfmap.check.rules import CHECK_RULES
from hfmap.data import closest
from hfmap.errors import UsageError
from hfmap.files.model import Declared, Entry, MappingFile
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules import BY_ID, RULES, can_disable

__all__ = ["LintResult", "RuleOptions", "apply_entry_disables", "exit_code", "lint", "validate_rule_ids"]


@dataclass
class Suppressed:
    """A finding switched off by an entry's `# hfmap: disable=...` comment (shown with -v)."""

    finding: Finding
    path: str
    line: int  # the line of the comment (the entry's first line)

    def describe(self) -> str:
        return f"suppressed by comment at {self.path}:{self.line}"


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)


def validate_rule_ids(ids: Iterable[str]) -> None:
    """Refuse unknown rule ids (with a did-you-mean) and rules that cannot be switched off."""
    for rule_id in ids:
        if rule_id in CHECK_RULES:
            raise UsageError(
                f"'{rule_id}' is an online rule: only `hfmap check` runs it, nothing to disable here"
            )
        if rule_id not in BY_ID:
            guess = closest(rule_id, BY_ID)
            hint = f"did you mean '{guess}'?" if guess else "see `hfmap lint --list-rules`"
            raise UsageError(f"unknown rule '{rule_id}'; {hint}")
        if not can_disable(BY_ID[rule_id]):
            raise UsageError(f"rule '{rule_id}' cannot be disabled: nothing else can be checked without it")


def _entry_spans(file: MappingFile) -> tuple[list[int], list[int], list[Entry]]:
    """Per file: entry start lines, end lines (inclusive) and entries, sorted by start line.

    An entry spans from its first line to the line before the next entry; the last one to the line
    before the next top-level key, or the end of the file.
    """
    entries = sorted(file.entries, key=lambda e: e.pos.line)
    starts = [e.pos.line for e in entries]
    last_line = len(file.text.splitlines()) or 1
    if entries:
        later_keys = [
            node.key.line
            for path, node in file.positions.items()
            if len(path) == 1 and node.key is not None and node.key.line > starts[-1]
        ]
        if later_keys:
            last_line = min(later_keys) - 1
    ends = [*(s - 1 for s in starts[1:]), last_line]
    return starts, ends, entries


def apply_entry_disables(
    findings: Iterable[Finding], declared: Declared
) -> tuple[list[Finding], list[Suppressed]]:
    """Drop findings inside an entry whose first line says `# hfmap: disable=RULE` (or `=all`).

    `syntax` findings are never dropped. Reusable for `check` findings, which carry the same positions.
    """
    spans = {
        file.path: _entry_spans(file)
        for file in declared.files
        if any(e.disabled_rules for e in file.entries)
    }
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    for finding in findings:
        span = spans.get(finding.path)
        if span is None or finding.rule == "syntax":
            kept.append(finding)
            continue
        starts, ends, entries = span
        index = bisect.bisect_right(starts, finding.line) - 1
        if index >= 0 and finding.line <= ends[index] and entries[index].is_disabled(finding.rule):
            suppressed.append(Suppressed(finding, finding.path, entries[index].pos.line))
        else:
            kept.append(finding)
    return kept, suppressed


def lint(
    declared: Declared,
    load_findings: list[Finding],
    *,
    disabled: frozenset[str] = frozenset(),
    options: RuleOptions = RuleOptions(),  # noqa: B008 - frozen dataclass, safe as a default
) -> LintResult:
    """Run the schema and every rule not in `disabled`; `load_findings` (syntax) pass through."""
    findings = list(load_findings)
    for rule in RULES:
        if rule.ID in disabled and can_disable(rule):
            continue
        findings.extend(rule.check(declared, options))
    findings = [f for f in findings if f.rule not in disabled or f.rule == "syntax"]
    kept, suppressed = apply_entry_disables(findings, declared)
    return LintResult(kept, suppressed)


def exit_code(findings: Iterable[Finding], strict: bool) -> int:
    """1 on any error, or on a warning with `strict`; notices never fail a run."""
    levels = {f.level for f in findings}
    if Level.ERROR in levels or (strict and Level.WARNING in levels):
        return 1
    return 0
