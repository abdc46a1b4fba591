"""`apply --wait[=DURATION]`: watch what clients see of the mappings apply wrote until the Hub's tests settle.

The Hub tests a mapping after each create and status change, asynchronously, and shows a failing one as
`status: error` in model info only (reference §1). A test that passes leaves no trace, so "settled" can
only mean "the time is up" (or every watched mapping already failed). The polls start at a twelfth of the
duration (at most FIRST_POLL_MAX, at least FIRST_POLL_MIN) and double up to POLL_MAX, with a last one at
the deadline: the default two minutes cost four reads of the watched mappings (`hfmap.sync.verify`), and
the HTTP layer honours the Hub's rate-limit headers on each.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from hfmap.clients.hub import HubClient
from hfmap.clients.partner import PartnerApi
from hfmap.clients.router import RouterClient
from hfmap.errors import UsageError
from hfmap.mapping.verdict import FAILED_TESTS, Expected, WaitReport
from hfmap.sync.verify import verify_mappings

DEFAULT_WAIT = 120.0  # seconds: `--wait` without a value
MAX_WAIT = 3600.0
FIRST_POLL_MIN, FIRST_POLL_MAX, POLL_MAX = 0.25, 10.0, 60.0
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """`90`, `90s`, `2m`, `1.5m`, `500ms`, `1h` → seconds; anything else is a usage error (exit 2)."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"--wait={text!r} is not a duration; write it like 90s, 2m or 1h")
    seconds = float(match.group(1)) * _UNIT[(match.group(2) or "s").lower()]
    if not 0 < seconds <= MAX_WAIT:
        raise UsageError(f"--wait must be more than 0 and at most {MAX_WAIT / 60:g} minutes, not {text!r}")
    return seconds


class Poll(NamedTuple):
    """One poll's news for a watching user: which poll, how many still pass so far, which failed."""

    number: int
    watching: int
    failed: list[str]
    seconds_left: float


async def wait_for_tests(
    expected: list[Expected],
    hub: HubClient,
    partner: PartnerApi,
    seconds: float,
    *,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    router: RouterClient | None = None,
    on_poll: Callable[[Poll], None] | None = None,
) -> WaitReport:
    """Poll what clients see of `expected` until `seconds` are up or every one of them failed a test
    (the Hub's, or for chat mappings the router's: `FAILED_TESTS`); `on_poll` hears after each poll (a long
    wait is never silent)."""
    report = WaitReport(seconds)
    pending = {(e.record.provider, e.record.key): e for e in expected}
    deadline = clock() + seconds
    interval = min(FIRST_POLL_MAX, max(FIRST_POLL_MIN, seconds / 12))
    while pending:
        now = clock()
        await sleep(max(0.0, min(interval, deadline - now)))
        verify = await verify_mappings(list(pending.values()), hub, partner, router)
        report.polls += 1
        report.problems.extend(p for p in verify.problems if p not in report.problems)
        report.last = []
        for verdict in verify.verdicts:
            if verdict.verdict in FAILED_TESTS:
                report.failed.append(verdict)
                del pending[(verdict.provider, verdict.key)]
            else:
                report.last.append(verdict)
        if on_poll is not None:
            failed = [f"{v.provider}:{v.key}" for v in report.failed]
            on_poll(Poll(report.polls, len(pending), failed, max(0.0, deadline - clock())))
        if clock() >= deadline:
            break
        interval = min(POLL_MAX, interval * 2)
    return report
