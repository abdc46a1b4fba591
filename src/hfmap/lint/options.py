"""What a run tells the rules (kept apart from `hfmap.lint.engine` so rules never import the engine)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleOptions:
    """Per-run switches: `allow_providers` are provider ids accepted although the shipped data lacks them."""

    allow_providers: frozenset[str] = frozenset()
