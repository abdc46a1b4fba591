"""`status: auto` in the plan (pure): online, offline, unknown or no answer; reason shown, status hashed."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from hfmap.clients.partner import parse_live
from hfmap.files.load import load_text
from hfmap.files.model import Declared
from hfmap.providers.status import StatusAnswer, unusable
from hfmap.sync.plan import make_plan, select
from hfmap.sync.status import auto_questions, resolve

ONLINE = StatusAnswer("online", "live")
OFFLINE = StatusAnswer("offline", "staging")
UNKNOWN = unusable("answered 'booting', which hfmap does not know", "booting")
DOWN = unusable("did not answer: no answer within 30 s (after 5 attempts)")

FILE = """
provider: replicate
defaults: {status: auto}
mappings:
  - {hfModel: org/warm, providerModel: o/warm, task: text-to-image}
  - {hfModel: org/cold, providerModel: o/cold, task: text-to-image}
  - {hfModel: org/odd, providerModel: o/odd, task: text-to-image}
  - {hfModel: org/down, providerModel: o/down, task: text-to-image}
  - {hfModel: org/new, providerModel: o/new, task: text-to-image}
  - {hfModel: org/pinned, providerModel: o/pinned, task: text-to-image, status: live}
"""


def declared(text: str = FILE) -> Declared:
    file, findings = load_text(textwrap.dedent(text).lstrip(), "r.yaml")
    assert file is not None and not findings
    return Declared([file])


def live(**statuses: str):
    group = {f"org/{name}": {"_id": f"{i:024x}", "providerId": f"o/{name}", "status": status}
             for i, (name, status) in enumerate(statuses.items())}  # fmt: skip
    return {"replicate": parse_live("replicate", {"text-to-image": group})}


ANSWERS = {
    ("replicate", "o/warm"): ONLINE,
    ("replicate", "o/cold"): OFFLINE,
    ("replicate", "o/odd"): UNKNOWN,
    ("replicate", "o/down"): DOWN,
    ("replicate", "o/new"): DOWN,
}


def test_each_answer_resolves_as_the_contract_says():
    state = live(warm="staging", cold="live", odd="live", down="live", pinned="live")
    plan = make_plan(declared(), state, statuses=ANSWERS)
    by_key = {a.key: a for a in plan.actions}
    assert set(by_key) == {"org/warm", "org/cold", "org/new"}  # odd and down keep their live status
    warm, cold, new = by_key["org/warm"], by_key["org/cold"], by_key["org/new"]
    assert (warm.action, warm.change, warm.after.status) == ("update", "promote", "live")
    assert warm.auto.reason == "replicate says online" and warm.auto.answered
    assert (cold.action, cold.change, cold.after.status) == ("update", "demote", "staging")
    assert cold.auto.reason == "replicate says offline"
    assert (new.action, new.after.status) == ("create", "staging")
    assert new.auto.reason.endswith("created as staging, the Hub's default") and not new.auto.answered
    unresolved = {u.key: u.resolution for u in plan.auto_unresolved}
    assert set(unresolved) == {"org/odd", "org/down", "org/new"}
    assert unresolved["org/odd"].reason == (
        "replicate answered 'booting', which hfmap does not know; the live status 'live' is kept"
    )
    assert unresolved["org/odd"].said == "booting"
    assert "did not answer" in unresolved["org/down"].reason


def test_the_plan_json_carries_the_resolution_and_its_reason():
    plan = make_plan(declared(), live(warm="staging", cold="live", odd="live", down="live", pinned="live"),
                     statuses=ANSWERS).to_json()  # fmt: skip
    warm = next(a for a in plan["actions"] if a["key"] == "org/warm")
    assert warm["after"]["status"] == "live"
    assert warm["auto"] == {
        "status": "live",
        "reason": "replicate says online",
        "said": "online",
        "answered": True,
    }
    assert [u["key"] for u in plan["auto_unresolved"]] == ["org/down", "org/new", "org/odd"]


def test_the_hash_covers_the_resolved_status_not_the_wording():
    state = live(warm="staging", cold="live", odd="live", down="live", pinned="live")
    base = make_plan(declared(), state, statuses=ANSWERS)
    # the provider now says offline for the new model: still "create as staging", the same write
    reworded = make_plan(declared(), state, statuses={**ANSWERS, ("replicate", "o/new"): OFFLINE})
    assert reworded.hash == base.hash
    assert next(a for a in reworded.actions if a.key == "org/new").auto.reason == "replicate says offline"
    # the provider now says online for the new model: "create as live" is another write
    warmer = make_plan(declared(), state, statuses={**ANSWERS, ("replicate", "o/new"): ONLINE})
    assert warmer.hash != base.hash
    # declaring the resolved status outright plans the very same writes, with the same hash
    explicit_text = FILE.replace("defaults: {status: auto}", "defaults: {status: live}").replace(
        "org/cold, providerModel: o/cold, task: text-to-image}",
        "org/cold, providerModel: o/cold, task: text-to-image, status: staging}",
    )
    explicit = declared(
        explicit_text.replace("o/new, task: text-to-image}", "o/new, task: text-to-image, status: staging}")
    )
    assert make_plan(explicit, state).hash == base.hash


def test_without_answers_nothing_is_demoted_and_creates_are_staging():
    plan = make_plan(declared(), live(warm="live", cold="live", odd="staging", down="live", pinned="live"))
    assert [(a.action, a.key, a.after.status) for a in plan.actions] == [("create", "org/new", "staging")]
    assert {u.key for u in plan.auto_unresolved} == {"org/warm", "org/cold", "org/odd", "org/down", "org/new"}
    assert all("was not asked" in u.resolution.reason for u in plan.auto_unresolved)


def test_a_mapping_in_error_falls_back_on_staging_without_an_answer():
    resolution = resolve("replicate", DOWN, "error")
    assert resolution.status == "staging" and "'error' cannot be written" in resolution.reason


def test_only_auto_status_keeps_just_the_auto_promotes_and_demotes():
    text = FILE + "  - {hfModel: org/plain, providerModel: o/plain, task: text-to-image, status: live}\n"
    state = live(warm="staging", cold="live", odd="live", down="live", pinned="staging", gone="live")
    full = make_plan(declared(text), state, statuses=ANSWERS)
    assert {a.action for a in full.actions} == {"create", "update", "delete"}
    narrowed = select(full, "auto-status")
    assert [(a.action, a.key) for a in narrowed.actions] == [("update", "org/cold"), ("update", "org/warm")]
    excluded = {(e.action, e.key) for e in narrowed.selection.excluded}
    assert excluded == {("create", "org/new"), ("create", "org/plain"), ("update", "org/pinned"),
                        ("delete", "org/gone")}  # fmt: skip
    as_json = narrowed.to_json()
    assert as_json["selected"] == "auto-status" and len(as_json["excluded"]) == 4
    assert as_json["summary"] == {"create": 0, "update": 2, "replace": 0, "delete": 0}
    assert narrowed.hash != full.hash


def test_tag_filters_and_explicit_statuses_are_never_asked():
    text = """
    provider: replicate
    mappings:
      - {hfModel: org/a, providerModel: o/a, task: text-to-image, status: auto}
      - {hfModel: org/b, providerModel: "o/a:123", task: text-to-image, status: auto}
      - {hfModel: org/c, providerModel: o/c, task: text-to-image, status: live}
    """
    assert auto_questions(declared(text)) == {"replicate": ["o/a", "o/a:123"]}


ANSWER = st.one_of(
    st.none(),
    st.builds(StatusAnswer, st.one_of(st.none(), st.text(max_size=10)), st.none(), st.text(max_size=20)),
    st.sampled_from([ONLINE, OFFLINE]),
)


@given(answer=ANSWER, live_status=st.sampled_from([None, "live", "staging", "error", "weird"]))
def test_auto_never_changes_a_writable_status_without_an_answer_that_decides(answer, live_status):
    resolution = resolve("replicate", answer, live_status)
    assert resolution.status in ("live", "staging")
    decided = answer is not None and answer.status is not None
    assert resolution.answered == decided
    if decided:
        assert resolution.status == answer.status
    elif live_status in ("live", "staging"):
        assert resolution.status == live_status  # never demoted (nor promoted) on an error
    else:
        assert resolution.status == "staging"  # the Hub's default, the safe choice
