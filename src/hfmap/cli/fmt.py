"""`hfmap fmt`: put mapping files in canonical order, or report which would change (`--check`, `--diff`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hfmap.cli.context import RunContext, exit_with, format_option, get_run
from hfmap.cli.options import paths_argument, reads_stdin, stdin_filename_option
from hfmap.files.load import STDIN_NAME, read_stream, syntax_finding
from hfmap.files.model import Position
from hfmap.files.problem import LoadProblem
from hfmap.files.rewrite import FileResult, format_bytes, format_paths, unified_diff, write_result
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
@stdin_filename_option
@format_option("fmt")
@paths_argument
def fmt(check: bool, show_diff: bool, stdin_filename: str | None, paths: tuple[Path, ...]) -> None:
    """Put mapping files in canonical order, keeping every comment.

    Top-level keys: provider, defaults, prune, ignore, mappings (others after). Entry keys: hfModel /
    hfFilter, providerModel, task, status, adapterType (others after). Entries: by task, then by Hub
    model id (or tag filter). Only lines move: values, quoting and indentation stay as written, and a
    comment above an entry moves with it. Files with YAML errors are reported and left alone.

    PATHS `-` formats standard input onto standard output (exit 0, or 1 when it cannot be read), as
    an editor's formatter; with --check or --diff it reports instead.
    """
    run = get_run()
    if reads_stdin(paths, stdin_filename):
        results = [_format_stdin(stdin_filename)]
        if not (check or show_diff):
            _write_stdout(run, results[0])
            return
    else:
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


def _format_stdin(name: str | None) -> FileResult:
    path = Path(name or STDIN_NAME)
    try:
        raw = read_stream(sys.stdin.buffer)
    except LoadProblem as problem:
        return FileResult(path, finding=syntax_finding(path, Position(1, 1), problem.message))
    return format_bytes(raw, path)


def _write_stdout(run: RunContext, result: FileResult) -> None:
    """The formatted document on stdout, byte for byte (never redacted: it is the user's file); when it
    cannot be formatted, nothing on stdout (an editor would replace the buffer with it) and the finding
    on stderr, exit 1."""
    if result.finding is not None:
        run.err(run.show("findings", [result.finding], files=1, quiet=True), nl=False)
        exit_with(1)
        return
    text = result.formatted if result.formatted is not None else result.original
    sys.stdout.write(text)


def _summary(run: RunContext, changed: int, unchanged: int, failed: int, write: bool) -> None:
    verb = "reformatted" if write else "would be reformatted"
    parts = [f"{plural(changed, 'file')} {verb}", f"{plural(unchanged, 'file')} left unchanged"]
    if failed:
        parts.append(f"{plural(failed, 'file')} with errors")
    run.info(", ".join(parts))


command = fmt
