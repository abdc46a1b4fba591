"""Replicate's status source against the emulator's website route: every answer, every fault, no token."""

from __future__ import annotations

import asyncio

import pytest

from emulator import Fault
from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.providers.status import StatusAnswer, make_status_source
from hfmap.providers.status_sources import STATUS_SOURCES

FAST = RetryPolicy(attempts=3, base=0.01, cap=0.02)


def ask(hub, *models: str, env: dict | None = None, concurrency: int = 4, timeout: float = 2.0):
    async def run():
        async with HttpClient(timeout=timeout, concurrency=concurrency, retry=FAST) as http:
            source = make_status_source("replicate", http, env if env is not None else hub.env())
            assert source is not None
            return await source.statuses(models), http.stats

    return asyncio.run(run())


def test_online_offline_and_a_pinned_version(hub):
    hub.set_web_status("owner/warm", "online")
    hub.set_web_status("owner/cold", "offline")
    answers, _ = ask(hub, "owner/warm", "owner/cold", "owner/warm:" + "a" * 64)
    assert answers["owner/warm"] == StatusAnswer("online", "live")
    assert answers["owner/cold"] == StatusAnswer("offline", "staging")
    assert answers["owner/warm:" + "a" * 64] == StatusAnswer("online", "live")
    paths = sorted(r.path for r in hub.requests)  # the pinned id shares its model's question
    assert paths == ["/web/replicate/owner/cold/status", "/web/replicate/owner/warm/status"]


@pytest.mark.parametrize(
    ("setup", "detail"),
    [
        (lambda hub: hub.set_web_status("o/m", "booting"), "answered 'booting', which hfmap does not know"),
        (lambda hub: hub.set_web_status("o/m", raw="<html>Down for maintenance</html>"), "not JSON"),
        (lambda hub: hub.set_web_status("o/m", raw='{"state": "online"}'), "without a status"),
        (lambda hub: None, "has no status page for 'o/m' (HTTP 404)"),
        (
            lambda hub: hub.inject(Fault(path="/web/replicate/*", kind="status", status=503, times=None)),
            "answered HTTP 503",
        ),
        (
            lambda hub: hub.inject(Fault(path="/web/replicate/*", kind="drop", times=None)),
            "did not answer: the server closed the connection without a complete answer (after 3 attempts)",
        ),
    ],
)
def test_answers_that_decide_nothing(hub, setup, detail):
    setup(hub)
    answers, _ = ask(hub, "o/m")
    answer = answers["o/m"]
    assert answer.status is None and detail in answer.detail


def test_a_transient_failure_is_retried_and_then_answers(hub):
    hub.set_web_status("o/m", "online")
    hub.inject(Fault(path="/web/replicate/*", kind="status", status=502, times=2))
    answers, stats = ask(hub, "o/m")
    assert answers["o/m"].status == "live" and stats.retries == 2


def test_a_rate_limited_status_page_is_waited_for(hub):
    hub.set_web_status("o/m", "online")
    hub.inject(Fault(path="/web/replicate/*", kind="rate_limit", seconds=0.2, times=1))
    answers, stats = ask(hub, "o/m")
    assert answers["o/m"].status == "live" and stats.waited_seconds >= 0.2


def test_a_hanging_status_page_times_out_without_deciding(hub):
    hub.set_web_status("o/m", "online")
    hub.inject(Fault(path="/web/replicate/*", kind="latency", seconds=1.0, times=None))
    answers, _ = ask(hub, "o/m", timeout=0.2)
    assert answers["o/m"].status is None and "no answer within 0.2 s" in answers["o/m"].detail


def test_no_token_is_ever_sent_and_ids_are_asked_once(hub, monkeypatch):
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_secretsecretsecret")
    hub.set_web_status("o/m", "online")
    ask(hub, "o/m", "o/m", "o/m:" + "b" * 64)
    assert all("authorization" not in r.headers for r in hub.requests)
    assert len(hub.requests) == 1


def test_concurrency_is_bounded_by_the_http_client(hub):
    models = [f"o/m{i}" for i in range(24)]
    for model in models:
        hub.set_web_status(model, "online")
    hub.set_latency(0.05)
    answers, stats = ask(hub, *models, concurrency=4)
    assert all(a.status == "live" for a in answers.values()) and stats.requests == 24


def test_ids_that_are_not_replicate_ids_are_not_asked(hub):
    answers, _ = ask(hub, "no-slash", "a/b/c", "/x")
    assert all(a.status is None and "not a Replicate model id" in a.detail for a in answers.values())
    assert hub.requests == []


def test_the_base_url_comes_from_its_environment_variable(hub):
    hub.set_web_status("o/m", "online")
    answers, _ = ask(hub, "o/m", env={"HFMAP_REPLICATE_WEB_URL": f"{hub.url}/web/replicate/"})
    assert answers["o/m"].status == "live"
    answers, _ = ask(hub, "o/m", env={"HFMAP_REPLICATE_WEB_URL": "http://127.0.0.1:9"})
    assert answers["o/m"].status is None and "did not answer" in answers["o/m"].detail


def test_a_hostile_status_word_is_kept_short():
    from hfmap.providers.status import unusable

    answer = unusable("x", "\x1b[31m" + "A" * 500)
    assert answer.said is not None and len(answer.said) == 40


def test_only_providers_with_a_plug_in_have_a_status_source():
    assert set(STATUS_SOURCES) == {"replicate"}

    async def run():
        async with HttpClient() as http:
            return make_status_source("together", http, {})

    assert asyncio.run(run()) is None
