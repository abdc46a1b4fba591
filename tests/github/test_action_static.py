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
        assert document["permissions"] == {}
        job = document["jobs"]["apply"]
        assert job["permissions"] == {"contents": "read", "pull-requests": "write", "checks": "read"}
        assert job["environment"] == "huggingface"
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


APPROVAL_WORKFLOWS = (
    REPO / "examples/workflows/fork-comment.yml",
    REPO / ".github/workflows/hfmap-fork-comment.yml",
)
PULL_REQUEST_HEAD = "${{ github.event.workflow_run.head_sha }}"


def test_only_the_default_branchs_approval_job_gets_the_key_and_only_from_the_environment() -> None:
    for path in APPROVAL_WORKFLOWS:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert list(document.get("on", document.get(True))) == ["workflow_run"]
        job = document["jobs"]["approval"]
        assert "github.event.workflow_run.conclusion == 'failure'" in job["if"]  # lint errors get a comment
        assert "head_repository.full_name != github.repository" not in job["if"]  # forks and branches alike
        assert job["environment"] == "huggingface"
        assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        if "pr.yml" in path.name:
            assert "secrets." not in text, path.name  # the branch's own run: nothing to steal
        for name in ("HFMAP_APPROVAL_KEY", "HF_TOKEN"):
            if f"secrets.{name}" in text:
                jobs = YAML(typ="safe").load(text)["jobs"].values()
                assert all(job.get("environment") == "huggingface" for job in jobs if name in str(job))


def test_no_workflow_uses_pull_request_target() -> None:
    for path in WORKFLOWS:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        triggers = document.get("on", document.get(True))
        assert "pull_request_target" not in triggers, path.name


def test_the_pull_requests_files_are_checked_out_by_sha_into_their_own_folder_and_never_run() -> None:
    for path in APPROVAL_WORKFLOWS:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        steps = document["jobs"]["approval"]["steps"]
        checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
        pull = [s for s in checkouts if "ref" in s.get("with", {})]
        assert len(pull) == 1 and pull[0]["with"]["ref"] == PULL_REQUEST_HEAD
        assert pull[0]["with"]["path"] == "pull-request" and pull[0]["with"]["persist-credentials"] is False
        assert all(s["with"]["persist-credentials"] is False for s in checkouts)
        assert all("ref" not in s.get("with", {}) for s in checkouts if s is not pull[0])  # the rest: main
        copy = next(s for s in steps if s.get("name") == "Take only the mapping files")
        assert "rm -rf pull-request" in copy["run"] and "-type l -delete" in copy["run"]
        later = steps[steps.index(copy) + 1 :]
        assert not any("pull-request" in str(s) for s in later)


def test_every_example_job_asks_for_its_own_permissions_and_every_writer_queues() -> None:
    for path in WORKFLOWS:
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert document["permissions"] == {}, path.name  # nothing granted at workflow level
        for name, job in document["jobs"].items():
            assert "permissions" in job, (path.name, name)
            assert job["permissions"].get("checks") != "write", (path.name, name)  # only with comment: false
            if "write" in job["permissions"].values() or job.get("environment"):
                assert "group" in document.get("concurrency", {}), path.name
