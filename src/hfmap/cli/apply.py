"""`hfmap apply`: plan afresh, refuse when unsafe or not the approved plan, write, verify.

Exit codes (contract): 0 everything applied and verified (or nothing to do), 1 some operation failed
or the verification found differences, 2 usage, 3 refused before any write.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import click

from hfmap.cli.context import RunContext, format_option, get_run
from hfmap.cli.options import paths_argument, resolve_paths, rule_options
from hfmap.cli.plan import Timings, load_for_plan, open_api, render_plan, safety_options
from hfmap.clients.http import header_problem
from hfmap.errors import UsageError
from hfmap.report.plan_text import SYMBOLS, clean
from hfmap.sync.apply import ActionResult, ApplyOptions, ApplyReport, Refusal, apply_plan
from hfmap.sync.plan import Plan, SafetyLimits

_DONE_VERB = {"create": "created", "update": "updated", "replace": "replaced", "delete": "deleted"}


def result_line(result: ActionResult) -> str:
    """`[provider] <symbol> key: created` (or `FAILED: <the Hub's message>`), one line per action."""
    action = result.action
    symbol = SYMBOLS[action.action]
    what = _DONE_VERB[action.action] + (f" ({action.change})" if action.change else "")
    if result.outcome == "done":
        line = f"{symbol} {clean(action.key)}: {what}"
        if result.note:
            line += f" ({result.note})"
    else:
        line = f"{symbol} {clean(action.key)}: {result.outcome.upper()}: {clean(result.error or '')}"
    return f"[{clean(action.provider)}] {line}"


def render_report_text(report: ApplyReport) -> str:
    """Each action's outcome, then one summary line and what (if anything) still differs."""
    lines: list[str] = []
    if report.refused is not None:
        return f"Apply refused ({report.refused.code}): {report.refused.reason}"
    lines.extend(result_line(result) for result in report.results)
    s = report.summary
    lines.append("")
    lines.append(f"Apply: {s['done']} done, {s['failed']} failed, {s['skipped']} skipped.")
    if report.verify_error:
        lines.append(f"Not verified: {report.verify_error}")
    elif report.verified:
        lines.append("Verified: the live mapping now matches the files.")
    else:
        lines.append(f"Not verified: {len(report.remaining)} change(s) still differ from the files:")
        for action in report.remaining:
            lines.append(
                f"  {SYMBOLS[action.action]} {clean(action.provider)}: {clean(action.key)} ({action.action})"
            )
        lines.append("Run `hfmap apply` again once the cause is fixed; it only does what is still missing.")
    for item in report.attention:
        lines.append(
            f"[{clean(item.provider)}] ! {clean(item.key)}: status '{clean(item.status)}' on the Hub "
            f"(declared {clean(item.declared)}); set by the Hub's own tests, hfmap cannot change it"
        )
    return "\n".join(lines)


def _emit(report: ApplyReport, run: RunContext) -> None:
    if run.format == "json":
        run.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return
    text = render_report_text(report)
    if report.refused is not None:
        run.err(f"hfmap: {text}")
    else:
        run.echo(text)


async def _run(
    declared,
    run: RunContext,
    options: ApplyOptions,
    concurrency: int,
    timeout,
    timings: Timings,
    show_plan,
    finished: list[ActionResult],
) -> ApplyReport:
    http, api = open_api(run, concurrency, timeout, with_token=True)
    async with http:
        start = time.perf_counter()
        report = await apply_plan(
            declared, api, options, log=run.debug, on_plan=show_plan, on_result=finished.append
        )
        timings.add("apply", time.perf_counter() - start)
    run.debug(f"http: {http.stats}")
    return report


def _interrupted(run: RunContext, finished: list[ActionResult]) -> None:
    """Ctrl-C mid-apply: say exactly which writes finished, so nobody has to guess what the Hub holds."""
    run.err("")
    run.err(f"hfmap: apply interrupted; {len(finished)} action(s) had finished:")
    for result in finished:
        run.err(result_line(result))
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
) -> None:
    """Carry out the plan on the Hub, safely, and verify it (needs a token with write access)."""
    run = get_run()
    ctx = click.get_current_context()
    expected = _normal_hash(expect_hash)
    resolve_paths(paths)  # a mistyped path is a usage error (2) before any refusal (3)
    if not run.token:
        report = ApplyReport(None, Refusal("no-token", "no Hub token: pass --token or set HF_TOKEN"))
        _emit(report, run)
        ctx.exit(3)
    token_problem = header_problem(run.token)
    if token_problem is not None:
        report = ApplyReport(None, Refusal("invalid-token", f"the Hub token cannot be sent: {token_problem}"))
        _emit(report, run)
        ctx.exit(3)
    timings = Timings()
    declared = load_for_plan(paths, run, timings, disable, allow_providers)
    options = ApplyOptions(
        limits=SafetyLimits(max_percent=max_destructive_percent, max_count=max_destructive),
        expect_hash=expected,
        force=force,
    )

    def show_plan(plan: Plan) -> None:
        if run.format != "json" and not run.quiet:
            run.echo(render_plan(plan, "text", run.color))
            run.echo("")

    finished: list[ActionResult] = []
    try:
        report = asyncio.run(_run(declared, run, options, concurrency, timeout, timings, show_plan, finished))
    except KeyboardInterrupt:
        _interrupted(run, finished)
        ctx.exit(130)
    _emit(report, run)
    run.debug(str(timings))
    ctx.exit(report.exit_code)


command = apply
