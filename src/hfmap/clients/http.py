"""The one HTTP client of a run: bounded concurrency, retries that are safe, and respect for rate limits.

Why a layer of our own: `check` fires hundreds of look-ups at once, `apply` writes to the Hub and the
Action to GitHub; all need the same rules, and the rules differ by method. A GET may be retried after any
transient failure. A POST may be retried only when the server surely did not act (a rate limit, or the
connection never opened), or when the caller's read (`landed`) shows it did not take effect: after a read
timeout, a dropped connection or a 5xx the mapping (or comment, or issue) may already exist. Writes never
follow a redirect (a 3xx is their answer, and a failed write). Every attempt has one deadline from connect
to the body's last byte (a server dripping a byte at a time cannot stretch it), a request with all its
retries has another, and bodies are capped after decoding, each and all together (`BodyBudget`). Every
message this module produces is redacted: neither a token nor a URL's password leaves in an error.
"""

from __future__ import annotations

import asyncio
import base64
import json as jsonlib
import os
import platform
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

from hfmap import __version__
from hfmap.clients.answer import DEFAULT_MAX_BODY_MB, Answer, BodyBudget, BodyError, Headers, read_body
from hfmap.clients.ratelimit import (
    Budget,
    QuotaUnusable,
    is_rate_limit,
    parse_policy,
    parse_quota_reset,
    parse_ratelimit,
    parse_retry_after,
)
from hfmap.clients.transport import (
    BadURL,
    ConnectFailed,
    Dropped,
    Progress,
    ProtocolBroken,
    TimedOut,
    Transport,
    TransportError,
)
from hfmap.clients.urls import redact_url
from hfmap.errors import UsageError
from hfmap.secrets import redact, register_secret

_timeout = getattr(asyncio, "timeout", None)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})  # RFC 9110, 9.2.2
FOLLOWED_METHODS = frozenset({"GET", "HEAD"})  # only reads follow redirects
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
BREAKER_THRESHOLD = 10  # consecutive unanswered attempts after which an origin counts as down for the run
MAX_WAIT = (
    360.0  # seconds: the longest single pause accepted from a server: the Hub's 5-minute window + slack
)
Pairs = list[tuple[str, str]]
_URL_SAFE = "/%:@!$&'()*+,;=-._~?[]"  # kept as written: only spaces, controls and non-ASCII are encoded
BODIES_FACTOR = 4  # bodies being read at once, all requests together, hold at most this many caps
DEADLINE_FACTOR = 3  # all the attempts of one request together wait on the server at most this many timeouts


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry: exponential backoff `base` → `cap`, ± `jitter` (a fraction).

    The defaults are huggingface_hub's (5 tries, 1 s doubling to 8 s, on 408/429/5xx and network errors).
    A rate limit that says when to come back (`Retry-After`, `RateLimit`) is waited out without using a
    try, up to `attempts` such answers: the server set the pace, it did not fail."""

    attempts: int = 5
    base: float = 1.0
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
    """What a run cost: for `--stats`, `-v` and the benchmarks."""

    requests: int = 0  # attempts actually sent (each redirect hop counts)
    retries: int = 0
    rate_limit_seconds: float = 0.0  # waits a server asked for (RateLimit, Retry-After), summed
    backoff_seconds: float = 0.0  # waits of our own between retries, summed
    short_circuited: int = 0  # requests not sent: their origin had stopped answering (see BREAKER_THRESHOLD)
    by_host: dict[str, int] = field(default_factory=dict)  # host[:port] -> requests sent

    @property
    def waited_seconds(self) -> float:
        return self.rate_limit_seconds + self.backoff_seconds

    def count(self, host: str) -> None:
        self.requests += 1
        self.by_host[host] = self.by_host.get(host, 0) + 1

    def to_json(self) -> dict[str, Any]:
        """The counters for `--stats` (hosts in the order first asked)."""
        return {
            "requests": self.requests,
            "by_host": dict(self.by_host),
            "retries": self.retries,
            "rate_limit_seconds": round(self.rate_limit_seconds, 3),
            "backoff_seconds": round(self.backoff_seconds, 3),
            "not_sent": self.short_circuited,
        }

    def __str__(self) -> str:
        waited = f" ({self.waited_seconds:.1f} s of waits, summed)" if self.waited_seconds else ""
        skipped = f", {self.short_circuited} not sent (origin down)" if self.short_circuited else ""
        return f"{self.requests} requests, {self.retries} retries{waited}{skipped}"


class HttpUnavailable(Exception):
    """The server could not be reached or never gave a usable answer, after all the retries that were safe."""

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


class _TooLong(Exception):
    """The server asked for a pause longer than `max_wait`; carries the reason."""


class _Hopeless(Exception):
    """No retry can help (a bad URL, a body over the cap, a redirect loop): carries the user's reason."""


def user_agent() -> str:
    """`hfmap/<version> (python/<v>)`: lets server operators tell us apart."""
    return f"hfmap/{__version__} (python/{platform.python_version()})"


def header_problem(value: str) -> str | None:
    """Why `value` cannot go into an HTTP header (headers are sent as ASCII), else None.

    A token pasted with a stray curly quote or accent would otherwise fail deep in the client; the
    message names the character's code point and place, never the token.
    """
    for position, char in enumerate(value, 1):
        if not " " <= char <= "~":
            kind = "non-ASCII" if ord(char) > 0x7E else "control"
            return f"it contains the {kind} character U+{ord(char):04X} at position {position}"
    return None


def env_number(name: str, default: float, env: Mapping[str, str] | None = None) -> float:
    """A positive number from the environment (`default` when unset); anything else is a usage error."""
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise UsageError(f"{name} must be a positive number, not '{raw[:40]}'")
    return value


def retry_policy(attempts: int | None = None, env: Mapping[str, str] | None = None) -> RetryPolicy:
    """The retry policy of a run: `attempts` tries (default 5); `HFMAP_HTTP_BACKOFF` (seconds, the first
    backoff step; the cap stays 8 x it) lets test suites and impatient CI jobs shorten the waits."""
    policy = RetryPolicy() if attempts is None else RetryPolicy(attempts=attempts)
    base = env_number("HFMAP_HTTP_BACKOFF", policy.base, env)
    if base == policy.base:
        return policy
    return RetryPolicy(attempts=policy.attempts, base=base, cap=base * 8)


def max_body_bytes(env: Mapping[str, str] | None = None) -> int:
    """The decoded-body cap: `HFMAP_HTTP_MAX_BODY_MB` MiB (default 32)."""
    return int(env_number("HFMAP_HTTP_MAX_BODY_MB", DEFAULT_MAX_BODY_MB, env) * 2**20)


def describe_error(exc: TransportError, timeout: float) -> str:
    """One line a user understands, for a transport failure."""
    if isinstance(exc, TimedOut):
        seconds = f"{timeout:g}"
        return str(exc) or (
            f"no answer within {seconds} s" if exc.sent else f"could not connect within {seconds} s"
        )
    if isinstance(exc, ConnectFailed):
        return f"cannot connect ({exc})" if str(exc) else "cannot connect (connection refused)"
    if isinstance(exc, Dropped):
        text = str(exc)
        if "closed" in text and "without" in text:
            return "the server closed the connection without a complete answer"
        return text or "the connection was dropped"
    if isinstance(exc, ProtocolBroken):
        return f"the answer could not be read: {exc}"
    return f"{type(exc).__name__}: {exc}".strip().rstrip(":")


@dataclass(frozen=True)
class Target:
    """A URL split for sending: where to connect, what to ask, and how to show it."""

    scheme: str
    host: str
    port: int
    path: str  # path + query, as sent
    basic: str | None  # `Authorization: Basic` from the URL's user info, if it has any
    url: str  # without user info (the form redirects are resolved against)

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    @property
    def netloc(self) -> str:
        return _netloc(self.scheme, self.host, self.port)

    @classmethod
    def parse(cls, url: str, params: Any = None) -> Target:
        try:
            parts = urlsplit(url)
            port = parts.port
            host = parts.hostname
        except ValueError as exc:
            raise _Hopeless(f"not a usable URL ({exc})") from None
        if parts.scheme not in ("http", "https"):
            raise _Hopeless(f"not an http(s) URL (scheme '{parts.scheme[:20]}')")
        if not host:
            raise _Hopeless("the URL has no host")
        port = port or (443 if parts.scheme == "https" else 80)
        try:
            host = host if host.isascii() else host.encode("idna").decode("ascii")
        except UnicodeError:
            raise _Hopeless(f"the host '{host[:60]}' is not a valid name") from None
        query = quote(parts.query, safe=_URL_SAFE)
        if params:
            extra = urlencode(list(params.items()) if isinstance(params, Mapping) else list(params))
            query = f"{query}&{extra}" if query else extra
        path = quote(parts.path or "/", safe=_URL_SAFE) + (f"?{query}" if query else "")
        basic = None
        if parts.username is not None:
            password = unquote(parts.password or "")
            credential = base64.b64encode(f"{unquote(parts.username)}:{password}".encode()).decode("ascii")
            register_secret(password)  # a server that echoes the header must not print either form
            register_secret(credential)
            basic = "Basic " + credential
        netloc = _netloc(parts.scheme, host, port)
        return cls(parts.scheme, host, port, path, basic, f"{parts.scheme}://{netloc}{path}")


# Given the status that left it open (None: no answer) and why, in words: did the request take effect?
Landed = Callable[[int | None, str], Awaitable[bool]]


@dataclass
class _Call:
    """One request across its attempts."""

    method: str
    target: Target
    headers: Pairs
    body: bytes | None
    idempotent: bool
    most: int  # tries at most
    landed: Landed | None
    shown: str  # the URL as given (HttpUnavailable redacts it)
    attempt: int = 0
    paced: int = 0  # rate-limit answers that said when to come back (they use no try)
    spent: float = 0.0  # seconds spent in attempts (waiting on the server), against the request's deadline


def _rate_limited(answer: Answer) -> bool:
    """A rate limit: the server refused without acting, so even a write may be sent again."""
    return is_rate_limit(answer.status_code, answer.headers, answer.text[:2000])


def _netloc(scheme: str, host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port == (443 if scheme == "https" else 80) else f"{shown}:{port}"


class HttpClient:
    """The run's HTTP client, shared by every check, plan read and apply write.

    Requests go over keep-alive connections (`hfmap.clients.aio`, or an injected `transport` in unit
    tests), at most `concurrency` at once to each origin (scheme, host and port). `stats` may be shared
    with the caller (`--stats`).
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        concurrency: int = 16,
        retry: RetryPolicy = RetryPolicy(),  # frozen, so a shared default is safe
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        transport: Transport | None = None,
        log: Callable[[str], None] | None = None,
        rng: random.Random | None = None,
        deadline: float | None = None,
        max_body: int | None = None,
        stats: HttpStats | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.timeout = timeout
        self.deadline = deadline if deadline is not None else DEADLINE_FACTOR * timeout
        self.max_body = max_body if max_body is not None else max_body_bytes()
        # Every body being read, together: each may reach the cap, but only a few at once (64 at the cap
        # per origin would be 2 GiB); a byte counts twice, for its part and the joined copy.
        self.bodies = BodyBudget(BODIES_FACTOR * 2 * self.max_body)
        self.concurrency = concurrency
        self.retry = retry
        self.stats = stats if stats is not None else HttpStats()
        self._sleep = sleep
        self._transport = transport  # None: aiohttp, imported when the first request goes out
        self._log = log
        self._rng = rng or random.Random()
        self._slots: dict[str, asyncio.Semaphore] = {}  # origin -> its `concurrency` slots
        self._closed = False
        self._paused_until: dict[str, float] = {}  # origin -> monotonic deadline (Retry-After)
        self._budgets: dict[str, Budget] = {}  # origin -> its stated rate-limit budget
        # origin -> (consecutive transport failures, the last one's description): see `_check_breaker`
        self._failing: dict[str, tuple[int, str]] = {}
        self._base_headers = [
            ("User-Agent", user_agent()),
            ("Accept", "application/json"),
            ("Accept-Encoding", "gzip, deflate"),
        ]

    async def __aenter__(self) -> HttpClient:
        self._open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _open(self) -> None:
        self._closed = False

    async def aclose(self) -> None:
        """Close every connection; requests still running end as `HttpUnavailable` ("client closed")."""
        self._closed = True
        if self._transport is not None:
            await self._transport.aclose()

    def _carrier(self) -> Transport:
        """The transport, aiohttp unless one was given: a run whose answers all come from the cache never
        imports it (~0.15 s of CPU, most of a warm `check`)."""
        if self._transport is None:
            from hfmap.clients.aio import AiohttpTransport

            self._transport = AiohttpTransport(per_host=self.concurrency)
        return self._transport

    def _note(self, message: str) -> None:
        if self._log is not None:
            self._log(redact(message))

    async def _wait(self, seconds: float, *, server: bool) -> None:
        if seconds <= 0:
            return
        if server:
            self.stats.rate_limit_seconds += seconds
        else:
            self.stats.backoff_seconds += seconds
        await self._sleep(seconds)

    def _too_long(self, origin: str, seconds: float, why: str) -> str | None:
        """Why a pause the server asked for is not waited for: longer than `max_wait` (the Hub's own
        window is 5 minutes; "come back in a day" fails the request at once, as the GitHub client does)."""
        most = self.retry.max_wait
        if seconds > most:
            return f"{origin} asked to wait {seconds:.0f} s ({why}), longer than hfmap waits ({most:.0f} s)"
        return None

    async def _server_pause(self, origin: str, seconds: float, why: str) -> None:
        """The budget's wait for its window to renew."""
        reason = self._too_long(origin, seconds, why)
        if reason is not None:
            raise _TooLong(reason)
        await self._wait(seconds, server=True)

    async def _wait_for_origin(self, origin: str) -> None:
        deadline = self._paused_until.get(origin)
        if deadline is not None:
            await self._wait(deadline - time.monotonic(), server=True)

    def _pause_origin(self, origin: str, seconds: float) -> None:
        """Hold every request to `origin` for `seconds`."""
        deadline = time.monotonic() + seconds
        if deadline > self._paused_until.get(origin, 0.0):
            self._paused_until[origin] = deadline

    def _server_wait(self, answer: Answer, origin: str, limit: tuple[float, float] | None) -> float | None:
        """Apply the pause the answer asks for; return how long the server asked us to wait, if it did
        (more than `max_wait`: not applied, and the request ends with this answer).

        The pause is `Retry-After`, or an exhausted `x-ratelimit-*` quota, on a status worth retrying or
        a rate limit; `limit` is the answer's parsed `RateLimit` (remaining, seconds to reset)."""
        headers = answer.headers
        asked = None
        if answer.status_code in self.retry.retry_statuses or _rate_limited(answer):
            asked = parse_retry_after(headers.get("retry-after"))
            if asked is None:
                asked = parse_quota_reset(
                    headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset")
                )
        if asked is not None:
            reason = self._too_long(origin, asked, f"HTTP {answer.status_code}")
            if reason is not None:
                self._note(f"{reason}; not retried")
                return asked
            self._pause_origin(origin, asked)
        if limit is not None and limit[0] <= 0:
            return max(asked or 0.0, limit[1])  # the budget holds the origin until the reset
        return asked

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
        landed: Landed | None = None,
    ) -> Answer:
        """Send one request with the retries its method allows; returns the final answer (any status).

        A request that may have reached the server is sent again only when it is idempotent, or when
        `landed(status, reason)` (a read of the server's state, given by the caller) answers False: it did
        not take effect. `landed` is asked after every such lost answer, the last one included.
        Raises `HttpUnavailable` when no usable answer came back after the retries that were safe.
        `attempts` lowers the policy's number of tries for one request (e.g. an optional shortcut).
        """
        call = self._prepare(method, url, headers, params, json, idempotent, attempts, landed)
        while True:
            call.attempt += 1
            await self._admit(call)
            try:
                answer, limit = await self._send(call)
            except TransportError as exc:
                await self._after_failure(call, exc)
                continue
            server_wait = self._server_wait(answer, call.target.origin, limit)
            if not await self._again(call, answer, server_wait):
                return answer

    def _prepare(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        params: Any,
        json: Any,
        idempotent: bool | None,
        attempts: int | None,
        landed: Landed | None,
    ) -> _Call:
        """The request as it will be sent on every attempt: target, headers and encoded body."""
        self._open()
        method = method.upper()
        try:
            target = Target.parse(url, params)
        except _Hopeless as exc:  # shown through redact_url by HttpUnavailable
            raise HttpUnavailable(url, str(exc), 0) from None
        send_headers = list(self._base_headers)
        given = {k.lower() for k in headers or ()}
        if target.basic and "authorization" not in given:
            send_headers.append(("Authorization", target.basic))
        if headers:
            send_headers += list(headers.items())
        body = None
        if json is not None:
            body = jsonlib.dumps(json, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            send_headers.append(("Content-Type", "application/json"))
        return _Call(
            method=method,
            target=target,
            headers=send_headers,
            body=body,
            idempotent=method in IDEMPOTENT_METHODS if idempotent is None else idempotent,
            most=min(attempts, self.retry.attempts) if attempts else self.retry.attempts,
            landed=landed,
            shown=url,
        )

    async def _admit(self, call: _Call) -> None:
        """Wait until the origin may be asked again: its pause (Retry-After), then its rate-limit budget."""
        origin = call.target.origin
        await self._wait_for_origin(origin)
        try:
            await self._budget(origin).acquire(lambda s: self._server_pause(origin, s, "rate limit"))
        except (_TooLong, QuotaUnusable) as exc:
            raise HttpUnavailable(call.shown, str(exc), call.attempt - 1) from None

    def _budget(self, origin: str) -> Budget:
        budget = self._budgets.get(origin)
        if budget is None:
            budget = self._budgets[origin] = Budget()
        return budget

    def _slots_of(self, origin: str) -> asyncio.Semaphore:
        """Per origin: a slow provider API never holds the Hub's slots, nor the reverse."""
        slots = self._slots.get(origin)
        if slots is None:
            slots = self._slots[origin] = asyncio.Semaphore(self.concurrency)
        return slots

    async def _send(self, call: _Call) -> tuple[Answer, tuple[float, float] | None]:
        """One attempt in one of the origin's slots; the answer and its parsed `RateLimit`.

        Raises `TransportError` for a failure a retry may cure, `HttpUnavailable` for one it cannot."""
        origin = call.target.origin
        answer: Answer | None = None
        limit = policy = None
        try:
            seconds = min(self.timeout, self.deadline - call.spent)
            async with self._slots_of(origin):
                self._check_breaker(origin, call.shown, call.attempt)  # inside: queued requests see it too
                started = time.monotonic()
                try:
                    answer = await self._attempt(call.method, call.target, call.headers, call.body, seconds)
                finally:
                    call.spent += time.monotonic() - started
        except _Hopeless as exc:
            raise HttpUnavailable(call.shown, str(exc), call.attempt) from None
        except BadURL as exc:
            raise HttpUnavailable(call.shown, f"not a usable URL ({exc})", call.attempt) from None
        finally:
            if answer is not None:
                limit = parse_ratelimit(answer.headers.get("ratelimit"))
                policy = parse_policy(answer.headers.get("ratelimit-policy"))
            self._budget(origin).release(limit, policy)
        self._failing.pop(origin, None)  # any answer closes the breaker
        return answer, limit

    async def _after_failure(self, call: _Call, exc: TransportError) -> None:
        """Return to send again after a failure without an answer; raise `HttpUnavailable` when not."""
        if self._closed:
            raise HttpUnavailable(call.shown, "the run ended before an answer came", call.attempt)
        reason = describe_error(exc, self.timeout)
        origin = call.target.origin
        self._failing[origin] = (self._failing.get(origin, (0, ""))[0] + 1, reason)
        not_sent = isinstance(exc, ConnectFailed) or (isinstance(exc, TimedOut) and not exc.sent)
        if not not_sent and not await self._may_resend(call, None, reason):
            raise HttpUnavailable(call.shown, reason, call.attempt)
        if call.attempt >= call.most:
            raise HttpUnavailable(call.shown, reason, call.attempt)
        if call.spent >= self.deadline:
            raise HttpUnavailable(call.shown, f"{reason} (out of time for retries)", call.attempt)
        self.stats.retries += 1
        await self._wait(self.retry.backoff(call.attempt, self._rng), server=False)

    async def _again(self, call: _Call, answer: Answer, server_wait: float | None) -> bool:
        """Whether to send again after `answer` (waiting our backoff first when so)."""
        status, limited = answer.status_code, _rate_limited(answer)
        if status not in self.retry.retry_statuses and not limited:
            return False
        if not limited and not await self._may_resend(call, status, f"HTTP {status}"):
            return False  # the server may have acted, and no read showed it did not
        if server_wait is not None and server_wait > self.retry.max_wait:
            return False
        if limited and server_wait is not None and call.paced < call.most:
            call.paced += 1
            call.attempt -= 1  # paced, not failed
        if call.attempt >= call.most or call.spent >= self.deadline:
            return False
        self.stats.retries += 1
        if server_wait is None:
            await self._wait(self.retry.backoff(call.attempt, self._rng), server=False)
        # else: the origin is paused or out of budget; the next attempt waits for it with every request.
        return True

    async def _may_resend(self, call: _Call, status: int | None, reason: str) -> bool:
        """The one rule for re-sending a request the server may have received: it is idempotent, or the
        caller's read shows it did not take effect."""
        if call.idempotent:
            return True
        if call.landed is None:
            return False
        return not await call.landed(status, reason)

    async def _attempt(
        self, method: str, target: Target, headers: list[tuple[str, str]], body: bytes | None, limit: float
    ) -> Answer:
        """One attempt (a GET's redirects included) within `limit` seconds, from connect to the last byte."""
        progress = Progress()
        try:
            if _timeout is not None:  # Python 3.11+: no extra task per attempt (wait_for makes one)
                async with _timeout(limit):
                    return await self._exchange(method, target, headers, body, progress)
            return await asyncio.wait_for(self._exchange(method, target, headers, body, progress), limit)
        except asyncio.TimeoutError:
            if progress.phase == "body":  # the configured timeout (the last try may have had less left)
                reason = (
                    f"the answer did not arrive within {self.timeout:g} s ({progress.received} bytes came)"
                )
                raise TimedOut(reason, sent=True) from None
            raise TimedOut(sent=progress.phase != "connect") from None  # worded by describe_error

    async def _exchange(
        self, method: str, target: Target, headers: Pairs, body: bytes | None, progress: Progress
    ) -> Answer:
        hops = 0
        while True:
            self.stats.count(target.netloc)
            if self._closed:
                raise ConnectFailed("the HTTP client was closed")
            raw = await self._carrier().send(method, target, headers, body, progress)
            complete = False
            try:
                location = raw.header("location") if raw.status in REDIRECT_STATUSES else None
                if location is not None and method in FOLLOWED_METHODS:
                    hops += 1
                    if hops > MAX_REDIRECTS:
                        raise _Hopeless(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)")
                    following = Target.parse(urljoin(target.url, location))
                    if following.origin != target.origin:  # a token goes to its own origin only
                        headers = [(k, v) for k, v in headers if k.lower() != "authorization"]
                    target = following
                    progress.phase, progress.received = "connect", 0
                    continue
                try:
                    content = await read_body(
                        raw.chunks, raw.header("content-encoding"), self.max_body, self.bodies
                    )
                except BodyError as exc:
                    raise _Hopeless(str(exc)) from None
                complete = True
            finally:
                await raw.release(complete)
            return Answer(raw.status, Headers(raw.headers), content, target.url)

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


__all__ = [
    "Answer",
    "HttpClient",
    "HttpStats",
    "HttpUnavailable",
    "RetryPolicy",
    "header_problem",
    "parse_ratelimit",
    "parse_retry_after",
    "redact_url",
    "user_agent",
]
