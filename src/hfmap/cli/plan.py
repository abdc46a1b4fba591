"""`hfmap plan`: read the live mapping of every provider the files name and print the changes.

Also home of what `apply` shares with it: the safety options, the lint gate (files with lint errors
are never planned) and the timed read-and-plan step.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from hfmap.cli.context import RunContext, format_option, get_run
from hfmap.cli.options import load_declared, paths_argument, require_http_url, rule_options
from hfmap.errors import HfmapError
from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.report.findings import render_findings
from hfmap.sync.plan import Plan, SafetyLimits

DEFAULT_CONCURRENCY = 8


@dataclass
class Timings:
    """Seconds per step, for `-v` and the benchmarks."""

    steps: dict[str, float] = field(default_factory=dict)

    def add(self, step: str, seconds: float) -> None:
        self.steps[step] = self.steps.get(step, 0.0) + seconds

    def timed(self, step: str) -> _Timer:
        return _Timer(self, step)

    def __str__(self) -> str:
        return "timing: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in self.steps.items())


class _Timer:
    def __init__(self, timings: Timings, step: str) -> None:
        self.timings, self.step = timings, step

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timings.add(self.step, time.perf_counter() - self.start)


def safety_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--max-destructive-percent`, `--max-destructive`, `--concurrency`, `--timeout`."""
    func = click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=None,
        metavar="SECONDS",
        help="Per-request timeout for the Hub (default 30, env HFMAP_HTTP_TIMEOUT).",
    )(func)
    func = click.option(
        "--concurrency",
        type=click.IntRange(1, 64),
        default=DEFAULT_CONCURRENCY,
        show_default=True,
        help="Requests to the Hub at once.",
    )(func)
    func = click.option(
        "--max-destructive",
        type=click.IntRange(min=0),
        default=50,
        show_default=True,
        help="More destructive actions (delete, replace, demote) than this in one plan need --force.",
    )(func)
    func = click.option(
        "--max-destructive-percent",
        type=click.FloatRange(0, 100),
        default=30.0,
        show_default=True,
        help="A larger share (%) of a provider's live mappings destroyed needs --force (from 10 live).",
    )(func)
    return func


def lint_gate(
    declared: Declared,
    findings: list[Finding],
    run: RunContext,
    disable: tuple[str, ...] = (),
    allow_providers: tuple[str, ...] = (),
) -> None:
    """Refuse (exit 1, findings on stderr) to plan files that lint reports errors in."""
    from hfmap.lint.engine import RuleOptions, lint, validate_rule_ids

    validate_rule_ids(disable)
    options = RuleOptions(allow_providers=frozenset(allow_providers))
    all_findings = lint(declared, findings, disabled=frozenset(disable), options=options).findings
    errors = [f for f in all_findings if f.level == Level.ERROR]
    if not errors:
        return
    fmt = "github" if run.format == "github" else "text"
    render_findings(errors, fmt, sys.stderr, color=run.color, files=len(declared.files), quiet=True)
    noun = "error" if len(errors) == 1 else "errors"
    raise HfmapError(f"{len(errors)} lint {noun} in the mapping files; fix them before planning (hfmap lint)")


def load_for_plan(
    paths: tuple[Path, ...],
    run: RunContext,
    timings: Timings,
    disable: tuple[str, ...] = (),
    allow_providers: tuple[str, ...] = (),
) -> Declared:
    with timings.timed("parse"):
        declared, result = load_declared(paths)
    with timings.timed("lint"):
        lint_gate(declared, result.findings, run, disable, allow_providers)
    if not declared.providers:
        raise HfmapError("the mapping files name no provider; nothing to plan")
    # The file model lives until the process ends: keep the collector from rescanning it (with 10,000
    # entries, full collections during the fetch and diff otherwise cost more than the diff itself).
    gc.freeze()
    return declared


def open_api(run: RunContext, concurrency: int, timeout: float | None, *, with_token: bool):
    """An HTTP client + partner API for this run (imported here so `lint` never loads httpx)."""
    from hfmap.clients.http import HttpClient
    from hfmap.clients.partner import PartnerApi, http_settings

    require_http_url(run.endpoint)
    chosen_timeout, policy = http_settings(timeout)
    http = HttpClient(timeout=chosen_timeout, concurrency=concurrency, retry=policy, log=run.debug)
    return http, PartnerApi(http, run.endpoint, run.token if with_token else None)


async def _read_and_plan(
    declared: Declared,
    run: RunContext,
    limits: SafetyLimits,
    concurrency: int,
    timeout: float | None,
    timings: Timings,
) -> Plan:
    from hfmap.sync.apply import fetch_all
    from hfmap.sync.plan import make_plan

    http, api = open_api(run, concurrency, timeout, with_token=False)
    async with http:
        start = time.perf_counter()
        live = await fetch_all(api, sorted(declared.providers))
        timings.add("fetch", time.perf_counter() - start)
    with timings.timed("diff"):
        return make_plan(declared, live, limits)


def render_plan(plan: Plan, fmt: str, color: bool) -> str:
    if fmt == "json":
        from hfmap.report.plan_json import render_json

        return render_json(plan)
    if fmt == "markdown":
        from hfmap.report.plan_markdown import render_markdown

        return render_markdown(plan)
    from hfmap.report.plan_text import render_text

    return render_text(plan, color=color)


def write_json_plan(plan: Plan, out: Path) -> None:
    from hfmap.report.plan_json import render_json

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_json(plan) + "\n", encoding="utf-8")
    except OSError as exc:
        raise HfmapError(f"cannot write the plan to '{out}': {exc.strerror or exc}") from None


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
    help="Also write the plan as JSON to FILE.",
)
@safety_options
@rule_options
@format_option()
def plan(
    paths: tuple[Path, ...],
    detailed_exitcode: bool,
    out: Path | None,
    max_destructive_percent: float,
    max_destructive: int,
    concurrency: int,
    timeout: float | None,
    disable: tuple[str, ...],
    allow_providers: tuple[str, ...],
) -> None:
    """Show the changes that would make the live mapping equal the files (read-only, no token needed).

    Exit 0 when the plan was made (with --detailed-exitcode: 0 no changes, 2 changes), 1 when it could
    not be (lint errors, Hub unreachable), 2 on usage errors.
    """
    run = get_run()
    timings = Timings()
    declared = load_for_plan(paths, run, timings, disable, allow_providers)
    limits = SafetyLimits(max_percent=max_destructive_percent, max_count=max_destructive)
    result = asyncio.run(_read_and_plan(declared, run, limits, concurrency, timeout, timings))
    with timings.timed("render"):
        text = render_plan(result, run.format, run.color)
        if out is not None:
            write_json_plan(result, out)
    run.echo(text)
    run.debug(str(timings))
    if detailed_exitcode and result.has_changes:
        click.get_current_context().exit(2)


command = plan
