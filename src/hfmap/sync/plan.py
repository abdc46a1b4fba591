"""Declared files + live state → a `Plan`: the actions, their hash and the safety verdict.

Everything here is pure (no I/O), so the same inputs always give the same plan and the same hash.
Python API (used by the GitHub Action as well as the commands):

    plan = make_plan(declared, live_by_provider, SafetyLimits(max_percent=30, max_count=50))
    plan.hash          # "sha256:<hex>" over the semantic content of the actions only
    plan.needs_force   # True when the safety thresholds are exceeded (`plan.safety.reasons` say why)
    plan.has_changes   # any action at all
    plan.to_json()     # the contract's `hfmap plan --format json` object

The diff follows the Hub's abilities: only `status` can change in place (`update`, promote/demote);
any other difference is a `replace` (DELETE then POST); a live mapping that no file declares is
deleted only under `prune: true` and never when an `ignore` pattern covers it. A mapping already as
declared produces no action at all (no status re-PUT). `status: auto` entries are resolved here from
the provider's answers (`statuses`, asked beforehand by `hfmap.sync.status`); a mapping in `error` gets
a `retest` only when asked (`RetestRequest`). `select` narrows a plan to what `--only-auto-status`,
`--retest` or `--target` carries out and lists the rest as excluded (`scoped_plan` does both steps).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from hfmap.clients.live import LiveMapping, LiveState, Record
from hfmap.data import closest
from hfmap.errors import HfmapError, UsageError
from hfmap.files.model import AUTO_STATUS, Declared, ProviderDeclaration, fold_key, is_ignored
from hfmap.sync.safety import Safety, SafetyLimits, judge
from hfmap.sync.status import AutoResolution, Statuses, resolve

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


@dataclass(frozen=True)
class Action:
    """One change to the live mapping. `live_id` is the Hub's `_id` of the mapping `before` describes."""

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
            "before": self.before.to_dict() if self.before else None,
            "after": self.after.to_dict() if self.after else None,
        }

    def to_json(self) -> dict[str, Any]:
        out = self.semantic()
        if self.change is not None:
            out["change"] = self.change
        out["fields"] = self.fields
        out["destructive"] = self.destructive
        if self.source is not None:
            out["source"] = {"path": self.source.path, "line": self.source.line}
        if self.auto is not None:
            out["auto"] = self.auto.to_json()
        return out


@dataclass(frozen=True)
class Unmanaged:
    """A live mapping no file declares, left alone because its provider has `prune: false`."""

    provider: str
    key: str
    live: Record

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "key": self.key, "live": self.live.to_dict()}


@dataclass(frozen=True)
class Attention:
    """A live mapping in a status hfmap cannot write (`error`, set by the Hub's tests): shown, not touched."""

    provider: str
    key: str
    status: str
    declared: str
    source: Source | None = None

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "key": self.key, "status": self.status, "declared": self.declared}


@dataclass(frozen=True)
class AutoUnresolved:
    """An `auto` entry its provider gave no usable answer for: what it resolved to instead, and why."""

    provider: str
    key: str
    resolution: AutoResolution

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "key": self.key, **self.resolution.to_json()}


@dataclass(frozen=True)
class Excluded:
    """An action of the full plan that a selection (--only-auto-status, --retest, --target) leaves out."""

    action: Action
    reason: str

    def to_json(self) -> dict[str, Any]:
        a = self.action
        return {"action": a.action, "provider": a.provider, "key": a.key, "reason": self.reason}


@dataclass(frozen=True)
class KeyList:
    """Mapping keys named on the command line (`--target`, `--retest`): `org/model` or `tag-filter=a,b`,
    optionally `provider:`-prefixed when two providers map the same key."""

    keys: tuple[str, ...] = ()

    @cached_property
    def targets(self) -> tuple[tuple[str | None, str], ...]:
        """Each KEY as (provider or None, folded key), in the order given; parsed once, not per mapping."""
        out: list[tuple[str | None, str]] = []
        for raw in self.keys:
            head, sep, rest = raw.partition(":")
            is_prefix = sep and rest and "/" not in head and "=" not in head
            provider, key = (head, rest) if is_prefix else (None, raw)
            out.append((provider, fold_key(key) or key))
        return tuple(out)

    def names(self, provider: str, key: str) -> bool:
        """Whether a KEY names this mapping."""
        folded = fold_key(key) or key
        return any((p is None or p == provider) and k == folded for p, k in self.targets)

    def unknown(self, known: set[tuple[str, str]]) -> list[tuple[str, str | None]]:
        """(KEY, a close known key or None) for each KEY that names none of `known` (provider, key)."""
        folded_known = {(p, fold_key(k) or k) for p, k in known}
        out: list[tuple[str, str | None]] = []
        for (provider, folded), raw in zip(self.targets, self.keys, strict=True):
            if not any((provider is None or p == provider) and k == folded for p, k in folded_known):
                out.append((raw, closest(raw, {k for _, k in known} | {f"{p}:{k}" for p, k in known})))
        return out


@dataclass(frozen=True)
class RetestRequest(KeyList):
    """`--retest KEY...` / `--retest-errors`: which mappings in `error` get their status re-sent."""

    all_errors: bool = False

    def wants(self, provider: str, key: str) -> bool:
        """Whether this mapping, if it is in `error`, gets retested."""
        return self.all_errors or self.names(provider, key)


def semantic_hash(items: list[dict[str, Any]]) -> str:
    """sha256 over canonical JSON of actions' semantic content, sorted: same intent, same hash."""
    ordered = sorted(items, key=lambda s: (s["provider"], s["key"], s["action"]))
    text = json.dumps(ordered, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Plan:
    """The actions (in apply order), what is left alone, and the safety verdict."""

    actions: list[Action]
    unmanaged: list[Unmanaged]
    attention: list[Attention]
    providers: list[str]
    live_counts: dict[str, int]
    safety: Safety
    ignored: dict[str, int] = field(
        default_factory=dict
    )  # live mappings left alone by `ignore`, per provider
    auto_unresolved: list[AutoUnresolved] = field(default_factory=list)
    selected: str | None = None  # `auto-status` or `retest` when `select` narrowed the plan
    excluded: list[Excluded] = field(default_factory=list)
    not_retested: list[str] = field(default_factory=list)  # `--retest` KEYs whose mapping is not in error

    @property
    def hash(self) -> str:
        """The `semantic_hash` of the actions: ids, positions and rendering never change it."""
        return semantic_hash([a.semantic() for a in self.actions])

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
        out.update(self.selection_json())
        return out

    def selection_json(self) -> dict[str, Any]:
        """What `--only-auto-status` / `--retest` left out (empty without a selection), for plan and apply."""
        out: dict[str, Any] = {}
        if self.selected is not None:
            out["selected"] = self.selected
            out["excluded"] = [e.to_json() for e in self.excluded]
        if self.not_retested:
            out["not_retested"] = list(self.not_retested)
        return out


def declared_records(decl: ProviderDeclaration) -> dict[str, tuple[Record, Source]]:
    """Declared records by Hub key; two different entries that one Hub key would address are refused.

    The same identity twice keeps the first declaration (a `duplicate-mapping` lint error blocks planning
    anyway). Different identities never merge: repo ids that differ only in case (the Hub resolves them
    case-insensitively) or tag lists whose comma-joined key is the same (a tag holding `,`) name one live
    mapping, and silently keeping one would drop the other from the plan.
    """
    out: dict[str, tuple[Record, Source]] = {}
    first: dict[str, tuple[Record, Source]] = {}  # Hub address (repo ids case-folded) -> first record there
    for entry in decl.entries:
        record = Record.from_entry(entry)
        if record is None:
            continue
        source = Source(entry.path, entry.pos.line)
        address = fold_key(record.key) or record.key
        seen = first.get(address)
        if seen is None:
            first[address] = (record, source)
            out[record.key] = (record, source)
        elif seen[0].identity != record.identity:
            raise HfmapError(_clash(decl.name, seen, (record, source)))
    return out


def _clash(provider: str, first: tuple[Record, Source], second: tuple[Record, Source]) -> str:
    (one, one_at), (two, two_at) = first, second
    if one.hf_model is not None and two.hf_model is not None:
        return (
            f"{provider}: '{one.key}' ({one_at}) and '{two.key}' ({two_at}) name the same Hub model "
            "(the Hub treats repo ids case-insensitively); keep one of them"
        )
    return (
        f"{provider}: the tag filters {list(one.tags or ())} ({one_at}) and {list(two.tags or ())} "
        f"({two_at}) have the same Hub key '{one.key}' (the Hub joins tags with commas); "
        "a tag may not contain ','"
    )


@dataclass
class ProviderDiff:
    """What diffing one provider found, besides its actions."""

    actions: list[Action] = field(default_factory=list)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    auto_unresolved: list[AutoUnresolved] = field(default_factory=list)
    ignored: int = 0
    not_retested: list[str] = field(default_factory=list)  # asked to retest, but not in `error`


def _resolved(
    decl: ProviderDeclaration, record: Record, current: LiveMapping | None, statuses: Statuses
) -> tuple[Record, AutoResolution]:
    """The record with its `auto` status resolved from the provider's answer and the live status."""
    answer = statuses.get((decl.name, record.provider_model))
    resolution = resolve(decl.name, answer, current.record.status if current is not None else None)
    return replace(record, status=resolution.status), resolution


def diff_provider(
    decl: ProviderDeclaration,
    live: LiveState,
    statuses: Statuses | None = None,
    retest: RetestRequest | None = None,
) -> ProviderDiff:
    """The actions that make one provider's live mapping equal its declaration."""
    out = ProviderDiff()
    wanted = declared_records(decl)
    matched: set[str] = set()  # live keys some declaration covers
    for key, (record, source) in wanted.items():
        current: LiveMapping | None = live.get(key)
        auto = None
        if record.status == AUTO_STATUS:  # a plain comparison: plans without `auto` pay nothing more
            record, auto = _resolved(decl, record, current, statuses or {})
            if not auto.answered:
                out.auto_unresolved.append(AutoUnresolved(decl.name, key, auto))
        if current is None:
            out.actions.append(Action("create", decl.name, key, None, record, source=source, auto=auto))
            if retest is not None and retest.names(decl.name, key):
                out.not_retested.append(f"{decl.name}:{key} (not on the Hub yet)")
            continue
        matched.add(current.key)
        if current.key != key:  # the same repo id in another case: address it as the Hub spells it
            key = current.key
            record = Record(
                decl.name,
                current.record.hf_model,
                None,
                record.provider_model,
                record.task,
                record.status,
                record.adapter_type,
            )
        before = current.record
        if not before.same_target(record):
            out.actions.append(Action("replace", decl.name, key, before, record, current.id, source, auto))
        elif current.odd_status:
            if retest is not None and retest.wants(decl.name, key):
                out.actions.append(Action("retest", decl.name, key, before, record, current.id, source, auto))
            else:
                out.attention.append(Attention(decl.name, key, before.status, record.status, source))
        elif before.status != record.status:
            out.actions.append(Action("update", decl.name, key, before, record, current.id, source, auto))
        elif retest is not None and retest.names(decl.name, key):
            out.not_retested.append(f"{decl.name}:{key} (status {before.status})")
    prune, patterns = decl.prune, decl.ignore
    for key, current in live.mappings.items():
        if key in matched:
            continue
        if patterns and is_ignored(key, patterns):
            out.ignored += 1
            continue
        if prune:
            out.actions.append(Action("delete", decl.name, key, current.record, None, current.id))
        else:
            out.unmanaged.append(Unmanaged(decl.name, key, current.record))
    return out


def sort_actions(actions: list[Action]) -> list[Action]:
    """Apply order: creates, updates, retests, replaces, deletes; within a kind by provider, then key."""
    rank = {name: i for i, name in enumerate(ACTION_ORDER)}
    return sorted(actions, key=lambda a: (rank[a.action], a.provider, a.key))


def declared_keys(declared: Declared) -> set[tuple[str, str]]:
    """(provider, key) of every declared mapping."""
    return {(decl.name, key) for decl in declared.providers.values() for key in declared_records(decl)}


def check_retest_keys(retest: RetestRequest, declared: Declared) -> None:
    """A `--retest` KEY that no file declares is a typo: refuse (exit 2) before anything is written."""
    for raw, _guess in retest.unknown(declared_keys(declared)) if retest.keys else ():
        raise UsageError(f"--retest {raw}: no mapping file declares this key")


def check_target_keys(target: KeyList, declared: Declared, live: Mapping[str, LiveState]) -> None:
    """A `--target` KEY that neither a file nor the Hub knows is a typo: refuse (exit 2), with a guess."""
    known = declared_keys(declared) | {(name, key) for name, state in live.items() for key in state.mappings}
    for raw, guess in target.unknown(known):
        hint = f"; did you mean '{guess}'?" if guess else ""
        raise UsageError(
            f"--target {raw}: no mapping file declares this key and the Hub has no mapping under it{hint}"
        )


def make_plan(
    declared: Declared,
    live: Mapping[str, LiveState],
    limits: SafetyLimits | None = None,
    *,
    statuses: Statuses | None = None,
    retest: RetestRequest | None = None,
) -> Plan:
    """Plan every provider the files name (files of one provider merged) against its live state.

    `live` must hold a `LiveState` for each of `declared.providers`; a provider missing there is
    treated as having no live mappings. `statuses` answers `status: auto` entries (none: not asked,
    the live status is kept); `retest` turns the named mappings in `error` into `retest` actions.
    """
    limits = limits or SafetyLimits()
    actions: list[Action] = []
    unmanaged: list[Unmanaged] = []
    attention: list[Attention] = []
    unresolved: list[AutoUnresolved] = []
    not_in_error: list[str] = []
    providers = sorted(declared.providers.items())
    live_counts: dict[str, int] = {}
    ignored: dict[str, int] = {}
    for name, decl in providers:
        state = live.get(name) or LiveState(name)
        live_counts[name] = len(state)
        diff = diff_provider(decl, state, statuses, retest)
        actions.extend(diff.actions)
        unmanaged.extend(diff.unmanaged)
        attention.extend(diff.attention)
        unresolved.extend(diff.auto_unresolved)
        not_in_error.extend(diff.not_retested)
        ignored[name] = diff.ignored
    actions = sort_actions(actions)
    unmanaged.sort(key=lambda u: (u.provider, u.key))
    attention.sort(key=lambda t: (t.provider, t.key))
    unresolved.sort(key=lambda u: (u.provider, u.key))
    return Plan(
        actions=actions,
        unmanaged=unmanaged,
        attention=attention,
        providers=[name for name, _ in providers],
        live_counts=live_counts,
        safety=judge(actions, live_counts, limits),
        ignored=ignored,
        auto_unresolved=unresolved,
        not_retested=not_in_error,
    )


SELECTIONS = {
    "auto-status": (
        lambda a, _t: a.action == "update" and a.auto is not None,
        "not a status change of a `status: auto` entry (--only-auto-status)",
    ),
    "retest": (lambda a, _t: a.action == "retest", "not a retest (--retest)"),
    "target": (lambda a, t: t is not None and t.names(a.provider, a.key), "not named by --target"),
}


def select(plan: Plan, selection: str | None, target: KeyList | None = None) -> Plan:
    """`plan` narrowed to the actions `selection` carries out (`target`: the keys `--target` names); the
    others are listed as excluded.

    The safety verdict is judged again on what remains (a mass demotion by `auto` still needs force).
    """
    if selection is None:
        return plan
    keep, why = SELECTIONS[selection]
    kept = [a for a in plan.actions if keep(a, target)]
    excluded = [Excluded(a, why) for a in plan.actions if not keep(a, target)]
    return replace(
        plan,
        actions=kept,
        safety=judge(kept, plan.live_counts, plan.safety.limits),
        selected=selection,
        excluded=excluded,
    )


@dataclass(frozen=True)
class Scope:
    """What part of the plan to carry out: `only` is `auto-status`, `retest` (with `retest` set) or
    `target` (with `target` set)."""

    only: str | None = None
    retest: RetestRequest | None = None
    target: KeyList | None = None

    @classmethod
    def from_options(
        cls,
        only_auto_status: bool,
        retest: tuple[str, ...],
        retest_errors: bool,
        target: tuple[str, ...] = (),
    ) -> Scope:
        """`--only-auto-status`, `--retest KEY...`, `--retest-errors`, `--target KEY...` (usage errors for
        what cannot mix)."""
        chosen = [
            name
            for name, given in (
                ("--only-auto-status", only_auto_status),
                ("--retest/--retest-errors", retest or retest_errors),
                ("--target", target),
            )
            if given
        ]
        if len(chosen) > 1:
            raise UsageError(f"{' and '.join(chosen)} select different changes; use one")
        keys = tuple(key.strip() for key in retest)
        if any(not key for key in keys):
            raise UsageError("--retest needs a mapping key (org/model, tag-filter=..., or PROVIDER:KEY)")
        targets = tuple(key.strip() for key in target)
        if any(not key for key in targets):
            raise UsageError("--target needs a mapping key (org/model, tag-filter=..., or PROVIDER:KEY)")
        if targets:
            return cls("target", target=KeyList(targets))
        if keys or retest_errors:
            return cls("retest", RetestRequest(keys, retest_errors))
        return cls("auto-status" if only_auto_status else None)


def scoped_plan(
    declared: Declared,
    live: Mapping[str, LiveState],
    limits: SafetyLimits,
    statuses: Statuses,
    scope: Scope,
    *,
    verifying: bool = False,
) -> Plan:
    """The plan narrowed to `scope`; a `--target` KEY that neither the files nor the Hub know is
    refused. `verifying` (the re-plan after an apply) plans no retests (whether one passed is the Hub's
    test to say) and takes the keys as given (a targeted delete has made its key unknown)."""
    if scope.target is not None and not verifying:
        check_target_keys(scope.target, declared, live)
    retest = None if verifying else scope.retest
    plan = make_plan(declared, live, limits, statuses=statuses, retest=retest)
    return select(plan, scope.only, scope.target)
