"""The one HTTP client of a run: bounded concurrency, retries that are safe, and respect for rate limits.

Why a layer of our own over httpx: `check` fires hundreds of look-ups at once and `apply` writes to the Hub;
both need the same rules, and the rules differ by method. A GET may be retried after any transient failure.
A POST may be retried only when the server surely did not act (a 429, or the connection never opened):
after a read timeout or a dropped connection the mapping may already exist, so the caller must re-read
state before deciding. Every message this module produces is redacted: a token never leaves in an error.
"""

from __future__ import annotations

import asyncio
import platform
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from hfmap import __version__
from hfmap.clients.urls import redact_url
from hfmap.secrets import redact

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
# Failures after which a POST surely did not reach the server's handler: safe to send again.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures no retry can fix (a bad URL, a request httpx refuses to send).
HOPELESS_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.InvalidURL)
BREAKER_THRESHOLD = 10  # consecutive unanswered attempts after which an origin counts as down for the run
MAX_WAIT = 300.0  # seconds: the longest single pause hfmap accepts from a server's Retry-After / RateLimit
_RATELIMIT = re.compile(r"""(?:^|[;,\s])(?P<name>[rt])\s*=\s*(?P<value>\d+(?:\.\d+)?)""")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry: exponential backoff `base` → `cap`, ± `jitter` (a fraction)."""

    attempts: int = 5
    base: float = 0.5
    cap: float = 8.0
    jitter: float = 0.25
    retry_statuses: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504})
    max_wait: float = MAX_WAIT

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Delay before attempt `attempt + 1` (attempt counts from 1)."""
        delay = min(self.cap, self.base * (2 ** (attempt - 1)))
        if self.jitter:
            delay *= 1 + (rng or random).uniform(-self.jitter, self.jitter)
        return max(0.0, delay)


@dataclass
class HttpStats:
    """Counters for `-v` output and benchmarks."""

    requests: int = 0  # attempts actually sent
    retries: int = 0
    waited_seconds: float = 0.0  # time spent sleeping for backoff or rate limits
    short_circuited: int = 0  # requests not sent: their origin had stopped answering (see BREAKER_THRESHOLD)

    def __str__(self) -> str:
        waited = f" ({self.waited_seconds:.1f} s of waits, summed)" if self.waited_seconds else ""
        skipped = f", {self.short_circuited} not sent (origin down)" if self.short_circuited else ""
        return f"{self.requests} requests, {self.retries} retries{waited}{skipped}"


class HttpUnavailable(Exception):
    """The server could not be reached or never answered, after all the retries that were safe."""

    def __init__(self, url: str, reason: str, attempts: int) -> None:
        self.url = redact_url(url)
        self.reason = redact(" ".join(reason.split()))
        self.attempts = attempts
        super().__init__(str(self))

    @property
    def detail(self) -> str:
        """The reason and, when there were retries, how many attempts were made."""
        return self.reason + (f" (after {self.attempts} attempts)" if self.attempts > 1 else "")

    def __str__(self) -> str:
        return f"{self.url}: {self.detail}"


def user_agent() -> str:
    """`hfmap/<version> (+httpx/<v>; python/<v>)`: lets server operators tell us apart."""
    return f"hfmap/{__version__} (+httpx/{httpx.__version__}; python/{platform.python_version()})"


def header_problem(value: str) -> str | None:
    """Why `value` cannot go into an HTTP header (httpx sends headers as ASCII), else None.

    A token pasted with a stray curly quote or accent would otherwise fail deep inside httpx with a
    UnicodeEncodeError; the message names the character's code point and place, never the token.
    """
    for position, char in enumerate(value, 1):
        if not " " <= char <= "~":
            kind = "non-ASCII" if ord(char) > 0x7E else "control"
            return f"it contains the {kind} character U+{ord(char):04X} at position {position}"
    return None


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


def parse_ratelimit(value: str | None) -> tuple[float, float] | None:
    """(remaining, seconds until reset) from the Hub's `RateLimit: "api";r=R;t=T`; None when absent."""
    if not value:
        return None
    found = {m.group("name"): float(m.group("value")) for m in _RATELIMIT.finditer(value)}
    if "r" not in found or "t" not in found:
        return None
    return found["r"], found["t"]


def describe_error(exc: Exception, timeout: float) -> str:
    """One line a user understands, for a transport failure."""
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect within {timeout:g} s"
    if isinstance(exc, httpx.PoolTimeout):
        return f"no free connection within {timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc).strip() or "connection refused"
        return f"cannot connect ({detail})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server closed the connection without a complete answer"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "the connection was dropped"
    return f"{type(exc).__name__}: {exc}".strip().rstrip(":")


class HttpClient:
    """The run's HTTP client, shared by every check, plan read and apply write.

    Inside, each origin gets a set of single-connection `httpx.AsyncClient`s ("lanes"), created as needed
    and reused for the whole run (keep-alive), at most `concurrency` busy at once. Why not one client with
    a pool of `concurrency` connections: httpcore's pool scans every connection on every request, which
    made 1,000 look-ups CPU-bound (3-4x slower at 16 connections, worse at 64). All lanes share one TLS
    context (building one costs ~40 ms).
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        concurrency: int = 16,
        retry: RetryPolicy = RetryPolicy(),  # frozen, so a shared default is safe
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
        log: Callable[[str], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.timeout = timeout
        self.concurrency = concurrency
        self.retry = retry
        self.stats = HttpStats()
        self._sleep = sleep
        self._transport = transport
        self._log = log
        self._rng = rng or random.Random()
        self._lanes: dict[str, list[httpx.AsyncClient]] = {}  # origin -> idle single-connection clients
        self._all: list[httpx.AsyncClient] = []
        self._ssl: Any = None
        self._semaphore: asyncio.Semaphore | None = None
        self._open_ = False
        self._paused_until: dict[str, float] = {}  # origin -> monotonic deadline (rate limit / Retry-After)
        # origin -> (consecutive transport failures, the last one's description): see `_check_breaker`
        self._failing: dict[str, tuple[int, str]] = {}

    async def __aenter__(self) -> HttpClient:
        self._open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _open(self) -> None:
        if not self._open_:
            self._open_ = True
            self._semaphore = asyncio.Semaphore(self.concurrency)

    def _new_client(self) -> httpx.AsyncClient:
        options: dict[str, Any] = {}
        if self._transport is not None:
            options["transport"] = self._transport
        else:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()
            options["verify"] = self._ssl
            options["limits"] = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout),
            headers={"User-Agent": user_agent(), "Accept": "application/json"},
            follow_redirects=True,  # the Hub redirects renamed repos; httpx drops auth across origins
            **options,
        )
        self._all.append(client)
        return client

    def _take_lane(self, origin: str) -> httpx.AsyncClient:
        if self._transport is not None:  # an injected transport (tests): one client, shared
            return self._all[0] if self._all else self._new_client()
        idle = self._lanes.setdefault(origin, [])
        return idle.pop() if idle else self._new_client()

    def _give_back(self, origin: str, client: httpx.AsyncClient) -> None:
        if self._transport is None:
            self._lanes[origin].append(client)

    async def aclose(self) -> None:
        clients, self._all, self._lanes = self._all, [], {}
        self._open_ = False
        for client in clients:
            await client.aclose()

    def _note(self, message: str) -> None:
        if self._log is not None:
            self._log(redact(message))

    async def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self.stats.waited_seconds += seconds
        await self._sleep(seconds)

    async def _wait_for_origin(self, origin: str) -> None:
        deadline = self._paused_until.get(origin)
        if deadline is not None:
            await self._wait(deadline - time.monotonic())

    def _pause_origin(self, origin: str, seconds: float, why: str) -> None:
        """Hold every request to `origin` for `seconds` (capped at `max_wait`, and the cap is announced)."""
        if seconds > self.retry.max_wait:
            self._note(f"{origin} asked to wait {seconds:.0f} s ({why}); waiting {self.retry.max_wait:.0f} s")
            seconds = self.retry.max_wait
        deadline = time.monotonic() + seconds
        if deadline > self._paused_until.get(origin, 0.0):
            self._paused_until[origin] = deadline

    def _server_wait(self, response: httpx.Response, origin: str) -> float | None:
        """Apply the response's rate-limit signals; return how long the server asked us to wait, if it did."""
        limit = parse_ratelimit(response.headers.get("ratelimit"))
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = retry_after
        if limit is not None and limit[0] <= 0:
            wait = max(wait or 0.0, limit[1])
            if response.status_code != 429:
                # Quota used up but this answer is good: the next request would be refused, so hold off.
                self._pause_origin(origin, limit[1], "rate limit reached")
        if wait is not None and response.status_code in self.retry.retry_statuses:
            self._pause_origin(origin, wait, f"HTTP {response.status_code}")
        return wait

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        json: Any = None,
        idempotent: bool | None = None,
        attempts: int | None = None,
    ) -> httpx.Response:
        """Send one request with the retries its method allows; returns the final response (any status).

        Raises `HttpUnavailable` when no answer came back after the retries that were safe.
        `attempts` lowers the policy's number of tries for one request (e.g. an optional shortcut).
        """
        most = min(attempts, self.retry.attempts) if attempts else self.retry.attempts
        self._open()
        assert self._semaphore is not None
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        shown = url  # for messages: the URL as given (query parameters are not secrets here)
        attempt = 0
        while True:
            attempt += 1
            await self._wait_for_origin(origin)
            try:
                async with self._semaphore:
                    self._check_breaker(origin, shown, attempt)  # inside: queued requests see it too
                    self.stats.requests += 1
                    client = self._take_lane(origin)
                    try:
                        response = await client.request(
                            method, url, headers=headers, params=params, json=json
                        )
                    finally:
                        self._give_back(origin, client)
            except HOPELESS_ERRORS as exc:
                raise HttpUnavailable(shown, describe_error(exc, self.timeout), attempt) from None
            except httpx.TransportError as exc:
                reason = describe_error(exc, self.timeout)
                count = self._failing.get(origin, (0, ""))[0] + 1
                self._failing[origin] = (count, reason)
                safe = idempotent or isinstance(exc, NOT_SENT_ERRORS)
                if not safe or attempt >= most:
                    raise HttpUnavailable(shown, reason, attempt) from None
                self.stats.retries += 1
                await self._wait(self.retry.backoff(attempt, self._rng))
                continue
            self._failing.pop(origin, None)  # any answer closes the breaker
            server_wait = self._server_wait(response, origin)
            status = response.status_code
            if status not in self.retry.retry_statuses or attempt >= most:
                return response
            if not idempotent and status != 429:
                return response  # the server may have acted: the caller re-reads state before anything else
            self.stats.retries += 1
            if server_wait is None:
                await self._wait(self.retry.backoff(attempt, self._rng))
            # else: the origin is paused; the next loop waits for it (together with every other request).

    def _check_breaker(self, origin: str, url: str, attempt: int) -> None:
        """Fail at once when the origin's last BREAKER_THRESHOLD attempts all failed without an answer.

        A Hub that hangs would otherwise hold every request for the full timeout and every retry: 1,000
        look-ups at 16 in flight, 10 s each, 5 tries = most of an hour. After a run of failures with no
        answer in between, the origin counts as down for the rest of the run; any answer resets it.
        """
        count, reason = self._failing.get(origin, (0, ""))
        if count >= BREAKER_THRESHOLD:
            self.stats.short_circuited += 1
            raise HttpUnavailable(url, reason, attempt - 1)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)


__all__ = [
    "HttpClient",
    "HttpStats",
    "HttpUnavailable",
    "RetryPolicy",
    "header_problem",
    "parse_ratelimit",
    "parse_retry_after",
    "user_agent",
]
