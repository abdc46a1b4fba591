"""The safety verdict of a plan as a value: too many destructive actions need `--force`.

The contract's thresholds: more than 30 % of a provider's live mappings (counted from 10 live), or more
than 50 in the whole plan. A file naming the wrong provider, or a provider answering "offline" for
everything, is caught this way before anything is written (`hfmap.sync.safety` applies the thresholds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SafetyLimits:
    """The contract's thresholds: > `max_percent` % of a provider's live mappings (when it has at least
    `min_live`), or > `max_count` destructive actions in the whole plan, need `--force`."""

    max_percent: float = 30.0
    max_count: int = 50
    min_live: int = 10  # not in the JSON: a fixed part of the contract, not an option


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

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Safety:
        limits = data["limits"]
        return cls(
            SafetyLimits(limits["max_destructive_percent"], limits["max_destructive"]),
            {name: ProviderSafety(p["live"], p["destructive"]) for name, p in data["providers"].items()},
            list(data["reasons"]),
        )
