"""`check --plan`: only the entries the plan would write (create, replace, update), and what lint flags.

What the Hub already holds as declared was checked when it was written; a run that reviews a change
needs the Hub and the providers asked only about what the change would send. The plan comes from the
caller (`hfmap.sync.engine.plan_as_read`), so check asks sync for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.check.questions import entries_hit
from hfmap.files.model import Declared, Entry
from hfmap.findings import Finding
from hfmap.mapping.key import fold_key
from hfmap.mapping.plan import Plan

WRITTEN = frozenset({"create", "replace", "update"})


def planned_entries(
    entries: list[Entry],
    declared: Declared,
    lint_findings: Iterable[Finding],
    plan: Plan,
) -> list[Entry]:
    """The entries among `entries` `plan` creates, replaces or updates, plus those lint has a word on."""
    written = [a for a in plan.actions if a.action in WRITTEN]
    keys = {(a.provider, fold_key(a.key) or a.key) for a in written}
    places = {(a.source.path, a.source.line) for a in written if a.source is not None}
    flagged = entries_hit(declared, lint_findings)

    def chosen(entry: Entry) -> bool:
        identity = entry.identity
        if identity is not None and (identity.provider, fold_key(identity.key) or identity.key) in keys:
            return True
        return (entry.path, entry.pos.line) in places or id(entry) in flagged

    return [entry for entry in entries if chosen(entry)]
