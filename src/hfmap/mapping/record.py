"""A mapping as both sides describe it (`Record`), and a provider's live mapping on the Hub (`LiveState`).

The partner GET groups mappings by task and says `providerId` where files (and the write side) say
`providerModel`; tag filters are keyed `tag-filter=a,b`. Normalising both sides into one `Record`
shape is what lets the diff be a plain comparison. The Hub's `_id` is kept beside the record (for
DELETE and PUT only): it never takes part in a comparison or a plan hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hfmap.mapping.key import TAG_FILTER_PREFIX, Identity, fold_key, key_tags, mapping_key

STATUSES = ("live", "staging")  # what the partner API can write
AUTO_STATUS = "auto"  # resolved from the provider's own warm/cold signal (hfmap.sync.status)
DEFAULT_STATUS = "staging"  # the Hub's default when a create names no status


@dataclass(slots=True)
class Record:
    """One mapping as both sides describe it: identity plus the four values a plan compares.

    `key` (the Hub's key form) is computed once: plans of 10,000 mappings look it up a lot. Not frozen
    (a frozen dataclass pays for `object.__setattr__` per field), but treat it as a value: never mutate.
    """

    provider: str
    hf_model: str | None
    tags: tuple[str, ...] | None  # sorted; None for a single-model mapping
    provider_model: str
    task: str
    status: str
    adapter_type: str | None = None
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            self.key = mapping_key(self.hf_model, self.tags)

    @property
    def identity(self) -> Identity:
        if self.hf_model is not None:
            return Identity(self.provider, hf_model=self.hf_model)
        return Identity(self.provider, tags=self.tags)

    def same_target(self, other: Record) -> bool:
        """Same providerModel, task and adapterType: what only a replace can change."""
        return (
            self.provider_model == other.provider_model
            and self.task == other.task
            and self.adapter_type == other.adapter_type
        )

    def same_values(self, other: Record) -> bool:
        """Same target and status: the live mapping is exactly as declared (repo id case aside)."""
        return self.same_target(other) and self.status == other.status

    def to_json(self) -> dict[str, Any]:
        """The file vocabulary (`hfModel`|`hfFilter`, providerModel, task, status, adapterType?)."""
        out: dict[str, Any] = {}
        if self.hf_model is not None:
            out["hfModel"] = self.hf_model
        else:
            out["hfFilter"] = list(self.tags or ())
        out["providerModel"] = self.provider_model
        out["task"] = self.task
        out["status"] = self.status
        if self.adapter_type is not None:
            out["adapterType"] = self.adapter_type
        return out

    @classmethod
    def from_json(cls, provider: str, data: dict[str, Any]) -> Record:
        """The inverse of `to_json` (which leaves the provider out: plans say it beside the record)."""
        tags = data.get("hfFilter")
        return cls(
            provider,
            data.get("hfModel"),
            tuple(tags) if tags is not None else None,
            data["providerModel"],
            data["task"],
            data["status"],
            data.get("adapterType"),
        )


@dataclass(frozen=True)
class LiveMapping:
    """A live record plus what only the Hub knows: its `_id` and any fields hfmap does not model."""

    record: Record
    id: str | None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        return self.record.key

    @property
    def odd_status(self) -> bool:
        """A status the partner API cannot write (e.g. `error`, set by the Hub's own tests)."""
        return self.record.status not in STATUSES


@dataclass
class LiveState:
    """The live mapping of one provider, by key (the Hub's own key form)."""

    provider: str
    mappings: dict[str, LiveMapping] = field(default_factory=dict)
    # lower-cased single-model key -> live key, with the number of mappings it was built from
    _folded: tuple[int, dict[str, str]] | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.mappings)

    def get(self, key: str) -> LiveMapping | None:
        """The live mapping under `key`, or under the same repo id in another case.

        The Hub resolves repo ids case-insensitively and lists a mapping under the model's canonical id,
        whatever case it was created with; matching exactly only would plan a delete + create of the
        very same mapping (whose POST the Hub refuses as a duplicate after the DELETE went through).
        """
        found = self.mappings.get(key)
        if found is not None:
            return found
        folded = fold_key(key)
        if folded is None:
            return None
        if self._folded is None or self._folded[0] != len(self.mappings):
            index: dict[str, str] = {}
            for live_key in self.mappings:
                live_folded = fold_key(live_key)
                if live_folded is not None:
                    index.setdefault(live_folded, live_key)
            self._folded = (len(self.mappings), index)
        found_key = self._folded[1].get(folded)
        return self.mappings.get(found_key) if found_key is not None else None

    def to_json(self) -> dict[str, Any]:
        """The partner GET's shape: task → key → the mapping (`_id`, `providerId`, ...)."""
        out: dict[str, Any] = {}
        for key, mapping in self.mappings.items():
            record = mapping.record
            value: dict[str, Any] = {"providerId": record.provider_model, "status": record.status}
            if mapping.id is not None:
                value["_id"] = mapping.id
            if record.adapter_type is not None:
                value["adapterType"] = record.adapter_type
            if record.tags is not None:
                value["tags"] = list(record.tags)
            value.update(mapping.extra)
            out.setdefault(record.task, {})[key] = value
        return out

    @classmethod
    def from_json(cls, provider: str, payload: Any) -> LiveState:
        """Normalise a decoded `GET /api/partners/{provider}/models` body.

        Unknown extra fields are kept in `LiveMapping.extra` and otherwise ignored; an unknown status
        is kept as is (the plan shows it). A body that is not the documented shape at all is a
        `LiveShapeError` naming the first place that is wrong.
        """
        if not isinstance(payload, dict):
            raise LiveShapeError(f"expected an object grouped by task, got {type(payload).__name__}")
        state = cls(provider)
        for task, group in payload.items():
            if not isinstance(group, dict):
                raise LiveShapeError(f"task '{task}' holds {type(group).__name__}, not an object")
            for key, value in group.items():
                if not isinstance(value, dict):
                    raise LiveShapeError(f"'{task}' → '{key}' is {type(value).__name__}, not an object")
                mapping = _parse_one(provider, task, key, value)
                if mapping.key in state.mappings:
                    # Only reachable if the Hub lists one identity under two tasks; keep both visible.
                    raise LiveShapeError(f"'{mapping.key}' appears under more than one task")
                state.mappings[mapping.key] = mapping
        return state


_KNOWN_FIELDS = frozenset(
    {"_id", "providerId", "providerModel", "status", "adapterType", "tags", "task", "type"}
)


class LiveShapeError(ValueError):
    """A live mapping body that is not the documented shape; the message names the first wrong place."""


def _parse_one(provider: str, task: str, key: str, value: dict[str, Any]) -> LiveMapping:
    provider_model = value.get("providerId", value.get("providerModel"))
    if not isinstance(provider_model, str):
        raise LiveShapeError(f"'{task}' → '{key}' has no providerId")
    status = value.get("status", "staging")
    if not isinstance(status, str):
        raise LiveShapeError(f"'{task}' → '{key}' has a status that is not a string")
    adapter = value.get("adapterType")
    adapter = adapter if isinstance(adapter, str) else None
    mapping_id = value.get("_id")
    mapping_id = mapping_id if isinstance(mapping_id, str) else None
    extra = {k: v for k, v in value.items() if k not in _KNOWN_FIELDS} if len(value) > 3 else {}
    if key.startswith(TAG_FILTER_PREFIX):
        tags = value.get("tags")
        if isinstance(tags, list) and tags and all(isinstance(t, str) for t in tags):
            sorted_tags = tuple(sorted(tags))
        else:  # fall back on the key itself: `tag-filter=a,b`
            sorted_tags = key_tags(key) or ()
        if not sorted_tags:
            raise LiveShapeError(f"'{task}' → '{key}' is a tag filter without tags")
        record = Record(provider, None, sorted_tags, provider_model, task, status, adapter)
    else:
        record = Record(provider, key, None, provider_model, task, status, adapter)
    return LiveMapping(record, mapping_id, extra)
