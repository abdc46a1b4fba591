"""Which files a run reads: PATHS as given (default `mappings/`), folders expanded to their YAML files."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from hfmap.errors import UsageError

DEFAULT_PATHS = (Path("mappings"),)
SUFFIXES = (".yaml", ".yml")


def resolve_paths(paths: Iterable[Path]) -> list[Path]:
    """PATHS as given, or `mappings/`; a path that does not exist is a usage error (exit 2)."""
    chosen = list(paths) or list(DEFAULT_PATHS)
    for path in chosen:
        if not path.exists():
            hint = " (the default; pass the files or folders to read)" if not paths else ""
            raise UsageError(f"path '{path}' does not exist{hint}")
    return chosen


def iter_mapping_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand directories to their `*.yaml`/`*.yml` files (sorted); files are taken as given.

    A file is yielded once, under the first name it was given, however else it is named again
    (`mappings/` and `$PWD/mappings/a.yaml`, `..` segments, a symlink): read twice, its entries
    would all be reported as duplicates of themselves.
    """
    seen: set[str] = set()
    for path in paths:
        candidates = (
            sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if path.is_dir()
            else [path]
        )
        for candidate in candidates:
            real = os.path.realpath(candidate)
            if real not in seen:
                seen.add(real)
                yield candidate
