"""`hfmap suggest`'s result as data: the candidates, the live mappings no file declares, LoRA filters.

`to_json()` is what `--format json` prints and what the text renderer draws the YAML from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hfmap.suggest.candidates import STATUS, Candidate
from hfmap.suggest.lora import PLACEHOLDER, LoraBase, filter_tags

FORMAT_VERSION = 1


@dataclass(frozen=True)
class LoraSuggestion:
    """A mapped base with adapters on the Hub that no tag filter covers."""

    base: LoraBase
    adapters: int
    more: bool  # the count stopped at the cap

    def to_json(self) -> dict[str, Any]:
        return {
            "base": self.base.hf_model,
            "task": self.base.task,
            "source": self.base.source,
            "adapters": self.adapters,
            "more": self.more,
            "hfFilter": list(filter_tags(self.base.hf_model)),
            "providerModel": PLACEHOLDER,
            "adapterType": "lora",
            "status": STATUS,
        }


@dataclass
class SuggestReport:
    provider: str
    listed: int | None = None  # ids in the provider's list (None: not read)
    list_problem: str | None = None  # why the list could not be read
    candidates: list[Candidate] = field(default_factory=list)
    total: int = 0  # candidates before --limit
    live_undeclared: list[dict[str, Any]] = field(default_factory=list)
    lora: list[LoraSuggestion] = field(default_factory=list)
    lora_unchecked: dict[str, str] = field(default_factory=dict)  # base -> why its adapters were not counted
    dropped: Counter[str] = field(default_factory=Counter)
    unchecked: dict[str, str] = field(default_factory=dict)  # Hub id -> why the Hub gave no answer
    files: int = 0
    lint_errors: int = 0
    cache_hits: int = 0
    cache_misses: int = 0
    cache_problem: str | None = None

    @property
    def complete(self) -> bool:
        """Every source was read and every question answered (else the exit code is 1)."""
        return self.list_problem is None and not self.unchecked and not self.lora_unchecked

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "provider": self.provider,
            "listed": self.listed,
            "list_problem": self.list_problem,
            "total_candidates": self.total,
            "candidates": [c.to_json() for c in self.candidates],
            "live_undeclared": self.live_undeclared,
            "lora": [item.to_json() for item in self.lora],
            "dropped": dict(sorted(self.dropped.items())),
            "unchecked": [{"hub_id": k, "reason": v} for k, v in sorted(self.unchecked.items())],
            "lora_unchecked": [{"base": k, "reason": v} for k, v in sorted(self.lora_unchecked.items())],
            "files": self.files,
            "lint_errors": self.lint_errors,
        }
