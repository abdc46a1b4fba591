"""`hfmap verify`: read what inference clients see (`inferenceProviderMapping`) for every declared mapping.

Exit codes as `check`: 0 every mapping visible and healthy (warnings allowed unless --strict), 1 a mapping
missing, in `error` (on the Hub or the router) or shadowed (or a warning with --strict; or the files could
not be read), 2 usage. The verdicts: docs/verify.md.
"""

from __future__ import annotations

from pathlib import Path

import click

from hfmap.cli.context import exit_with, format_option, get_online_run
from hfmap.cli.options import network_options, paths_argument, rule_options
from hfmap.cli.stats import StatsMeter, stats_option
from hfmap.sync.engine import FileSettings, HubSettings, Timings, verify_files


@click.command("verify")
@paths_argument
@click.option("--strict", is_flag=True, help="Warnings (e.g. a status other than declared) fail too.")
@network_options
@rule_options
@stats_option
@format_option("verify")
def verify(
    paths: tuple[Path, ...],
    strict: bool,
    concurrency: int,
    timeout: float | None,
    disable: tuple[str, ...],
    allow_providers: tuple[str, ...],
    stats: bool,
) -> None:
    """Check that clients get every declared mapping: visible, as declared, not in `error`, not shadowed.

    Reads model info with `expand[]=inferenceProviderMapping`, as huggingface.js and huggingface_hub do,
    with the Hub token when there is one (the Hub shows staging mappings to the provider's organization
    only), and for chat mappings the router's model list (HFMAP_ROUTER_URL); says which provider `auto`
    picks for other tasks.

    Exit codes: 0 every mapping visible and healthy (warnings allowed unless --strict), 1 a mapping
    missing, in `error` (on the Hub or the router) or shadowed, 2 usage. Verdicts: docs/verify.md.
    """
    run = get_online_run("verify", "reads what the Hub and the router serve")
    timings, meter = Timings(), StatsMeter(stats)
    files = FileSettings(paths, disable, allow_providers, run.show_blocking, run.show_context)
    hub = HubSettings(run.endpoint, run.token, concurrency, timeout, run.debug, stats=meter.http)
    report = verify_files(files, hub, timings)
    run.echo(run.show("verify", report))
    run.debug(str(timings))
    meter.show(run)
    exit_with(report.exit_code(strict))


command = verify
