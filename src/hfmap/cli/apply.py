"""`hfmap apply`: plan afresh, refuse when unsafe or not the approved plan, write, verify.

Exit codes (contract): 0 everything applied and verified (or nothing to do), 1 some operation failed
or the verification found differences, 2 usage, 3 refused before any write.
"""

from __future__ import annotations

from pathlib import Path

import click

from hfmap.cli.context import RunContext, exit_with, format_option, get_run
from hfmap.cli.options import paths_argument, rule_options, safety_options
from hfmap.cli.stats import StatsMeter, stats_option
from hfmap.clients.http import header_problem
from hfmap.errors import UsageError
from hfmap.files.paths import resolve_paths
from hfmap.report.apply_text import result_line
from hfmap.sync.apply import ActionResult, ApplyOptions, ApplyReport, Refusal
from hfmap.sync.engine import FileSettings, HubSettings, Timings, apply_files
from hfmap.sync.plan import Plan, SafetyLimits


def _emit(report: ApplyReport, run: RunContext) -> None:
    """The report on stdout; a refusal (nothing written) on stderr, except as JSON."""
    text = run.show("apply", report.to_json())
    if report.refused is not None and run.format != "json":
        run.err(f"hfmap: {text}")
    else:
        run.echo(text)


def _interrupted(run: RunContext, finished: list[ActionResult]) -> None:
    """Ctrl-C mid-apply: say exactly which writes finished, so nobody has to guess what the Hub holds."""
    run.err("")
    run.err(f"hfmap: apply interrupted; {len(finished)} action(s) had finished:")
    for result in finished:
        run.err(result_line(result.to_json()))
    run.err(
        "The other actions were not started, or were cut off with their outcome unknown. "
        "Run `hfmap plan` to see what still differs, and `hfmap apply` again to finish: it only does "
        "what is still missing and re-reads the Hub before repeating a write."
    )


def _normal_hash(value: str | None) -> str | None:
    """`sha256:<hex>` as printed by `plan`; a bare hex digest and any letter case are accepted too.

    An empty value is a usage error, never "no check": in CI it is `--expect-hash "$HASH"` with HASH
    unset, and applying an unreviewed plan then would defeat the option.
    """
    if value is None:
        return None
    value = value.strip().lower()
    if not value:
        raise UsageError("--expect-hash is empty; pass the hash `hfmap plan` printed for the approved plan")
    return value if ":" in value else f"sha256:{value}"


def _token_refusal(token: str | None) -> Refusal | None:
    if not token:
        return Refusal("no-token", "no Hub token: pass --token or set HF_TOKEN")
    problem = header_problem(token)
    return Refusal("invalid-token", f"the Hub token cannot be sent: {problem}") if problem else None


@click.command("apply")
@paths_argument
@click.option(
    "--expect-hash",
    default=None,
    metavar="HASH",
    help="Refuse (exit 3) unless the fresh plan's hash is HASH (the hash of the approved plan).",
)
@click.option("--force", is_flag=True, help="Apply even when the plan exceeds the safety limits.")
@safety_options
@rule_options
@stats_option
@format_option()
def apply(
    paths: tuple[Path, ...],
    expect_hash: str | None,
    force: bool,
    max_destructive_percent: float,
    max_destructive: int,
    concurrency: int,
    timeout: float | None,
    disable: tuple[str, ...],
    allow_providers: tuple[str, ...],
    stats: bool,
) -> None:
    """Carry out the plan on the Hub, safely, and verify it (needs a token with write access)."""
    run = get_run()
    expected = _normal_hash(expect_hash)
    resolve_paths(paths)  # a mistyped path is a usage error (2) before any refusal (3)
    refusal = _token_refusal(run.token)
    if refusal is not None:
        _emit(ApplyReport(None, refusal), run)
        exit_with(3)
    timings, meter = Timings(), StatsMeter(stats)
    files = FileSettings(paths, disable, allow_providers, run.show_blocking)
    hub = HubSettings(run.endpoint, run.token, concurrency, timeout, run.debug, stats=meter.http)
    options = ApplyOptions(
        limits=SafetyLimits(max_percent=max_destructive_percent, max_count=max_destructive),
        expect_hash=expected,
        force=force,
    )

    def show_plan(plan: Plan) -> None:
        if run.format != "json" and not run.quiet:
            run.echo(run.show("plan", plan.to_json(), fmt="text"))
            run.echo("")

    finished: list[ActionResult] = []
    try:
        report = apply_files(files, hub, options, timings, on_plan=show_plan, on_result=finished.append)
    except KeyboardInterrupt:
        _interrupted(run, finished)
        exit_with(130)
    _emit(report, run)
    run.debug(str(timings))
    meter.show(run)
    exit_with(report.exit_code)


command = apply
