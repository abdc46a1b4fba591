"""action.yml and the workflows: valid by GitHub's schemas, no zizmor finding of medium or higher, no `${{ }}`
inside a script, every action pinned to a full commit SHA, and the inputs/outputs users rely on."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from github.harness import REPO, load_action

WORKFLOWS = sorted((REPO / "examples" / "workflows").glob("*.yml")) + sorted(
    (REPO / ".github" / "workflows").glob("*.yml")
)
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is in the test extra: pip install -e '.[test]'"
    return str(path)


def _steps(document: dict) -> list[dict]:
    if "runs" in document:
        return document["runs"]["steps"]
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def test_the_three_example_workflows_and_their_copies_exist() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {"pr.yml", "apply.yml", "drift.yml", "fork-comment.yml"} <= names
    assert {"hfmap-pr.yml", "hfmap-apply.yml", "hfmap-drift.yml", "hfmap-fork-comment.yml"} <= names


def test_action_matches_githubs_schema() -> None:
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(REPO / "action.yml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_githubs_schema() -> None:
    args = [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)]
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_of_medium_or_higher() -> None:
    files = [str(REPO / "action.yml"), *map(str, WORKFLOWS)]
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", "--min-severity", "medium", *files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("path", [REPO / "action.yml", *WORKFLOWS], ids=lambda p: p.name)
def test_no_expression_inside_a_script_and_every_action_pinned(path: Path) -> None:
    document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    for step in _steps(document):
        if "run" in step:
            assert "${{" not in step["run"], f"{path.name}: {step.get('name')}: pass values through env:"
        uses = step.get("uses", "")
        if uses and not uses.startswith("./"):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}", uses), f"{path.name}: {uses}"


def test_action_inputs_and_outputs() -> None:
    action = load_action()
    assert set(action["inputs"]) == {
        "paths",
        "mode",
        "hf-token",
        "github-token",
        "comment",
        "approval-key",
        "allow-unsafe",
        "allow-unreviewed",
        "force",
        "python-version",
        "check",
        "require-review",
    }
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert {"has-changes", "plan-hash", "needs-force", "applied", "comment-url", "failure-reason"} <= set(
        action["outputs"]
    )
    setup = next(s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["update-environment"] is False
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert install["run"] == '"$PYTHON" "$ACTION_PATH/action/install.py" install'
    # nothing a macOS or Windows runner lacks: no sha256sum, find, xargs or cut; Python does the hashing
    for step in action["runs"]["steps"]:
        for tool in ("sha256sum", "shasum", "xargs", "find ", "cut "):
            assert tool not in step.get("run", ""), (step.get("name"), tool)


def test_apply_workflows_never_run_two_at_once() -> None:
    for path in (REPO / "examples/workflows/apply.yml", REPO / ".github/workflows/hfmap-apply.yml"):
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        # never cancelled, pending ones included: GitHub's default keeps one pending run per group and
        # cancels it when another queues; `queue: max` keeps them all, in order
        assert document["concurrency"] == {
            "group": "hfmap-apply",
            "cancel-in-progress": False,
            "queue": "max",
        }
        # approvals are looked up in comments and check runs: a GITHUB_TOKEN without `checks: read` gets 403
        assert document["permissions"] == {"contents": "read", "pull-requests": "write", "checks": "read"}
        assert document["jobs"]["apply"]["environment"] == "huggingface"
        dispatch = document.get("on", document.get(True))["workflow_dispatch"]
        assert dispatch["inputs"]["pull-request"]["required"] is True


def test_drift_has_its_own_concurrency_group_and_the_queue_is_planned() -> None:
    for folder, prefix in (("examples/workflows", ""), (".github/workflows", "hfmap-")):
        drift = YAML(typ="safe").load((REPO / folder / f"{prefix}drift.yml").read_text(encoding="utf-8"))
        assert drift["concurrency"]["group"] == "hfmap-drift"
        pr = YAML(typ="safe").load((REPO / folder / f"{prefix}pr.yml").read_text(encoding="utf-8"))
        assert "merge_group" in pr.get("on", pr.get(True))
        steps = pr["jobs"]["plan"]["steps"]
        uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
        # uploaded when lint or plan failed too (no implied success()), never after a cancel
        assert all(s["if"].startswith("${{ !cancelled() &&") for s in uploads)


def test_the_fork_comment_job_checks_the_plan_runs_conclusion_and_a_missing_artifact() -> None:
    for path in (
        REPO / "examples/workflows/fork-comment.yml",
        REPO / ".github/workflows/hfmap-fork-comment.yml",
    ):
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        job = document["jobs"]["comment"]
        assert "github.event.workflow_run.conclusion == 'failure'" in job["if"]
        download = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
        assert download["continue-on-error"] is True and download["id"] == "files"
        hfmap = next(s for s in job["steps"] if s.get("id") == "hfmap")
        assert hfmap["if"] == "${{ steps.files.outcome == 'success' }}"


def test_no_workflow_uses_pull_request_target() -> None:
    for path in WORKFLOWS:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        triggers = document.get("on", document.get(True))
        assert "pull_request_target" not in triggers, path.name


def test_the_fork_comment_workflow_never_checks_out_the_fork() -> None:
    for path in (
        REPO / "examples/workflows/fork-comment.yml",
        REPO / ".github/workflows/hfmap-fork-comment.yml",
    ):
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for step in _steps(document):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert "ref" not in step.get("with", {}) and "repository" not in step.get("with", {})
                assert step["with"]["persist-credentials"] is False
