"""`task-invalid`: a task that is neither a Hub pipeline tag nor `conversational`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hfmap import data
from hfmap.files.model import Declared, MappingFile, PathKey
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "task-invalid"
LEVEL = Level.ERROR
DESCRIPTION = "task is not a Hub pipeline tag or `conversational` (closest valid task suggested)"


def task_places(file: MappingFile) -> Iterator[tuple[PathKey, str]]:
    """Every place a task is written in `file`: `defaults.task` once, then each entry's own `task`."""
    if isinstance(file.defaults.get("task"), str):
        yield ("defaults", "task"), file.defaults["task"]
    for entry in file.entries:
        if isinstance(entry.raw.get("task"), str):
            yield ("mappings", entry.index, "task"), entry.raw["task"]


def suggestion(task: str) -> str:
    valid = data.tasks()
    guess = data.closest(task.strip().lower().replace("_", "-").replace(" ", "-"), valid)
    return f"did you mean '{guess}'?" if guess else "see https://huggingface.co/tasks for the task ids"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    valid = data.tasks()
    for file in declared.files:
        for path, task in task_places(file):
            if not task or task in valid:
                continue  # an empty task is the schema's to report
            message = (
                f"unknown task '{task}'; {suggestion(task)} "
                "(tasks are Hub pipeline tags, or `conversational` for chat models)"
            )
            yield Finding.at(file.path, file.where(path), LEVEL, ID, message)
