"""Apply under a misbehaving Hub: each scenario ends in exactly the declared state, no duplicate, no
extra delete, and a report that says what happened."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from emulator import Fault
from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.clients.partner import PartnerApi
from hfmap.files.load import load_declared
from hfmap.sync.apply import ApplyOptions, apply_plan

WRITE_PATH = "/api/partners/replicate/models*"


def build(world, creates: int = 30, keeps: int = 30) -> dict[str, tuple[str, str]]:
    """Live: `keeps` as declared, 5 to promote, 5 with a wrong providerModel, 5 not declared.
    Files: those plus `creates` new ones. Returns the expected live state."""
    lines = ["provider: replicate", "defaults: {status: live}", "mappings:"]
    expected = {}
    for i in range(keeps):
        world.live("replicate", f"org/keep{i}", f"o/keep{i}")
        lines.append(f"  - {{hfModel: org/keep{i}, providerModel: o/keep{i}, task: text-to-image}}")
        expected[f"org/keep{i}"] = (f"o/keep{i}", "live")
    for i in range(5):
        world.live("replicate", f"org/up{i}", f"o/up{i}", status="staging")
        lines.append(f"  - {{hfModel: org/up{i}, providerModel: o/up{i}, task: text-to-image}}")
        expected[f"org/up{i}"] = (f"o/up{i}", "live")
        world.live("replicate", f"org/fix{i}", f"wrong/fix{i}")
        lines.append(f"  - {{hfModel: org/fix{i}, providerModel: right/fix{i}, task: text-to-image}}")
        expected[f"org/fix{i}"] = (f"right/fix{i}", "live")
        world.live("replicate", f"org/gone{i}", f"o/gone{i}")
    for i in range(creates):
        world.model(f"org/new{i}")
        lines.append(f"  - {{hfModel: org/new{i}, providerModel: o/new{i}, task: text-to-image}}")
        expected[f"org/new{i}"] = (f"o/new{i}", "live")
    world.file("replicate.yaml", "\n".join(lines) + "\n")
    return expected


def live_state(world) -> dict[str, tuple[str, str]]:
    return {k: (r["providerModel"], r["status"]) for k, r in world.records("replicate").items()}


def applied_writes(world) -> Counter:
    """Writes the server acted on (2xx computed, whether or not the answer reached the client)."""
    return Counter(method for method, _, status in world.hub.writes if 200 <= status < 300)


def assert_converged(world, expected) -> None:
    assert live_state(world) == expected
    acted = applied_writes(world)
    # exactly one successful POST per create and per replace; one DELETE per replace and per delete
    assert acted["POST"] == 30 + 5 and acted["DELETE"] == 5 + 5, acted


def test_twenty_percent_of_writes_answer_5xx(world):
    expected = build(world)
    world.hub.inject(
        *(
            Fault(method=m, path=WRITE_PATH, kind="status", status=503, probability=0.2, times=None, seed=11)
            for m in ("POST", "PUT", "DELETE")
        )
    )
    result, report = world.apply()
    assert any(status == 503 for _, _, status in world.hub.writes)  # the faults did fire
    if result.exit_code != 0:
        # The built-in retries ran out for some action (5 answers of 503 in a row): the report must say
        # so truthfully, and a rerun must finish the job.
        failed = [r for r in report["results"] if r["outcome"] == "failed"]
        assert failed and all("503" in r["error"] for r in failed)
        assert {a["key"] for a in report["remaining"]} == {r["key"] for r in failed}
        result, report = world.apply()
    assert result.exit_code == 0, report
    assert report["verified"] and report["summary"]["failed"] == 0
    assert_converged(world, expected)


def test_rate_limit_bursts_are_paced_without_a_429(world):
    # The Hub states its budget (RateLimit: r, t) on every answer: once it has, no more writes go out than
    # it has left, so the window's end is waited for instead of being answered 429 (which also costs quota).
    expected = build(world)
    world.hub.rate_limit("partner-write", quota=30, window=1.0)  # 45 writes: one wait for the reset
    result, report = world.apply()
    assert result.exit_code == 0, report
    assert len(world.hub.writes) >= 45
    assert not any(status == 429 for _, _, status in world.hub.writes)
    assert report["summary"]["done"] == 45
    assert_converged(world, expected)


def test_rate_limit_fault_with_ratelimit_header(world):
    expected = build(world)
    # a 429 is waited out for its whole `t=1` (a second) before the next write goes
    world.hub.inject(Fault(method="POST", path=WRITE_PATH, kind="rate_limit", times=1, seconds=1))
    result, report = world.apply()
    assert result.exit_code == 0, report
    assert_converged(world, expected)


def test_answers_lost_after_the_hub_acted_are_confirmed_not_repeated(world):
    expected = build(world)
    world.hub.inject(
        Fault(method="POST", path=WRITE_PATH, kind="lost_response", times=4),
        Fault(method="DELETE", path=WRITE_PATH, kind="lost_response", times=3),
        Fault(method="PUT", path=WRITE_PATH, kind="lost_response", times=2),
    )
    result, report = world.apply()
    assert result.exit_code == 0, report
    notes = [r.get("note") for r in report["results"] if r.get("note")]
    assert len(notes) >= 4 and all("re-reading" in n for n in notes)
    assert_converged(world, expected)
    # no POST was sent twice for a mapping the Hub already had
    assert not any(status == 409 for _, _, status in world.hub.writes)


def test_a_write_that_hangs_past_the_timeout(world, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HFMAP_HTTP_TIMEOUT", "0.4")
    expected = build(world, creates=30)
    world.hub.inject(Fault(method="POST", path=WRITE_PATH, kind="hang", seconds=1.0, times=2))
    result, report = world.apply()
    assert result.exit_code == 0, report
    # the two hung requests are logged when their handlers wake up; wait for them, then count
    deadline = time.monotonic() + 5
    while sum(1 for m, _, _ in world.hub.writes if m == "POST") < 35 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert_converged(world, expected)


def test_dropped_connections_before_the_hub_acted(world):
    expected = build(world)
    world.hub.inject(
        Fault(method="POST", path=WRITE_PATH, kind="drop", times=3),
        Fault(method="DELETE", path=WRITE_PATH, kind="drop", mid_response=True, times=2),
    )
    result, report = world.apply()
    assert result.exit_code == 0, report
    assert_converged(world, expected)


def test_a_replace_whose_delete_fails_never_posts(world):
    mapping_id = world.live("replicate", "org/fix", "wrong/x")
    world.model("org/new")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/fix, providerModel: right/x, task: text-to-image, status: live}
          - {hfModel: org/new, providerModel: o/new, task: text-to-image, status: live}
    """,
    )
    world.hub.inject(
        Fault(
            method="DELETE",
            path=f"/api/partners/replicate/models/{mapping_id}",
            kind="status",
            status=500,
            times=None,
        )
    )
    result, report = world.apply()
    assert result.exit_code == 1
    by_key = {r["key"]: r for r in report["results"]}
    assert by_key["org/new"]["outcome"] == "done"
    assert by_key["org/fix"]["outcome"] == "failed"
    assert "still live, nothing was created" in by_key["org/fix"]["error"]
    assert live_state(world)["org/fix"] == ("wrong/x", "live")
    assert [m for m, p, _ in world.hub.writes if m == "POST"] == ["POST"]  # only org/new
    assert [a["key"] for a in report["remaining"]] == ["org/fix"]
    # the Hub recovers: a rerun converges and does only what is missing
    world.hub.clear_faults()
    world.hub.clear_log()
    result, report = world.apply()
    assert result.exit_code == 0 and [r["key"] for r in report["results"]] == ["org/fix"]
    assert live_state(world) == {"org/fix": ("right/x", "live"), "org/new": ("o/new", "live")}


def test_a_replace_whose_post_fails_says_the_key_is_unmapped(world):
    world.live("replicate", "org/fix", "wrong/x")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/fix, providerModel: right/x, task: text-to-image, status: live}
    """,
    )
    world.hub.inject(Fault(method="POST", path=WRITE_PATH, kind="status", status=400, times=None))
    result, report = world.apply()
    assert result.exit_code == 1
    (item,) = report["results"]
    assert item["outcome"] == "failed"
    assert "the old mapping was deleted but creating the new one failed (HTTP 400" in item["error"]
    assert "'org/fix' is unmapped on the Hub until apply runs again" in item["error"]
    assert [a["action"] for a in report["remaining"]] == ["create"]
    world.hub.clear_faults()
    result, report = world.apply()
    assert result.exit_code == 0 and live_state(world) == {"org/fix": ("right/x", "live")}


def test_a_lost_answer_that_cannot_be_confirmed_is_reported_as_such(world):
    """The Python API (as the Action may use it): faults switched on once the plan is made."""
    world.model("org/new")
    world.file(
        "r.yaml",
        "provider: replicate\nmappings:\n  - {hfModel: org/new, providerModel: o/new, task: text-to-image}\n",
    )
    declared = load_declared([world.dir])[0]

    def break_the_hub(plan) -> None:
        assert plan.summary["create"] == 1
        world.hub.inject(
            Fault(method="POST", path=WRITE_PATH, kind="lost_response", times=1),
            Fault(method="GET", path="/api/partners/replicate/models", kind="status", status=503, times=None),
        )

    async def run():
        retry = RetryPolicy(attempts=2, base=0.01, cap=0.01)
        async with HttpClient(timeout=1, retry=retry) as http:
            api = PartnerApi(http, world.hub.url, "hf_plantestwritetoken")
            return await apply_plan(declared, api, ApplyOptions(), on_plan=break_the_hub)

    report = asyncio.run(run())
    (result,) = report.results
    assert result.outcome == "failed"
    assert "no answer from the Hub" in result.error
    assert "could not re-read the live mapping to see whether the Hub acted" in result.error
    assert report.verified is False and "could not re-read the live mapping to verify" in report.verify_error
    assert report.exit_code == 1
    assert world.records("replicate")["org/new"]["providerModel"] == "o/new"  # the Hub did act
