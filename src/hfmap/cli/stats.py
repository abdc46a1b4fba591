"""`--stats` for every networked command (check, plan, apply, import, verify): one option, one printer.

A command adds `@stats_option`, takes `stats: bool`, creates a `StatsMeter` before the run, hands
`meter.http` to the HTTP client and calls `meter.show(run, ...)` at the end. The figures go to stderr,
so the command's own output (a plan, findings, JSON) stays as it is.
"""

from __future__ import annotations

import time
from typing import Any

import click

from hfmap.cli.context import RunContext
from hfmap.clients.http import HttpStats

stats_option = click.option(
    "--stats",
    "stats",
    is_flag=True,
    help="Print what the run cost on stderr: requests per host, cache hits, retries, seconds waited.",
)


class StatsMeter:
    """The HTTP counters of one command and the clock since it started."""

    def __init__(self, wanted: bool) -> None:
        self.wanted = wanted
        self.http = HttpStats()
        self._started = time.monotonic()

    def show(self, run: RunContext, *, cache_hits: int | None = None, cache_misses: int = 0) -> None:
        """Print the figures (only when `--stats` was given); JSON under `--format json`, else text."""
        if not self.wanted:
            return
        data: dict[str, Any] = {**self.http.to_json(), "seconds": round(time.monotonic() - self._started, 3)}
        if cache_hits is not None:
            data["cache_hits"], data["cache_misses"] = cache_hits, cache_misses
        fmt = "json" if run.format == "json" else "text"
        run.err(run.show("stats", data, fmt=fmt))
