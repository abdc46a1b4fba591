"""The Action's scheduled health work: `mode: sync` follows the providers' warm/cold signal for
`status: auto` entries and nothing else; the drift issue also lists mappings clients cannot use."""

from __future__ import annotations

from github import events
from github.events import REPO
from github.world import World

AUTO_EDIT = "    providerModel: qwen/qwen-image-edit-plus\n    task: image-to-image\n    status: staging"
KEY = "Qwen/Qwen-Image-Edit-2509"


def _writes(world: World) -> list[tuple[str, str, int]]:
    return [w for w in world.hub.writes if w[0] in ("POST", "PUT", "DELETE")]


def test_sync_applies_only_auto_status_changes_and_nothing_when_nothing_changed(world: World) -> None:
    world.edit("replicate.yaml", AUTO_EDIT, AUTO_EDIT.replace("staging", "auto"))
    # The files also declare what a reviewed apply would do: a new mapping and the deletion of one nobody
    # declares. A sync must do neither.
    world.hub.seed_mapping("replicate", task="text-to-image", hf_model="zeke/stray", provider_model="z/s")
    world.edit("replicate.yaml", "prune: true\n", "prune: true\n# a comment so the file changed\n")
    world.hub.set_web_status("qwen/qwen-image-edit-plus", "online")
    world.hub.clear_log()

    run = world.run("schedule", events.schedule(), mode="sync")

    assert run.conclusion == "success", run.log + run.summary
    assert [(m, s) for m, _p, s in _writes(world)] == [("PUT", 200)]  # the promote, nothing else
    assert world.hub.mapping("replicate", KEY)["status"] == "live"
    assert world.hub.mapping("replicate", "zeke/stray") is not None  # no delete without review
    assert run.outputs["applied"] == "true" and run.outputs["has-changes"] == "true"
    assert "hfmap sync" in run.summary and "<code>Qwen/Qwen-Image-Edit-2509</code>" in run.summary
    # the stray mapping still differs from the files: the summary says what was verified, and no more
    assert "the Hub matches the files" not in run.summary
    assert "the selected changes are in place" in run.summary and "<code>zeke/stray</code>" in run.summary
    assert world.gh.comments(REPO, 7) == [] and world.gh.issues(REPO) == []  # no review, no issue

    world.hub.clear_log()
    again = world.run("schedule", events.schedule(), mode="sync")
    assert again.conclusion == "success", again.log
    assert _writes(world) == []  # nothing changed: nothing written, not even a status re-sent
    assert again.outputs["has-changes"] == "false"

    world.hub.set_web_status("qwen/qwen-image-edit-plus", None)  # the status page is gone (404)
    world.hub.clear_log()
    lost = world.run("schedule", events.schedule(), mode="sync")
    assert lost.conclusion == "success", lost.log
    assert _writes(world) == [] and world.hub.mapping("replicate", KEY)["status"] == "live"  # never demoted


def test_the_drift_issue_lists_mappings_clients_cannot_use_and_closes_when_they_can(world: World) -> None:
    broken = world.hub.mapping("replicate", "black-forest-labs/FLUX.1-schnell")
    assert broken is not None
    world.hub.set_mapping_status(broken["_id"], "error")  # the Hub's own test failed it

    first = world.run("schedule", events.schedule(), mode="plan")

    assert first.conclusion == "success", first.log
    assert first.outputs["has-changes"] == "false"  # no drift: the files and the Hub agree
    issues = world.gh.issues(REPO)
    assert len(issues) == 1 and issues[0]["state"] == "open"
    assert issues[0]["title"] == "hfmap: live mappings that clients cannot use"
    body = issues[0]["body"]
    assert "No drift" in body and "<code>black-forest-labs/FLUX.1-schnell</code>" in body
    assert "hfmap apply --retest-errors" in body
    assert "black-forest-labs/FLUX.1-schnell" in first.summary

    world.hub.set_mapping_status(broken["_id"], "live")  # the provider fixed it and the Hub retested
    last = world.run("schedule", events.schedule(), mode="plan")
    assert last.conclusion == "success", last.log
    issue = world.gh.issues(REPO)[0]
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    assert "clients see every mapping" in world.gh.comments(REPO, issue["number"])[-1]["body"]


def test_an_unknown_health_keeps_the_issue_open(world: World) -> None:
    broken = world.hub.mapping("replicate", "black-forest-labs/FLUX.1-schnell")
    world.hub.set_mapping_status(broken["_id"], "error")
    world.run("schedule", events.schedule(), mode="plan")
    world.hub.set_mapping_status(broken["_id"], "live")
    from emulator import Fault

    world.hub.inject(Fault(method="GET", path="/api/models*", kind="status", status=503, times=10_000))
    run = world.run("schedule", events.schedule(), mode="plan")
    assert run.conclusion == "success", run.log
    issue = world.gh.issues(REPO)[0]
    assert issue["state"] == "open"  # not closed on a health nobody could read
    assert "could not be read" in issue["body"] or "could not read" in issue["body"].lower()


def test_the_drift_issue_lists_a_chat_mapping_the_router_serves_in_error(world: World) -> None:
    chat = "deepseek-ai/DeepSeek-R1"
    world.hub.set_router_provider(chat, "together", status="error")  # the router's own check failed it
    world.hub.hide_from_router("deepseek-ai/DeepSeek-V3")  # a lagging router: a warning, no issue of its own

    first = world.run("schedule", events.schedule(), mode="plan")

    assert first.conclusion == "success", first.log
    assert first.outputs["has-changes"] == "false"
    issues = world.gh.issues(REPO)
    assert len(issues) == 1 and issues[0]["title"] == "hfmap: live mappings that clients cannot use"
    body = issues[0]["body"]
    assert f"<code>{chat}</code>" in body and "router-error" in body
    assert "the router serves together for this model in" in body
    assert "router-missing" in body and "may lag the Hub" in body

    world.hub.set_router_provider(chat, "together", status="live")  # the router routes it again
    last = world.run("schedule", events.schedule(), mode="plan")
    assert last.conclusion == "success", last.log
    assert world.gh.issues(REPO)[0]["state"] == "closed"  # a lagging router alone is no failure


def test_an_unreadable_router_keeps_the_issue_open(world: World) -> None:
    from emulator import Fault

    world.hub.set_router_provider("deepseek-ai/DeepSeek-R1", "together", status="error")
    world.run("schedule", events.schedule(), mode="plan")
    world.hub.set_router_provider("deepseek-ai/DeepSeek-R1", "together", status="live")
    world.hub.inject(Fault(path="/v1/models", kind="status", status=503, times=10_000))
    run = world.run("schedule", events.schedule(), mode="plan")
    assert run.conclusion == "success", run.log
    issue = world.gh.issues(REPO)[0]
    assert issue["state"] == "open"  # not closed on a routing nobody could read
    assert "router-unavailable" in issue["body"]
