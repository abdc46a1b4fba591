"""`hfmap plan`: read the live mapping of every provider the files name and print the changes."""

from __future__ import annotations

from pathlib import Path

import click

from hfmap.cli.context import exit_with, format_option, get_online_run, write_output
from hfmap.cli.options import paths_argument, rule_options, safety_options, selection_options
from hfmap.cli.stats import StatsMeter, stats_option
from hfmap.mapping.safety import SafetyLimits
from hfmap.sync.engine import FileSettings, HubSettings, Timings, plan_files
from hfmap.sync.saved import SavedSelection, saved_plan_json


@click.command("plan")
@paths_argument
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when there are no changes, 2 when there are (1 stays 'the plan could not be made').",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Also save the plan as JSON to FILE, with the selection that made it: "
    "`hfmap apply --plan-file FILE` applies exactly this plan.",
)
@selection_options
@safety_options
@rule_options
@stats_option
@format_option("plan")
def plan(
    paths: tuple[Path, ...],
    detailed_exitcode: bool,
    out: Path | None,
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
    """Show the changes that would make the live mapping equal the files (read-only, no token needed).

    Exit 0 when the plan was made (with --detailed-exitcode: 0 no changes, 2 changes), 1 when it could
    not be (lint errors, Hub unreachable), 2 on usage errors. `--only-auto-status` and `--retest` show the
    part of the plan `apply` would carry out with the same options, `--target KEY` only that mapping's
    change. The text plan ends with its hash and the `hfmap apply --expect-hash` command that applies it.
    """
    run = get_online_run("plan", "compares the files with the live mapping on the Hub")
    saved = SavedSelection(tuple(map(str, paths)), target, only_auto_status, retest, retest_errors)
    scope = saved.scope()
    timings, meter = Timings(), StatsMeter(stats)
    files = FileSettings(paths, disable, allow_providers, run.show_blocking, run.show_context)
    hub = HubSettings(run.endpoint, None, concurrency, timeout, run.debug, stats=meter.http)
    limits = SafetyLimits(max_percent=max_destructive_percent, max_count=max_destructive)
    result = plan_files(files, hub, limits, timings, scope)
    with timings.timed("render"):
        text = run.show("plan", result, apply_args=tuple(saved.apply_args()))
        if out is not None:
            document = saved_plan_json(result.to_json(), saved)
            write_output(out, run.show("plan", document, fmt="json") + "\n", f"the plan to '{out}'")
    run.echo(text)
    run.debug(str(timings))
    meter.show(run)
    exit_with(2 if detailed_exitcode and result.has_changes else 0)


command = plan
