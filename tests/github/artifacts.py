"""Workflow-run artifacts: a local store, and the steps actions/upload-artifact and actions/download-artifact
(v4 and later) would run, with their inputs, outputs and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

from github.harness import StepRun
from github.workflow_file import known

_UPLOAD_INPUTS = {"name", "path", "retention-days", "if-no-files-found", "include-hidden-files"}
_DOWNLOAD_INPUTS = {"name", "path", "run-id", "github-token"}


class Artifacts:
    """Artifacts by run and name: the files under the uploaded path (a single file at its own name),
    hidden files left out unless asked for, one artifact per name and run."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _folder(self, run_id: int, name: str) -> Path:
        return self.root / str(run_id) / name

    def exists(self, run_id: int, name: str) -> bool:
        return self._folder(run_id, name).is_dir()

    def files(self, run_id: int, name: str) -> dict[str, str]:
        """What the artifact holds: relative path -> text."""
        folder = self._folder(run_id, name)
        return {
            str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in folder.rglob("*")
            if p.is_file()
        }

    def delete(self, run_id: int, name: str) -> None:
        """Gone: its retention ran out, or a maintainer deleted it."""
        shutil.rmtree(self._folder(run_id, name))

    def extract(self, run_id: int, name: str, destination: Path) -> None:
        shutil.copytree(self._folder(run_id, name), destination, dirs_exist_ok=True)

    def store(self, run_id: int, name: str, source: Path, *, hidden: bool) -> int:
        """Keep `source` (a file or a folder); returns how many files the artifact holds."""
        base = source.parent if source.is_file() else source
        found = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        files = [f for f in found if hidden or not any(p.startswith(".") for p in f.relative_to(base).parts)]
        for path in files:
            target = self._folder(run_id, name) / path.relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        return len(files)


def upload(store: Artifacts, run_id: int, workspace: Path, step: StepRun, with_: dict[str, str]) -> StepRun:
    """actions/upload-artifact: one path (relative to the workspace, or absolute), `if-no-files-found`
    (default warn: no files is a warning, the step succeeds), a second artifact of one name fails."""
    known(set(with_), _UPLOAD_INPUTS, "the actions/upload-artifact input")
    name, path = with_.get("name") or "artifact", with_["path"]
    assert "\n" not in path.strip() and not set("*?!") & set(path), "the harness uploads one plain path"
    if store.exists(run_id, name):
        conflict = "an artifact with this name already exists on the workflow run"
        return failed(
            step, f"Failed to CreateArtifact: Received non-retryable error: (409) Conflict: {conflict}"
        )
    source = workspace / path  # an absolute path stays itself
    hidden = with_.get("include-hidden-files") == "true"
    count = store.store(run_id, name, source, hidden=hidden) if source.exists() else 0
    if count == 0:
        missing = with_.get("if-no-files-found", "warn")
        message = f"No files were found with the provided path: {path}. No artifacts will be uploaded."
        if missing == "error":
            return failed(step, message)
        step.stdout = f"::{'warning' if missing == 'warn' else 'notice'}::{message}\n"
        return step
    step.outputs = {"artifact-id": f"{run_id}-{name}"}
    step.stdout = f"Artifact {name} has been successfully uploaded ({count} files)\n"
    return step


def download(store: Artifacts, run_id: int, workspace: Path, step: StepRun, with_: dict[str, str]) -> StepRun:
    """actions/download-artifact by name, into `path` (merged with what is there); `run_id` is the run
    the artifact is taken from (this one, or `run-id` checked by the caller)."""
    known(set(with_), _DOWNLOAD_INPUTS, "the actions/download-artifact input")
    name = with_["name"]
    if not store.exists(run_id, name):
        return failed(
            step,
            f"Unable to download artifact(s): Artifact not found for name: {name}\n"
            "Please ensure that your artifact is not expired and the artifact was uploaded using a "
            "compatible version of toolkit/upload-artifact.",
        )
    destination = workspace / with_.get("path", ".")
    store.extract(run_id, name, destination)
    step.outputs = {"download-path": str(destination)}
    return step


def failed(step: StepRun, message: str) -> StepRun:
    step.outcome, step.returncode = "failure", 1
    step.stderr = "::error::" + message.replace("\n", "%0A") + "\n"
    return step
