"""`hfmap apply` against the Hub emulator: every action kind, the public tool's failures, refusals."""

from __future__ import annotations

import pytest

from emulator import Fault

MIXED = """
    provider: replicate
    defaults:
      status: live
    mappings:
      - {hfModel: org/keep, providerModel: o/keep, task: text-to-image}
      - {hfModel: org/new, providerModel: o/new, task: text-to-image}
      - {hfModel: org/fixed, providerModel: right/owner, task: text-to-image}
      - {hfModel: org/promote, providerModel: o/p, task: text-to-image}
      - {hfModel: org/demote, providerModel: o/d, task: text-to-image, status: staging}
      - hfFilter: [lora, "base_model:adapter:org/base"]
        providerModel: o/lora-v2
        task: text-to-image
        adapterType: lora
"""

# Unchanged mappings, so that the 4 destructive actions stay under the safety limit (30 % of the live ones).
PADDING = [f"org/pad{i}" for i in range(10)]
MIXED += "".join(
    f"      - {{hfModel: {key}, providerModel: o/pad, task: text-to-image}}\n" for key in PADDING
)

EXPECTED = {
    **{key: ("o/pad", "live") for key in PADDING},
    "org/keep": ("o/keep", "live"),
    "org/new": ("o/new", "live"),
    "org/fixed": ("right/owner", "live"),
    "org/promote": ("o/p", "live"),
    "org/demote": ("o/d", "staging"),
    "tag-filter=base_model:adapter:org/base,lora": ("o/lora-v2", "live"),
}


def seed(world) -> dict[str, str]:
    world.model("org/new")
    for key in PADDING:
        world.live("replicate", key, "o/pad")
    ids = {
        "keep": world.live("replicate", "org/keep", "o/keep"),
        "fixed": world.live("replicate", "org/fixed", "wrong/owner"),
        "promote": world.live("replicate", "org/promote", "o/p", status="staging"),
        "demote": world.live("replicate", "org/demote", "o/d"),
        "removed": world.live("replicate", "org/removed", "o/removed"),
        "lora": world.hub.seed_tag_filter(
            "replicate", "text-to-image", ["lora", "base_model:adapter:org/base"], "o/lora"
        ),
    }
    world.file("replicate.yaml", MIXED)
    return ids


def state(world) -> dict[str, tuple[str, str]]:
    return {key: (r["providerModel"], r["status"]) for key, r in world.records("replicate").items()}


def test_mixed_plan_applies_verifies_and_a_rerun_does_nothing(world):
    ids = seed(world)
    result, report = world.apply()
    assert result.exit_code == 0, result.stdout + result.stderr
    assert report["applied"] is True and report["refused"] is None and report["verified"] is True
    assert report["remaining"] == []
    assert report["summary"] == {"done": 6, "failed": 0, "skipped": 0}
    assert {(r["action"], r["key"], r["outcome"]) for r in report["results"]} == {
        ("create", "org/new", "done"),
        ("update", "org/promote", "done"),
        ("update", "org/demote", "done"),
        ("replace", "org/fixed", "done"),
        ("replace", "tag-filter=base_model:adapter:org/base,lora", "done"),
        ("delete", "org/removed", "done"),
    }
    assert state(world) == EXPECTED
    # only the status of updated mappings was PUT; nothing else was touched
    puts = [path for method, path, _ in world.hub.writes if method == "PUT"]
    assert sorted(puts) == sorted(
        f"/api/partners/replicate/models/{ids[k]}/status" for k in ("promote", "demote")
    )
    assert not any(ids["keep"] in path for _, path, _ in world.hub.writes)
    # contract order: creates, updates, replaces (DELETE then POST), deletes
    methods = [m for m, _, _ in world.hub.writes]
    assert methods[0] == "POST" and methods[-1] == "DELETE"
    world.hub.clear_log()
    result, report = world.apply()
    assert result.exit_code == 0 and report["results"] == [] and report["verified"] is True
    assert world.hub.writes == []


def test_text_report(world, token):
    seed(world)
    result = world.hfmap("apply", "--yes", str(world.dir), token=token)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Plan: 1 to create, 2 to update, 2 to replace, 1 to delete." in out
    assert "[replicate] + org/new: created" in out
    assert "[replicate] ~ org/demote: updated (demote)" in out
    assert "Apply: 6 done, 0 failed, 0 skipped." in out
    assert "Verified: the live mapping now matches the files." in out
    assert token not in out + result.stderr


def test_tag_list_edit_replaces_instead_of_orphaning(world):
    world.hub.seed_tag_filter("replicate", "text-to-image", ["lora", "base_model:adapter:org/a"], "o/lora")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - hfFilter: [lora, "base_model:adapter:org/b"]
            providerModel: o/lora
            task: text-to-image
            adapterType: lora
            status: live
    """,
    )
    result, report = world.apply()
    assert result.exit_code == 0, report
    assert set(world.records("replicate")) == {"tag-filter=base_model:adapter:org/b,lora"}


def test_one_entry_the_hub_rejects_does_not_stop_the_others(world, token):
    world.model("org/a")
    world.model("org/b")
    world.hub.add_model("org/speech", pipeline_tag="text-to-speech")
    world.live("replicate", "org/old", "o/old")
    world.file(
        "r.yaml",
        """
        provider: replicate
        defaults: {status: live}
        mappings:
          - {hfModel: org/a, providerModel: o/a, task: text-to-image}
          - {hfModel: org/speech, providerModel: o/s, task: text-to-image}
          - {hfModel: org/b, providerModel: o/b, task: text-to-image}
    """,
    )
    result, report = world.apply()
    assert result.exit_code == 1
    by_key = {r["key"]: r for r in report["results"]}
    assert by_key["org/a"]["outcome"] == by_key["org/b"]["outcome"] == by_key["org/old"]["outcome"] == "done"
    assert by_key["org/speech"]["outcome"] == "failed"
    assert "HTTP 400" in by_key["org/speech"]["error"] and "pipeline_tag" in by_key["org/speech"]["error"]
    assert report["verified"] is False
    assert [(a["action"], a["key"]) for a in report["remaining"]] == [("create", "org/speech")]
    assert set(world.records("replicate")) == {"org/a", "org/b"}
    text = world.hfmap("apply", "--yes", str(world.dir), token=token).stdout
    assert "org/speech: FAILED: HTTP 400" in text and "1 change(s) still differ" in text


def test_without_a_token_apply_refuses_before_any_request(world):
    seed(world)
    world.hub.clear_log()
    result, report = world.apply(token=None)
    assert result.exit_code == 3
    assert report["refused"]["code"] == "no-token" and report["applied"] is False
    assert world.hub.requests == []
    text = world.hfmap("apply", str(world.dir))
    assert text.exit_code == 3 and "no Hub token" in text.stderr


def test_a_rejected_token_is_refused_before_any_write(world):
    seed(world)
    result, report = world.apply(token="hf_nosuchtokenatall")
    assert result.exit_code == 3
    assert report["refused"]["code"] == "invalid-token" and "HF_TOKEN" in report["refused"]["reason"]
    assert world.hub.writes == []
    assert "hf_nosuchtokenatall" not in result.stdout + result.stderr
    text = world.hfmap("apply", "--yes", str(world.dir), token="hf_nosuchtokenatall")
    assert text.exit_code == 3 and "the Hub rejected the token" in text.stderr


def test_a_read_role_token_is_tried_with_a_warning_and_the_first_refusal_stops_the_rest(world):
    """whoami's `role: read` is no proof a write fails (write access comes with membership of the
    provider's organization; fine-grained tokens need no permission): warn, try one write, stop at its 403."""
    seed(world)
    world.hub.add_token("hf_readonlyrole1", user="ops", write_orgs=("replicate",), role="read")
    result, report = world.apply("--concurrency", "8", token="hf_readonlyrole1")
    assert result.exit_code == 1
    assert report["refused"] is None and "read token" in report["warnings"][0]
    assert len(world.hub.writes) == 1 and world.hub.writes[0][2] == 403  # one write sent, none after it
    outcomes = sorted(r["outcome"] for r in report["results"])
    assert outcomes == ["failed"] + ["skipped"] * 5
    assert all("403" in r["error"] for r in report["results"])
    text = world.hfmap("apply", "--yes", str(world.dir), token="hf_readonlyrole1")
    assert "Warning: the Hub calls this a read token" in text.stdout
    assert "hf_readonlyrole1" not in text.stdout + text.stderr + result.stdout + result.stderr


def test_a_read_role_token_that_can_write_is_only_warned_about(world):
    """A member's token may say `read` in whoami and still write: hfmap must not refuse it beforehand."""
    seed(world)
    world.hub.add_token(
        "hf_memberreadrole", user="ops", write_orgs=("replicate",), role="read", role_blocks_writes=False
    )
    result, report = world.apply(token="hf_memberreadrole")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (
        report["summary"] == {"done": 6, "failed": 0, "skipped": 0} and "read token" in report["warnings"][0]
    )


def test_stale_expected_hash_is_refused_with_zero_writes(world):
    seed(world)
    approved = world.plan_json()["hash"]
    world.live("replicate", "org/sneaky", "o/sneaky")  # the live state moved after approval
    result, report = world.apply("--expect-hash", approved)
    assert result.exit_code == 3
    assert report["refused"]["code"] == "hash-mismatch" and approved in report["refused"]["reason"]
    assert world.hub.writes == []
    fresh = world.plan_json()["hash"]
    assert fresh != approved
    result, report = world.apply("--expect-hash", fresh.removeprefix("sha256:"))  # the bare digest works too
    assert result.exit_code == 0 and report["hash"] == fresh


def test_a_file_naming_the_wrong_provider_is_refused_and_force_applies_it(world):
    for i in range(12):
        world.live("fal-ai", f"org/fal-{i}", f"fal-ai/m{i}")
    world.live("replicate", "org/keep", "o/keep")
    world.file(
        "oops.yaml",
        """
        provider: fal-ai
        mappings:
          - {hfModel: org/keep, providerModel: o/keep, task: text-to-image, status: live}
    """,
    )
    plan = world.plan_json()
    assert plan["needs_force"] is True
    assert "fal-ai: all 12 live mappings would be deleted" in plan["safety"]["reasons"][0]
    result, report = world.apply()
    assert result.exit_code == 3 and report["refused"]["code"] == "unsafe"
    assert world.hub.writes == []
    assert len(world.records("fal-ai")) == 12
    result, report = world.apply("--force")
    assert result.exit_code == 0 and report["verified"]
    assert set(world.records("fal-ai")) == {"org/keep"}


def test_a_token_without_write_rights_fails_and_skips_truthfully(world):
    world.hub.add_token("hf_readonlytoken1", user="reader", write_orgs=())
    for i in range(3):
        world.model(f"org/n{i}")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/n0, providerModel: o/a, task: text-to-image, status: live}
          - {hfModel: org/n1, providerModel: o/b, task: text-to-image, status: live}
          - {hfModel: org/n2, providerModel: o/c, task: text-to-image, status: live}
    """,
    )
    result, report = world.apply("--concurrency", "8", token="hf_readonlytoken1")
    assert result.exit_code == 1
    outcomes = [r["outcome"] for r in report["results"]]
    # the first write to a provider goes alone: its 403 stops the rest, at any concurrency
    assert sorted(outcomes) == ["failed", "skipped", "skipped"]
    assert [status for _, _, status in world.hub.writes] == [403]
    assert all("403" in r["error"] for r in report["results"])
    assert world.records("replicate") == {}
    assert "hf_readonlytoken1" not in result.stdout + result.stderr


def test_an_empty_expected_hash_is_never_taken_as_no_check(world):
    """`--expect-hash "$HASH"` with HASH unset in a CI script must not apply an unreviewed plan."""
    seed(world)
    for empty in ("", "   "):
        result, _report = world.apply("--expect-hash", empty)
        assert result.exit_code == 2, result.stdout + result.stderr
        assert "--expect-hash" in result.stderr and result.stdout == ""
    assert world.hub.writes == []


def test_the_expected_hash_is_compared_whatever_its_letter_case(world):
    seed(world)
    approved = world.plan_json()["hash"]
    result, report = world.apply("--expect-hash", approved.upper())
    assert result.exit_code == 0, result.stdout + result.stderr
    assert report["hash"] == approved and report["verified"] is True


def test_apply_wait_catches_a_mapping_the_hub_fails_a_moment_after_the_write(world, token):
    """The Hub answers the write, then tests the mapping: an immediate re-read still sees it live."""
    world.hub.validation_delay = 0.4
    world.model("org/a")
    world.model("org/b")
    world.hub.fail_validation("replicate", "bad/model")
    world.file(
        "r.yaml",
        """
        provider: replicate
        defaults: {status: live}
        mappings:
          - {hfModel: org/a, providerModel: bad/model, task: text-to-image}
          - {hfModel: org/b, providerModel: good/model, task: text-to-image}
    """,
    )
    result, report = world.apply("--wait=1.5s")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert report["verified"] is True  # the partner list re-read right after the writes saw nothing wrong
    wait = report["wait"]
    assert wait["seconds"] == 1.5 and wait["watched"] == 2 and wait["polls"] >= 2
    assert [(f["key"], f["verdict"]) for f in wait["failed"]] == [("org/a", "error")]
    assert wait["failed"][0]["retest"] == "hfmap apply --retest replicate:org/a"
    assert [(v["key"], v["verdict"]) for v in wait["verdicts"]] == [("org/b", "ok")]
    assert world.records("replicate")["org/a"]["status"] == "error"
    # a rerun has nothing to write, says the mapping is in error, and has nothing to wait for;
    # `--wait PATH` keeps PATH a path (a value binds only as `--wait=DURATION`)
    text = world.hfmap("apply", "--yes", "--wait", str(world.dir), token=token)
    assert text.exit_code == 0, text.stdout + text.stderr
    assert "[replicate] ! org/a: status 'error' on the Hub (declared live)" in text.stdout
    assert "Waited" not in text.stdout


def test_apply_wait_text_names_the_failed_mapping_and_the_retest_command(world, token):
    world.hub.validation_delay = 0.05
    world.model("org/a")
    world.hub.fail_validation("replicate", "bad/model")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/a, providerModel: bad/model, task: text-to-image, status: live}
    """,
    )
    text = world.hfmap("apply", "--yes", "--wait=0.6s", str(world.dir), token=token)
    assert text.exit_code == 1
    assert "1 of 1 written mapping(s) went to 'error'" in text.stdout
    assert "[replicate] ! org/a: the Hub's test of this mapping failed" in text.stdout
    assert "once fixed: hfmap apply --retest replicate:org/a" in text.stdout
    assert "watching 1 written mapping(s) for 0.6 s while the Hub tests them: replicate:org/a" in text.stderr
    assert "poll 1:" not in text.stderr  # each poll's news is for a terminal only


def test_wait_durations_are_checked_before_anything_is_read(world):
    seed(world)
    world.hub.clear_log()
    for bad in ("soon", "0s", "-1m", "2d", "100h"):
        result, _report = world.apply(f"--wait={bad}")
        assert result.exit_code == 2 and "--wait" in result.stderr, (bad, result.stderr)
    assert world.hub.requests == []


def test_usage_errors_come_before_the_token_refusal(world, tmp_path):
    """A mistyped path in CI is exit 2 with its own message, not 'no Hub token' (exit 3)."""
    result = world.hfmap("apply", str(tmp_path / "no-such-folder"))
    assert result.exit_code == 2
    assert "no-such-folder' does not exist" in result.stderr and "token" not in result.stderr


def test_a_token_that_cannot_be_a_header_is_refused_without_printing_it(world):
    seed(world)
    result, report = world.apply(token="hf_pasted\u201ctoken\u201d")
    assert result.exit_code == 3 and report["refused"]["code"] == "invalid-token"
    assert "U+201C" in report["refused"]["reason"] and "pasted" not in result.stdout + result.stderr
    assert world.hub.requests == []


def test_an_endpoint_that_is_not_a_url_is_a_usage_error_for_plan_and_apply(world, run_cli):
    seed(world)
    for command in ("plan", "apply"):
        result = run_cli("--endpoint", "huggingface.co", "--token", "hf_x0000000000", command, str(world.dir))
        assert result.exit_code == 2 and "not an http(s) URL" in result.stderr


@pytest.mark.parametrize(
    "form", ["error", "error-list", "error-description", "oauth", "errors", "header-only"]
)
def test_a_failed_write_shows_the_hubs_message_in_any_form_and_its_request_id(world, token, form):
    world.model("org/a")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/a, providerModel: o/a, task: text-to-image, status: live}
    """,
    )
    world.hub.inject(
        Fault(method="POST", path="/api/partners/*", kind="status", status=400, error_form=form, times=2)
    )
    text = world.hfmap("apply", "--yes", str(world.dir), token=token)
    assert text.exit_code == 1
    (post,) = [r for r in world.hub.requests if r.method == "POST"]
    world.hub.clear_log()
    line = next(line for line in text.stdout.splitlines() if "FAILED" in line)
    assert line.startswith("[replicate] + org/a: FAILED: HTTP 400: ") and "Injected fault: HTTP 400" in line
    assert line.endswith(f"(X-Request-Id: {post.request_id})")
    _result, report = world.apply()
    (failed,) = report["results"]
    (post,) = [r for r in world.hub.requests if r.method == "POST"]
    assert failed["request_id"] == post.request_id and "Injected fault: HTTP 400" in failed["error"]


def test_a_status_change_for_a_task_the_client_lacks_fails_with_the_hubs_reason(world):
    world.live("replicate", "org/classify", "o/c", task="image-classification", status="staging")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/classify, providerModel: o/c, task: image-classification, status: live}
    """,
    )
    result, report = world.apply("--disable", "task-unsupported")
    assert result.exit_code == 1
    (failed,) = report["results"]
    assert failed["outcome"] == "failed" and "does not support task image-classification" in failed["error"]
