"""Fault injection and rate limiting: the ways a real Hub or provider API misbehaves.

A ``Fault`` matches requests by method and path glob and fires ``times`` times (``None`` = always), each time
with ``probability`` drawn from its own seeded generator, so a seeded fault fires on the same requests
every run.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from .hostile import HOSTILE_KINDS

FAULT_KINDS = ("latency", "status", "rate_limit", "hang", "drop", "lost_response", *HOSTILE_KINDS)
# How a `status` fault words its error: the forms the Hub uses (huggingface_hub reads them all).
ERROR_FORMS = ("error", "error-list", "error-description", "oauth", "errors", "header-only")


@dataclass
class Fault:
    """One injected misbehaviour.

    kinds:
      latency        sleep ``seconds``, then answer normally
      status         answer ``status`` without acting (``Retry-After`` if given), the error worded as
                     ``error_form`` says: ``{"error": "..."}`` (default), ``{"error": [...]}``,
                     ``{"error_description": "..."}``, ``{"error": .., "error_description": ..}`` (oauth),
                     ``{"errors": [{"message": ..}]}``, or only an ``X-Error-Message`` header
      rate_limit     answer 429 with ``RateLimit`` (t = ``seconds``) and ``RateLimit-Policy`` (q = ``quota``),
                     without acting
      hang           act, then sleep ``seconds`` before answering (the client should time out first)
      drop           close the connection without acting; ``mid_response=True`` first sends the headers and
                     half a body
      lost_response  act (e.g. create the mapping), then close the connection without a response
      drip, huge, endless, bomb, bad_gzip, deep_json, redirect, echo
                     a hostile answer without acting (see ``hostile``; ``size`` bytes, ``location``;
                     ``echo`` quotes the request's Authorization header in a ``status`` error)
    """

    method: str = "*"
    path: str = "*"
    kind: str = "status"
    times: int | None = 1
    probability: float = 1.0
    seconds: float = 0.05
    status: int = 503
    retry_after: str | None = None
    seed: int | None = None
    quota: int = 1000
    mid_response: bool = False
    size: int | None = None
    location: str | None = None
    error_form: str = "error"
    fired: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        if self.error_form not in ERROR_FORMS:
            raise ValueError(
                f"unknown error form {self.error_form!r}; expected one of {', '.join(ERROR_FORMS)}"
            )
        self.method = self.method.upper()
        self._rng = random.Random(self.seed)

    def matches(self, method: str, path: str) -> bool:
        return (self.method == "*" or self.method == method) and fnmatchcase(path, self.path)

    def roll(self) -> bool:
        """Decide whether this fault fires now, counting it down if so. Caller holds the emulator lock."""
        if self.times is not None and self.times <= 0:
            return False
        if self.probability < 1.0 and self._rng.random() >= self.probability:
            return False
        if self.times is not None:
            self.times -= 1
        self.fired += 1
        return True


def error_body(form: str, message: str) -> tuple[object | None, list[tuple[str, str]]]:
    """(JSON body or None, extra headers) of an error worded in one of the Hub's forms."""
    if form == "header-only":
        return None, [("X-Error-Message", message)]
    bodies = {
        "error": {"error": message},
        "error-list": {"error": [message, "see the documentation"]},
        "error-description": {"error_description": message},
        "oauth": {"error": "invalid_request", "error_description": message},
        "errors": {"errors": [{"message": message}, {"message": "second problem"}]},
    }
    return bodies[form], []


def rate_limit_headers(
    remaining: int, reset_seconds: float, quota: int, window: float
) -> list[tuple[str, str]]:
    """The Hub's IETF-draft rate-limit headers (reference §5)."""
    return [
        ("RateLimit", f'"api";r={max(0, remaining)};t={max(0, math.ceil(reset_seconds))}'),
        ("RateLimit-Policy", f'"fixed window";"api";q={quota};w={math.ceil(window)}'),
    ]


@dataclass
class FixedWindow:
    """A fixed-window counter like the Hub's 5-minute windows; the window starts at its first request."""

    quota: int
    window: float
    started: float | None = None
    count: int = 0

    def hit(self, now: float | None = None) -> tuple[bool, int, float]:
        """Count one request; return (allowed, remaining, seconds until reset)."""
        now = time.monotonic() if now is None else now
        if self.started is None or now - self.started >= self.window:
            self.started, self.count = now, 0
        self.count += 1
        reset = self.started + self.window - now
        return self.count <= self.quota, self.quota - self.count, reset

    def headers(self, remaining: int, reset: float) -> list[tuple[str, str]]:
        return rate_limit_headers(remaining, reset, self.quota, self.window)
