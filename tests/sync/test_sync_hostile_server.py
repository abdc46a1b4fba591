"""`plan` and `apply` against a hostile Hub (issue 9, items 4 and 7-10): one clear error line, no password,
no redirected write counted as done, and a slow drip bounded by the deadline."""

from __future__ import annotations

import pytest

from emulator import Fault

LIST = "/api/partners/replicate/models"
FILE = """
    provider: replicate
    mappings:
      - {hfModel: org/new, providerModel: o/new, task: text-to-image, status: live}
"""


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault(method="GET", path=LIST, kind="redirect", times=None), "more than 10 redirects"),
        (Fault(method="GET", path=LIST, kind="bad_gzip", times=None), "compressed body is corrupt"),
        (Fault(method="GET", path=LIST, kind="deep_json", times=None), "nested too deeply"),
        (Fault(method="GET", path=LIST, kind="huge", size=3 * 2**20, times=None), "larger than 1 MiB"),
    ],
    ids=lambda value: getattr(value, "kind", ""),
)
def test_plan_says_what_is_wrong_in_one_line(world, monkeypatch, fault, reason):
    monkeypatch.setenv("HFMAP_HTTP_MAX_BODY_MB", "1")
    world.model("org/new")
    world.file("r.yaml", FILE)
    world.hub.inject(fault)
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    [line] = lines
    assert line.startswith("hfmap: error: ") and reason in line, line
    assert "internal error" not in line


def test_a_slow_drip_ends_plan_at_the_deadline(world, monkeypatch):
    """Before: 1 byte every 2 s with HFMAP_HTTP_TIMEOUT=5 made plan take 185 s (timeout reset per byte)."""
    monkeypatch.setenv("HFMAP_HTTP_TIMEOUT", "0.4")
    world.file("r.yaml", FILE)
    world.hub.inject(Fault(method="GET", path=LIST, kind="drip", seconds=0.05, size=100_000, times=None))
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 1
    assert "did not arrive within" in result.stderr and "out of time for retries" in result.stderr
    assert sum(1 for r in world.hub.requests if r.path == LIST) == 3  # 3 x 0.4 s, then no more tries


def test_a_redirected_post_is_a_failed_create_not_a_done_one(world):
    """Before: a 302 to a POST was re-sent as a GET, got 200, and apply printed "created"."""
    world.model("org/new")
    world.file("r.yaml", FILE)
    world.hub.inject(Fault(method="POST", path=LIST, kind="redirect", location=LIST, times=None))
    result, report = world.apply()
    assert result.exit_code == 1
    [action] = report["results"]
    assert action["outcome"] == "failed"
    assert "HTTP 302" in action["error"] and "a write is never redirected" in action["error"]
    assert world.hub.mappings("replicate") == []
    posts = [r for r in world.hub.requests if r.method == "POST"]
    assert len(posts) == 1  # not repeated, and not followed by a GET that "succeeded"
    assert report["verified"] is False


def test_a_password_in_the_endpoint_is_not_in_the_error(world, run_cli):
    """Before: "cannot read the live mapping of 'replicate' from http://user:SECRET@host/..." (and the PR
    comment quotes that error)."""
    secret = "pw-Sup3rSecret"
    world.file("r.yaml", FILE)
    world.hub.inject(Fault(method="GET", path=LIST, kind="status", status=404, times=None))
    endpoint = world.hub.url.replace("http://", f"http://someone:{secret}@")
    result = run_cli("--endpoint", endpoint, "-v", "plan", str(world.dir))
    assert result.exit_code == 1
    assert "cannot read the live mapping of 'replicate' from http://127.0.0.1:" in result.stderr
    assert secret not in result.stdout + result.stderr and "someone" not in result.stderr


def test_a_bad_number_in_the_environment_is_a_usage_error(world, monkeypatch):
    monkeypatch.setenv("HFMAP_HTTP_TIMEOUT", "soon")
    world.file("r.yaml", FILE)
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 2
    assert result.stderr.strip() == "hfmap: error: HFMAP_HTTP_TIMEOUT must be a positive number, not 'soon'"


def test_a_server_echoing_the_basic_credential_does_not_print_it(world, run_cli):
    """A URL's user info is sent as `Authorization: Basic base64(user:password)`; a proxy that quotes the
    header back must not get that (decodable) form printed either."""
    import base64

    secret = "pw-Sup3rSecret"
    credential = base64.b64encode(f"someone:{secret}".encode()).decode()
    world.file("r.yaml", FILE)
    world.hub.inject(Fault(method="GET", path=LIST, kind="echo", status=401, times=None))
    endpoint = world.hub.url.replace("http://", f"http://someone:{secret}@")
    result = run_cli("--endpoint", endpoint, "-v", "plan", str(world.dir))
    assert result.exit_code == 1
    assert "not allowed: Basic ***" in result.stderr
    assert credential not in result.stdout + result.stderr and secret not in result.stderr


@pytest.mark.parametrize(
    "endpoint",
    [
        "http:/someone:pw-Sup3rSecret@127.0.0.1:9",  # one slash short
        "someone:pw-Sup3rSecret@127.0.0.1:9",  # no scheme
        "http\\://someone:pw-Sup3rSecret@127.0.0.1:9",
        "mailto:someone:pw-Sup3rSecret@x",
    ],
)
def test_a_malformed_endpoint_is_refused_without_its_password(world, run_cli, endpoint):
    world.file("r.yaml", FILE)
    result = run_cli("--endpoint", endpoint, "plan", str(world.dir))
    assert result.exit_code == 2
    assert "is not an http(s) URL" in result.stderr and "***@" in result.stderr
    assert "pw-Sup3rSecret" not in result.stdout + result.stderr


def test_an_endpoint_with_a_query_is_refused(world, run_cli):
    """`{endpoint}/api/partners/...` would land in the query: every request to the wrong place."""
    world.file("r.yaml", FILE)
    result = run_cli("--endpoint", world.hub.url + "?x=1", "plan", str(world.dir))
    assert result.exit_code == 2 and "has a query or fragment" in result.stderr
    assert world.hub.requests == []


def test_a_hub_asking_to_wait_for_days_fails_plan_at_once(world):
    """Before: each of the retries waited the 300 s cap, silently (plan ran for over 14 minutes)."""
    import time

    world.file("r.yaml", FILE)
    world.hub.inject(
        Fault(method="GET", path=LIST, kind="status", status=429, retry_after="99999999", times=None)
    )
    started = time.monotonic()
    result = world.hfmap("-v", "plan", str(world.dir))
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert "HTTP 429" in result.stderr
    assert (
        "asked to wait 99999999 s (HTTP 429), longer than hfmap waits (360 s); not retried" in result.stderr
    )
    assert sum(1 for r in world.hub.requests if r.path == LIST) == 1
