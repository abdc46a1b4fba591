"""`check`'s on-disk answer cache: one small JSON file per question, safe under parallel processes.

Why one file per answer: pre-commit may run several `hfmap check` processes at once; each write is a
temporary file renamed over the old one (`os.replace` is atomic), so readers see an old answer or a new
one, never half of one, and no lock is needed. A file that cannot be read is ignored and rewritten.
Keys are URLs without credentials, hashed for the file name; values are answers, never responses, so a
token can never end up here.
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

from hfmap.secrets import redact

POSITIVE_TTL = 24 * 3600.0  # "it exists" rarely stops being true within a day
NEGATIVE_TTL = 10 * 60.0  # "it is missing" is often fixed minutes later (someone just pushed the model)
FORMAT = "v1"


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """`HFMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/hfmap`, else `~/.cache/hfmap`."""
    env = os.environ if env is None else env
    if env.get("HFMAP_CACHE_DIR"):
        return Path(env["HFMAP_CACHE_DIR"])
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "hfmap"
    return Path.home() / ".cache" / "hfmap"


class Cache:
    """Answers by key, each with an expiry; `enabled=False` (`--no-cache`) reads and stores nothing."""

    def __init__(
        self, directory: Path | None = None, *, enabled: bool = True, clock: Callable[[], float] = time.time
    ) -> None:
        self.directory = (directory or default_cache_dir()) / FORMAT
        self.enabled = enabled
        self._clock = clock
        self.hits = 0
        self.misses = 0
        self.write_errors = 0

    def _file(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored answer, or None when absent, expired, unreadable or for another key."""
        if not self.enabled:
            return None
        try:
            record = json.loads(self._file(key).read_text(encoding="utf-8"))
            if record["key"] != redact(key) or float(record["expires"]) <= self._clock():
                raise ValueError("stale")
            value = record["value"]
            if not isinstance(value, dict):
                raise ValueError("corrupt")
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: dict[str, Any], ttl: float) -> None:
        """Store `value` for `ttl` seconds; a cache that cannot be written is not an error (just slower)."""
        if not self.enabled:
            return
        path = self._file(key)
        now = self._clock()
        record = {"key": redact(key), "stored": now, "expires": now + ttl, "value": value}
        text = redact(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError:
            self.write_errors += 1
