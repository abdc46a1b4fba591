"""The Action's pull-request check costs Hub requests in proportion to the change, not to the catalog."""

from __future__ import annotations

import subprocess

from github import events
from github.events import REPO
from github.world import World

CATALOG = 10_000
TOUCHED = 5


def _git(world: World, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=world.workspace,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _catalog(world: World) -> None:
    """10,000 live Replicate mappings in one file, all of them on the Hub and on Replicate."""
    lines = ["provider: replicate", "mappings:"]
    for index in range(CATALOG):
        lines += [
            f"  - hfModel: bulk-{index % 100:02d}/model-{index:05d}",
            f"    providerModel: bulk/model-{index:05d}",
            "    task: text-to-image",
            "    status: live",
        ]
    (world.workspace / "mappings" / "replicate.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    world.hub.reset()
    world.hub.seed_from_yaml(world.workspace / "mappings")  # (together.yaml of the examples stays)
    for index in range(TOUCHED):
        world.hub.add_provider_model("replicate", f"bulk/model-{index:05d}-v2")


def test_a_pull_request_touching_5_of_10000_entries_makes_at_most_10_hub_requests(world: World) -> None:
    _catalog(world)
    _git(world, "init", "-q", "-b", "main")
    _git(world, "add", "-A")
    _git(world, "commit", "-q", "-m", "the catalog")
    base = _git(world, "rev-parse", "HEAD")
    path = world.workspace / "mappings" / "replicate.yaml"
    text = path.read_text(encoding="utf-8")
    for index in range(TOUCHED):
        old = f"    providerModel: bulk/model-{index:05d}\n"
        text = text.replace(old, old.replace(f"{index:05d}", f"{index:05d}-v2"), 1)
    path.write_text(text, encoding="utf-8")
    _git(world, "commit", "-q", "-am", "five entries move to new provider models")
    head = _git(world, "rev-parse", "HEAD")
    world.gh.add_pull(REPO, 7, head)
    world.hub.clear_log()

    # As pr.yml runs it: no Hugging Face token on pull requests.
    run = world.run("pull_request", events.pull_request(7, head, base_sha=base), check="true", hf_token="")

    assert run.conclusion == "success", run.log
    hub_requests = [r for r in world.hub.requests if r.path.startswith("/api/")]
    assert len(hub_requests) <= 10, [(r.method, r.path) for r in hub_requests]
    asked = {r.path.removeprefix("/api/models/") for r in hub_requests if r.path.startswith("/api/models/")}
    assert asked <= {f"bulk-{index:02d}/model-{index:05d}" for index in range(TOUCHED)}  # only what changed
    assert "provider-check-skipped" in run.log  # no provider token on pull requests: said, not silent
    body = world.gh.comments(REPO, 7)[0]["body"]
    assert "0 to create, 0 to update, 5 to replace, 0 to delete" in body


def test_without_the_base_commit_everything_is_checked_and_the_log_says_how_to_avoid_it(world: World) -> None:
    world.gh.add_pull(REPO, 7, "1" * 40)  # the workspace is no git checkout at all
    run = world.run("pull_request", events.pull_request(7, "1" * 40), check="true")
    assert run.conclusion == "success", run.log
    assert "every entry is checked" in run.log and "fetch-depth: 2" in run.log
