"""`--target`, saved plans (`plan -o` / `apply --plan-file`) and what apply claims after a selection."""

from __future__ import annotations

import json
import shlex

import pytest

FILE = """
    provider: replicate
    defaults: {status: live}
    mappings:
      - {hfModel: org/new, providerModel: o/new, task: text-to-image}
      - {hfModel: org/other, providerModel: o/other, task: text-to-image}
      - {hfModel: org/moved, providerModel: o/moved, task: text-to-image}
"""


@pytest.fixture
def pending(world):
    """A create, another create, a replace and a delete pending, among 10 unchanged mappings."""
    for i in range(10):
        world.live("replicate", f"org/k{i}", f"o/k{i}")
    world.model("org/new")
    world.model("org/other")
    world.live("replicate", "org/moved", "o/old")
    world.live("replicate", "org/gone", "o/gone")
    keep = "".join(
        f"      - {{hfModel: org/k{i}, providerModel: o/k{i}, task: text-to-image}}\n" for i in range(10)
    )
    world.file("r.yaml", FILE + keep)
    return world


def test_target_plans_and_applies_only_the_named_keys(pending):
    world = pending
    plan = world.plan_json("--target", "org/new", "--target", "replicate:org/gone")
    assert sorted((a["action"], a["key"]) for a in plan["actions"]) == [
        ("create", "org/new"),
        ("delete", "org/gone"),
    ]
    assert sorted(e["key"] for e in plan["excluded"]) == ["org/moved", "org/other"]
    assert all(e["reason"] == "not named by --target" for e in plan["excluded"])
    result, report = world.apply("--target", "org/new", "--target", "replicate:org/gone")
    assert result.exit_code == 0, result.stdout + result.stderr
    records = world.records("replicate")
    assert "org/new" in records and "org/gone" not in records
    assert "org/other" not in records and records["org/moved"]["providerModel"] == "o/old"  # left alone
    assert report["verified"] is True and report["remaining"] == [] and report["matches_files"] is False
    assert sorted(e["key"] for e in report["excluded"]) == ["org/moved", "org/other"]


def test_target_keys_compare_as_the_hub_does(pending):
    plan = pending.plan_json("--target", "ORG/New")
    assert [a["key"] for a in plan["actions"]] == ["org/new"]


def test_an_unknown_target_is_a_usage_error_with_a_guess(pending):
    result = pending.hfmap("plan", "--target", "org/nwe", str(pending.dir))
    assert result.exit_code == 2
    assert "--target org/nwe" in result.stderr and "did you mean 'org/new'?" in result.stderr
    applied, _ = pending.apply("--target", "org/nwe")
    assert applied.exit_code == 2 and pending.hub.writes == []


def test_target_does_not_mix_with_another_selection(pending):
    result = pending.hfmap("plan", "--target", "org/new", "--only-auto-status", str(pending.dir))
    assert result.exit_code == 2 and "use one" in result.stderr


def test_text_report_after_a_selection_never_claims_the_files_match(pending, token):
    world = pending
    result = world.hfmap("apply", "--yes", "--target", "org/new", str(world.dir), token=token)
    assert result.exit_code == 0, result.stderr
    assert "matches the files" not in result.stdout
    assert "Verified: the changes selected by --target are in place." in result.stdout
    assert "3 other difference(s) remain, left alone by --target" in result.stdout
    markdown = world.hfmap(
        "apply", "--yes", "--format", "markdown", "--target", "org/new", str(world.dir), token=token
    )
    assert "Hub matches the files" not in markdown.stdout


def test_a_saved_plan_applies_with_its_own_selection(pending, token, tmp_path):
    world = pending
    saved = tmp_path / "plan.json"
    planned = world.hfmap("plan", "-o", str(saved), "--target", "org/new", str(world.dir))
    assert planned.exit_code == 0, planned.stderr
    document = json.loads(saved.read_text())
    assert document["selection"] == {
        "paths": [str(world.dir)],
        "target": ["org/new"],
        "only_auto_status": False,
        "retest": [],
        "retest_errors": False,
    }
    assert document["hfmap_version"]
    result = world.hfmap("apply", "--plan-file", str(saved), "--format", "json", token=token)  # no terminal
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [r["key"] for r in json.loads(result.stdout)["results"]] == ["org/new"]
    assert "org/new" in world.records("replicate") and "org/gone" in world.records("replicate")


def test_a_saved_plan_is_refused_when_the_hub_changed_since(pending, token, tmp_path):
    world = pending
    saved = tmp_path / "plan.json"
    world.hfmap("plan", "-o", str(saved), str(world.dir))
    world.live("replicate", "org/surprise", "o/s")  # someone else wrote meanwhile
    world.hub.clear_log()
    result = world.hfmap("apply", "--plan-file", str(saved), token=token)
    assert result.exit_code == 3
    fresh = world.plan_json()["hash"]
    assert json.loads(saved.read_text())["hash"] in result.stderr and fresh in result.stderr
    assert world.hub.writes == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["actions"][0]["after"].update(providerModel="evil/model"), "was edited"),
        (lambda d: d["actions"].pop(), "was edited"),
        (lambda d: d.update(version=2), "plan format version 2"),
        (lambda d: d.pop("selection"), "is not a saved plan"),
        (lambda d: d["selection"].update(target="org/new"), "not a list of strings"),
    ],
)
def test_an_edited_or_foreign_plan_file_is_refused(pending, token, tmp_path, edit, message):
    world = pending
    saved = tmp_path / "plan.json"
    world.hfmap("plan", "-o", str(saved), str(world.dir))
    document = json.loads(saved.read_text())
    edit(document)
    saved.write_text(json.dumps(document))
    world.hub.clear_log()
    result = world.hfmap("apply", "--plan-file", str(saved), token=token)
    assert result.exit_code == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr
    assert world.hub.requests == []


def test_a_plan_file_that_is_not_json_is_refused(world, token, tmp_path):
    saved = tmp_path / "plan.json"
    saved.write_bytes(b"\xff\xfe not json")
    result = world.hfmap("apply", "--plan-file", str(saved), token=token)
    assert result.exit_code == 3 and "is not JSON" in result.stderr


def test_plan_file_with_paths_or_selection_is_a_usage_error(pending, token, tmp_path):
    saved = tmp_path / "plan.json"
    pending.hfmap("plan", "-o", str(saved), str(pending.dir))
    result = pending.hfmap("apply", "--plan-file", str(saved), "--target", "org/new", token=token)
    assert result.exit_code == 2 and "--plan-file fixes" in result.stderr


@pytest.mark.parametrize("config", ["paths = ['mappings']\n", "[apply]\npaths = ['mappings']\n"])
def test_a_config_file_with_paths_does_not_block_a_plan_file(world, token, monkeypatch, config):
    """`paths` in hfmap.toml is a default, not PATHS typed next to --plan-file: the plan file fixes them."""
    world.model("org/a")
    world.file("r.yaml", "provider: replicate\nmappings:\n  - {hfModel: org/a, providerModel: o/a, "
               "task: text-to-image, status: live}\n")  # fmt: skip
    (world.dir.parent / "hfmap.toml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(world.dir.parent)
    assert world.hfmap("plan", "-o", "plan.json", "mappings").exit_code == 0
    typed = world.hfmap("apply", "--plan-file", "plan.json", "mappings", token=token)
    assert typed.exit_code == 2 and "--plan-file fixes" in typed.stderr  # typed PATHS still clash
    result = world.hfmap("apply", "--plan-file", "plan.json", token=token)
    assert result.exit_code == 0, result.stderr
    assert "org/a" in world.records("replicate")


def test_the_text_plan_ends_with_the_command_that_applies_it(world, token, tmp_path):
    folder = tmp_path / "my mappings"
    folder.mkdir()
    world.model("org/a")
    (folder / "r.yaml").write_text(
        "provider: replicate\nmappings:\n  - {hfModel: org/a, providerModel: o/a, "
        "task: text-to-image, status: live}\n"
    )
    text = world.hfmap("plan", "--target", "org/a", str(folder))
    assert text.exit_code == 0, text.stderr
    last = text.stdout.rstrip().splitlines()[-1]
    command = last.removeprefix("To apply exactly this plan: ")
    argv = shlex.split(command)
    assert argv[:3] == ["hfmap", "apply", "--expect-hash"] and argv[-1] == str(folder)
    result = world.hfmap(*argv[1:], token=token)  # the command as printed, run without a terminal
    assert result.exit_code == 0, result.stderr
    assert "org/a" in world.records("replicate")


def test_a_forged_plan_file_with_a_recomputed_hash_still_writes_nothing(pending, token, tmp_path):
    """Whoever edits a saved plan and fixes its hash gets past the file check, but not the fresh plan."""
    from hfmap.mapping.plan import semantic_hash
    from hfmap.sync.saved import SEMANTIC_KEYS

    world = pending
    saved = tmp_path / "plan.json"
    world.hfmap("plan", "-o", str(saved), str(world.dir))
    document = json.loads(saved.read_text())
    document["actions"] = [a for a in document["actions"] if a["action"] != "delete"]
    document["actions"][0]["after"]["providerModel"] = "evil/model"
    document["hash"] = semantic_hash([{k: a.get(k) for k in SEMANTIC_KEYS} for a in document["actions"]])
    saved.write_text(json.dumps(document))
    world.hub.clear_log()
    result = world.hfmap("apply", "--plan-file", str(saved), token=token)
    assert result.exit_code == 3
    assert document["hash"] in result.stderr and world.plan_json()["hash"] in result.stderr
    assert world.hub.writes == []


def test_plan_reports_needs_force_for_a_small_provider_and_still_succeeds(world, token):
    for name in "abcd":
        world.live("replicate", f"org/{name}", f"o/{name}")
    world.file("r.yaml", "provider: replicate\nmappings: []\n")
    plan = world.plan_json()
    assert plan["needs_force"] is True
    assert plan["safety"]["reasons"] == ["replicate: all 4 live mappings would be deleted"]
    text = world.hfmap("plan", str(world.dir))
    assert text.exit_code == 0 and "This plan needs --force to apply:" in text.stdout
    refused, report = world.apply()
    assert refused.exit_code == 3 and report["refused"]["code"] == "unsafe" and world.hub.writes == []
    forced, report = world.apply("--force")
    assert forced.exit_code == 0, forced.stdout + forced.stderr
    assert world.records("replicate") == {}
