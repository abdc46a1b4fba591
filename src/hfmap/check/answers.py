"""What a remote question can come back as, shared by the look-ups, the cache codec and the judge.

A Hub model is a `ModelInfo`, `Missing` (the Hub said so), `Unavailable` (we could not find out) or
`Skipped` (not asked: offline and not cached); a provider model is one of `hfmap.providers`' results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hfmap.clients.hub import Missing, ModelInfo, Unavailable
from hfmap.providers.base import Result
from hfmap.providers.status import StatusAnswer

NOT_CACHED = "offline, and the answer is not in the cache"


@dataclass(frozen=True)
class Skipped:
    """A Hub question not asked (offline and not cached)."""

    reason: str


HubAnswer = ModelInfo | Missing | Unavailable | Skipped
FilterAnswer = bool | Unavailable | Skipped


@dataclass
class Answers:
    """Every answer of a run, by question (see `Questions`)."""

    hub_models: dict[str, HubAnswer] = field(default_factory=dict)
    tag_filters: dict[tuple[str, ...], FilterAnswer] = field(default_factory=dict)
    provider_models: dict[tuple[str, str], Result] = field(default_factory=dict)
    # `status: auto` entries: (provider, providerModel) -> what its status source said (or Skipped offline)
    auto_statuses: dict[tuple[str, str], StatusAnswer | Skipped] = field(default_factory=dict)
