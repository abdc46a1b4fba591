"""`hfmap suggest --provider NAME [PATHS]`: mappings the provider could add, checked on the Hub.

Exit codes: 0 every source read (suggestions or none), 1 a source could not be read or a question went
unanswered (the provider has no model list hfmap can read, no token for it, the Hub did not answer; what
could be found is still printed), 2 usage (unknown provider, `-o` onto an existing file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hfmap.cli.context import exit_with, format_option, get_online_run, get_run, write_output
from hfmap.cli.options import (
    network_options,
    new_file_options,
    paths_argument,
    refuse_existing,
    retries_option,
)
from hfmap.cli.stats import StatsMeter, stats_option
from hfmap.clients.partner import http_settings
from hfmap.report.escape import clean
from hfmap.report.progress import Progress
from hfmap.suggest.engine import SuggestOptions, run_suggest
from hfmap.suggest.report import SuggestReport

UNCHECKED_SHOWN = 10  # ids named one by one when the Hub did not answer (an outage would name thousands)


@click.command("suggest")
@click.option("--provider", required=True, metavar="NAME", help="Provider id as in the Hub's partner API.")
@paths_argument
@new_file_options
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N", help="At most N suggestions.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the answer cache.")
@network_options
@retries_option
@stats_option
@format_option("suggest")
def suggest(
    provider: str,
    paths: tuple[Path, ...],
    output: Path | None,
    overwrite: bool,
    limit: int | None,
    no_cache: bool,
    concurrency: int,
    timeout: float | None,
    retries: int,
    stats: bool,
) -> None:
    """Mappings PROVIDER could add: ids its model list names that are public Hub repos (exactly, in
    another case, or after the provider's known decorations), with a task its clients serve, minus what
    the files declare or the Hub holds; live mappings no file declares (adopt them with `hfmap import`);
    commented LoRA tag filters for mapped bases with adapters on the Hub. Read-only; no Hub token needed.
    """
    run = get_online_run("suggest", "reads the provider's model list and the live mapping")
    refuse_existing(output, overwrite)
    meter = StatsMeter(stats)
    options = SuggestOptions(
        provider=provider,
        endpoint=run.endpoint,
        paths=paths,
        limit=limit,
        use_cache=not no_cache,
        concurrency=concurrency,
        timeout=http_settings(timeout)[0],
        retries=retries,
        log=run.info,
        stats=meter.http,
    )
    progress = Progress(sys.stderr, Progress.wanted(run.format, run.quiet, sys.stderr), label="suggesting")
    report = run_suggest(options, progress)
    doc = report.to_json()
    if output is None:
        run.echo(run.show("suggest", doc), nl=run.format == "json")
    else:
        write_output(output, run.show("suggest-file", doc, fmt="text"), f"'{output}'")
        run.info(
            f"hfmap: wrote {len(report.candidates)} suggestion(s) for '{clean(report.provider)}' "
            f"to {clean(output)}"
        )
    _notes(report, output is not None)
    meter.show(run, cache_hits=report.cache_hits, cache_misses=report.cache_misses)
    exit_with(0 if report.complete else 1)


def _notes(report: SuggestReport, wrote_file: bool) -> None:
    """What the user must know beside the output, on stderr: what could not be read, what was left out."""
    run = get_run()
    provider = clean(report.provider)
    if report.list_problem:
        run.err(f"hfmap: error: {provider}: no suggestions from its model list: {clean(report.list_problem)}")
    unchecked = sorted(report.unchecked.items())
    for hub_id, reason in unchecked[:UNCHECKED_SHOWN]:
        run.err(f"hfmap: error: {provider}: '{clean(hub_id)}' not checked on the Hub: {clean(reason)}")
    if len(unchecked) > UNCHECKED_SHOWN:
        more = len(unchecked) - UNCHECKED_SHOWN
        run.err(f"hfmap: error: {provider}: {more} more ids not checked on the Hub (all in --format json)")
    for base, reason in sorted(report.lora_unchecked.items()):
        run.err(f"hfmap: error: {provider}: adapters of '{clean(base)}' not counted: {clean(reason)}")
    if report.lint_errors:
        run.info(
            f"hfmap: warning: the mapping files have {report.lint_errors} lint error(s); "
            "`hfmap lint` shows them"
        )
    if wrote_file and report.live_undeclared:
        run.info(
            f"hfmap: warning: {len(report.live_undeclared)} live mapping(s) of '{provider}' are declared "
            "in no file: a plan of these files deletes them; "
            f"`hfmap import --provider {provider}` adopts them first"
        )
    if report.cache_problem:
        run.info(f"hfmap: warning: {report.cache_problem}; the next run asks again")
    if report.listed is not None:
        shown = (
            f"{len(report.candidates)} of {report.total}"
            if report.total > len(report.candidates)
            else str(report.total)
        )
        run.debug(f"{provider}: {report.listed} listed ids, {shown} suggested")
        for reason, count in sorted(report.dropped.items()):
            run.debug(f"  left out: {count} ({reason})")


command = suggest
