"""`apply --wait`: the poll schedule, the early end, and the durations it accepts (no network)."""

from __future__ import annotations

import asyncio

import pytest

from hfmap.errors import UsageError
from hfmap.mapping.record import Record
from hfmap.mapping.verdict import Expected, Verdict, VerifyReport
from hfmap.sync import wait as wait_module
from hfmap.sync.wait import DEFAULT_WAIT, parse_duration, wait_for_tests

A = Expected(Record("replicate", "org/a", None, "o/a", "text-to-image", "live"))
B = Expected(Record("replicate", "org/b", None, "o/b", "text-to-image", "live"))


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.polls: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def run(monkeypatch, verdicts_at, seconds: float, expected=(A, B)):
    time = FakeTime()

    async def fake_verify(items, hub, partner, router=None):
        time.polls.append(round(time.now, 3))
        return VerifyReport([verdicts_at(time.now, item) for item in items], True)

    monkeypatch.setattr(wait_module, "verify_mappings", fake_verify)
    report = asyncio.run(
        wait_for_tests(list(expected), None, None, seconds, sleep=time.sleep, clock=time.clock)  # type: ignore[arg-type]
    )
    return report, time.polls


def test_the_default_wait_polls_four_times_and_ends_at_the_deadline(monkeypatch):
    report, polls = run(monkeypatch, lambda now, item: Verdict(item, "ok", "fine"), DEFAULT_WAIT)
    assert polls == [10.0, 30.0, 70.0, 120.0]
    assert report.polls == 4 and report.failed == [] and [v.key for v in report.last] == ["org/a", "org/b"]


def test_a_short_wait_polls_quickly_and_a_failed_mapping_is_no_longer_polled(monkeypatch):
    def verdict(now, item):
        if item.record.key == "org/a" and now >= 0.5:
            return Verdict(item, "error", "failed")
        return Verdict(item, "ok", "fine")

    report, polls = run(monkeypatch, verdict, 2.0)
    assert polls == [0.25, 0.75, 1.75, 2.0]
    assert [v.key for v in report.failed] == ["org/a"] and [v.key for v in report.last] == ["org/b"]
    assert report.to_json()["watched"] == 2


def test_the_wait_ends_early_when_every_watched_mapping_failed(monkeypatch):
    report, polls = run(monkeypatch, lambda now, item: Verdict(item, "error", "failed"), 60.0)
    assert polls == [5.0] and len(report.failed) == 2


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("90s", 90.0), ("2m", 120.0), ("1.5m", 90.0), ("500ms", 0.5), ("1H", 3600.0)],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "0", "-1s", "2d", "61m", "1e3", "1 m s"])
def test_bad_durations_are_usage_errors(text):
    with pytest.raises(UsageError):
        parse_duration(text)
