"""The HTTP client against a hostile server on a real socket (the emulator's hostile faults; issue 9, 7-10).

Each test names the defect it guards against: before the client's rewrite these ended in a traceback
(TooManyRedirects, DecodingError, RecursionError, a KeyError at close), read 300 MB into memory, let a
slow drip stretch a 5 s timeout to minutes, or re-sent a redirected POST as a GET that "succeeded".
"""

from __future__ import annotations

import asyncio
import tracemalloc

import pytest

from emulator import Fault, HubEmulator
from hfmap.clients.http import HttpClient, HttpUnavailable, RetryPolicy
from hfmap.clients.hub import HubClient, Unavailable

MIB = 2**20
FAST = RetryPolicy(attempts=5, base=0.01, cap=0.02, jitter=0)


def run(coro):
    return asyncio.run(coro)


async def ask(url: str, method: str = "GET", **options):
    policy = options.pop("retry", FAST)
    async with HttpClient(retry=policy, **options) as http:
        return await http.request(method, url, json={"x": 1} if method == "POST" else None), http


def test_a_slow_drip_cannot_stretch_the_deadline_even_across_retries(hub):
    hub.add_model("org/m", pipeline_tag="text-to-image")
    hub.inject(Fault(path="/api/models/*", kind="drip", seconds=0.05, size=10_000, times=None))
    with pytest.raises(HttpUnavailable) as info:
        run(ask(f"{hub.url}/api/models/org/m", timeout=0.5))
    # 0.5 s per attempt, 1.5 s for the request: three attempts, not five, and each cut at its deadline.
    assert info.value.attempts == 3
    assert "the answer did not arrive within" in info.value.reason
    assert "out of time for retries" in info.value.reason


def test_a_body_over_the_cap_is_refused_without_a_retry(hub):
    hub.inject(Fault(path="/api/models", kind="huge", size=8 * MIB, times=None))
    with pytest.raises(HttpUnavailable) as info:
        run(ask(f"{hub.url}/api/models", max_body=MIB))
    assert "larger than 1 MiB" in info.value.reason and "HFMAP_HTTP_MAX_BODY_MB" in info.value.reason
    assert info.value.attempts == 1
    assert len(hub.requests) == 1


def test_the_cap_comes_from_the_environment(hub, monkeypatch):
    monkeypatch.setenv("HFMAP_HTTP_MAX_BODY_MB", "0.5")
    hub.inject(Fault(path="/api/models", kind="huge", size=MIB, times=None))
    with pytest.raises(HttpUnavailable) as info:
        run(ask(f"{hub.url}/api/models"))
    assert "larger than 0.5 MiB" in info.value.reason


def test_a_gzip_bomb_stops_inflating_at_the_cap(hub):
    hub.inject(Fault(path="/api/models", kind="bomb", size=64 * MIB, times=None))
    tracemalloc.start()
    try:
        with pytest.raises(HttpUnavailable) as info:
            run(ask(f"{hub.url}/api/models", max_body=MIB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than 1 MiB" in info.value.reason
    assert peak < 8 * MIB  # the 64 MiB it would inflate to were never held


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("bad_gzip", "the answer's compressed body is corrupt"),
        ("redirect", "more than 10 redirects (a redirect loop?)"),
    ],
)
def test_an_unusable_answer_ends_in_one_clear_reason(hub, kind, reason):
    hub.inject(Fault(path="/api/models/*", kind=kind, times=None))
    with pytest.raises(HttpUnavailable) as info:
        run(ask(f"{hub.url}/api/models/org/m"))
    assert info.value.reason == reason


def test_json_nested_too_deeply_is_not_valid_json(hub):
    hub.add_model("org/m", pipeline_tag="text-to-image")
    hub.inject(Fault(path="/api/models/*", kind="deep_json", times=None))

    async def go():
        async with HttpClient(retry=FAST) as http:
            return await HubClient(http, hub.url).model_info("org/m")

    assert run(go()) == Unavailable("the Hub's answer was not valid JSON")


def test_a_get_follows_a_redirect_and_keeps_the_token_on_its_own_origin(hub):
    with HubEmulator() as other:
        other.add_model("org/m", pipeline_tag="text-to-image")
        hub.inject(Fault(path="/api/models/*", kind="redirect", location=f"{other.url}/api/models/org/m"))

        async def go():
            async with HttpClient(retry=FAST) as http:
                headers = {"Authorization": "Bearer hf_secrettoken0123"}
                return await http.request("GET", f"{hub.url}/api/models/org/m", headers=headers)

        answer = run(go())
        assert answer.status_code == 200 and answer.json()["id"] == "org/m"
        assert hub.requests[0].headers.get("authorization") == "Bearer ***"
        assert other.requests[0].headers.get("authorization") is None


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_a_write_never_follows_a_redirect(hub, method):
    path = "/api/partners/replicate/models"
    hub.inject(Fault(method=method, path=path, kind="redirect", location=path, times=None))
    answer, http = run(ask(f"{hub.url}{path}", method))
    assert answer.status_code == 302
    assert [r.method for r in hub.requests] == [method]  # not re-sent, not turned into a GET
    assert http.stats.requests == 1


def test_a_port_no_socket_has_is_a_clear_reason():
    with pytest.raises(HttpUnavailable) as info:
        run(ask("http://127.0.0.1:99999/api/models"))
    assert info.value.reason.startswith("not a usable URL")


def test_a_server_that_is_not_http_is_unreadable_not_a_crash():
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def garbage() -> None:
        for _ in range(5):
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
            conn.close()

    thread = threading.Thread(target=garbage, daemon=True)
    thread.start()
    try:
        with pytest.raises(HttpUnavailable) as info:
            run(ask(f"http://127.0.0.1:{port}/x"))
    finally:
        server.close()
    assert "not HTTP" in info.value.reason


def test_closing_the_client_while_requests_are_in_flight_is_quiet(hub):
    """The old client raised KeyError in `_give_back` when a request ended after `aclose`."""
    hub.inject(Fault(path="/api/models/*", kind="latency", seconds=0.3, times=None))

    async def go():
        http = HttpClient(retry=FAST)
        await http.__aenter__()
        tasks = [asyncio.ensure_future(http.request("GET", f"{hub.url}/api/models/a/{i}")) for i in range(8)]
        await asyncio.sleep(0.1)
        await http.aclose()
        return await asyncio.gather(*tasks, return_exceptions=True)

    outcomes = run(go())
    assert outcomes and all(isinstance(o, HttpUnavailable) for o in outcomes), outcomes
    assert all(o.reason == "the run ended before an answer came" for o in outcomes)


def test_spaces_and_non_ascii_in_a_path_are_percent_encoded_as_httpx_did(hub):
    hub.add_model("org/x", pipeline_tag="text-to-image")
    answer, _http = run(ask(f"{hub.url}/api/models/org/ é"))
    assert answer.status_code in (401, 404)  # asked, and answered: no such model
    assert hub.requests[0].path == "/api/models/org/ é"  # the server decoded what was sent encoded


def test_endless_bodies_read_at_once_stay_within_the_run_budget(hub):
    """Each body stops at its cap, but 64 at once per origin once held 64 x the cap together."""
    hub.inject(Fault(path="/api/models/*", kind="endless", times=None))

    async def many() -> tuple[list[object], int, int]:
        async with HttpClient(retry=FAST, max_body=MIB, concurrency=64, timeout=10) as http:
            urls = [f"{hub.url}/api/models/org/m{i}" for i in range(64)]
            got = await asyncio.gather(*(http.request("GET", u) for u in urls), return_exceptions=True)
            return got, http.bodies.high_water, http.bodies.total

    got, high_water, total = run(many())
    assert all(isinstance(g, HttpUnavailable) for g in got)
    reasons = {g.reason for g in got if isinstance(g, HttpUnavailable)}
    assert any("memory bound" in r for r in reasons), reasons
    assert high_water <= total == 4 * 2 * MIB  # 4 caps of bodies, each byte counted twice
