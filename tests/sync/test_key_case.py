"""Hub repo ids are case-insensitive: a file may spell a model `org/model-a` while the Hub lists it under
its canonical `Org/Model-A`. That must never plan a delete + create of the same mapping (apply would
then see the POST refused with 409 and delete the live mapping, and every later apply flips it again).
"""

from __future__ import annotations

import json

LOWER = """
    provider: replicate
    mappings:
      - {hfModel: org/model-a, providerModel: o/a, task: text-to-image, status: live}
"""


def test_a_case_only_difference_is_the_same_mapping(world):
    world.live("replicate", "Org/Model-A", "o/a")
    world.file("r.yaml", LOWER)
    result = world.hfmap("plan", "--detailed-exitcode", str(world.dir))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "No changes." in result.stdout
    plan = world.plan_json()
    assert plan["actions"] == [] and plan["summary"]["delete"] == 0


def test_a_real_change_under_a_case_only_difference_addresses_the_live_mapping(world):
    live_id = world.live("replicate", "Org/Model-A", "o/old", status="staging")
    world.file("r.yaml", LOWER.replace("o/a", "o/new"))
    plan = world.plan_json()
    assert [(a["action"], a["key"]) for a in plan["actions"]] == [("replace", "Org/Model-A")]
    result, report = world.apply()
    assert result.exit_code == 0, result.stdout + result.stderr
    assert report["verified"] is True
    assert world.records("replicate") == {
        "Org/Model-A": {
            "hfModel": "Org/Model-A",
            "task": "text-to-image",
            "providerModel": "o/new",
            "status": "live",
        }
    }
    assert live_id not in json.dumps(world.hub.mappings("replicate"))


def test_apply_never_deletes_a_mapping_the_file_spells_in_another_case(world):
    world.live("replicate", "Org/Model-A", "o/a")
    world.file("r.yaml", LOWER)
    result, report = world.apply()
    assert result.exit_code == 0, result.stdout + result.stderr
    assert report["results"] == [] and report["verified"] is True
    assert world.hub.writes == []
    assert list(world.records("replicate")) == ["Org/Model-A"]


def test_creating_with_another_case_verifies_against_the_hubs_canonical_id(world):
    world.model("Org/New")
    world.file("r.yaml", LOWER.replace("org/model-a", "org/new"))
    result, report = world.apply()
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [(r["action"], r["outcome"]) for r in report["results"]] == [("create", "done")]
    assert report["verified"] is True
    assert world.plan_json()["actions"] == []


def test_two_entries_differing_only_in_case_cannot_be_planned(world):
    world.live("replicate", "Org/Model-A", "o/a")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: Org/Model-A, providerModel: o/a, task: text-to-image, status: live}
          - {hfModel: org/model-a, providerModel: o/b, task: text-to-image, status: live}
    """,
    )
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 1
    # caught by lint's duplicate-mapping before anything is read from the Hub, at both places
    assert "'Org/Model-A'" in result.stderr and "'org/model-a'" in result.stderr
    assert "r.yaml:3:" in result.stderr and "r.yaml:4:" in result.stderr
    assert "[duplicate-mapping]" in result.stderr and "Traceback" not in result.stderr


def test_an_ignore_pattern_protects_a_repo_id_whatever_its_case(world):
    world.live("replicate", "Zeke/Experiment", "z/e")
    world.live("replicate", "org/stray", "o/s")
    world.file(
        "r.yaml",
        """
        provider: replicate
        ignore: ["zeke/*"]
        mappings: []
    """,
    )
    plan = world.plan_json()
    assert [(a["action"], a["key"]) for a in plan["actions"]] == [("delete", "org/stray")]
    assert plan["providers"]["replicate"]["ignored"] == 1
