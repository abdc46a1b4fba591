"""The approval's parts on their own: the compact action set, digests, signatures, what verifies."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hfmap.github.approval import (
    SET_BUDGET,
    action_digest,
    decode_set,
    encode_set,
    new_approval,
    seal,
    unreviewed,
    verify,
    with_applied,
)
from hfmap.mapping.plan import Action, Plan
from hfmap.mapping.safety import Safety, SafetyLimits

KEY = b"k" * 32


def _action(index: int, kind: str = "delete") -> dict:
    before = {"hfModel": f"org/m{index}", "providerModel": "p/m", "task": "text-to-image", "status": "live"}
    after = None if kind == "delete" else {**before, "providerModel": "p/new"}
    return {"action": kind, "provider": "replicate", "key": f"org/m{index}", "before": before, "after": after}


def _plan(actions: list[dict]) -> Plan:
    """A plan of these actions (as `hfmap plan --format json` prints them), read back as the Action does."""
    return Plan([Action.from_json(a) for a in actions], [], [], ["replicate"], {}, Safety(SafetyLimits(), {}))


def _read(*actions: dict) -> list[Action]:
    return [Action.from_json(a) for a in actions]


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=2**64 - 1), max_size=300))
def test_the_set_round_trips(values: set[int]) -> None:
    assert decode_set(encode_set(values)) == values


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=60))
def test_garbage_never_decodes_to_more_than_it_claims(text: str) -> None:
    decoded = decode_set({"n": 3, "r": 60, "set": text})
    assert decoded is None or len(decoded) <= 3


def test_a_5000_change_plan_fits_a_comment_with_room_for_the_visible_plan() -> None:
    actions = [_action(i) for i in range(5000)]
    plan = _plan(actions)
    data = new_approval(repo="a/b", pr=7, paths=["mappings"], head_sha="1" * 40, plan=plan, key=KEY)
    assert data["actions"] is not None and len(data["actions"]["set"]) <= SET_BUDGET
    body = seal(data, "x" * 18_000, KEY)
    assert len(body) < 65_536
    # a rerun after a partial apply: what remains is a subset, so it is covered
    remaining = _plan(actions[1234:1240])
    assert unreviewed([data], remaining, KEY) == []
    stray = _action(99_999)
    assert unreviewed([data], _plan([*actions[1234:1240], stray]), KEY) == _read(stray)


def test_a_replace_cut_in_half_leaves_a_covered_create() -> None:
    replace = _action(1, "replace")
    data = new_approval(repo="a/b", pr=7, paths=["m"], head_sha="1", plan=_plan([replace]), key=None)
    residue = {**replace, "action": "create", "before": None}
    assert unreviewed([data], _plan([residue]), None) == []
    changed = {**residue, "after": {**residue["after"], "status": "staging"}}
    assert unreviewed([data], _plan([changed]), None) == _read(changed)


def test_keyed_digests_differ_from_plain_ones() -> None:
    assert action_digest(*_read(_action(1)), KEY) != action_digest(*_read(_action(1)), None)


def test_what_verifies_and_why_not() -> None:
    data = new_approval(repo="a/b", pr=7, paths=["m"], head_sha="1" * 40, plan=_plan([_action(1)]), key=KEY)
    body = seal(data, "the plan", KEY)

    def check(text: str, **kw) -> str | None:
        args = {"repo": "a/b", "pr": 7, "paths": ["m"], "key": KEY, **kw}
        return verify(text, **args).problem

    assert check(body) is None
    assert check(body.replace("\n", "\r\n")) is None  # an edit in the browser that changed nothing
    assert "edited" in check(body.replace("the plan", "the plan, tidied"))
    assert "signature does not verify" in check(body, key=b"other" * 8)
    assert "another pull request" in check(body, pr=8)
    assert "merged at 2222222" in check(body, head_sha="2" * 40)
    assert "signed, but this run has no approval-key" in check(body, key=None)
    assert verify("intro\n" + body, repo="a/b", pr=7, paths=["m"], key=KEY) is None  # not at the start
    assert verify(body, repo="a/b", pr=7, paths=["other"], key=KEY) is None
    tampered = body.replace('"pr":7', '"pr":7,"state":"applied"').replace('"state":"planned",', "")
    assert check(tampered) is not None


def _auto(action: dict, status: str, reason: str) -> dict:
    """The action as the plan shows an `auto` entry: resolved status in `after`, the reason beside it."""
    after = {**action["after"], "status": status} if action.get("after") else None
    return {
        **action,
        "after": after,
        "auto": {"status": status, "reason": reason, "said": None, "answered": True},
    }


def test_a_status_the_provider_changed_after_the_review_needs_no_review() -> None:
    """Mode `sync` applies these unreviewed; an apply on merge must not refuse one either."""
    create = _auto(_action(1, "create"), "live", "replicate says online")
    data = new_approval(repo="a/b", pr=7, paths=["m"], head_sha="1", plan=_plan([create]), key=KEY)
    # At merge time the model went cold: the create resolves to staging, and a warm model of another
    # entry is promoted (an update the files never asked for).
    cold = _auto(_action(1, "create"), "staging", "replicate says offline")
    promote = {
        "action": "update",
        "provider": "replicate",
        "key": "org/m2",
        "before": {**_action(2)["before"], "status": "staging"},
        "after": _action(2)["before"],
        "auto": {"status": "live", "reason": "replicate says online", "said": "online", "answered": True},
    }
    assert unreviewed([data], _plan([cold, promote]), KEY) == []


def test_an_auto_entry_does_not_cover_other_changes_of_the_same_mapping() -> None:
    create = _auto(_action(1, "create"), "live", "replicate says online")
    data = new_approval(repo="a/b", pr=7, paths=["m"], head_sha="1", plan=_plan([create]), key=KEY)
    other_model = _auto(
        {**_action(1, "create"), "after": {**_action(1, "create")["after"], "providerModel": "p/x"}},
        "live",
        "online",
    )
    replace = _auto(_action(1, "replace"), "live", "online")  # not a status follow: the target changed
    assert unreviewed([data], _plan([other_model]), KEY) == _read(other_model)
    assert unreviewed([data], _plan([replace]), KEY) == _read(replace)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12, unique=True), st.data())
def test_an_action_applied_from_an_approval_is_never_allowed_by_it_again(indexes: list[int], data) -> None:
    """One-shot: whatever part of the plan was carried out, exactly that part is refused afterwards, even
    when the Hub drifted back and the fresh plan is the reviewed plan again (same hash)."""
    actions = [_action(i, "replace" if i % 3 == 0 else "delete") for i in indexes]
    plan = _plan(actions)
    approval = new_approval(repo="a/b", pr=7, paths=["mappings"], head_sha="1" * 40, plan=plan, key=KEY)
    assert unreviewed([approval], plan, KEY) == []
    done = data.draw(st.lists(st.sampled_from(actions), unique_by=lambda a: a["key"]))
    used = with_applied(approval, _read(*done), KEY)

    again = unreviewed([used], plan, KEY)

    assert sorted(a.key for a in again) == sorted(a["key"] for a in done)
    if any(a["action"] == "replace" for a in done):  # what a half-done replace leaves is refused too
        residue = next(a for a in done if a["action"] == "replace")
        create = {**residue, "action": "create", "before": None}
        assert unreviewed([used], _plan([create]), KEY) == _read(create)


def test_only_the_rows_shown_are_approved() -> None:
    actions = [_action(i) for i in range(10)]
    plan = _plan(actions)
    approval = new_approval(repo="a/b", pr=7, paths=["m"], head_sha="1" * 40, plan=plan, key=KEY, shown=6)

    assert approval["shown"] == 6 and approval["total"] == 10
    assert unreviewed([approval], plan, KEY) == _read(*actions[6:])  # the plan hash alone does not cover them
