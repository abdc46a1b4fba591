"""`hfmap apply`: plan afresh, refuse when unsafe or not the approved plan, write, verify.

Exit codes (contract): 0 everything applied and verified (or nothing to do), 1 some operation failed,
the verification found differences or (`--wait`) the Hub's tests failed a written mapping, 2 usage, 3
refused before any write.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click
from click.core import ParameterSource

from hfmap.cli.confirm import consent
from hfmap.cli.context import RunContext, exit_with, format_option, get_online_run
from hfmap.cli.options import (
    OptionalValueCommand,
    normal_hash,
    paths_argument,
    rule_options,
    safety_options,
    selection_options,
)
from hfmap.cli.stats import StatsMeter, stats_option
from hfmap.files.paths import resolve_paths
from hfmap.mapping.apply_report import ActionResult, ApplyReport
from hfmap.mapping.plan import Plan
from hfmap.mapping.safety import SafetyLimits
from hfmap.report.apply_text import interrupted_lines, result_line
from hfmap.report.progress import Progress
from hfmap.sync.apply import ApplyOptions, token_refusal
from hfmap.sync.engine import FileSettings, HubSettings, Timings, apply_files
from hfmap.sync.saved import SavedSelection, approved_selection
from hfmap.sync.wait import DEFAULT_WAIT, Poll, parse_duration


def _emit(report: ApplyReport, run: RunContext, streamed: bool) -> None:
    """The report on stdout (without the result lines already printed); a refusal (nothing written) on
    stderr, except as JSON."""
    text = run.show("apply", report, streamed=streamed)
    if report.refused is not None and run.format != "json":
        run.err(f"hfmap: {text}")
    else:
        run.echo(text)


def _typed(given: SavedSelection) -> SavedSelection:
    """The selection as typed on the command line: the config file's `paths` or selection are defaults,
    which a plan file (fixing both) replaces rather than clashes with."""
    ctx = click.get_current_context()
    blank = SavedSelection()
    configured = {
        name: getattr(blank, name)
        for name in blank.to_json()
        if ctx.get_parameter_source(name) is ParameterSource.DEFAULT_MAP
    }
    return replace(given, **configured)


class WaitNews:
    """What `--wait` watches (always, on stderr), then each poll's news (on a terminal only; -q: none)."""

    def __init__(self, run: RunContext, live: bool) -> None:
        self.run, self.live = run, live

    def started(self, keys: list[str], seconds: float) -> None:
        shown = ", ".join(keys[:10]) + (f", ... ({len(keys) - 10} more)" if len(keys) > 10 else "")
        what = f"{len(keys)} written mapping(s) for {seconds:g} s"
        self.run.info(f"hfmap: watching {what} while the Hub tests them: {shown}")

    def polled(self, poll: Poll) -> None:
        if self.live:
            failed = f"; in error: {', '.join(poll.failed)}" if poll.failed else ""
            self.run.info(
                f"hfmap: poll {poll.number}: {poll.watching} mapping(s) not failed so far, "
                f"{poll.seconds_left:.0f} s left{failed}"
            )


@click.command("apply", cls=OptionalValueCommand, optional_values={"--wait": f"{DEFAULT_WAIT:g}s"})
@paths_argument
@click.option("-y", "--yes", is_flag=True, help="Apply without asking for confirmation.")
@click.option(
    "--expect-hash",
    default=None,
    metavar="HASH",
    help="Refuse (exit 3) unless the fresh plan's hash is HASH (the hash of the approved plan); "
    "no question is asked.",
)
@click.option(
    "--plan-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Apply the plan `hfmap plan -o FILE` saved: planned again with its paths and selection, written "
    "only when the fresh plan's hash equals the file's (no question is asked).",
)
@click.option("--force", is_flag=True, help="Apply even when the plan exceeds the safety limits.")
@click.option(
    "--wait",
    default=None,
    metavar="[=DURATION]",
    help=f"Then watch what clients see until the Hub's tests settle (default {DEFAULT_WAIT:g}s; e.g. "
    "--wait=5m) and fail when one put a written mapping in `error`.",
)
@selection_options
@safety_options
@rule_options
@stats_option
@format_option("apply")
def apply(
    paths: tuple[Path, ...],
    yes: bool,
    expect_hash: str | None,
    plan_file: Path | None,
    force: bool,
    wait: str | None,
    only_auto_status: bool,
    retest: tuple[str, ...],
    retest_errors: bool,
    target: tuple[str, ...],
    max_destructive_percent: float,
    max_destructive: int,
    concurrency: int,
    timeout: float | None,
    disable: tuple[str, ...],
    allow_providers: tuple[str, ...],
    stats: bool,
) -> None:
    """Carry out the plan on the Hub, safely, and verify it (needs a token with write access).

    On a terminal the plan is shown and applied only when you answer `yes`; without one, pass --yes,
    --expect-hash HASH (the hash `hfmap plan` printed) or --plan-file FILE.

    Exit codes: 0 everything applied and verified, or nothing to do; 1 some operation failed (each one
    reported) or the Hub does not match afterwards; 2 usage; 3 refused before any write (unsafe without
    --force, not the plan of --expect-hash or --plan-file, not confirmed, no token or one the Hub rejects).
    """
    run = get_online_run("apply", "writes to the Hub")
    expected = normal_hash(expect_hash)
    given = SavedSelection(tuple(map(str, paths)), target, only_auto_status, retest, retest_errors)
    if plan_file is not None:
        given = _typed(given)
    saved, expected = approved_selection(given, expected, plan_file)
    paths = tuple(Path(path) for path in saved.paths)
    scope = saved.scope()
    wait_seconds = parse_duration(wait) if wait is not None else None
    resolve_paths(paths)  # a mistyped path is a usage error (2) before any refusal (3)
    refusal = token_refusal(run.token)
    if refusal is not None:
        _emit(ApplyReport(None, refusal), run, streamed=False)
        exit_with(3)
    timings, meter = Timings(), StatsMeter(stats)
    files = FileSettings(paths, disable, allow_providers, run.show_blocking, run.show_context)
    hub = HubSettings(run.endpoint, run.token, concurrency, timeout, run.debug, stats=meter.http)
    limits = SafetyLimits(max_percent=max_destructive_percent, max_count=max_destructive)
    confirm = consent(yes or expected is not None or plan_file is not None, run)
    options = ApplyOptions(limits, expected, force, scope, confirm)
    streamed = run.format in ("text", "github")

    def show_plan(plan: Plan) -> None:
        if run.format != "json" and not run.quiet:
            run.echo(run.show("plan", plan, fmt="text"))
            run.echo("")

    def finished_one(result: ActionResult) -> None:
        finished.append(result)
        if streamed:
            run.echo(result_line(result))

    finished: list[ActionResult] = []
    try:
        report = apply_files(
            files, hub, options, timings, on_plan=show_plan, on_result=finished_one,
            wait=wait_seconds, on_wait=WaitNews(run, Progress.wanted("text", run.quiet, sys.stderr)),
        )  # fmt: skip
    except KeyboardInterrupt:
        for line in interrupted_lines(finished):
            run.err(line)
        exit_with(130)
    _emit(report, run, streamed)
    run.debug(str(timings))
    meter.show(run)
    exit_with(report.exit_code)


command = apply
