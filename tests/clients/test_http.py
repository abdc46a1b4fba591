"""Unit tests of the HTTP layer's retry rules over an httpx MockTransport (one function at a time)."""

from __future__ import annotations

import asyncio
import email.utils
import random
import time

import httpx
import pytest

from hfmap.clients.http import (
    HttpClient,
    HttpUnavailable,
    RetryPolicy,
    parse_ratelimit,
    parse_retry_after,
    redact_url,
    user_agent,
)
from hfmap.secrets import register_secret
from httpx_transport import mock

URL = "http://hub.test/api/models/org/name"


class Recorder:
    """A fake `sleep` that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def scripted(*steps):
    """A MockTransport answering with `steps` in turn (a Response, or an exception class to raise)."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        step = steps[min(len(calls), len(steps)) - 1]
        if isinstance(step, type) and issubclass(step, Exception):
            raise step("boom", request=request)
        return step

    return mock(handler), calls


def run(coro):
    return asyncio.run(coro)


async def send(transport, method="GET", url=URL, sleep=None, **kwargs):
    policy = kwargs.pop("retry", RetryPolicy(jitter=0))
    async with HttpClient(transport=transport, sleep=sleep or Recorder(), retry=policy, **kwargs) as http:
        response = await http.request(method, url)
        return response, http


def test_user_agent_names_hfmap_and_python():
    # The transport (aiohttp, or httpx in these tests) is not named: hfmap is what a server sees.
    agent = user_agent()
    assert agent.startswith("hfmap/")
    assert "python/" in agent


def test_get_failing_twice_then_answering_is_a_plain_success():
    transport, calls = scripted(httpx.Response(503), httpx.Response(502), httpx.Response(200, json={"ok": 1}))
    sleep = Recorder()
    response, http = run(send(transport, sleep=sleep))
    assert response.status_code == 200 and response.json() == {"ok": 1}
    assert len(calls) == 3
    assert http.stats.retries == 2 and http.stats.requests == 3
    assert sleep.waits == [1.0, 2.0]  # huggingface_hub's backoff: 1 s doubling, no jitter here
    assert calls[0].headers["user-agent"] == user_agent()


def test_backoff_is_capped_and_jittered_within_bounds():
    policy = RetryPolicy(base=0.5, cap=8.0, jitter=0.25)

    rng = random.Random(1)
    delays = [policy.backoff(n, rng) for n in range(1, 8)]
    assert all(0.375 <= d <= 10.0 for d in delays)
    assert max(delays) <= 8.0 * 1.25
    assert RetryPolicy(jitter=0).backoff(10) == 8.0


def test_get_gives_back_the_last_response_after_all_attempts():
    transport, calls = scripted(httpx.Response(500))
    response, http = run(send(transport))
    assert response.status_code == 500
    assert len(calls) == 5 and http.stats.retries == 4


def test_a_404_is_an_answer_not_a_failure():
    transport, calls = scripted(httpx.Response(404))
    response, _ = run(send(transport))
    assert response.status_code == 404 and len(calls) == 1


def test_network_errors_become_http_unavailable_after_retries():
    transport, calls = scripted(httpx.ConnectError)
    with pytest.raises(HttpUnavailable) as info:
        run(send(transport))
    assert len(calls) == 5
    assert info.value.attempts == 5
    assert "cannot connect" in info.value.reason
    assert str(info.value).startswith("http://hub.test/api/models/org/name: cannot connect")


def test_read_timeout_is_described_as_no_answer():
    transport, _ = scripted(httpx.ReadTimeout)
    with pytest.raises(HttpUnavailable) as info:
        run(send(transport, timeout=2.5))
    assert info.value.reason == "no answer within 2.5 s"


def test_retry_after_seconds_is_honoured():
    transport, _calls = scripted(httpx.Response(503, headers={"Retry-After": "7"}), httpx.Response(200))
    sleep = Recorder()
    response, _ = run(send(transport, sleep=sleep))
    assert response.status_code == 200
    assert len(sleep.waits) == 1 and 6.5 <= sleep.waits[0] <= 7.0


def test_retry_after_http_date_is_honoured():
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    transport, _ = scripted(httpx.Response(429, headers={"Retry-After": when}), httpx.Response(200))
    sleep = Recorder()
    run(send(transport, sleep=sleep))
    assert len(sleep.waits) == 1 and 17 <= sleep.waits[0] <= 20.5


def test_retry_after_is_really_waited_for():
    """The measured lower bound: a real sleep of at least the server's Retry-After."""
    transport, _calls = scripted(httpx.Response(503, headers={"Retry-After": "1"}), httpx.Response(200))
    started = time.monotonic()
    response, _ = run(send(transport, sleep=asyncio.sleep))
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.95


def test_hub_ratelimit_on_429_waits_the_reset_time():
    limited = httpx.Response(429, headers={"RateLimit": '"api";r=0;t=42'})
    transport, _ = scripted(limited, httpx.Response(200))
    sleep = Recorder()
    run(send(transport, sleep=sleep))
    assert len(sleep.waits) == 1 and 41 <= sleep.waits[0] <= 42


def test_successful_answer_with_quota_exhausted_pauses_the_next_request_to_that_host():
    transport, _calls = scripted(
        httpx.Response(200, headers={"RateLimit": '"api";r=0;t=30'}), httpx.Response(200), httpx.Response(200)
    )
    sleep = Recorder()

    async def go():
        async with HttpClient(transport=transport, sleep=sleep) as http:
            await http.request("GET", URL)
            assert sleep.waits == []
            await http.request("GET", "http://other.test/x")  # another host: not held
            assert sleep.waits == []
            await http.request("GET", URL)

    run(go())
    assert len(sleep.waits) == 1 and 29 <= sleep.waits[0] <= 30


def test_a_server_wait_longer_than_max_wait_ends_the_request_with_that_answer():
    """Before: capped at 300 s and waited, once per retry (25 minutes per request, silently)."""
    notes: list[str] = []
    transport, calls = scripted(httpx.Response(503, headers={"Retry-After": "86400"}), httpx.Response(200))
    sleep = Recorder()
    policy = RetryPolicy(jitter=0, max_wait=300)
    response, _ = run(send(transport, sleep=sleep, retry=policy, log=notes.append))
    assert response.status_code == 503 and len(calls) == 1 and sleep.waits == []
    assert notes == [
        "http://hub.test asked to wait 86400 s (HTTP 503), longer than hfmap waits (300 s); not retried"
    ]


def test_a_full_hub_window_plus_a_second_is_waited_for_by_default():
    """huggingface_hub sleeps t+1 on a spent 5-minute window: hfmap's default waits that long too."""
    transport, calls = scripted(httpx.Response(429, headers={"Retry-After": "301"}), httpx.Response(200))
    sleep = Recorder()
    response, _ = run(send(transport, sleep=sleep))
    assert response.status_code == 200 and len(calls) == 2 and 300 <= sleep.waits[0] <= 301


def test_a_wait_up_to_max_wait_is_honoured():
    transport, calls = scripted(httpx.Response(503, headers={"Retry-After": "300"}), httpx.Response(200))
    sleep = Recorder()
    response, _ = run(send(transport, sleep=sleep, retry=RetryPolicy(jitter=0, max_wait=300)))
    assert response.status_code == 200 and len(calls) == 2
    assert len(sleep.waits) == 1 and 299 <= sleep.waits[0] <= 300


def test_a_rate_limit_window_longer_than_max_wait_fails_the_next_request_at_once():
    limited = httpx.Response(200, headers={"RateLimit": '"api";r=0;t=86400'})
    transport, calls = scripted(limited, httpx.Response(200))
    sleep = Recorder()

    async def go():
        async with HttpClient(transport=transport, sleep=sleep, retry=RetryPolicy(jitter=0)) as http:
            await http.request("GET", URL)
            with pytest.raises(HttpUnavailable) as info:
                await http.request("GET", URL)
            return info.value

    error = run(go())
    assert len(calls) == 1 and sleep.waits == []
    assert "asked to wait 86400 s (rate limit), longer than hfmap waits (360 s)" in str(error)


def test_notes_about_waits_never_show_a_password_in_the_url():
    notes: list[str] = []
    transport, _ = scripted(httpx.Response(503, headers={"Retry-After": "86400"}), httpx.Response(200))

    async def go():
        async with HttpClient(transport=transport, sleep=Recorder(), log=notes.append) as http:
            await http.request("GET", "http://someone:pw-Secret99@hub.test/api/models/a/b")

    run(go())
    assert notes == [
        "http://hub.test asked to wait 86400 s (HTTP 503), longer than hfmap waits (360 s); not retried"
    ]


def test_post_is_not_retried_after_a_dropped_connection():
    transport, calls = scripted(httpx.RemoteProtocolError, httpx.Response(201))
    with pytest.raises(HttpUnavailable) as info:
        run(send(transport, method="POST"))
    assert len(calls) == 1 and info.value.attempts == 1
    assert "closed the connection" in info.value.reason


def test_post_is_not_retried_after_a_read_timeout_or_a_5xx():
    transport, calls = scripted(httpx.ReadTimeout, httpx.Response(201))
    with pytest.raises(HttpUnavailable):
        run(send(transport, method="POST"))
    assert len(calls) == 1
    transport, calls = scripted(httpx.Response(503), httpx.Response(201))
    response, _ = run(send(transport, method="POST"))
    assert response.status_code == 503 and len(calls) == 1


def test_post_is_retried_after_429_and_connect_errors():
    transport, calls = scripted(httpx.Response(429), httpx.ConnectError, httpx.Response(201))
    response, http = run(send(transport, method="POST"))
    assert response.status_code == 201 and len(calls) == 3 and http.stats.retries == 2


def test_idempotent_override_lets_a_caller_retry_a_safe_post():
    transport, calls = scripted(httpx.Response(503), httpx.Response(200))

    async def go():
        async with HttpClient(transport=transport, sleep=Recorder()) as http:
            return await http.request("POST", URL, json={"q": 1}, idempotent=True)

    assert run(go()).status_code == 200 and len(calls) == 2


def test_put_and_delete_are_retried_like_get():
    for method in ("PUT", "DELETE"):
        transport, calls = scripted(httpx.ReadError, httpx.Response(200))
        response, _ = run(send(transport, method=method))
        assert response.status_code == 200 and len(calls) == 2


def test_concurrency_is_bounded_by_the_semaphore():
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200)

    async def go():
        async with HttpClient(transport=mock(handler), concurrency=3) as http:
            await asyncio.gather(*(http.request("GET", f"{URL}{i}") for i in range(20)))
            return http.stats.requests

    assert run(go()) == 20
    assert peak == 3


def test_no_token_in_exception_text():
    token = "hf_abcdefghijklmnopqrstuvwxyz"
    register_secret("sekrit-value-123")
    transport, _ = scripted(httpx.ConnectError)

    async def go():
        async with HttpClient(transport=transport, sleep=Recorder()) as http:
            await http.request("GET", f"http://u:{token}@hub.test/api?token=sekrit-value-123&filter=lora")

    with pytest.raises(HttpUnavailable) as info:
        run(go())
    text = f"{info.value} {info.value.url} {info.value.reason} {info.value!r}"
    assert token not in text and "sekrit-value-123" not in text
    assert "filter=lora" in text


def test_parsers():
    assert parse_ratelimit('"api";r=12;t=55') == (12, 55)
    assert parse_ratelimit("garbage") is None
    assert parse_ratelimit(None) is None
    assert parse_retry_after("3") == 3
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert redact_url("https://x.test/a?key=1&b=2") == "https://x.test/a?key=***&b=2"


def test_an_origin_that_stopped_answering_is_not_asked_again_and_again():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        if request.url.host == "down.test":
            raise httpx.ReadTimeout("hang", request=request)
        return httpx.Response(200)

    async def go():
        async with HttpClient(transport=mock(handler), sleep=Recorder(), concurrency=4) as http:
            outcomes = await asyncio.gather(
                *(http.request("GET", f"http://down.test/{i}") for i in range(50)), return_exceptions=True
            )
            fine = await http.request("GET", "http://up.test/")  # other origins are unaffected
            return outcomes, fine, http.stats

    outcomes, fine, stats = run(go())
    assert all(isinstance(o, HttpUnavailable) and o.reason == "no answer within 10 s" for o in outcomes)
    assert calls.count("down.test") < 30  # not 50 requests x 5 attempts
    assert stats.short_circuited > 0
    assert fine.status_code == 200


def test_an_answer_resets_the_breaker():
    answers = iter(
        [httpx.ConnectError] * 9 + [httpx.Response(200)] + [httpx.ConnectError] * 9 + [httpx.Response(200)]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        step = next(answers)
        if isinstance(step, type):
            raise step("refused", request=request)
        return step

    async def go():
        async with HttpClient(
            transport=mock(handler), sleep=Recorder(), retry=RetryPolicy(attempts=10)
        ) as http:
            first = await http.request("GET", URL)
            second = await http.request("GET", URL)
            return first.status_code, second.status_code

    assert run(go()) == (200, 200)


def test_a_budget_spent_on_answers_that_state_no_count_does_not_stall():
    """After a window renews, answers without RateLimit (routes the host does not count) cannot restate the
    budget: once nothing is in flight, the budget starts afresh instead of waiting for an answer forever."""
    policy = {"RateLimit": '"api";r=0;t=1', "RateLimit-Policy": '"fixed window";"api";q=2;w=1'}
    transport, calls = scripted(httpx.Response(200, headers=policy), httpx.Response(200))

    async def no_wait(_seconds: float) -> None:
        await asyncio.sleep(0)  # yields, so a stalled run can still be timed out below

    async def go():
        async with HttpClient(transport=transport, sleep=no_wait) as http:
            for i in range(6):
                await http.request("GET", f"{URL}/{i}")

    run(asyncio.wait_for(go(), 5))
    assert len(calls) == 6
