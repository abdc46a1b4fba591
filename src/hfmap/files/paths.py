"""Which files a run reads: PATHS as given (default `mappings/`), folders expanded to their YAML files.

Every path the walk passes is accounted for: a folder that cannot be listed, a `*.yaml` that is a
dangling symbolic link (a git submodule that was not checked out) or not a regular file comes back as
an `Unreadable` item, which the loader reports as a `syntax` finding. Skipped silently, such a file's
mappings would simply vanish from a plan, which would then propose deleting them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from hfmap.errors import UsageError

DEFAULT_PATHS = (Path("mappings"),)
SUFFIXES = (".yaml", ".yml")
_FILE_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass(frozen=True)
class Unreadable:
    """A path under PATHS that may hold mappings but cannot be read; `reason` says why."""

    path: Path
    reason: str


def resolve_paths(paths: Iterable[Path]) -> list[Path]:
    """PATHS as given, or `mappings/`; a path that does not exist is a usage error (exit 2)."""
    chosen = list(paths) or list(DEFAULT_PATHS)
    for path in chosen:
        if not path.exists():
            hint = " (the default; pass the files or folders to read)" if not paths else ""
            raise UsageError(f"path '{path}' does not exist{hint}")
    return chosen


def _dangling(path: Path) -> Unreadable:
    target = os.readlink(path)
    return Unreadable(
        path,
        f"cannot read file: it is a symbolic link to '{target}', which does not exist "
        "(a git submodule that is not checked out?)",
    )


def _walk(directory: Path, seen_dirs: set[str]) -> Iterator[Path | Unreadable]:
    """Every mapping file and every unreadable path below `directory` (symlinked folders followed once)."""
    try:
        with os.scandir(directory) as listing:
            entries = list(listing)
    except OSError as exc:
        reason = f"cannot read folder: {exc.strerror or exc}; the mapping files in it were not read"
        yield Unreadable(directory, reason)
        return
    for entry in entries:
        path = directory / entry.name
        mapping_name = path.suffix in SUFFIXES
        try:
            info = os.stat(path)
        except FileNotFoundError:
            if entry.is_symlink() and (mapping_name or not path.suffix):  # a file, or a folder of files
                yield _dangling(path)
            continue
        except OSError as exc:
            if mapping_name:
                yield Unreadable(path, f"cannot read file: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(info.st_mode):
            real = os.path.realpath(path)
            if real not in seen_dirs:
                seen_dirs.add(real)
                yield from _walk(path, seen_dirs)
        elif mapping_name:
            kind = _FILE_KINDS.get(stat.S_IFMT(info.st_mode))
            yield path if kind is None else Unreadable(path, f"cannot read file: it is {kind}, not a file")


def _named_file(path: Path) -> Path | Unreadable:
    """A file named on the command line, held to the walk's rule: a device or pipe is never read
    (pre-commit names a changed `x.yaml` that may be a symlink to /dev/zero)."""
    try:
        kind = _FILE_KINDS.get(stat.S_IFMT(os.stat(path).st_mode))
    except OSError:
        return path  # reading it will say why
    return path if kind is None else Unreadable(path, f"cannot read file: it is {kind}, not a file")


def walk_mapping_paths(paths: Iterable[Path]) -> Iterator[Path | Unreadable]:
    """Expand directories to their `*.yaml`/`*.yml` files (sorted) and unreadable paths; files as given.

    A file is yielded once, under the first name it was given, however else it is named again
    (`mappings/` and `$PWD/mappings/a.yaml`, `..` segments, a symlink): read twice, its entries
    would all be reported as duplicates of themselves.
    """
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            found = list(_walk(path, {os.path.realpath(path)}))
            candidates = sorted(found, key=lambda item: item.path if isinstance(item, Unreadable) else item)
        else:
            candidates = [_named_file(path)]
        for candidate in candidates:
            real = os.path.realpath(candidate.path if isinstance(candidate, Unreadable) else candidate)
            if real not in seen:
                seen.add(real)
                yield candidate


def mappings_root(path: Path) -> tuple[Path, bool]:
    """The folder whose mapping files are the context of `path`, and whether to look into subfolders.

    The nearest enclosing folder named `mappings` (the default layout, and what the hooks' `files:`
    pattern assumes); else the top folder of a relative path (pre-commit passes paths from the
    repository root, so `providers/x/a.yaml` has `providers/`); else (a file named by itself, or by an
    absolute path outside any `mappings/`) the file's own folder, without its subfolders. A folder
    named on the command line is its own context when nothing encloses it.
    """
    is_dir = path.is_dir()
    for parent in (path, *path.parents) if is_dir else path.parents:
        if parent.name == "mappings":
            return parent, True
    if not path.is_absolute() and len(path.parts) > (1 if is_dir else 2):
        return Path(path.parts[0]), True
    return (path, True) if is_dir else (path.parent, False)


def context_paths(paths: Iterable[Path]) -> list[Path | Unreadable]:
    """The mapping files under the mappings roots of `paths` (themselves included), and the paths there
    that cannot be read."""
    found: list[Path | Unreadable] = []
    for root, deep in dict.fromkeys(mappings_root(path) for path in paths):
        if not root.is_dir():
            continue
        if deep:
            found.extend(walk_mapping_paths([root]))
        else:
            found.extend(sorted(p for p in root.iterdir() if p.suffix in SUFFIXES and p.is_file()))
    return found
