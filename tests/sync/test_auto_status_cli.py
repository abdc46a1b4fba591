"""`status: auto`, `apply --only-auto-status` and `apply --retest` end to end against the emulator."""

from __future__ import annotations

import json

import pytest

from emulator import Fault

AUTO_FILE = """
provider: replicate
defaults: {status: auto}
mappings:
  - {hfModel: org/warm, providerModel: o/warm, task: text-to-image}
  - {hfModel: org/cold, providerModel: o/cold, task: text-to-image}
  - {hfModel: org/new, providerModel: o/new, task: text-to-image}
"""


@pytest.fixture
def web(world, monkeypatch):
    """Point the Replicate status source at the emulator's website route."""
    monkeypatch.setenv("HFMAP_REPLICATE_WEB_URL", f"{world.hub.url}/web/replicate")
    return world.hub


def seed_auto(world) -> None:
    world.live("replicate", "org/warm", "o/warm", status="staging")
    world.live("replicate", "org/cold", "o/cold", status="live")
    world.model("org/new")
    world.hub.set_web_status("o/warm", "online")
    world.hub.set_web_status("o/cold", "offline")
    world.hub.set_web_status("o/new", "online")
    world.file("r.yaml", AUTO_FILE)


def web_requests(hub) -> list[str]:
    return [r.path for r in hub.requests if r.path.startswith("/web/")]


def test_plan_shows_why_each_auto_status_changes(world, web):
    seed_auto(world)
    text = world.hfmap("plan", str(world.dir))
    assert text.exit_code == 0, text.stderr
    assert "  ~ org/warm  # update (promote; auto: replicate says online)" in text.stdout
    assert "  ~ org/cold  # update (demote; auto: replicate says offline)" in text.stdout
    assert "  + org/new  # create (auto: replicate says online)" in text.stdout
    plan = world.plan_json()
    new = next(a for a in plan["actions"] if a["key"] == "org/new")
    assert new["after"]["status"] == "live" and new["auto"]["said"] == "online"
    assert sorted(web_requests(web)) == sorted(
        2 * [f"/web/replicate/o/{m}/status" for m in ("cold", "new", "warm")]
    )
    assert all("authorization" not in r.headers for r in web.requests if r.path.startswith("/web/"))
    markdown = world.hfmap("plan", "--format", "markdown", str(world.dir)).stdout
    assert "🔵 update (promote) (auto: replicate says online)" in markdown


def test_apply_writes_the_resolved_statuses_and_converges(world, web):
    seed_auto(world)
    approved = world.plan_json()["hash"]
    result, report = world.apply("--expect-hash", approved)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert {k: r["status"] for k, r in world.records("replicate").items()} == {
        "org/warm": "live",
        "org/cold": "staging",
        "org/new": "live",
    }
    world.hub.clear_log()
    result, report = world.apply()
    assert result.exit_code == 0 and report["results"] == [] and world.hub.writes == []


def test_a_provider_that_does_not_answer_never_demotes_anything(world, web):
    seed_auto(world)
    world.hub.inject(Fault(path="/web/replicate/*", kind="status", status=503, times=None))
    plan = world.plan_json()
    assert [(a["action"], a["key"], a["after"]["status"]) for a in plan["actions"]] == [
        ("create", "org/new", "staging")
    ]
    assert {u["key"]: u["status"] for u in plan["auto_unresolved"]} == {
        "org/cold": "live",
        "org/new": "staging",
        "org/warm": "staging",
    }
    text = world.hfmap("plan", str(world.dir)).stdout
    assert (
        "? org/cold: status auto → live: replicate answered HTTP 503; the live status 'live' is kept" in text
    )
    assert "created as staging, the Hub's default" in text
    result, _report = world.apply()
    assert result.exit_code == 0
    assert [(m, s) for m, _, s in world.hub.writes] == [("POST", 200)]
    assert world.records("replicate")["org/cold"]["status"] == "live"


def test_only_auto_status_writes_only_auto_status_changes(world, web):
    """A scheduled sync that follows warmth must never create, replace or delete, even when the files
    say so: those wait for a reviewed apply."""
    seed_auto(world)
    world.live("replicate", "org/gone", "o/gone")  # declared nowhere: the full plan deletes it
    world.live("replicate", "org/moved", "o/old")  # declared with another providerModel: replace
    world.live("replicate", "org/fixed", "o/fixed", status="staging")  # explicit live: an update
    world.file(
        "more.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/moved, providerModel: o/moved, task: text-to-image, status: live}
          - {hfModel: org/fixed, providerModel: o/fixed, task: text-to-image, status: live}
    """,
    )
    full = world.plan_json()
    assert {a["action"] for a in full["actions"]} == {"create", "update", "replace", "delete"}
    world.hub.clear_log()
    result, report = world.apply("--only-auto-status")  # no --expect-hash needed
    assert result.exit_code == 0, result.stdout + result.stderr
    assert sorted((m, p.rsplit("/", 2)[-2]) for m, p, _ in world.hub.writes) == sorted(
        ("PUT", world.hub.mapping("replicate", key)["_id"]) for key in ("org/warm", "org/cold")
    )
    assert report["selected"] == "auto-status" and report["verified"] is True
    # the selection is in place, and no more than that is claimed
    assert report["remaining"] == [] and report["matches_files"] is False
    assert sorted((e["action"], e["key"]) for e in report["excluded"]) == [
        ("create", "org/new"),
        ("delete", "org/gone"),
        ("replace", "org/moved"),
        ("update", "org/fixed"),
    ]
    assert all("--only-auto-status" in e["reason"] for e in report["excluded"])
    records = world.records("replicate")
    assert (
        "org/new" not in records
        and "org/gone" in records
        and records["org/moved"]["providerModel"] == "o/old"
    )
    # nothing left to follow: the next sync writes nothing and does not even ask whoami
    world.hub.clear_log()
    result, report = world.apply("--only-auto-status")
    assert result.exit_code == 0 and report["results"] == [] and len(report["excluded"]) == 4
    assert world.hub.writes == [] and not any(r.path == "/api/whoami-v2" for r in world.hub.requests)
    text = world.hfmap("apply", "--yes", "--only-auto-status", str(world.dir), token="hf_plantestwritetoken")
    assert "No changes to carry out (--only-auto-status)." in text.stdout
    assert "Left out by --only-auto-status: 4 other change(s)" in text.stdout


def test_plan_only_auto_status_previews_the_sync(world, web):
    seed_auto(world)
    plan = world.plan_json("--only-auto-status")
    assert [a["key"] for a in plan["actions"]] == ["org/cold", "org/warm"]
    assert [e["key"] for e in plan["excluded"]] == ["org/new"]


def test_a_mass_demotion_by_auto_still_needs_force(world, web):
    lines = ["provider: replicate", "defaults: {status: auto}", "mappings:"]
    for i in range(12):
        world.live("replicate", f"org/m{i}", f"o/m{i}")
        world.hub.set_web_status(f"o/m{i}", "offline")
        lines.append(f"  - {{hfModel: org/m{i}, providerModel: o/m{i}, task: text-to-image}}")
    world.file("r.yaml", "\n".join(lines) + "\n")
    result, report = world.apply("--only-auto-status")
    assert result.exit_code == 3 and report["refused"]["code"] == "unsafe"
    assert world.hub.writes == []


def test_selections_that_cannot_mix_are_usage_errors(world, web):
    seed_auto(world)
    for args in (("--only-auto-status", "--retest-errors"), ("--retest", "  ")):
        result, _ = world.apply(*args)
        assert result.exit_code == 2, result.stderr
    assert world.hub.writes == []


RETEST_FILE = """
provider: replicate
defaults: {status: live}
mappings:
  - {hfModel: org/a, providerModel: o/a, task: text-to-image}
  - {hfModel: org/b, providerModel: o/b, task: text-to-image}
  - {hfModel: org/ok, providerModel: o/ok, task: text-to-image}
  - {hfModel: org/new, providerModel: o/new, task: text-to-image}
  - hfFilter: [lora, "base_model:adapter:org/base"]
    providerModel: o/lora
    task: text-to-image
    adapterType: lora
"""


def seed_errors(world) -> dict[str, str]:
    ids = {
        "a": world.live("replicate", "org/a", "o/a", status="error"),
        "b": world.live("replicate", "org/b", "o/b", status="error"),
        "ok": world.live("replicate", "org/ok", "o/ok"),
        "lora": world.hub.seed_tag_filter(
            "replicate", "text-to-image", ["lora", "base_model:adapter:org/base"], "o/lora", status="error"
        ),
        "gone": world.live("replicate", "org/gone", "o/gone"),
    }
    world.model("org/new")
    world.file("r.yaml", RETEST_FILE)
    return ids


def test_the_plan_lists_mappings_in_error_with_the_command_to_retest_them(world):
    seed_errors(world)
    text = world.hfmap("plan", str(world.dir)).stdout
    assert "! org/a: status 'error' on the Hub (declared live); set by the Hub's own tests" in text
    assert "to have it tested again: hfmap apply --retest replicate:org/a" in text
    assert "hfmap apply --retest replicate:tag-filter=base_model:adapter:org/base,lora" in text
    plan = world.plan_json()
    assert not any(a["action"] == "retest" for a in plan["actions"])  # never automatic
    assert "retest" not in plan["summary"]
    markdown = world.hfmap("plan", "--format", "markdown", str(world.dir)).stdout
    assert "<code>hfmap apply --retest-errors</code>" in markdown


def test_retest_sends_one_put_per_named_error_mapping_and_nothing_else(world):
    ids = seed_errors(world)
    world.hub.clear_log()
    result, report = world.apply(
        "--retest", "org/a", "--retest", "replicate:tag-filter=base_model:adapter:org/base,lora"
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert sorted(world.hub.writes) == sorted(
        [
            ("PUT", f"/api/partners/replicate/models/{ids['a']}/status", 200),
            ("PUT", f"/api/partners/replicate/models/{ids['lora']}/status", 200),
        ]
    )
    assert [(r["action"], r["key"], r["outcome"]) for r in report["results"]] == [
        ("retest", "org/a", "done"),
        ("retest", "tag-filter=base_model:adapter:org/base,lora", "done"),
    ]
    assert {(e["action"], e["key"]) for e in report["excluded"]} == {
        ("create", "org/new"),
        ("delete", "org/gone"),
    }
    records = world.records("replicate")
    assert records["org/a"]["status"] == "live" and records["org/b"]["status"] == "error"
    assert "org/gone" in records and "org/new" not in records


def test_retest_errors_retests_every_mapping_in_error(world):
    ids = seed_errors(world)
    plan = world.plan_json("--retest-errors")
    assert plan["summary"]["retest"] == 3 and plan["selected"] == "retest"
    world.hub.clear_log()
    result, _report = world.apply("--retest-errors", "--expect-hash", plan["hash"])
    assert result.exit_code == 0, result.stdout + result.stderr
    puts = sorted(p for m, p, _ in world.hub.writes if m == "PUT")
    assert puts == sorted(f"/api/partners/replicate/models/{ids[k]}/status" for k in ("a", "b", "lora"))
    assert len(world.hub.writes) == 3
    text = world.hfmap("plan", "--retest-errors", str(world.dir)).stdout
    assert text.splitlines()[-1] == "No changes to carry out (--retest)."


def test_retest_refuses_unknown_keys_and_says_which_are_not_in_error(world):
    seed_errors(world)
    world.hub.clear_log()
    result, _ = world.apply("--retest", "org/typo")
    assert result.exit_code == 2 and "--retest org/typo: no mapping file declares this key" in result.stderr
    result, _ = world.apply("--retest", "together:org/a")
    assert result.exit_code == 2
    assert world.hub.writes == []
    result, report = world.apply("--retest", "org/ok", "--retest", "ORG/A")
    assert result.exit_code == 0
    assert report["not_retested"] == ["replicate:org/ok (status live)"]
    assert [r["key"] for r in report["results"]] == ["org/a"]
    text = world.hfmap("plan", "--retest", "org/ok", str(world.dir)).stdout
    assert "Not retested: replicate:org/ok (status live): it is not in status 'error'" in text


def test_a_retest_the_hub_fails_again_is_caught_by_wait(world):
    world.hub.validation_delay = 0.05
    seed_errors(world)
    world.hub.fail_validation("replicate", "o/a")
    result, report = world.apply("--retest", "org/a", "--wait=0.8s")
    assert result.exit_code == 1
    assert [f["key"] for f in report["wait"]["failed"]] == ["org/a"]
    assert json.dumps(report).count("hf_plantestwritetoken") == 0


def test_an_unknown_retest_key_is_a_usage_error_before_any_request(tmp_path, run_cli):
    """A typo in --retest is said at once, even when the Hub cannot be reached."""
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "m.yaml").write_text(
        "provider: replicate\nmappings:\n  - hfModel: org/a\n    providerModel: o/a\n"
        "    task: text-to-image\n    status: live\n",
        encoding="utf-8",
    )
    result = run_cli("--token", "hf_unused_token", "apply", "--retest", "org/typo", str(folder))
    assert result.exit_code == 2, result.output
    assert "org/typo" in result.stderr and "cannot read the live mapping" not in result.stderr


def test_named_keys_with_retest_errors_report_only_the_named_keys_not_retested(world):
    """--retest KEY and --retest-errors together: every mapping in error is retested, and the report of
    what was not retested names only the KEYs given (not every create of the plan)."""
    seed_errors(world)
    plan = world.plan_json("--retest", "org/ok", "--retest-errors")
    assert plan["summary"]["retest"] == 3
    assert plan["not_retested"] == ["replicate:org/ok (status live)"]  # not the create of org/new
    plan = world.plan_json("--retest", "org/ok", "--retest", "org/new", "--retest-errors")
    assert sorted(plan["not_retested"]) == [
        "replicate:org/new (not on the Hub yet)",
        "replicate:org/ok (status live)",
    ]
