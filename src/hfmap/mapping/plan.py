"""A plan as a value: its actions, what it leaves alone, its hash and its safety verdict.

`Plan.to_json()` is the contract's `hfmap plan --format json` object and `Plan.from_json()` reads it back
(the GitHub Action does), so the hash, `needs_force` and `summary` are derived, never stored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from hfmap.mapping.record import Record
from hfmap.mapping.safety import Safety

PLAN_VERSION = 1
ACTION_ORDER = ("create", "update", "retest", "replace", "delete")  # the order apply carries them out in
OPTIONAL_KINDS = ("retest",)  # in `summary` only when present: plans without them keep their old shape
COMPARED_FIELDS = (("providerModel", "provider_model"), ("task", "task"), ("adapterType", "adapter_type"))


@dataclass(frozen=True)
class Source:
    """Where a declared mapping was written (for messages and PR comments; never hashed)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Source | None:
        return cls(data["path"], data["line"]) if data is not None else None


@dataclass(frozen=True)
class AutoResolution:
    """The status an `auto` entry resolved to, and why (`answered`: the provider's answer decided it)."""

    status: str
    reason: str
    said: str | None = None
    answered: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason, "said": self.said, "answered": self.answered}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AutoResolution:
        return cls(data["status"], data["reason"], data["said"], data["answered"])


@dataclass(frozen=True)
class ActionRef:
    """What names an action in reports: its kind, provider, key and (updates) promote or demote."""

    kind: str
    provider: str
    key: str
    change: str | None = None


def _record(provider: str, data: dict[str, Any] | None) -> Record | None:
    return Record.from_json(provider, data) if data is not None else None


@dataclass(frozen=True)
class Action:
    """One change to the live mapping. `live_id` is the Hub's `_id` of the mapping `before` describes.

    `live_id` is not in the JSON (apply plans afresh and addresses what it reads), so an action read back
    from JSON has none.
    """

    action: str  # create | update | retest | replace | delete
    provider: str
    key: str
    before: Record | None
    after: Record | None
    live_id: str | None = None
    source: Source | None = None
    auto: AutoResolution | None = None  # how `status: auto` was resolved (shown, never hashed)

    @property
    def change(self) -> str | None:
        """`promote` (→ live) or `demote` (→ staging) for updates; None otherwise."""
        if self.action != "update" or self.after is None:
            return None
        return "promote" if self.after.status == "live" else "demote"

    @property
    def ref(self) -> ActionRef:
        return ActionRef(self.action, self.provider, self.key, self.change)

    @property
    def fields(self) -> list[str]:
        """Names (file vocabulary) of the values that differ between before and after."""
        if self.before is None or self.after is None:
            return []
        names = [
            name for name, attr in COMPARED_FIELDS if getattr(self.before, attr) != getattr(self.after, attr)
        ]
        if self.before.status != self.after.status:
            names.append("status")
        return names

    @property
    def destructive(self) -> bool:
        """Deletes, replaces and demotions take something away from users of the Hub."""
        return self.action in ("delete", "replace") or self.change == "demote"

    def semantic(self) -> dict[str, Any]:
        """What the action means, without ids, positions or presentation: the input of the plan hash.

        An `auto` entry's resolved status is in `after`, so it is hashed; the reason is not. The hash
        approves writes: "create as staging" is the same write whether the provider said `offline` or
        did not answer, and a reviewed plan must not be refused at merge because the wording changed.
        """
        return {
            "action": self.action,
            "provider": self.provider,
            "key": self.key,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
        }

    def to_json(self) -> dict[str, Any]:
        out = self.semantic()
        if self.change is not None:
            out["change"] = self.change
        out["fields"] = self.fields
        out["destructive"] = self.destructive
        if self.source is not None:
            out["source"] = self.source.to_json()
        if self.auto is not None:
            out["auto"] = self.auto.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Action:
        provider = data["provider"]
        auto = data.get("auto")
        return cls(
            data["action"],
            provider,
            data["key"],
            _record(provider, data["before"]),
            _record(provider, data["after"]),
            source=Source.from_json(data.get("source")),
            auto=AutoResolution.from_json(auto) if auto is not None else None,
        )


@dataclass(frozen=True)
class Unmanaged:
    """A live mapping no file declares, left alone because its provider has `prune: false`."""

    provider: str
    key: str
    live: Record

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "key": self.key, "live": self.live.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Unmanaged:
        return cls(data["provider"], data["key"], Record.from_json(data["provider"], data["live"]))


@dataclass(frozen=True)
class Attention:
    """A live mapping in a status hfmap cannot write (`error`, set by the Hub's tests): shown, not touched.

    `source` is for messages only and is not in the JSON.
    """

    provider: str
    key: str
    status: str
    declared: str
    source: Source | None = None

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "key": self.key, "status": self.status, "declared": self.declared}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attention:
        return cls(data["provider"], data["key"], data["status"], data["declared"])


@dataclass(frozen=True)
class AutoUnresolved:
    """An `auto` entry its provider gave no usable answer for: what it resolved to instead, and why."""

    provider: str
    key: str
    resolution: AutoResolution

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "key": self.key, **self.resolution.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AutoUnresolved:
        return cls(data["provider"], data["key"], AutoResolution.from_json(data))


@dataclass(frozen=True)
class Excluded:
    """An action of the full plan that a selection (`--only-auto-status`, `--retest`) leaves out."""

    action: str
    provider: str
    key: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "provider": self.provider, "key": self.key, "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Excluded:
        return cls(data["action"], data["provider"], data["key"], data["reason"])


@dataclass
class Selection:
    """What `--only-auto-status` / `--retest` left out: shown by plan and by apply."""

    selected: str | None = None  # `auto-status` or `retest` when a selection narrowed the plan
    excluded: list[Excluded] = field(default_factory=list)
    not_retested: list[str] = field(default_factory=list)  # `--retest` KEYs whose mapping is not in error

    def to_json(self) -> dict[str, Any]:
        """Empty without a selection, so plans without one keep their exact shape."""
        out: dict[str, Any] = {}
        if self.selected is not None:
            out["selected"] = self.selected
            out["excluded"] = [e.to_json() for e in self.excluded]
        if self.not_retested:
            out["not_retested"] = list(self.not_retested)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Selection:
        return cls(
            data.get("selected"),
            [Excluded.from_json(e) for e in data.get("excluded", [])],
            list(data.get("not_retested", [])),
        )


def semantic_hash(items: list[dict[str, Any]]) -> str:
    """sha256 over canonical JSON of actions' semantic content, sorted: same intent, same hash."""
    ordered = sorted(items, key=lambda s: (s["provider"], s["key"], s["action"]))
    text = json.dumps(ordered, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_hash(actions: list[Action]) -> str:
    """The `semantic_hash` of the actions: ids, positions and rendering never change it."""
    return semantic_hash([a.semantic() for a in actions])


@dataclass
class Plan:
    """The actions (in apply order), what is left alone, and the safety verdict."""

    actions: list[Action]
    unmanaged: list[Unmanaged]
    attention: list[Attention]
    providers: list[str]
    live_counts: dict[str, int]
    safety: Safety
    ignored: dict[str, int] = field(default_factory=dict)  # live mappings left alone by `ignore`
    auto_unresolved: list[AutoUnresolved] = field(default_factory=list)
    selection: Selection = field(default_factory=Selection)

    @property
    def hash(self) -> str:
        return plan_hash(self.actions)

    @property
    def needs_force(self) -> bool:
        return bool(self.safety.reasons)

    @property
    def has_changes(self) -> bool:
        return bool(self.actions)

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTION_ORDER, 0)
        for action in self.actions:
            counts[action.action] += 1
        return {kind: n for kind, n in counts.items() if n or kind not in OPTIONAL_KINDS}

    def outline(self) -> PlanOutline:
        """What an apply report says of the plan it carried out."""
        return PlanOutline(self.hash, self.safety, self.selection)

    def to_json(self) -> dict[str, Any]:
        """The contract's object (version, hash, needs_force, summary, actions, unmanaged), + safety.

        `auto_unresolved`, `selected` and `excluded` appear only when there is something to say, so
        plans without `auto` entries or a selection keep their exact shape.
        """
        out = {
            "version": PLAN_VERSION,
            "hash": self.hash,
            "needs_force": self.needs_force,
            "summary": self.summary,
            "actions": [a.to_json() for a in self.actions],
            "unmanaged": [u.to_json() for u in self.unmanaged],
            "attention": [a.to_json() for a in self.attention],
            "safety": self.safety.to_json(),
            "providers": {
                name: {"live": self.live_counts.get(name, 0), "ignored": self.ignored.get(name, 0)}
                for name in self.providers
            },
        }
        if self.auto_unresolved:
            out["auto_unresolved"] = [u.to_json() for u in self.auto_unresolved]
        out.update(self.selection.to_json())
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        """The plan `to_json` printed (extra keys, such as a saved plan's `paths`, are ignored)."""
        providers: dict[str, dict[str, int]] = data["providers"]
        return cls(
            actions=[Action.from_json(a) for a in data["actions"]],
            unmanaged=[Unmanaged.from_json(u) for u in data["unmanaged"]],
            attention=[Attention.from_json(a) for a in data["attention"]],
            providers=list(providers),
            live_counts={name: p["live"] for name, p in providers.items()},
            safety=Safety.from_json(data["safety"]),
            ignored={name: p["ignored"] for name, p in providers.items()},
            auto_unresolved=[AutoUnresolved.from_json(u) for u in data.get("auto_unresolved", [])],
            selection=Selection.from_json(data),
        )


@dataclass
class PlanOutline:
    """The part of a plan an apply report carries: its hash, safety verdict and selection."""

    hash: str
    safety: Safety
    selection: Selection = field(default_factory=Selection)

    @property
    def needs_force(self) -> bool:
        return bool(self.safety.reasons)
