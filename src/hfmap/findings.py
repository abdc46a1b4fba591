"""Findings: what every rule and check produces, and every reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol


class Located(Protocol):
    """A place in a file, e.g. `hfmap.files.model.Position`: a shape, so findings import nothing of files."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


class Level(str, Enum):
    """Severity; `notice` never fails a run (not even with --strict unless a rule says so)."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    def __str__(self) -> str:
        return self.value


LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.NOTICE: 2}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: `path:line:column` (1-based) with a rule id and a fix-it message."""

    path: str
    line: int
    column: int
    level: Level
    rule: str
    message: str

    @classmethod
    def at(cls, path: str, pos: Located | None, level: Level, rule: str, message: str) -> Finding:
        """Build a finding at `pos` (file start when the position is unknown)."""
        if pos is None:
            return cls(path, 1, 1, level, rule, message)
        return cls(path, pos.line, pos.column, level, rule, message)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "level": self.level.value,
            "rule": self.rule,
            "message": self.message,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Stable report order: by file, then position, then severity."""
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, LEVEL_ORDER[f.level], f.rule, f.message))


def count_levels(findings: list[Finding]) -> dict[Level, int]:
    counts = dict.fromkeys(Level, 0)
    for finding in findings:
        counts[finding.level] += 1
    return counts
