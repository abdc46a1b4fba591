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

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from hfmap.data import closest
from hfmap.errors import HfmapError, UsageError
from hfmap.files.model import Declared, ProviderDeclaration, is_ignored
from hfmap.mapping.key import fold_key
from hfmap.mapping.plan import (
    ACTION_ORDER,
    Action,
    Attention,
    AutoResolution,
    AutoUnresolved,
    Excluded,
    Plan,
    Selection,
    Source,
    Unmanaged,
)
from hfmap.mapping.record import AUTO_STATUS, LiveMapping, LiveState, Record
from hfmap.mapping.safety import SafetyLimits
from hfmap.sync.safety import assess_safety
from hfmap.sync.status import Statuses, resolve


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
        record = entry.record()
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
        safety=assess_safety(actions, live_counts, limits),
        ignored=ignored,
        auto_unresolved=unresolved,
        selection=Selection(not_retested=not_in_error),
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
    excluded = [Excluded(a.action, a.provider, a.key, why) for a in plan.actions if not keep(a, target)]
    return replace(
        plan,
        actions=kept,
        safety=assess_safety(kept, plan.live_counts, plan.safety.limits),
        selection=replace(plan.selection, selected=selection, excluded=excluded),
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
