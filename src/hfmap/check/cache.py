"""`check`'s on-disk answer cache: a few append-only segment files, safe under parallel processes.

Why segments: a run learns hundreds of answers, and creating one file per answer cost more than the
network (about 0.5 ms per new file on the dev box; 2,000 answers stalled a run by 2-3 s). Instead each
run writes the answers it learned as ONE new segment file (a temporary file renamed into place:
`os.replace` is atomic, so a reader sees a whole segment or none), and reads all segments at start
(newest wins). When segments pile up, a run merges what it read into one new segment and deletes only
the files it read: a concurrent run's new segment is never touched, and whatever a run deletes is in
the segment it just wrote, so no answer is lost. A segment that cannot be read (not JSON, nested too
deep, not a segment) is ignored and merged away, and an entry of the wrong shape is a miss: the cache
is a file anyone can edit, and it must never break a run or answer wrongly. Keys are URLs without
credentials, values are answers, never responses: no token gets here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import platformdirs

from hfmap.secrets import redact

POSITIVE_TTL = 24 * 3600.0  # "it exists" rarely stops being true within a day
NEGATIVE_TTL = 10 * 60.0  # "it is missing" is often fixed minutes later (someone just pushed the model)
FORMAT = "v2"
MAX_TTL = max(POSITIVE_TTL, NEGATIVE_TTL)
MAX_SEGMENTS = 8  # more than this at the end of a run: merge them into one
VALUE_DEPTH = 3  # an answer is an object of scalars and lists of scalars


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`HFMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/hfmap`, else the platform's user cache folder
    (platformdirs: `~/.cache/hfmap` on Linux, `~/Library/Caches/hfmap` on macOS, `%LOCALAPPDATA%` on Windows).
    """
    env = os.environ if env is None else env
    if env.get("HFMAP_CACHE_DIR"):
        return Path(env["HFMAP_CACHE_DIR"])
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "hfmap"
    return Path(platformdirs.user_cache_dir("hfmap", appauthor=False))


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Cache:
    """Answers by key, each with an expiry; `enabled=False` (`--no-cache`) reads and stores nothing.

    `get` answers from the segments read at first use; `put` collects; `close` writes one segment.
    """

    def __init__(
        self, directory: Path | None = None, *, enabled: bool = True, clock: Callable[[], float] = time.time
    ) -> None:
        self.directory = (directory or default_cache_dir()) / FORMAT
        self.enabled = enabled
        self._clock = clock
        self._known: dict[str, dict[str, Any]] | None = None  # digest -> {"k", "e", "v"} from disk
        self._read: list[Path] = []  # segment files read (the only ones a merge may delete)
        self._broken = False  # a segment could not be read: merge it away
        self._new: dict[str, dict[str, Any]] = {}
        self.hits = 0
        self.misses = 0
        self.write_problem: str | None = None  # why this run's answers could not be saved, if so

    # -- reading ---------------------------------------------------------------------------------------------

    def _segments(self) -> list[Path]:
        try:
            return sorted(p for p in self.directory.glob("seg-*.json") if p.is_file())
        except OSError:
            return []

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._known is None:
            self._known = {}
            horizon = self._clock() + MAX_TTL
            for path in self._segments():
                try:
                    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
                    if not isinstance(entries, dict):
                        raise ValueError("not a segment")
                except FileNotFoundError:
                    continue  # merged away by another run since we listed it
                except (OSError, ValueError, KeyError, TypeError, RecursionError):
                    self._broken = True
                    self._read.append(path)
                    continue
                self._read.append(path)
                kept = {d: entry for d, entry in entries.items() if _well_formed(entry, horizon)}
                self._broken |= len(kept) < len(entries)  # an edited entry: merge it away too
                self._known.update(kept)
        return self._known

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored answer, or None when absent, expired, unreadable or for another key."""
        if not self.enabled:
            return None
        entry = self._load().get(_digest(key))
        # the key is compared as stored: redacted, if it held a secret
        if entry is None or entry["e"] <= self._clock() or entry["k"] not in (key, redact(key)):
            self.misses += 1
            return None
        self.hits += 1
        return entry["v"]

    # -- writing ---------------------------------------------------------------------------------------------

    def put(self, key: str, value: dict[str, Any], ttl: float) -> None:
        """Remember `value` for `ttl` seconds; written by `close()`."""
        if self.enabled:  # the key is redacted with the whole segment when it is written (one pass)
            self._new[_digest(key)] = {"k": key, "e": self._clock() + ttl, "v": value}

    def close(self) -> None:
        """Write this run's answers as one segment (merging old segments when there are many)."""
        if not self.enabled or (not self._new and not self._broken):
            return
        known = self._load()
        merge = self._broken or len(self._read) + 1 > MAX_SEGMENTS
        now = self._clock()
        everything = {**known, **self._new} if merge else self._new
        entries = {d: e for d, e in everything.items() if e["e"] > now}
        if (not entries or self._write_segment(entries)) and merge:
            for path in self._read:
                with contextlib.suppress(OSError):
                    path.unlink()
        self._new = {}

    def _write_segment(self, entries: dict[str, dict[str, Any]]) -> bool:
        """One atomic new segment; a cache that cannot be written is not an error (the next run is slower),
        but it is said (`write_problem`), never skipped silently."""
        text = redact(json.dumps({"entries": entries}, ensure_ascii=False, separators=(",", ":")))
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"seg-{time.time_ns():020d}-{os.getpid()}-{os.urandom(3).hex()}.json"
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(temp, self.directory / name)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError as exc:
            self.write_problem = f"cannot write the answer cache in '{self.directory}': {exc.strerror or exc}"
            return False
        return True


def _well_formed(entry: object, horizon: float) -> bool:
    """`{"k": str, "e": a number up to `horizon`, "v": a shallow object}`; anything else is dropped (a
    `NaN` or far-future expiry would never expire; a deeply nested value could not even be written back)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("k"), str):
        return False
    expiry = entry.get("e")
    if not (isinstance(expiry, (int, float)) and not isinstance(expiry, bool) and expiry <= horizon):
        return False  # NaN compares false too
    return isinstance(entry.get("v"), dict) and _shallow(entry["v"], VALUE_DEPTH)


def _shallow(value: object, depth: int) -> bool:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return depth > 0 and all(_shallow(item, depth - 1) for item in value)
    return True
