"""The diff, the hash and the safety verdict, on files and live payloads (no network)."""

from __future__ import annotations

import textwrap

import pytest

from hfmap.clients.partner import parse_live
from hfmap.errors import HfmapError
from hfmap.files.load import load_text
from hfmap.files.model import Declared
from hfmap.mapping.safety import SafetyLimits
from hfmap.sync.plan import make_plan


def declared(*texts: str) -> Declared:
    files = []
    for i, text in enumerate(texts):
        file, findings = load_text(textwrap.dedent(text).lstrip(), f"m{i}.yaml")
        assert file is not None and not findings
        files.append(file)
    return Declared(files)


def single(pm: str, status: str = "live", mapping_id: str = "a" * 24, **extra) -> dict:
    return {"_id": mapping_id, "providerId": pm, "status": status, **extra}


def live(provider: str, payload: dict):
    return {provider: parse_live(provider, payload)}


REPLICATE = """
provider: replicate
defaults: {status: live}
mappings:
  - hfModel: org/same
    providerModel: o/same
    task: text-to-image
  - hfModel: org/new
    providerModel: o/new
    task: text-to-image
  - hfModel: org/promote
    providerModel: o/p
    task: text-to-image
  - hfModel: org/demote
    providerModel: o/d
    task: text-to-image
    status: staging
  - hfModel: org/moved
    providerModel: o/right
    task: text-to-image
  - hfModel: org/retasked
    providerModel: o/t
    task: image-to-image
  - hfFilter: [lora, "base_model:adapter:x/y"]
    providerModel: o/lora
    task: text-to-image
    adapterType: lora
"""

LIVE = {
    "text-to-image": {
        "org/same": single("o/same"),
        "org/promote": single("o/p", "staging"),
        "org/demote": single("o/d", "live"),
        "org/moved": single("o/wrong"),
        "org/retasked": single("o/t"),
        "org/gone": single("o/gone"),
        # live key with tags in another order than the file: same identity, no action
        "tag-filter=base_model:adapter:x/y,lora": {
            "_id": "b" * 24,
            "providerId": "o/lora",
            "status": "live",
            "adapterType": "lora",
            "tags": ["lora", "base_model:adapter:x/y"],
            "someFutureField": 1,
        },
    }
}


def test_every_action_kind_and_nothing_for_what_is_already_as_declared():
    plan = make_plan(declared(REPLICATE), live("replicate", LIVE))
    got = {(a.action, a.key): a for a in plan.actions}
    assert set(got) == {
        ("create", "org/new"),
        ("update", "org/promote"),
        ("update", "org/demote"),
        ("replace", "org/moved"),
        ("replace", "org/retasked"),
        ("delete", "org/gone"),
    }
    assert got[("update", "org/promote")].change == "promote"
    assert got[("update", "org/demote")].change == "demote"
    assert got[("update", "org/demote")].destructive
    assert not got[("update", "org/promote")].destructive
    assert got[("replace", "org/moved")].fields == ["providerModel"]
    assert got[("replace", "org/retasked")].fields == ["task"]
    assert got[("replace", "org/moved")].live_id == "a" * 24
    # contract order: creates, updates, replaces, deletes
    assert [a.action for a in plan.actions] == ["create", "update", "update", "replace", "replace", "delete"]
    assert plan.summary == {"create": 1, "update": 2, "replace": 2, "delete": 1}


def test_adapter_type_change_is_a_replace():
    files = declared(
        """
        provider: fal-ai
        mappings:
          - hfFilter: [lora]
            providerModel: p
            task: text-to-image
            adapterType: lora
            status: live
        """
    )
    state = {
        "text-to-image": {
            "tag-filter=lora": {
                "_id": "c" * 24,
                "providerId": "p",
                "status": "live",
                "adapterType": "other",
                "tags": ["lora"],
            }
        }
    }
    (action,) = make_plan(files, live("fal-ai", state)).actions
    assert (action.action, action.fields) == ("replace", ["adapterType"])


def test_prune_false_lists_unmanaged_and_ignore_hides_keys():
    files = declared(
        """
        provider: together
        prune: false
        ignore: ["togethercomputer/*"]
        mappings:
          - hfModel: org/a
            providerModel: a
            task: conversational
            status: live
        """
    )
    state = {
        "conversational": {"org/a": single("a"), "org/other": single("x"), "togethercomputer/ft": single("y")}
    }
    plan = make_plan(files, live("together", state))
    assert plan.actions == []
    assert [u.key for u in plan.unmanaged] == ["org/other"]
    assert plan.to_json()["unmanaged"][0]["live"]["providerModel"] == "x"


def test_ignored_keys_are_never_deleted_under_prune():
    files = declared(
        """
        provider: together
        ignore: ["togethercomputer/*", "tag-filter=*"]
        mappings: []
        """
    )
    state = {
        "conversational": {
            "togethercomputer/ft": single("y"),
            "org/x": single("x"),
            "tag-filter=a": {"_id": "d" * 24, "providerId": "z", "tags": ["a"]},
        }
    }
    plan = make_plan(files, live("together", state))
    assert [(a.action, a.key) for a in plan.actions] == [("delete", "org/x")]


def test_several_files_for_one_provider_are_merged():
    files = declared(
        """
        provider: replicate
        mappings:
          - {hfModel: org/a, providerModel: a, task: text-to-image, status: live}
        """,
        """
        provider: replicate
        mappings:
          - {hfModel: org/b, providerModel: b, task: text-to-image, status: live}
        """,
    )
    state = {"text-to-image": {"org/a": single("a"), "org/b": single("b")}}
    plan = make_plan(files, live("replicate", state))
    assert plan.actions == [] and plan.providers == ["replicate"]


def test_a_status_the_hub_set_is_shown_not_touched():
    files = declared(REPLICATE)
    state = {"text-to-image": dict(LIVE["text-to-image"])}
    state["text-to-image"]["org/same"] = single("o/same", "error")
    plan = make_plan(files, live("replicate", state))
    assert "org/same" not in {a.key for a in plan.actions}
    assert [(t.key, t.status, t.declared) for t in plan.attention] == [("org/same", "error", "live")]


def test_hash_depends_on_the_intended_change_only():
    files = declared(REPLICATE)
    first = make_plan(files, live("replicate", LIVE))
    # different ids, different live order, an unknown extra field: same intent
    reordered = {"text-to-image": {}}
    for i, (key, value) in enumerate(reversed(list(LIVE["text-to-image"].items()))):
        reordered["text-to-image"][key] = {**value, "_id": f"{i:024x}", "extra": True}
    second = make_plan(files, live("replicate", reordered), SafetyLimits(max_percent=1, max_count=1))
    assert first.hash == second.hash
    assert first.hash.startswith("sha256:") and len(first.hash) == 7 + 64
    changed = {"text-to-image": {**LIVE["text-to-image"], "org/moved": single("o/other-wrong")}}
    assert make_plan(files, live("replicate", changed)).hash != first.hash


def _provider_with(n_live: int, n_declared: int) -> tuple[Declared, dict]:
    entries = "\n".join(
        f"  - {{hfModel: org/m{i}, providerModel: p{i}, task: text-to-image, status: live}}"
        for i in range(n_declared)
    )
    files = declared(
        f"provider: replicate\nmappings:\n{entries}\n"
        if n_declared
        else "provider: replicate\nmappings: []\n"
    )
    state = {"text-to-image": {f"org/m{i}": single(f"p{i}", mapping_id=f"{i:024x}") for i in range(n_live)}}
    return files, live("replicate", state)


@pytest.mark.parametrize(
    ("n_live", "n_declared", "unsafe"),
    [
        (10, 7, False),  # 3 of 10 deleted: 30 % is not more than 30 %
        (10, 6, True),  # 4 of 10: 40 %
        (9, 0, True),  # all 9 deleted
        (4, 1, True),  # 3 of 4: a small provider counts too
        (5, 3, False),  # 2 of 5: fewer than 3 destructive actions
        (2, 0, True),  # every live mapping of a provider that has 2
        (1, 0, False),  # one mapping is not "every mapping of a provider"
        (200, 149, True),  # 51 deletes: more than 50 in number, though 25 %
    ],
)
def test_safety_thresholds(n_live, n_declared, unsafe):
    files, state = _provider_with(n_live, n_declared)
    plan = make_plan(files, state)
    assert plan.needs_force is unsafe
    if unsafe:
        assert plan.safety.reasons and ("limit" in plan.safety.reasons[0] or "all" in plan.safety.reasons[0])


def test_safety_limits_are_configurable_and_demotions_count():
    files, state = _provider_with(10, 6)
    assert not make_plan(files, state, SafetyLimits(max_percent=50)).needs_force
    demote = declared(
        "provider: replicate\nmappings:\n"
        + "\n".join(f"  - {{hfModel: org/m{i}, providerModel: p{i}, task: text-to-image}}" for i in range(10))
    )
    plan = make_plan(demote, state)  # status defaults to staging: ten demotions
    assert plan.summary["update"] == 10 and plan.needs_force
    assert "10 of 10 live mappings (100 %)" in plan.safety.reasons[0]


def test_live_garbage_is_one_clear_error():
    with pytest.raises(HfmapError, match="not in the expected shape: expected an object grouped by task"):
        parse_live("replicate", ["not", "a", "dict"])
    with pytest.raises(HfmapError, match="'text-to-image' → 'org/x' has no providerId"):
        parse_live("replicate", {"text-to-image": {"org/x": {"status": "live"}}})
    with pytest.raises(HfmapError, match="holds str"):
        parse_live("replicate", {"text-to-image": "oops"})


def test_live_records_use_the_file_vocabulary():
    state = parse_live("replicate", LIVE)
    mapping = state.get("tag-filter=base_model:adapter:x/y,lora")
    assert mapping.record.to_json() == {
        "hfFilter": ["base_model:adapter:x/y", "lora"],
        "providerModel": "o/lora",
        "task": "text-to-image",
        "status": "live",
        "adapterType": "lora",
    }
    assert mapping.id == "b" * 24 and mapping.extra == {"someFutureField": 1}
