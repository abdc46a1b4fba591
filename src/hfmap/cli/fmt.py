"""`hfmap fmt`: put mapping files in canonical order, or report which would change (`--check`, `--diff`)."""

from __future__ import annotations

import difflib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from hfmap.cli.context import RunContext, format_option, get_run
from hfmap.cli.options import paths_argument, resolve_paths
from hfmap.errors import HfmapError
from hfmap.files.load import MAX_BYTES, LoadProblem, decode, iter_mapping_paths, load_text
from hfmap.files.model import Position
from hfmap.files.reorder import FormatError, format_loaded
from hfmap.findings import Finding, Level
from hfmap.report.findings import plural, render_findings

_BOM = "\ufeff"


@dataclass
class FileResult:
    """What fmt found for one file: its new text (None when unchanged) or the finding that stopped it."""

    path: Path
    original: str = ""
    formatted: str | None = None
    finding: Finding | None = None


def _error(path: Path, pos: Position, message: str) -> Finding:
    return Finding.at(str(path), pos, Level.ERROR, "syntax", message)


def format_file(path: Path) -> FileResult:
    """Read and format one file without writing; syntax problems come back as a finding."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return FileResult(path, finding=_error(path, Position(1, 1), "file is over the size limit"))
        raw = path.read_bytes()
    except OSError as exc:
        return FileResult(
            path, finding=_error(path, Position(1, 1), f"cannot read file: {exc.strerror or exc}")
        )
    try:
        text = decode(raw)
    except LoadProblem as problem:
        return FileResult(path, finding=_error(path, problem.pos, problem.message))
    mapping_file, findings = load_text(text, str(path))
    if mapping_file is None or findings:
        return FileResult(path, original=text, finding=findings[0])
    try:
        formatted = format_loaded(mapping_file)
    except FormatError as exc:
        return FileResult(path, original=text, finding=_error(path, exc.pos or Position(1, 1), exc.message))
    bom = _BOM if raw.startswith(_BOM.encode()) else ""
    return FileResult(path, original=text, formatted=None if formatted == text else bom + formatted)


def write_atomically(path: Path, text: str) -> None:
    """Replace `path`'s content in one step (temp file + os.replace), keeping its mode; follows symlinks."""
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _diff(result: FileResult) -> str:
    name = str(result.path)
    before, after = (name, name) if result.path.is_absolute() else (f"a/{name}", f"b/{name}")
    lines = difflib.unified_diff(
        result.original.splitlines(keepends=True),
        (result.formatted or "").lstrip(_BOM).splitlines(keepends=True),
        fromfile=before,
        tofile=after,
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


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
    chosen = resolve_paths(paths)
    files = list(iter_mapping_paths(chosen))
    if not files:
        names = ", ".join(f"'{p}'" for p in chosen)
        raise HfmapError(f"no mapping files (*.yaml, *.yml) found in {names}")
    results = [format_file(path) for path in files]
    failed = [r.finding for r in results if r.finding is not None]
    changed = [r for r in results if r.formatted is not None]
    write = not (check or show_diff)
    # With --format json, stdout carries one JSON document (the findings); everything else goes to stderr.
    say = run.err if run.format == "json" else run.echo
    for result in changed:
        if show_diff:
            say(_diff(result), nl=False)
        if write:
            write_atomically(result.path, result.formatted or "")
            say(f"reformatted {result.path}")
        elif check:
            say(f"would reformat {result.path}")
    if failed or run.format == "json":
        render_findings(failed, run.format, sys.stdout, color=run.color, files=len(files), quiet=True)
    _summary(run, len(changed), len(results) - len(changed) - len(failed), len(failed), write)
    if changed or failed:
        raise click.exceptions.Exit(1)


def _summary(run: RunContext, changed: int, unchanged: int, failed: int, write: bool) -> None:
    verb = "reformatted" if write else "would be reformatted"
    parts = [f"{plural(changed, 'file')} {verb}", f"{plural(unchanged, 'file')} left unchanged"]
    if failed:
        parts.append(f"{plural(failed, 'file')} with errors")
    run.info(", ".join(parts))
