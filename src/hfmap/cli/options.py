"""Pieces every file-reading command shares: the PATHS argument and loading with clear failures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from hfmap.errors import HfmapError, UsageError
from hfmap.files.load import LoadResult, iter_mapping_paths, load_paths
from hfmap.files.model import Declared

DEFAULT_PATHS = (Path("mappings"),)

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATHS]...")


def rule_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--disable RULE` and `--allow-provider NAME`: the same switches on every command that lints."""
    func = click.option(
        "--allow-provider",
        "allow_providers",
        multiple=True,
        metavar="NAME",
        help="Accept a provider id that hfmap's data does not know yet (repeatable).",
    )(func)
    return click.option(
        "--disable",
        "disable",
        multiple=True,
        metavar="RULE",
        help="Turn a rule off for this run (repeatable).",
    )(func)


def resolve_paths(paths: Iterable[Path]) -> list[Path]:
    """PATHS as given, or `mappings/`; a path that does not exist is a usage error (exit 2)."""
    chosen = list(paths) or list(DEFAULT_PATHS)
    for path in chosen:
        if not path.exists():
            hint = " (the default; pass the files or folders to read)" if not paths else ""
            raise UsageError(f"path '{path}' does not exist{hint}")
    return chosen


def load_declared(paths: Iterable[Path]) -> tuple[Declared, LoadResult]:
    """Load every mapping file under PATHS; finding none at all is an error, not a silent success."""
    chosen = resolve_paths(paths)
    if not any(True for _ in iter_mapping_paths(chosen)):
        names = ", ".join(f"'{p}'" for p in chosen)
        raise HfmapError(f"no mapping files (*.yaml, *.yml) found in {names}")
    result = load_paths(chosen)
    return Declared(result.files), result


def require_http_url(endpoint: str) -> None:
    """A Hub endpoint without http(s):// would fail every request as a mere warning: refuse it up front."""
    try:
        parts = urlsplit(endpoint)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        usable = False
    if not usable:
        raise UsageError(
            f"the Hub endpoint '{endpoint}' (--endpoint / HF_ENDPOINT) is not an http(s) URL; "
            "write it like https://huggingface.co"
        )
