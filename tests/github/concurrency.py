"""Workflow concurrency groups, as GitHub documents them.

Sources: "Control the concurrency of workflows and jobs"
(https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency)
and the changelog entry "GitHub Actions concurrency groups now allow larger queues" (2026-05-07):

- "there can be at most one running job or workflow in a concurrency group at any time. When a concurrent
  job or workflow is queued, if another job or workflow using the same concurrency group in the repository
  is in progress, the queued job or workflow will be pending. By default, any existing pending job or
  workflow in the same concurrency group will be canceled and the new queued job or workflow will take its
  place." `cancel-in-progress: false` does not change that: it only spares the *running* one.
- "To also cancel any currently running job or workflow in the same concurrency group, specify
  cancel-in-progress: true."
- `queue`: "single (default): At most one job or workflow run can be pending in the concurrency group. When
  a new job or workflow run is queued, any existing pending job or workflow run in the same group is
  canceled and replaced. max: Up to 100 jobs or workflow runs can be pending in the concurrency group. When
  the queue is full, any additional jobs or workflow runs are canceled." Pending runs leave the queue first
  in, first out.
- "The concurrency group name is case insensitive."

The harness runs one job at a time, so "running" means started and not finished yet; a running run that
`cancel-in-progress` cancels is cancelled before its first step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Run(Protocol):
    status: str  # queued -> pending -> in_progress -> completed


class Concurrency:
    QUEUE_MAX = 100

    def __init__(self, cancel: Callable[[Run], None]) -> None:
        self.cancel = cancel  # GitHub ends a cancelled run (its `workflow_run` event follows)
        self.running: dict[str, Run] = {}
        self.pending: dict[str, list[Run]] = {}

    def enter(self, run: Run, group: str, *, cancel_in_progress: bool, queue: str) -> None:
        """A run of a workflow with `concurrency:` is queued into `group`."""
        key = group.lower()
        pending = self.pending.setdefault(key, [])
        if cancel_in_progress and key in self.running:
            self.cancel(self.running.pop(key))
        if key not in self.running:
            for (
                older
            ) in pending:  # only after cancel-in-progress: otherwise pending runs wait for a running one
                self.cancel(older)
            pending.clear()
            self.running[key] = run
            run.status = "in_progress"
        elif queue == "max" and len(pending) < self.QUEUE_MAX:
            pending.append(run)
            run.status = "pending"
        elif queue == "max":
            self.cancel(run)
        else:
            for older in pending:
                self.cancel(older)
            pending[:] = [run]
            run.status = "pending"

    def leave(self, run: Run, group: str) -> None:
        """The run finished: the group's first pending run starts."""
        key = group.lower()
        if self.running.get(key) is not run:
            return
        del self.running[key]
        pending = self.pending.get(key) or []
        if pending:
            self.running[key] = following = pending.pop(0)
            following.status = "in_progress"
