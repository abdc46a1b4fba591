"""Judging a plan's safety: too many destructive actions (delete, replace, demote) need `--force`.

The contract's rule, per provider: 3 or more destructive actions that are over 30 % of its live mappings
(whatever its size: a provider with 4 mappings deserves the same care as one with 400), or over 50 of
them, or deletes that would leave a provider of 2 or more live mappings with none. A file naming the
wrong provider, a sibling file forgotten, or a provider answering "offline" for everything, is caught
this way before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from hfmap.mapping.safety import ProviderSafety, Safety, SafetyLimits


class Destructive(Protocol):
    """What the verdict needs of an action (read-only: a frozen dataclass fits)."""

    @property
    def provider(self) -> str: ...

    @property
    def action(self) -> str: ...

    @property
    def destructive(self) -> bool: ...


def assess_safety(
    actions: Iterable[Destructive], live_counts: Mapping[str, int], limits: SafetyLimits
) -> Safety:
    """Apply the thresholds. Each reason is a sentence a reviewer can act on."""
    providers = {name: ProviderSafety(live=count, destructive=0) for name, count in live_counts.items()}
    for action in actions:
        if action.destructive:
            counts = providers.setdefault(action.provider, ProviderSafety(0, 0))
            counts.destructive += 1
            counts.deletes += action.action == "delete"
    safety = Safety(limits, providers)
    for name, counts in sorted(providers.items()):
        if counts.live >= 2 and counts.deletes >= counts.live:
            safety.reasons.append(f"{name}: all {counts.live} live mappings would be deleted")
        elif counts.destructive >= limits.min_count and counts.percent > limits.max_percent:
            safety.reasons.append(
                f"{name}: {counts.destructive} of {counts.live} live mappings ({counts.percent:.0f} %) "
                f"would be deleted, replaced or demoted (limit {limits.max_percent:g} %)"
            )
        elif counts.destructive > limits.max_count:
            safety.reasons.append(
                f"{name}: {counts.destructive} destructive actions (delete, replace, demote) "
                f"(limit {limits.max_count})"
            )
    return safety
