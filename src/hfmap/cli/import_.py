"""`hfmap import --provider NAME [-o FILE]`: write the live mapping of a provider as a mapping file."""

from __future__ import annotations

from pathlib import Path

import click

from hfmap import data
from hfmap.cli.context import get_online_run, get_run, write_output
from hfmap.cli.options import allow_provider_option, new_file_options, refuse_existing, timeout_option
from hfmap.cli.stats import StatsMeter, stats_option
from hfmap.errors import HfmapError, UsageError
from hfmap.report.escape import clean
from hfmap.sync.engine import HubSettings, import_provider


@click.command("import")
@click.option("--provider", required=True, metavar="NAME", help="Provider id as in the Hub's partner API.")
@new_file_options
@allow_provider_option
@timeout_option
@stats_option
def import_(
    provider: str,
    output: Path | None,
    overwrite: bool,
    allow_providers: tuple[str, ...],
    timeout: float | None,
    stats: bool,
) -> None:
    """Write PROVIDER's live mapping as a canonical mapping file (then `hfmap plan` shows no changes).

    Exit codes: 0 written, 1 the Hub could not be read or some live mappings could not be written,
    2 usage (an unknown provider without --allow-provider, an existing FILE without --overwrite).
    """
    run = get_online_run("import", "reads the live mapping from the Hub")
    provider = provider.strip()
    if not provider:
        raise UsageError("--provider must not be empty")
    if provider not in allow_providers:
        refuse_unknown_provider(provider)
    refuse_existing(output, overwrite)
    meter = StatsMeter(stats)
    imported = import_provider(provider, HubSettings(run.endpoint, None, 1, timeout, run.debug, meter.http))
    meter.show(run)
    for key, status in imported.result.odd:
        run.info(
            f"hfmap: note: {clean(provider)}: {clean(key)} is in status '{clean(status)}' on the Hub "
            "(set by its tests); written as live"
        )
    if imported.result.dropped_fields:
        run.debug(
            "live fields a mapping file cannot express, not imported: "
            + clean(sorted(imported.result.dropped_fields))
        )
    text = imported.text
    if output is None:
        run.echo(text, nl=not text.endswith("\n"))
    else:
        write_output(output, text, f"'{output}'")
        run.info(f"hfmap: wrote {imported.count} mapping(s) of '{clean(provider)}' to {clean(output)}")
    _refuse_unwritable(provider, imported.result.unwritable)


def refuse_unknown_provider(provider: str) -> None:
    """A provider hfmap's data does not know (a typo, most likely) is a usage error: importing it would
    write an empty file and exit 0, as if the provider had no mappings."""
    if provider not in data.providers():
        raise UsageError(
            f"unknown provider '{clean(provider)}'; {data.provider_hint(provider)}A provider newer than "
            f"hfmap's data: pass --allow-provider {clean(provider)}"
        )
    if data.hub_mapping(provider) is False:
        raise UsageError(f"provider '{provider}' is served client-side only and has no Hub model mappings")


def _refuse_unwritable(provider: str, unwritable: list[tuple[str, str]]) -> None:
    """Entries left out of the file: each named, and exit 1 (a plan of this file would delete them)."""
    if not unwritable:
        return
    run = get_run()
    for key, reason in unwritable:
        run.err(f"hfmap: error: {clean(provider)}: {clean(key)} was not written: {reason}")
    noun = "mapping was" if len(unwritable) == 1 else "mappings were"
    raise HfmapError(
        f"{len(unwritable)} live {noun} left out of the file; planning it would delete them: "
        "add them by hand or to `ignore`"
    )


command = import_
