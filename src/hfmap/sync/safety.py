"""The safety verdict of a plan: too many destructive actions (delete, replace, demote) need `--force`.

The contract's thresholds: more than 30 % of a provider's live mappings (counted from 10 live), or more
than 50 in the whole plan. A file naming the wrong provider, or a provider answering "offline" for
everything, is caught this way before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class Destructive(Protocol):
    """What the verdict needs of an action (read-only: a frozen dataclass fits)."""

    @property
    def provider(self) -> str: ...

    @property
    def destructive(self) -> bool: ...


@dataclass(frozen=True)
class SafetyLimits:
    """The contract's thresholds: > `max_percent` % of a provider's live mappings (when it has at least
    `min_live`), or > `max_count` destructive actions in the whole plan, need `--force`."""

    max_percent: float = 30.0
    max_count: int = 50
    min_live: int = 10


@dataclass
class ProviderSafety:
    live: int
    destructive: int

    @property
    def percent(self) -> float:
        return 100.0 * self.destructive / self.live if self.live else 0.0


@dataclass
class Safety:
    """The verdict: `reasons` is empty when the plan is safe."""

    limits: SafetyLimits
    providers: dict[str, ProviderSafety]
    reasons: list[str] = field(default_factory=list)

    @property
    def destructive(self) -> int:
        return sum(p.destructive for p in self.providers.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "reasons": list(self.reasons),
            "destructive": self.destructive,
            "limits": {
                "max_destructive_percent": self.limits.max_percent,
                "max_destructive": self.limits.max_count,
            },
            "providers": {
                name: {"live": p.live, "destructive": p.destructive, "percent": round(p.percent, 1)}
                for name, p in sorted(self.providers.items())
            },
        }


def judge(actions: Iterable[Destructive], live_counts: Mapping[str, int], limits: SafetyLimits) -> Safety:
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
