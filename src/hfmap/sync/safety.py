"""Judging a plan's safety: too many destructive actions (delete, replace, demote) need `--force`.

The contract's thresholds: more than 30 % of a provider's live mappings (counted from 10 live), or more
than 50 in the whole plan. A file naming the wrong provider, or a provider answering "offline" for
everything, is caught this way before anything is written.
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
    def destructive(self) -> bool: ...


def assess_safety(
    actions: Iterable[Destructive], live_counts: Mapping[str, int], limits: SafetyLimits
) -> Safety:
    """Apply the thresholds. Each reason is a sentence a reviewer can act on."""
    providers = {name: ProviderSafety(live=count, destructive=0) for name, count in live_counts.items()}
    for action in actions:
        if action.destructive:
            providers.setdefault(action.provider, ProviderSafety(0, 0)).destructive += 1
    safety = Safety(limits, providers)
    for name, counts in sorted(providers.items()):
        if counts.live >= limits.min_live and counts.percent > limits.max_percent:
            safety.reasons.append(
                f"{name}: {counts.destructive} of {counts.live} live mappings ({counts.percent:.0f} %) "
                f"would be deleted, replaced or demoted (limit {limits.max_percent:g} %)"
            )
    if safety.destructive > limits.max_count:
        safety.reasons.append(
            f"{safety.destructive} destructive actions (delete, replace, demote) in total "
            f"(limit {limits.max_count})"
        )
    return safety
