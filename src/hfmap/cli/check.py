"""`hfmap check`: lint, then ask the Hub and the providers about every entry that passed.

Exit codes as `lint`: 0 without errors (warnings allowed unless --strict), 1 with errors, 2 on usage
errors. A Hub that cannot be reached is not a crash: those checks become `check-unavailable` findings.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import click

from hfmap import check_rules
from hfmap.check.engine import CheckOptions, run_check
from hfmap.cli.context import exit_with, format_option, get_run
from hfmap.cli.options import check_options, paths_argument, rule_options
from hfmap.cli.stats import StatsMeter, stats_option
from hfmap.clients.partner import http_settings
from hfmap.files.model import Declared
from hfmap.lint import rules
from hfmap.lint.engine import exit_code
from hfmap.mapping.plan import Plan
from hfmap.report.progress import Progress


def _planner(endpoint: str, meter: StatsMeter) -> Callable[[Declared], Plan]:
    """What `--plan` narrows the check to; imported only then, as the planner costs start-up time."""
    from hfmap.sync.engine import plan_as_read

    return partial(plan_as_read, endpoint=endpoint, stats=meter.http)


def _go_offline(ctx: click.Context) -> None:
    get_run(ctx).offline = True


@click.command("check")
@paths_argument
@rule_options
@click.option("--strict", is_flag=True, help="Warnings and skipped checks fail the run too (exit 1).")
@check_options
@click.option(
    "--offline",
    is_flag=True,
    expose_value=False,
    callback=lambda ctx, _param, value: _go_offline(ctx) if value else None,
    help="Answer from the cache only (same as the global --offline, env HFMAP_OFFLINE=1).",
)
@stats_option
@click.option("--list-rules", is_flag=True, help="List the rules (lint and check) and exit.")
@format_option("check")
def check(
    paths: tuple[Path, ...],
    disable: tuple[str, ...],
    strict: bool,
    allow_providers: tuple[str, ...],
    concurrency: int,
    timeout: float | None,
    retries: int,
    no_cache: bool,
    cache_dir: Path | None,
    changed_since: str | None,
    plan_only: bool,
    stats: bool,
    list_rules: bool,
) -> None:
    """Lint, then check each entry against the Hub and the provider's API.

    Checks that each hfModel exists, is not disabled and fits the task by the Hub's own rule, that each
    hfFilter matches a model, and that each providerModel (and pinned version) exists on the provider.
    Provider tokens: HFMAP_<PROVIDER>_TOKEN or the provider's usual variable (REPLICATE_API_TOKEN, ...).
    Answers are cached (HFMAP_CACHE_DIR); --offline answers from the cache only.

    \b
    Exit codes: 0 no errors (warnings allowed unless --strict), 1 errors, 2 usage.
    """
    run = get_run()
    if list_rules:
        run.echo(run.show("rules", [*rules.rows(), *check_rules.rows()]))
        return
    meter = StatsMeter(stats)
    options = CheckOptions(
        endpoint=run.endpoint,
        token=run.token,
        disable=disable,
        allow_providers=frozenset(allow_providers),
        strict=strict,
        offline=run.offline,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        concurrency=concurrency,
        timeout=http_settings(timeout)[0],
        retries=retries,
        log=run.info,
        stats=meter.http,
        changed_since=changed_since,
        plan=_planner(run.endpoint, meter) if plan_only else None,
    )
    progress = Progress(sys.stderr, Progress.wanted(run.format, run.quiet, sys.stderr))
    result = run_check(paths, options, progress)
    run.show_suppressed(result.suppressed)
    run.debug(result.summary())
    if result.cache_problem:
        run.info(f"hfmap: warning: {result.cache_problem}; the next run asks again")
    run.echo(run.show("findings", result.findings, files=result.files), nl=False)
    meter.show(run, cache_hits=result.cache_hits, cache_misses=result.cache_misses)
    exit_with(exit_code(result.findings, strict))


command = check
