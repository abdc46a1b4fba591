"""`hfmap fmt`: put mapping files in canonical order, or report which would change (`--check`, `--diff`)."""

from __future__ import annotations

from pathlib import Path

import click

from hfmap.cli.context import RunContext, exit_with, format_option, get_run
from hfmap.cli.options import paths_argument
from hfmap.files.rewrite import format_paths, unified_diff, write_result
from hfmap.report.escape import clean
from hfmap.report.findings import plural


@click.command(
    "fmt",
    epilog=(
        "Exit codes: 0 nothing to change; 1 files were reformatted (or would be, with --check/--diff) or "
        "could not be read; 2 usage error. Exiting 1 after rewriting follows the pre-commit convention for "
        "fixers: the commit stops so the fixed files can be reviewed and staged."
    ),
)
@click.option("--check", is_flag=True, help="Change nothing; list the files that would be reformatted.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Change nothing; print a unified diff of the changes."
)
@format_option()
@paths_argument
def fmt(check: bool, show_diff: bool, paths: tuple[Path, ...]) -> None:
    """Put mapping files in canonical order, keeping every comment.

    Top-level keys: provider, defaults, prune, ignore, mappings (others after). Entry keys: hfModel /
    hfFilter, providerModel, task, status, adapterType (others after). Entries: by task, then by Hub
    model id (or tag filter). Only lines move: values, quoting and indentation stay as written, and a
    comment above an entry moves with it. Files with YAML errors are reported and left alone.
    """
    run = get_run()
    results = format_paths(paths)
    failed = [r.finding for r in results if r.finding is not None]
    changed = [r for r in results if r.formatted is not None]
    write = not (check or show_diff)
    # With --format json, stdout carries one JSON document (the findings); everything else goes to stderr.
    say = run.err if run.format == "json" else run.echo
    for result in changed:
        if show_diff:
            say(unified_diff(result), nl=False)
        if write:
            unwritten = write_result(result)  # a read-only file is reported; the others still get written
            if unwritten is None:
                say(f"reformatted {clean(result.path)}")
            else:
                failed.append(unwritten)
        elif check:
            say(f"would reformat {clean(result.path)}")
    changed = [r for r in changed if r.finding is None]
    if failed or run.format == "json":
        run.echo(run.show("findings", failed, files=len(results), quiet=True), nl=False)
    _summary(run, len(changed), len(results) - len(changed) - len(failed), len(failed), write)
    exit_with(1 if changed or failed else 0)


def _summary(run: RunContext, changed: int, unchanged: int, failed: int, write: bool) -> None:
    verb = "reformatted" if write else "would be reformatted"
    parts = [f"{plural(changed, 'file')} {verb}", f"{plural(unchanged, 'file')} left unchanged"]
    if failed:
        parts.append(f"{plural(failed, 'file')} with errors")
    run.info(", ".join(parts))


command = fmt
