"""The workflow harness itself: GitHub's documented concurrency, triggers, contexts, steps and artifacts,
with small workflows of `run:` steps (no hfmap), and that it refuses what it does not model."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest

from github.concurrency import Concurrency
from github.harness import REPO
from github.workflow_file import glob, load_workflow, triggers
from github.workflows import Actions
from github.world import World

PIN = "@" + "0" * 40


@dataclass(eq=False)
class _Run:
    name: str
    status: str = "queued"


def _groups() -> tuple[Concurrency, list[_Run]]:
    cancelled: list[_Run] = []

    def cancel(run: _Run) -> None:
        run.status = "completed"
        cancelled.append(run)

    return Concurrency(cancel), cancelled


def test_a_new_run_cancels_the_pending_one_by_default_even_without_cancel_in_progress() -> None:
    groups, cancelled = _groups()
    first, second, third = _Run("first"), _Run("second"), _Run("third")
    for run in (first, second, third):
        groups.enter(run, "hfmap-apply", cancel_in_progress=False, queue="single")

    assert first.status == "in_progress"  # the running one is spared ...
    assert cancelled == [second] and third.status == "pending"  # ... the pending one is not
    groups.leave(first, "hfmap-apply")
    assert third.status == "in_progress"


def test_queue_max_keeps_pending_runs_in_order_and_cancels_beyond_100() -> None:
    groups, cancelled = _groups()
    runs = [_Run(str(index)) for index in range(102)]
    for run in runs:
        groups.enter(run, "hfmap-apply", cancel_in_progress=False, queue="max")

    assert runs[0].status == "in_progress"
    assert all(run.status == "pending" for run in runs[1:101])
    assert cancelled == [runs[101]]  # "When the queue is full, any additional ... runs are canceled."
    for before, after in itertools.pairwise(runs[:101]):
        groups.leave(before, "hfmap-apply")
        assert after.status == "in_progress"


def test_cancel_in_progress_cancels_the_running_run_and_group_names_ignore_case() -> None:
    groups, cancelled = _groups()
    old, new, other = _Run("old"), _Run("new"), _Run("other")
    groups.enter(old, "hfmap-plan-7", cancel_in_progress=True, queue="single")
    groups.enter(other, "hfmap-plan-8", cancel_in_progress=True, queue="single")
    groups.enter(new, "HFMAP-Plan-7", cancel_in_progress=True, queue="single")

    assert cancelled == [old] and new.status == "in_progress" and other.status == "in_progress"


def _workflow(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text.replace("@PIN", PIN), encoding="utf-8")
    return path


def test_what_the_harness_does_not_model_fails_loudly(tmp_path: Path) -> None:
    job = "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n"
    cases = {
        "on: {push: {paths-ignore: ['x']}}\n" + job: "on.push. paths-ignore",
        "on: issues\n" + job: "`on: issues`",
        "on: push\n" + job.replace("runs-on", "needs: [b]\n    runs-on"): "jobs.a.needs names a later job",
        "on: push\n"
        + job.replace("runs-on", "environment: {name: x, reviewers: 1}\n    runs-on"): "reviewers",
        "on: push\n"
        + job.replace("- run: echo", "- run: echo\n        timeout-minutes: 1"): "timeout-minutes",
        "on: push\nconcurrency: {group: g, cancel-in-progress: true, queue: max}\n" + job: "validation error",
        "on: push\n" + job.replace("ubuntu-latest", "macos-latest"): "Linux jobs only",
        "on: push\n" + job.replace("- run: echo", "- run: echo\n        if: secrets.X != ''"): "in an if:",
    }
    for index, (text, message) in enumerate(cases.items()):
        with pytest.raises(AssertionError, match=message):
            load_workflow(_workflow(tmp_path, f"w{index}.yml", "name: w\n" + text))


def test_trigger_filters(tmp_path: Path) -> None:
    assert glob("mappings/**", "mappings/a/b.yaml") and not glob("mappings/*", "mappings/a/b.yaml")
    assert glob("release-?", "release-1") and not glob("main", "main2")
    workflow = load_workflow(
        _workflow(
            tmp_path,
            "w.yml",
            "name: w\non:\n  push: {branches: [main], paths: ['mappings/**']}\n"
            "  pull_request: {types: [opened]}\n  workflow_run: {workflows: [plan], types: [completed]}\n"
            "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n",
        )
    )
    push = {"ref": "refs/heads/main"}
    assert triggers(workflow, "push", push, {"mappings/x.yaml"})
    assert not triggers(workflow, "push", push, {"README.md"})
    assert not triggers(workflow, "push", {"ref": "refs/heads/dev"}, {"mappings/x.yaml"})
    pull = {"action": "synchronize", "pull_request": {"base": {"ref": "main"}}}
    assert not triggers(workflow, "pull_request", pull, {"a"})
    assert triggers(workflow, "pull_request", {**pull, "action": "opened"}, {"a"})
    done = {"action": "completed", "workflow_run": {"name": "plan"}}
    assert triggers(workflow, "workflow_run", done, set())
    assert not triggers(workflow, "workflow_run", {**done, "workflow_run": {"name": "other"}}, set())
    assert not triggers(workflow, "workflow_dispatch", {}, set())  # only when dispatched by name
    assert not triggers(workflow, "push", {"ref": "refs/tags/main"}, {"mappings/x.yaml"})  # branches only


def test_tag_filters_as_release_yml_uses_them(tmp_path: Path) -> None:
    """Only `tags`: a branch push never starts it, a matching tag push does (paths do not apply to tags)."""
    release = load_workflow(REPO / ".github" / "workflows" / "release.yml")
    assert triggers(release, "push", {"ref": "refs/tags/v0.2.0"}, set())
    assert not triggers(release, "push", {"ref": "refs/tags/nightly"}, set())
    assert not triggers(release, "push", {"ref": "refs/heads/main"}, {"src/hfmap/__init__.py"})
    both = load_workflow(
        _workflow(
            tmp_path,
            "both.yml",
            "name: w\non:\n  push: {branches: [main], tags: ['v*']}\n"
            "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n",
        )
    )
    assert triggers(both, "push", {"ref": "refs/heads/main"}, set())
    assert triggers(both, "push", {"ref": "refs/tags/v1"}, set())


BUILD = """name: build
on:
  push:
    branches: [main]
    paths: ["mappings/**"]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    if: ${{ vars.ENABLED == 'true' }}
    environment: prod
    steps:
      - uses: actions/checkout@PIN
        with:
          persist-credentials: false
      - id: files
        env:
          SECRET: ${{ secrets.DEPLOY }}
        run: |
          touch mappings/.hidden
          echo "secret-length=${#SECRET}" >> "$GITHUB_OUTPUT"
          echo "built at $GITHUB_SHA" >> "$GITHUB_STEP_SUMMARY"
      - id: flaky
        continue-on-error: true
        run: exit 3
      - name: only after a failure
        if: ${{ failure() }}
        run: echo never
      - uses: actions/upload-artifact@PIN
        with:
          name: files
          path: mappings
"""

CONSUME = """name: consume
on:
  workflow_run:
    workflows: [build]
    types: [completed]
permissions:
  actions: read
jobs:
  get:
    runs-on: ubuntu-latest
    steps:
      - id: download
        continue-on-error: true
        uses: actions/download-artifact@PIN
        with:
          name: files
          path: got
          run-id: ${{ github.event.workflow_run.id }}
          github-token: ${{ github.token }}
      - if: ${{ steps.download.outcome == 'success' }}
        run: test -f got/replicate.yaml && test ! -e got/.hidden
"""


def _push(world: World, actions: Actions, sha: str) -> None:
    before = actions.default_head
    actions.commit(sha)
    world.gh.push_commits("acme/mappings", sha)
    actions.push(sha, before=before)
    actions.drain()


def test_jobs_steps_and_artifacts_across_a_workflow_run(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "workflows"
    _workflow(folder, "build.yml", BUILD)
    _workflow(folder, "consume.yml", CONSUME)
    actions = Actions(world, folder, secrets={"DEPLOY": "x" * 5}, environments={"prod": {"DEPLOY": "x" * 9}})
    world.edit("replicate.yaml", "status: staging", "status: live")

    _push(world, actions, "1" * 40)  # the variable is not set: the job is skipped, nothing uploaded
    build, consume = actions.runs
    assert build.conclusion == "skipped" and build.jobs["build"].steps == []
    assert consume.event_name == "workflow_run" and consume.payload["workflow_run"]["conclusion"] == "skipped"
    download = consume.jobs["get"].step("download")
    assert download.outcome == "failure" and "Artifact not found for name: files" in download.stderr

    actions.vars["ENABLED"] = "true"
    world.edit("replicate.yaml", "status: staging", "status: live")
    _push(world, actions, "2" * 40)
    build, consume = actions.runs[2:]
    job = build.jobs["build"]
    assert build.conclusion == "success", job.log
    assert job.step("files").outputs == {"secret-length": "9"}  # the environment's secret wins
    assert f"built at {'2' * 40}" in job.summary
    assert job.step("flaky").outcome == "failure"  # continue-on-error: the job goes on as a success
    assert job.step("only after a failure").outcome == "skipped"
    files = actions.artifacts.files(build.id, "files")
    assert "replicate.yaml" in files and ".hidden" not in files  # hidden files stay out by default
    assert consume.conclusion == "success", consume.jobs["get"].log
    assert not [token for token in world.gh.tokens if token.startswith("ghs_run")]  # revoked after each job

    _push(world, actions, "3" * 40)  # nothing under mappings/ changed: the paths filter starts nothing
    assert len(actions.runs) == 4


def test_another_runs_artifact_needs_actions_read(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "workflows"
    _workflow(folder, "build.yml", BUILD.replace("    if: ${{ vars.ENABLED == 'true' }}\n", ""))
    _workflow(folder, "consume.yml", CONSUME.replace("actions: read", "contents: read"))
    actions = Actions(world, folder)
    world.edit("replicate.yaml", "status: staging", "status: live")

    _push(world, actions, "1" * 40)

    download = actions.runs_of("consume")[0].jobs["get"].step("download")
    assert download.outcome == "failure" and "Resource not accessible by integration" in download.stderr


def test_a_fork_pull_request_gets_no_secrets_and_no_variables(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "workflows"
    _workflow(
        folder,
        "pr.yml",
        "name: pr\non: pull_request\npermissions:\n  contents: read\njobs:\n  a:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - id: see\n        env:\n"
        "          S: ${{ secrets.S }}\n          V: ${{ vars.V }}\n"
        '        run: echo "seen=[$S][$V]" >> "$GITHUB_OUTPUT"\n',
    )
    actions = Actions(world, folder, secrets={"S": "secret"}, vars={"V": "var"})
    actions.commit("1" * 40)
    actions.commit("2" * 40)

    (own,) = actions.pull_request(7, "1" * 40)
    (fork,) = actions.pull_request(8, "2" * 40, fork_of="stranger/mappings")
    actions.drain()

    assert own.jobs["a"].step("see").outputs == {"seen": "[secret][var]"}
    assert fork.jobs["a"].step("see").outputs == {"seen": "[][]"}


def test_unknown_actions_unpinned_actions_and_expressions_in_scripts_are_refused(
    world: World, tmp_path: Path
) -> None:
    head = "name: w\non: schedule\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
    for index, (step, message) in enumerate(
        {
            "      - uses: actions/github-script@PIN\n": "cannot run actions/github-script",
            "      - uses: actions/checkout@v7\n": "not pinned to a full commit SHA",
            "      - run: echo ${{ github.sha }}\n": "inside run",
            "      - uses: actions/checkout@PIN\n        with:\n          ref: main\n": "only SHAs are",
            "      - uses: actions/checkout@PIN\n        with:\n          clean: false\n": "input clean",
        }.items()
    ):
        folder = tmp_path / f"w{index}"
        _workflow(
            folder, "w.yml", head.replace("on: schedule", "on:\n  schedule:\n    - cron: '1 2 * * *'") + step
        )
        actions = Actions(world, folder)
        actions.schedule("1 2 * * *")
        with pytest.raises(AssertionError, match=message):
            actions.drain()


def test_needs_skips_the_jobs_after_a_failure_and_environment_may_be_a_mapping(
    world: World, tmp_path: Path
) -> None:
    """As release.yml chains build → publish → release: a job whose need failed is skipped, never run."""
    folder = tmp_path / "workflows"
    _workflow(
        folder,
        "chain.yml",
        "name: chain\non:\n  push:\n    branches: [main]\npermissions: {}\njobs:\n"
        "  first:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo first\n"
        "  second:\n    needs: first\n    runs-on: ubuntu-latest\n"
        "    environment:\n      name: prod\n      url: https://example.org\n"
        "    steps:\n      - env:\n          SECRET: ${{ secrets.DEPLOY }}\n"
        '        run: test "$SECRET" = from-prod && exit 1\n'
        "  third:\n    needs: [first, second]\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo never\n",
    )
    actions = Actions(world, folder, environments={"prod": {"DEPLOY": "from-prod"}})
    world.edit("replicate.yaml", "status: staging", "status: live")
    _push(world, actions, "1" * 40)
    (run,) = actions.runs
    assert run.jobs["first"].conclusion == "success"
    assert run.jobs["second"].conclusion == "failure"  # it ran, with the environment's secret
    assert run.jobs["third"].conclusion == "skipped" and run.jobs["third"].steps == []
    with pytest.raises(AssertionError, match="needs names a later job"):
        load_workflow(
            _workflow(
                tmp_path,
                "later.yml",
                "name: w\non: push\njobs:\n  a:\n    needs: b\n    runs-on: ubuntu-latest\n"
                "    steps:\n      - run: echo\n  b:\n    runs-on: ubuntu-latest\n"
                "    steps:\n      - run: echo\n",
            )
        )
