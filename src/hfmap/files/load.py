"""Mapping files on disk → model, with every problem that stops reading a file turned into a finding.

Hostile input is bounded here and in `hfmap.files.parse`: files over `MAX_BYTES` are refused before
reading, binary and non-UTF-8 text is named with the byte's place, and every path walked is accounted
for (a file that cannot be read is a `syntax` finding, never skipped).
"""

from __future__ import annotations

import codecs
import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from hfmap.errors import HfmapError
from hfmap.files.model import Declared, MappingFile, Position, build_file
from hfmap.files.parse import gc_paused, parse_yaml
from hfmap.files.paths import Unreadable, resolve_paths, walk_mapping_paths
from hfmap.files.problem import LoadProblem
from hfmap.findings import Finding, Level

RULE = "syntax"
MAX_BYTES = 16 * 1024 * 1024  # far above any real mapping file (10,000 entries are ~1 MB)


@dataclass
class LoadResult:
    """Files that could be read (possibly with findings of their own) and the syntax findings."""

    files: list[MappingFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # every file read or tried, in order


def _offset_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return Position(line, offset - (before.rfind(b"\n") + 1) + 1)


_BOMS_UTF32 = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode(raw: bytes) -> str:
    """Bytes → text, refusing binary files and non-UTF-8 with the byte's place."""
    # Before the NUL test (UTF-16 and UTF-32 have NULs); UTF-32 first: its LE mark begins with UTF-16's.
    for name, marks in (("UTF-32", _BOMS_UTF32), ("UTF-16", _BOMS_UTF16)):
        if raw.startswith(marks):
            raise LoadProblem(
                f"the file is {name} (it starts with a {name} byte-order mark); save it as UTF-8"
            )
    if b"\x00" in raw:
        raise LoadProblem(
            "not a text file (it contains NUL bytes); mapping files are UTF-8 YAML",
            _offset_position(raw, raw.index(b"\x00")),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadProblem(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            _offset_position(raw, exc.start),
        ) from None


def syntax_finding(path: str | Path, pos: Position, message: str) -> Finding:
    """A problem that stops reading a file, as the `syntax` finding every command reports."""
    return Finding.at(str(path), pos, Level.ERROR, RULE, message)


def read_raw(path: Path) -> bytes:
    """A mapping file's bytes, refusing one over `MAX_BYTES` before reading; raises `LoadProblem`."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            limit = MAX_BYTES // 1024 // 1024
            raise LoadProblem(
                f"file is {size / 1024 / 1024:.1f} MiB, over the {limit} MiB limit for mapping files"
            )
        return path.read_bytes()
    except OSError as exc:
        raise LoadProblem(f"cannot read file: {exc.strerror or exc}") from None


STDIN_NAME = "<stdin>"  # where findings in standard input are reported without --stdin-filename


def read_stream(stream: BinaryIO) -> bytes:
    """A document from standard input (`hfmap lint -`), held to the same size limit as a file."""
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        limit = MAX_BYTES // 1024 // 1024
        raise LoadProblem(f"standard input is over the {limit} MiB limit for mapping files")
    return raw


def mapping_items(paths: Iterable[Path]) -> list[Path | Unreadable]:
    """Every mapping file (or unreadable path) under PATHS (default `mappings/`); none at all is an error,
    not a silent success, and a path that does not exist is a usage error."""
    chosen = resolve_paths(paths)
    items = list(walk_mapping_paths(chosen))
    if not items:
        names = ", ".join(f"'{p}'" for p in chosen)
        raise HfmapError(f"no mapping files (*.yaml, *.yml) found in {names}")
    return items


def load_text(text: str, path: str) -> tuple[MappingFile | None, list[Finding]]:
    """Load one document's text; a file that cannot be read yields None and a finding."""
    with gc_paused():
        return _load_text(text, path)


def _load_text(text: str, path: str) -> tuple[MappingFile | None, list[Finding]]:
    try:
        data, positions, hash_spans = parse_yaml(text)
    except LoadProblem as problem:
        return None, [syntax_finding(path, problem.pos, problem.message)]
    if data is None:
        return None, [
            Finding.at(
                path,
                Position(1, 1),
                Level.ERROR,
                RULE,
                "empty file: expected a mapping with `provider:` and `mappings:`",
            )
        ]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__} value"
        message = f"the top level is {kind}; expected a mapping with `provider:` and `mappings:`"
        return None, [Finding.at(path, positions[()].value, Level.ERROR, RULE, message)]
    return build_file(path, text, data, positions, hash_spans), []


def load_file(path: Path, display: str | None = None) -> tuple[MappingFile | None, list[Finding]]:
    """Read one file from disk with the size, binary and encoding guards."""
    name = display or str(path)
    try:
        raw = read_raw(path)
    except LoadProblem as problem:
        return None, [syntax_finding(name, problem.pos, problem.message)]
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> tuple[MappingFile | None, list[Finding]]:
    """Load a document's bytes (a file's, or standard input's) with the binary and encoding guards."""
    try:
        text = decode(raw)
    except LoadProblem as problem:
        return None, [syntax_finding(name, problem.pos, problem.message)]
    return load_text(text, name)


def _load_items(items: Iterable[Path | Unreadable]) -> LoadResult:
    """Load every item; what cannot be read becomes a finding, never an exception."""
    result = LoadResult()
    for item in items:
        if isinstance(item, Unreadable):
            result.paths.append(item.path)
            result.findings.append(syntax_finding(item.path, Position(1, 1), item.reason))
            continue
        result.paths.append(item)
        file, findings = load_file(item)
        result.findings.extend(findings)
        if file is not None:
            result.files.append(file)
    return result


def load_declared(paths: Iterable[Path]) -> tuple[Declared, LoadResult]:
    """Load every mapping file under PATHS (default `mappings/`); finding none at all is an error, not a
    silent success, and a path that does not exist is a usage error."""
    items = mapping_items(paths)
    with gc_paused():
        result = _load_items(items)
        # What a command loads lives until it ends: keep the cyclic GC from ever scanning it (with
        # 10,000 entries, collections during load, lint, fetch and diff cost more than the diff).
        gc.freeze()
    return Declared(result.files), result
