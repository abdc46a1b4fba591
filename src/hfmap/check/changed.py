"""`check --changed-since REF`: which entries differ from REF, compared by content, not by file.

A pull request that touches five entries of a 10,000-entry catalog should cost five look-ups, not ten
thousand, even when all of them live in one file. So an entry counts as changed when no mapping file
that changed since REF held the same entry at REF (same provider, model or tags, provider model, task,
status after `defaults`, adapter and disable comment). Files git reports unchanged are skipped whole;
an entry moved to another file, or a file renamed, is not changed; a file that is new (or untracked)
has only new entries, and so does a file git does not track (untracked, ignored, or outside the
repository). Git is asked a fixed number of times (`rev-parse`, `diff`, `ls-files`, one `cat-file --batch`
for the old contents), however many files there are.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from hfmap.errors import UsageError
from hfmap.files.load import decode, load_text
from hfmap.files.model import Entry
from hfmap.files.problem import LoadProblem

Fingerprint = tuple[object, ...]


def fingerprint(entry: Entry) -> Fingerprint:
    """What the online checks of an entry depend on (its place in the files does not count)."""
    return (
        entry.provider,
        entry.hf_model,
        entry.hf_filter,
        entry.provider_model,
        entry.task,
        entry.status,
        entry.adapter_type,
        tuple(sorted(entry.disabled_rules)),
    )


def _git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, and no `git` command was found") from None


def _root(where: Path) -> Path:
    found = _git(["rev-parse", "--show-toplevel"], where)
    if found.returncode != 0:
        raise UsageError(f"--changed-since needs a git repository, and '{where}' is not inside one")
    return Path(os.fsdecode(found.stdout.strip()))


def _folder(path: Path) -> Path:
    """The folder git is asked from for PATH: the path itself when it is a folder, else its folder."""
    return path if path.is_dir() else (path.parent if str(path.parent) else Path("."))


def _commit(ref: str, root: Path) -> str:
    if not ref.strip() or ref.startswith("-"):
        raise UsageError(f"--changed-since: '{ref}' is not a git revision")
    found = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    if found.returncode != 0:
        raise UsageError(
            f"--changed-since: '{ref}' is not a commit of this repository "
            "(in CI, fetch it first: a shallow checkout has only the newest commit)"
        )
    return found.stdout.decode().strip()


def _changes(commit: str, root: Path) -> tuple[set[str], set[str]]:
    """(root-relative paths that differ from `commit`, old paths of what changed, was renamed or deleted)."""
    diff = _git(["diff", "--name-status", "-M", "-z", "--no-ext-diff", commit, "--"], root)
    if diff.returncode != 0:
        raise UsageError(f"--changed-since: git diff failed: {diff.stderr.decode(errors='replace').strip()}")
    fields = [os.fsdecode(f) for f in diff.stdout.split(b"\0") if f]
    changed: set[str] = set()
    old: set[str] = set()
    i = 0
    while i < len(fields):
        status = fields[i]
        if status[:1] in ("R", "C"):
            source, target = fields[i + 1], fields[i + 2]
            old.add(source)
            changed.add(target)
            i += 3
            continue
        path = fields[i + 1]
        if status[:1] != "A":
            old.add(path)
        changed.add(path)
        i += 2
    return changed, old


def _tracked(root: Path) -> set[str]:
    """Root-relative paths git tracks (a file it does not, untracked or ignored, has only new entries)."""
    listed = _git(["ls-files", "-z"], root)
    return {os.fsdecode(f) for f in listed.stdout.split(b"\0") if f}


def _old_fingerprints(commit: str, paths: Iterable[str], root: Path) -> set[Fingerprint]:
    """Fingerprints of every entry the mapping files among `paths` held at `commit` (one git process)."""
    # (a name with a line break cannot be asked through --batch: its entries simply count as changed)
    wanted = sorted(p for p in paths if p.endswith((".yaml", ".yml")) and "\n" not in p)
    if not wanted:
        return set()
    request = "".join(f"{commit}:{p}\n" for p in wanted).encode()
    batch = _git(["cat-file", "--batch"], root, stdin=request)
    out = batch.stdout
    found: set[Fingerprint] = set()
    at = 0
    for path in wanted:
        end = out.find(b"\n", at)
        if end < 0:
            break  # git said less than asked (it failed): what is not read counts as changed
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # missing at that commit (or not a file)
        size = int(header[2])
        raw, at = out[at : at + size], at + size + 1
        try:
            file, _findings = load_text(decode(raw), path)
        except LoadProblem:
            continue
        if file is not None:
            found.update(fingerprint(entry) for entry in file.entries)
    return found


def changed_entries(entries: list[Entry], ref: str, where: Sequence[Path] = ()) -> list[Entry]:
    """The entries among `entries` whose content is not in the mapping files as they were at REF.

    The repository is the one holding the first of the paths given (`where`), not the current folder's:
    `hfmap check --changed-since main ../catalog/mappings` compares with the catalog's history.
    """
    cwd = Path.cwd()
    root = _root(cwd.joinpath(_folder(where[0])) if where else cwd)
    commit = _commit(ref, root)
    changed, old_paths = _changes(commit, root)
    real_root = os.path.realpath(root)

    def relative(entry: Entry) -> str | None:
        full = os.path.realpath(os.path.join(cwd, entry.path))
        if os.path.commonpath([full, real_root]) != real_root:
            return None  # outside the repository: nothing to compare with
        return Path(os.path.relpath(full, real_root)).as_posix()

    tracked = _tracked(root)
    places = {entry.path: relative(entry) for entry in entries}
    touched = [e for e in entries if places[e.path] not in tracked or places[e.path] in changed]
    if not touched:
        return []
    before = _old_fingerprints(commit, old_paths, root)
    return [entry for entry in touched if fingerprint(entry) not in before]
