"""The safety verdict of a plan as a value: too many destructive actions need `--force`.

The contract's rule, per provider: 3 or more destructive actions over 30 % of its live mappings whatever
its size, or over 50, or deletes that would leave a provider of 2 or more live mappings with none
(`hfmap.sync.safety` applies it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SafetyLimits:
    """The contract's thresholds, per provider: at least `min_count` destructive actions that are over
    `max_percent` % of its live mappings, or over `max_count` of them, need `--force`."""

    max_percent: float = 30.0
    max_count: int = 50
    min_count: int = 3  # not in the JSON: a fixed part of the contract, not an option

    @property
    def raised(self) -> bool:
        """Above the defaults (a config file or an option moved the guard): reports say so."""
        default = SafetyLimits()
        return self.max_percent > default.max_percent or self.max_count > default.max_count


@dataclass
class ProviderSafety:
    live: int
    destructive: int
    deletes: int = 0  # of the destructive actions (not in the JSON: only the verdict needs it)

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
