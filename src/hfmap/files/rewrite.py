"""`hfmap fmt`'s work on disk: format each file, write the changed ones atomically, or describe the change.

A file fmt cannot read or reorder comes back as a `syntax` finding and is left alone; the others are
reformatted (or, with `--check`/`--diff`, only reported). Nothing here prints.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hfmap.files.load import decode, load_text, mapping_items, read_raw, syntax_finding
from hfmap.files.model import Position
from hfmap.files.paths import Unreadable
from hfmap.files.problem import LoadProblem
from hfmap.files.reorder import FormatError, format_loaded
from hfmap.findings import Finding

_BOM = "\ufeff"


@dataclass
class FileResult:
    """What fmt found for one file: its new text (None when unchanged) or the finding that stopped it."""

    path: Path
    original: str = ""
    formatted: str | None = None
    finding: Finding | None = None


def format_file(path: Path) -> FileResult:
    """Read and format one file without writing; syntax problems come back as a finding."""
    try:
        raw = read_raw(path)
    except LoadProblem as problem:
        return FileResult(path, finding=syntax_finding(path, problem.pos, problem.message))
    return format_bytes(raw, path)


def format_bytes(raw: bytes, path: Path) -> FileResult:
    """Format a document's bytes (a file's, or standard input's as `path`); nothing is written."""
    try:
        text = decode(raw)
    except LoadProblem as problem:
        return FileResult(path, finding=syntax_finding(path, problem.pos, problem.message))
    mapping_file, findings = load_text(text, str(path))
    if mapping_file is None or findings:
        return FileResult(path, original=text, finding=findings[0])
    try:
        formatted = format_loaded(mapping_file)
    except FormatError as exc:
        return FileResult(
            path, original=text, finding=syntax_finding(path, exc.pos or Position(1, 1), exc.message)
        )
    bom = _BOM if raw.startswith(_BOM.encode()) else ""
    return FileResult(path, original=text, formatted=None if formatted == text else bom + formatted)


def format_paths(paths: Iterable[Path]) -> list[FileResult]:
    """Format every mapping file under PATHS (default `mappings/`); none at all is an error."""
    return [
        FileResult(item.path, finding=syntax_finding(item.path, Position(1, 1), item.reason))
        if isinstance(item, Unreadable)
        else format_file(item)
        for item in mapping_items(paths)
    ]


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


def write_result(result: FileResult) -> Finding | None:
    """Write a reformatted file; a file that cannot be written (a read-only folder) becomes a finding."""
    try:
        write_atomically(result.path, result.formatted or "")
    except OSError as exc:
        result.finding = syntax_finding(
            result.path, Position(1, 1), f"cannot write file: {exc.strerror or exc}"
        )
        return result.finding
    return None


def unified_diff(result: FileResult) -> str:
    """The change as `diff -u` shows it (`a/` and `b/` prefixes for relative paths, as git does)."""
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
