"""Which remote questions a set of entries raises, each asked once, and which entries are worth asking about.

The same Hub model in ten entries is one question; an entry whose online rules are all switched off, or
that lint already rejects, raises none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hfmap.check_rules import HUB_RULES, PROVIDER_RULES
from hfmap.files.model import Declared, Entry
from hfmap.findings import Finding, Level
from hfmap.mapping.record import AUTO_STATUS


@dataclass
class Questions:
    """The distinct remote questions a set of entries raises."""

    hub_models: dict[str, list[str]] = field(default_factory=dict)  # repo id -> providers mapping it
    tag_filters: dict[tuple[str, ...], None] = field(default_factory=dict)
    provider_models: dict[str, dict[str, None]] = field(default_factory=dict)
    auto_statuses: dict[str, dict[str, None]] = field(default_factory=dict)  # provider -> its models

    @property
    def total(self) -> int:
        per_provider = sum(map(len, self.provider_models.values())) + sum(
            map(len, self.auto_statuses.values())
        )
        return len(self.hub_models) + len(self.tag_filters) + per_provider


def _wants(entry: Entry, rules: Iterable[str], disabled: frozenset[str]) -> bool:
    return any(rule not in disabled and not entry.is_disabled(rule) for rule in rules)


def questions_for(entries: Iterable[Entry], disabled: frozenset[str] = frozenset()) -> Questions:
    """What to ask, deduplicated; nothing is asked for an entry whose rules are all switched off."""
    asked = Questions()
    unavailable = ("check-unavailable", "hub-check-skipped")
    for entry in entries:
        if entry.hf_model is not None and entry.hf_filter is None:
            if _wants(entry, (*HUB_RULES, *unavailable), disabled):
                asked.hub_models.setdefault(entry.hf_model, []).append(entry.provider or "")
        elif (
            entry.hf_filter
            and entry.hf_model is None
            and _wants(entry, ("hf-filter-empty", *unavailable), disabled)
        ):
            asked.tag_filters[tuple(sorted(entry.hf_filter))] = None
        if entry.provider and entry.provider_model:
            rules = (*PROVIDER_RULES, "provider-check-skipped", "check-unavailable")
            if _wants(entry, rules, disabled):
                asked.provider_models.setdefault(entry.provider, {})[entry.provider_model] = None
            auto = entry.status == AUTO_STATUS and entry.hf_filter is None
            if auto and _wants(entry, ("auto-status-unresolved", "provider-check-skipped"), disabled):
                asked.auto_statuses.setdefault(entry.provider, {})[entry.provider_model] = None
    return asked


def entries_hit(declared: Declared, findings: Iterable[Finding]) -> set[int]:
    """Ids of the entries some finding points inside."""
    lines: dict[str, list[int]] = {}
    for finding in findings:
        lines.setdefault(finding.path, []).append(finding.line)
    hit: set[int] = set()
    for file in declared.files:
        marks = lines.get(file.path)
        if marks:
            hit.update(id(e) for start, end, e in file.entry_spans() if any(start <= n <= end for n in marks))
    return hit


def entries_to_check(declared: Declared, lint_findings: Iterable[Finding]) -> list[Entry]:
    """Entries with no lint error inside them: an entry lint rejects is not worth asking the Hub about."""
    rejected = entries_hit(declared, (f for f in lint_findings if f.level is Level.ERROR))
    return [
        entry
        for file in declared.files
        for entry in file.entries
        if entry.provider is not None and id(entry) not in rejected
    ]
