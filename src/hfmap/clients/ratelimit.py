"""Rate limits as the Hub states them, and a per-origin budget that keeps a run under them.

The Hub answers with `RateLimit: "api";r=<remaining>;t=<seconds to reset>` and
`RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window>` (reference §5). Waiting for a 429 wastes
requests that count against the same quota and stalls every request in flight; instead, once an origin
has stated its budget, no more requests are sent to it than the budget has left, and the rest wait for
the window to reset. Until an origin's first answer says whether it limits at all, only one request goes
to it (one round trip, then full speed).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from typing import Any

_RATELIMIT = re.compile(r"""(?:^|[;,\s])(?P<name>[rtqw])\s*=\s*(?P<value>\d+(?:\.\d+)?)""")


def _fields(value: str | None) -> dict[str, float]:
    return {m.group("name"): float(m.group("value")) for m in _RATELIMIT.finditer(value or "")}


def parse_ratelimit(value: str | None) -> tuple[float, float] | None:
    """(remaining, seconds until reset) from the Hub's `RateLimit: "api";r=R;t=T`; None when absent."""
    found = _fields(value)
    if "r" not in found or "t" not in found:
        return None
    return found["r"], found["t"]


def parse_policy(value: str | None) -> tuple[float, float] | None:
    """(quota, window seconds) from `RateLimit-Policy: "fixed window";"api";q=Q;w=W`; None when absent."""
    found = _fields(value)
    if "q" not in found or "w" not in found:
        return None
    return found["q"], found["w"]


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def parse_quota_reset(remaining: str | None, reset: str | None, now: float | None = None) -> float | None:
    """Seconds until an exhausted quota renews, from GitHub's `x-ratelimit-remaining: 0` and
    `x-ratelimit-reset: <epoch seconds>` (+1 s: the reset is whole seconds); None when not exhausted."""
    if remaining is None or remaining.strip() != "0":
        return None
    try:
        at = float(reset or "")
    except ValueError:
        return None
    now = time.time() if now is None else now
    return max(0.0, at - now) + 1.0 if at == at else None  # NaN: no usable reset


def is_rate_limit(status: int, headers: Any, text: str) -> bool:
    """Whether a refusal is a rate limit (the server did not act; ask again later): a 429, or a 403 that
    says so (GitHub's secondary limits carry `Retry-After`, an exhausted quota `x-ratelimit-remaining: 0`,
    and some only the words)."""
    if status == 429:
        return True
    if status != 403:
        return False
    if headers.get("retry-after") is not None or headers.get("x-ratelimit-remaining") == "0":
        return True
    return "rate limit" in text.lower()


class QuotaUnusable(Exception):
    """The origin states a quota below one request per window: no request may ever be sent to it."""

    def __init__(self, quota: float, window: float | None) -> None:
        self.quota, self.window = quota, window
        per = f" per {window:g} s" if window is not None else ""
        super().__init__(
            f"the server states a rate-limit quota of {quota:g} requests{per} (RateLimit-Policy), "
            "so no request can be sent"
        )


class Budget:
    """What one origin said it still allows in its current window, counted down as requests go out."""

    def __init__(self) -> None:
        self.known = False  # an answer stated the budget (or said there is none to respect)
        self.limited = False  # the origin sends RateLimit headers
        self.remaining = 0.0  # requests we may still send before `reset_at`
        self.reset_at = 0.0  # monotonic time the window renews
        self.quota: float | None = None
        self.window: float | None = None
        self.in_flight = 0
        self._window = 0  # counts renewals, so waiters renew a window once
        self._first: asyncio.Future[None] | None = None

    async def acquire(self, wait: Callable[[float], Awaitable[None]]) -> None:
        """Before sending: wait for the origin's first answer, then for budget (via `wait(seconds)`)."""
        while not self.known:
            if self._first is None:
                self._first = asyncio.get_running_loop().create_future()
                break  # this request is the probe
            await asyncio.shield(self._first)
        while self.limited and self.remaining < 1:
            if self.quota is not None and self.quota < 1:  # a renewal would never allow one request
                raise QuotaUnusable(self.quota, self.window)
            window = self._window
            if self.reset_at == float("inf"):
                if not self.in_flight:  # nothing left to answer and state the count: start afresh
                    self.remaining = self.quota if self.quota is not None else float("inf")
                    continue
                await wait(0.05)  # the renewed quota is spent: the answers in flight will state the count
                continue
            now = time.monotonic()
            if now < self.reset_at:
                await wait(self.reset_at - now)
            if self._window == window:  # nobody renewed it while we waited
                # A new window: spend at most its quota (when stated) until an answer states the count again.
                self._window += 1
                self.remaining = self.quota if self.quota is not None else float("inf")
                self.reset_at = float("inf")
        self.remaining -= 1
        self.in_flight += 1

    def release(self, limit: tuple[float, float] | None, policy: tuple[float, float] | None) -> None:
        """After an answer (or none: both None): update the budget from what the origin said."""
        self.in_flight -= 1
        if limit is not None:
            remaining, reset = limit
            now = time.monotonic()
            reset_at = now + reset
            # Requests still in flight were sent after this answer was counted, or not: assume counted
            # only by this answer's server, so subtract them (never send more than the server allows).
            estimate = remaining - self.in_flight
            if not self.limited or reset_at > self.reset_at + 1.0 or self.reset_at == float("inf"):
                self.remaining = estimate  # first statement, or a new window
                self._window += 1
                self.reset_at = reset_at
            else:
                # The same window: `t` is whole seconds rounded up, so the earliest stated end is the closest.
                self.remaining = min(self.remaining, estimate)
                self.reset_at = min(self.reset_at, reset_at)
            self.limited = True
            if policy is not None:
                self.quota, self.window = policy
        self.known = True
        if self._first is not None and not self._first.done():
            self._first.set_result(None)
