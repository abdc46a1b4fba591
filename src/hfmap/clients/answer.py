"""An HTTP answer as hfmap uses it: status, headers and a body that was decoded within a size cap.

Every transport hands its body here (`read_body`), so the limits hold whatever the server does: a body
larger than the cap, or a gzip body that would inflate past it, stops being read at the cap (the inflater
is asked for at most the remaining room at each step); corrupt gzip and unknown codings are unreadable
answers, never a crash. `Answer.json()` raises `ValueError` for anything that is not JSON, JSON nested
too deeply included, so callers have one exception to handle.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urljoin

DEFAULT_MAX_BODY_MB = 32.0  # the largest answers hfmap reads (10,000 mappings, 1,000 models) are ~2 MiB


class BodyBudget:
    """Bytes of bodies being read, across every request of a run, held under one bound.

    The per-request cap alone lets `concurrency` answers per origin each grow to the cap at once (64 x 32
    MiB); with this budget a run holds at most `total` bytes of bodies in flight whatever servers send.
    A body that would pass it stops being read (the request fails with a clear line) rather than waiting:
    readers waiting on each other's room could only end at their deadlines.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.held = 0
        self.high_water = 0  # the most held at once: what tests and `--stats` can check

    def take(self, size: int) -> bool:
        """Reserve `size` bytes; False (nothing reserved) when that would pass the bound."""
        if self.held + size > self.total:
            return False
        self.held += size
        self.high_water = max(self.high_water, self.held)
        return True

    def give(self, size: int) -> None:
        self.held -= size


class BodyError(Exception):
    """The body cannot be used: too large, or its content coding is broken or unknown (not retried)."""


class Headers:
    """Response headers with case-insensitive look-ups; repeated headers read as one comma-joined value."""

    __slots__ = ("_map",)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        found: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            found[key] = f"{found[key]}, {value}" if key in found else value
        self._map = found

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._map.get(name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return self._map[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._map


def parse_json(data: bytes | str) -> Any:
    """`json.loads`, with every way to fail (bad UTF-8, nesting deeper than Python recurses) a ValueError."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"the JSON is not valid UTF-8 ({exc.reason})") from None


class Answer:
    """One final HTTP answer (after redirects of a GET), its body fully read and decoded."""

    __slots__ = ("content", "headers", "status_code", "url")

    def __init__(self, status_code: int, headers: Headers, content: bytes, url: str) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content
        self.url = url

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return parse_json(self.content)

    @property
    def links(self) -> dict[str, dict[str, str]]:
        """`Link` header relations (`{"next": {"url": ...}}`), URLs resolved against this answer's URL."""
        value = self.headers.get("link")
        out: dict[str, dict[str, str]] = {}
        if not value:
            return out
        for part in value.split(","):
            target, _, params = part.strip().partition(">")
            if not target.startswith("<"):
                continue
            link = {"url": urljoin(self.url, target[1:].strip())}
            for param in params.split(";"):
                key, eq, val = param.strip().partition("=")
                if eq:
                    link[key.strip().lower()] = val.strip().strip('"')
            rel = link.get("rel")
            if rel:
                for name in rel.split():
                    out.setdefault(name, link)
        return out


def _inflater(coding: str) -> Any:
    coding = coding.strip().lower()
    if coding in ("", "identity"):
        return None
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if coding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise BodyError(f"the answer uses a content coding hfmap did not ask for ('{coding[:40]}')")


async def read_body(
    chunks: AsyncIterator[bytes], coding: str | None, cap: int, budget: BodyBudget | None = None
) -> bytes:
    """The decoded body, at most `cap` bytes and within the run's `budget`; `BodyError` when it is larger,
    its coding is broken, or the bodies being read at once would pass the budget."""
    inflater = _inflater(coding or "")
    held = _Held(cap, budget or BodyBudget(2 * cap + 2))
    try:
        async for data in chunks:
            held.received += len(data)
            if inflater is None:
                held.add(data)
                continue
            while data:
                try:
                    out = inflater.decompress(data, cap - held.size + 1)
                except zlib.error:
                    raise BodyError("the answer's compressed body is corrupt") from None
                held.add(out)
                data = inflater.unconsumed_tail
                if inflater.eof:
                    break
        if inflater is not None and held.received and not inflater.eof:
            raise BodyError("the answer's compressed body was cut short")
        return b"".join(held.parts)
    finally:
        held.budget.give(held.reserved)


class _Held:
    """One body's decoded parts, and what it reserved of the run's budget: each byte twice (the parts and,
    at the end, their joined copy)."""

    def __init__(self, cap: int, budget: BodyBudget) -> None:
        self.cap, self.budget = cap, budget
        self.parts: list[bytes] = []
        self.size = self.received = self.reserved = 0

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise BodyError(
                f"the answer is larger than {self.cap / 2**20:g} MiB "
                "(HFMAP_HTTP_MAX_BODY_MB raises the limit)"
            )
        if not self.budget.take(2 * len(data)):
            raise BodyError(
                f"the answers being read at once would hold more than {self.budget.total / 2**21:g} MiB "
                "(hfmap's memory bound for bodies: 4 x HFMAP_HTTP_MAX_BODY_MB)"
            )
        self.reserved += 2 * len(data)
        self.parts.append(data)
