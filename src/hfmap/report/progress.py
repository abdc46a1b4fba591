"""`checking [####----] 120/2000` on a terminal's stderr, only once a run has taken over a second.

click's progress bar draws it; this only decides whether to show one at all (never for JSON or GitHub
output, with -q, off a terminal, or in CI) and holds it back for the first second, so quick runs stay quiet.
"""

from __future__ import annotations

import os
import time
from typing import Any, TextIO

import click


class Progress:
    DELAY = 1.0

    def __init__(self, stream: TextIO, enabled: bool, label: str = "checking") -> None:
        self.label = label
        self.total = 0
        self.done = 0
        self.stream = stream
        self.enabled = enabled
        self.started = time.monotonic()
        self._bar: Any = None

    def start(self, total: int) -> None:
        """The run's number of questions is known: the clock for the delay starts now."""
        self.total = total
        self.enabled = self.enabled and total > 0
        self.started = time.monotonic()

    @staticmethod
    def wanted(fmt: str, quiet: bool, stream: TextIO) -> bool:
        isatty = getattr(stream, "isatty", lambda: False)
        return fmt == "text" and not quiet and not os.environ.get("CI") and bool(isatty())

    def advance(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            self._bar = click.progressbar(
                length=self.total,
                label=self.label,
                file=self.stream,
                width=30,
                show_percent=False,
                show_pos=True,
                update_min_steps=max(1, self.total // 100),  # at most ~100 redraws, however many answers
            )
            self._bar.update(self.done)  # the answers so far, in one step
            return
        self._bar.update(count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.render_finish()  # shows the cursor again and ends the bar's line
            self._bar = None
