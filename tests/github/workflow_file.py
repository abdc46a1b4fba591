"""A workflow file as GitHub reads it: its triggers, concurrency, permissions and jobs, and whether an event
starts it. Keys the harness does not model fail here by name, so nothing in a workflow is skipped silently."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_WORKFLOW_KEYS = {"name", "permissions", "concurrency", "jobs", "env"}
_JOB_KEYS = {
    "name",
    "runs-on",
    "timeout-minutes",
    "environment",
    "steps",
    "if",
    "permissions",
    "env",
    "needs",
}
_STEP_KEYS = {
    "id",
    "name",
    "if",
    "uses",
    "with",
    "run",
    "shell",
    "env",
    "continue-on-error",
    "working-directory",
}
# The filters each trigger may carry here (anything else, e.g. `paths-ignore`, fails loudly).
_FILTERS = {
    "push": {"branches", "tags", "paths"},
    "pull_request": {"branches", "paths", "types"},
    "workflow_run": {"workflows", "types"},
    "merge_group": {"types"},
    "workflow_dispatch": {"inputs"},
}
# "By default, all activity types trigger" except where GitHub documents a narrower default.
_DEFAULT_TYPES = {"pull_request": ["opened", "synchronize", "reopened"], "merge_group": ["checks_requested"]}


@dataclass
class Workflow:
    path: Path
    name: str
    on: dict[str, Any]  # event -> its filters (`schedule`: the list of crons)
    jobs: dict[str, dict[str, Any]]
    concurrency: dict[str, Any] | None
    permissions: dict[str, str] | None
    env: dict[str, Any]

    def steps(self) -> list[dict[str, Any]]:
        return [step for job in self.jobs.values() for step in job["steps"]]


def known(keys: set[str], allowed: set[str], what: str) -> None:
    """Fail, naming them, when `keys` holds anything the harness does not model."""
    unknown = sorted(map(str, keys - allowed))
    assert not unknown, f"the workflow harness does not model {what} {', '.join(unknown)}"


def load_workflow(path: Path) -> Workflow:
    document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    on = document.pop(True) if True in document else document.pop("on")  # YAML 1.1 reads `on` as true
    known(set(document), _WORKFLOW_KEYS, f"{path.name}: the workflow key")
    if isinstance(on, str):
        on = {on: {}}
    elif isinstance(on, list):
        on = dict.fromkeys(on)
    on = {event: {} if spec is None else spec for event, spec in on.items()}
    for event, spec in on.items():
        assert event in _FILTERS or event == "schedule", f"the workflow harness does not model `on: {event}`"
        if event != "schedule":
            known(set(spec), _FILTERS[event], f"{path.name}: the filter on.{event}.")
    for index, (job_id, job) in enumerate(document["jobs"].items()):
        known(set(job), _JOB_KEYS, f"{path.name}: the key jobs.{job_id}.")
        needs = job.get("needs") or []
        job["needs"] = [needs] if isinstance(needs, str) else needs
        earlier = list(document["jobs"])[:index]
        # jobs run one after another in the file's order here: a job may need only jobs above it
        assert set(job["needs"]) <= set(earlier), f"{path.name}: jobs.{job_id}.needs names a later job"
        environment = job.get("environment")
        if isinstance(environment, dict):
            known(set(environment), {"name", "url"}, f"{path.name}: the key jobs.{job_id}.environment.")
        assert job.get("runs-on") == "ubuntu-latest", f"{path.name}: the harness runs Linux jobs only"
        for spec in (job, *job["steps"]):
            # "Secrets cannot be directly referenced in if: conditionals" (GitHub rejects the workflow)
            assert "secrets." not in str(spec.get("if", "")), f"{path.name}: `secrets` in an if: condition"
        for step in job["steps"]:
            known(set(step), _STEP_KEYS, f"{path.name}: the step key")
    return Workflow(
        path=path,
        name=document.get("name") or path.name,
        on=on,
        jobs=document["jobs"],
        concurrency=_concurrency(path, document.get("concurrency")),
        permissions=document.get("permissions"),
        env=document.get("env") or {},
    )


def _concurrency(path: Path, spec: str | dict[str, Any] | None) -> dict[str, Any] | None:
    if spec is None:
        return None
    spec = {"group": spec} if isinstance(spec, str) else spec
    known(set(spec), {"group", "cancel-in-progress", "queue"}, f"{path.name}: the concurrency key")
    queue = spec.setdefault("queue", "single")
    assert queue in ("single", "max"), f"{path.name}: concurrency.queue is single or max, not {queue!r}"
    # "The combination of queue: max with cancel-in-progress: true is not allowed and results in a
    # workflow validation error."
    assert not (queue == "max" and spec.get("cancel-in-progress") is True), (
        f"{path.name}: queue: max with cancel-in-progress: true is a workflow validation error"
    )
    return spec


def glob(pattern: str, text: str) -> bool:
    """GitHub's filter patterns: `*` within one path segment, `**` across segments, `?` one character."""
    regex = re.escape(pattern).replace(r"\*\*", "\0").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return re.fullmatch(regex.replace("\0", ".*"), text) is not None


def triggers(workflow: Workflow, event_name: str, payload: dict[str, Any], changed: set[str]) -> bool:
    """Whether this event starts the workflow; `changed` holds the files a push or pull request changes.
    A `workflow_dispatch` names its workflow instead (`Actions.dispatch`)."""
    if event_name not in workflow.on or event_name == "workflow_dispatch":
        return False
    spec = workflow.on[event_name]
    if event_name == "schedule":
        return any(entry["cron"] == payload["schedule"] for entry in spec)
    types = spec.get("types", _DEFAULT_TYPES.get(event_name))
    if types is not None and payload.get("action") not in types:
        return False
    if event_name == "workflow_run":
        return payload["workflow_run"]["name"] in spec["workflows"]
    if event_name == "merge_group":
        return True
    ref = payload["ref"] if event_name == "push" else payload["pull_request"]["base"]["ref"]
    if event_name == "push" and ("tags" in spec or "branches" in spec):
        # "If you define only tags/tags-ignore or only branches/branches-ignore, the workflow won't run for
        # events affecting the undefined Git ref."
        kind, name = (
            ("tags", ref.removeprefix("refs/tags/")) if ref.startswith("refs/tags/") else ("branches", ref)
        )
        if kind not in spec:
            return False
        if kind == "tags":
            return any(glob(pattern, name) for pattern in spec["tags"])
    branch = ref.removeprefix("refs/heads/")
    if "branches" in spec and not any(glob(pattern, branch) for pattern in spec["branches"]):
        return False
    return "paths" not in spec or any(glob(pattern, path) for pattern in spec["paths"] for path in changed)
