"""`hfmap apply`: plan afresh, refuse when unsafe or not the approved plan, write, verify.

Exit codes (contract): 0 everything applied and verified (or nothing to do), 1 some operation failed,
the verification found differences or (`--wait`) the Hub's tests failed a written mapping, 2 usage, 3
refused before any write.
"""

from __future__ import annotations

from pathlib import Path

import click

from hfmap.cli.context import RunContext, exit_with, format_option, get_run
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
from hfmap.report.apply_text import interrupted_lines
from hfmap.sync.apply import ApplyOptions, token_refusal
from hfmap.sync.engine import FileSettings, HubSettings, Selection, Timings, apply_files
from hfmap.sync.wait import DEFAULT_WAIT, parse_duration


def _emit(report: ApplyReport, run: RunContext) -> None:
    """The report on stdout; a refusal (nothing written) on stderr, except as JSON."""
    text = run.show("apply", report)
    if report.refused is not None and run.format != "json":
        run.err(f"hfmap: {text}")
    else:
        run.echo(text)


@click.command("apply", cls=OptionalValueCommand, optional_values={"--wait": f"{DEFAULT_WAIT:g}s"})
@paths_argument
@click.option(
    "--expect-hash",
    default=None,
    metavar="HASH",
    help="Refuse (exit 3) unless the fresh plan's hash is HASH (the hash of the approved plan).",
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
    expect_hash: str | None,
    force: bool,
    wait: str | None,
    only_auto_status: bool,
    retest: tuple[str, ...],
    retest_errors: bool,
    max_destructive_percent: float,
    max_destructive: int,
    concurrency: int,
    timeout: float | None,
    disable: tuple[str, ...],
    allow_providers: tuple[str, ...],
    stats: bool,
) -> None:
    """Carry out the plan on the Hub, safely, and verify it (needs a token with write access).

    \b
    Exit codes: 0 everything applied and verified, or nothing to do; 1 some operation failed (each one
    reported) or the Hub does not match afterwards; 2 usage; 3 refused before any write (unsafe without
    --force, not the plan of --expect-hash, no token or one the Hub rejects).
    """
    run = get_run()
    expected = normal_hash(expect_hash)
    selection = Selection.from_options(only_auto_status, retest, retest_errors)
    wait_seconds = parse_duration(wait) if wait is not None else None
    resolve_paths(paths)  # a mistyped path is a usage error (2) before any refusal (3)
    refusal = token_refusal(run.token)
    if refusal is not None:
        _emit(ApplyReport(None, refusal), run)
        exit_with(3)
    timings, meter = Timings(), StatsMeter(stats)
    files = FileSettings(paths, disable, allow_providers, run.show_blocking)
    hub = HubSettings(run.endpoint, run.token, concurrency, timeout, run.debug, stats=meter.http)
    limits = SafetyLimits(max_percent=max_destructive_percent, max_count=max_destructive)
    options = ApplyOptions(limits, expected, force, selection.only, selection.retest)

    def show_plan(plan: Plan) -> None:
        if run.format != "json" and not run.quiet:
            run.echo(run.show("plan", plan, fmt="text"))
            run.echo("")

    def waiting(count: int, seconds: float) -> None:
        run.info(f"hfmap: watching {count} written mapping(s) for {seconds:g} s while the Hub tests them")

    finished: list[ActionResult] = []
    try:
        report = apply_files(
            files, hub, options, timings, on_plan=show_plan, on_result=finished.append,
            wait=wait_seconds, on_wait=waiting,
        )  # fmt: skip
    except KeyboardInterrupt:
        for line in interrupted_lines(finished):
            run.err(line)
        exit_with(130)
    _emit(report, run)
    run.debug(str(timings))
    meter.show(run)
    exit_with(report.exit_code)


command = apply
