"""Every core type reads back what it writes: `from_json(to_json(x)) == x`, through real JSON text.

The Action reads the CLI's JSON with `from_json`, so a field that `to_json` drops or `from_json` misreads
would silently change what the Action compares, shows or approves. Fields that are deliberately not in the
JSON (an action's Hub `_id`, an attention item's source, `SafetyLimits.min_live`) are left at their
defaults here and checked by the tests at the end.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hfmap.mapping.apply_report import ActionResult, ApplyReport, Refusal
from hfmap.mapping.key import Identity, fold_key, key_tags, mapping_key
from hfmap.mapping.plan import (
    ACTION_ORDER,
    Action,
    ActionRef,
    Attention,
    AutoResolution,
    AutoUnresolved,
    Excluded,
    Plan,
    PlanOutline,
    Selection,
    Source,
    Unmanaged,
)
from hfmap.mapping.record import LiveMapping, LiveState, Record
from hfmap.mapping.safety import ProviderSafety, Safety, SafetyLimits
from hfmap.mapping.verdict import (
    VERDICTS,
    AutoChoice,
    Expected,
    Routed,
    Seen,
    Verdict,
    VerifyReport,
    WaitReport,
)

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
tags = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters=","), min_size=1)
maybe = lambda strategy: st.none() | strategy  # noqa: E731
PROVIDER = "replicate"


def through_json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


@st.composite
def records(draw: st.DrawFn, provider: str = PROVIDER) -> Record:
    single = draw(st.booleans())
    hf_model = draw(names) if single else None
    tag_list = None if single else tuple(sorted(set(draw(st.lists(tags, min_size=1, max_size=4)))))
    return Record(provider, hf_model, tag_list, draw(names), draw(names), draw(names), draw(maybe(names)))


sources = st.builds(Source, names, st.integers(1, 10**6))
resolutions = st.builds(AutoResolution, names, names, maybe(names), st.booleans())


@st.composite
def actions(draw: st.DrawFn) -> Action:
    kind = draw(st.sampled_from(ACTION_ORDER))
    before = None if kind == "create" else draw(records())
    after = None if kind == "delete" else draw(records())
    return Action(
        kind, PROVIDER, draw(names), before, after, None, draw(maybe(sources)), draw(maybe(resolutions))
    )


safeties = st.builds(
    Safety,
    st.builds(SafetyLimits, st.floats(0, 100, allow_nan=False), st.integers(0, 10**4)),
    st.dictionaries(
        names, st.builds(ProviderSafety, st.integers(0, 10**4), st.integers(0, 10**4)), max_size=3
    ),
    st.lists(names, max_size=3),
)
excluded = st.builds(Excluded, st.sampled_from(ACTION_ORDER), names, names, names)
selections = st.one_of(
    st.builds(Selection, st.just(None), st.just([]), st.lists(names, max_size=2)),
    st.builds(
        Selection,
        st.sampled_from(["auto-status", "retest"]),
        st.lists(excluded, max_size=3),
        st.lists(names, max_size=2),
    ),
)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    providers = draw(st.lists(names, unique=True, max_size=3))
    return Plan(
        actions=draw(st.lists(actions(), max_size=4)),
        unmanaged=draw(st.lists(st.builds(Unmanaged, st.just(PROVIDER), names, records()), max_size=2)),
        attention=draw(st.lists(st.builds(Attention, names, names, names, names), max_size=2)),
        providers=providers,
        live_counts={name: draw(st.integers(0, 10**5)) for name in providers},
        safety=draw(safeties),
        ignored={name: draw(st.integers(0, 10**5)) for name in providers},
        auto_unresolved=draw(st.lists(st.builds(AutoUnresolved, names, names, resolutions), max_size=2)),
        selection=draw(selections),
    )


seens = st.builds(
    Seen,
    st.just(PROVIDER),
    maybe(names),
    maybe(names),
    maybe(names),
    maybe(st.sampled_from(["single-model", "tag-filter"])),
    maybe(names),
    maybe(names),
    maybe(st.booleans()),
)
verdicts = st.builds(
    Verdict,
    st.builds(Expected, records(), maybe(sources)),
    st.sampled_from(sorted(VERDICTS)),
    names,
    maybe(seens),
    st.dictionaries(
        st.sampled_from(["read", "resolved", "shadowed", "not_shown", "auto_picked"]), st.integers(0, 100)
    ),
    st.lists(names, max_size=2),
    maybe(st.builds(Routed, st.booleans(), maybe(names))),
    maybe(st.builds(AutoChoice, maybe(names), st.lists(names, max_size=2).map(tuple))),
)
verify_reports = st.builds(
    VerifyReport,
    st.lists(verdicts, max_size=3),
    st.booleans(),
    st.lists(names, max_size=2),
    st.integers(0, 10**4),
)
wait_reports = st.builds(
    WaitReport,
    st.floats(0.001, 3600, allow_nan=False),
    st.integers(0, 100),
    st.lists(verdicts, max_size=2),
    st.lists(verdicts, max_size=2),
    st.lists(names, unique=True, max_size=2),
)
refusals = st.builds(
    Refusal, st.sampled_from(["unsafe", "hash-mismatch", "no-token", "invalid-token"]), names
)
refs = st.builds(
    ActionRef, st.sampled_from(ACTION_ORDER), names, names, maybe(st.sampled_from(["promote", "demote"]))
)
results = st.builds(
    ActionResult,
    refs,
    st.sampled_from(["done", "failed", "skipped"]),
    maybe(names),
    maybe(names),
    maybe(names),
)
outlines = st.builds(PlanOutline, st.text(min_size=1), safeties, selections)
apply_reports = st.builds(
    ApplyReport,
    maybe(outlines),
    maybe(refusals),
    st.lists(results, max_size=3),
    st.booleans(),
    st.lists(actions(), max_size=2),
    maybe(names),
    st.lists(st.builds(Attention, names, names, names, names), max_size=2),
    st.lists(names, max_size=2),
    maybe(wait_reports),
)


@given(
    st.builds(Identity, names, names, st.none())
    | st.builds(Identity, names, st.none(), st.lists(tags).map(tuple))
)
def test_identity(identity: Identity) -> None:
    assert Identity.from_json(through_json(identity.to_json())) == identity


@given(records())
def test_record(record: Record) -> None:
    back = Record.from_json(PROVIDER, through_json(record.to_json()))
    assert back == record and back.key == record.key


@given(st.dictionaries(names, st.tuples(records(), maybe(names)), max_size=4))
def test_live_state(by_model: dict[str, tuple[Record, str | None]]) -> None:
    state = LiveState(PROVIDER)
    for record, mapping_id in by_model.values():
        state.mappings[record.key] = LiveMapping(record, mapping_id)
    assert LiveState.from_json(PROVIDER, through_json(state.to_json())) == state


@given(plans())
def test_plan(plan: Plan) -> None:
    text = json.dumps(plan.to_json(), ensure_ascii=False)
    back = Plan.from_json(json.loads(text))
    assert back == plan
    assert json.dumps(back.to_json(), ensure_ascii=False) == text  # the hash and summary too


@given(verify_reports)
def test_verify_report(report: VerifyReport) -> None:
    assert VerifyReport.from_json(through_json(report.to_json())) == report


@given(wait_reports)
def test_wait_report(report: WaitReport) -> None:
    assert WaitReport.from_json(through_json(report.to_json())) == report


@given(apply_reports)
def test_apply_report(report: ApplyReport) -> None:
    assert ApplyReport.from_json(through_json(report.to_json())) == report


@given(st.lists(tags, min_size=1, max_size=5))
def test_key_is_built_and_parsed_in_one_place(tag_list: list[str]) -> None:
    key = mapping_key(None, tag_list)
    assert key_tags(key) == tuple(sorted(tag_list))
    assert fold_key(key) is None  # tag filters match exactly
    assert Identity(PROVIDER, tags=tuple(sorted(tag_list))).key == key
    assert Record(PROVIDER, None, tuple(sorted(tag_list)), "m", "t", "live").key == key


def test_a_repo_id_is_its_own_key_and_folds_to_lower_case() -> None:
    assert mapping_key("Org/Model", None) == "Org/Model"
    assert key_tags("Org/Model") is None
    assert fold_key("Org/Model") == "org/model"


def test_what_the_json_leaves_out_is_said() -> None:
    """The Hub `_id`, an attention item's source and `min_count` are not part of the contract's JSON."""
    record = Record(PROVIDER, "org/m", None, "m", "t", "live")
    action = Action("delete", PROVIDER, "org/m", record, None, live_id="a" * 24)
    assert Action.from_json(through_json(action.to_json())).live_id is None
    attention = Attention(PROVIDER, "org/m", "error", "live", Source("f.yaml", 3))
    assert Attention.from_json(attention.to_json()).source is None
    limits = SafetyLimits(min_count=5)
    assert Safety.from_json(Safety(limits, {}).to_json()).limits.min_count == SafetyLimits().min_count
