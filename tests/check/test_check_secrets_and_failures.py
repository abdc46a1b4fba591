"""Tokens never leak (output, cache, errors), a bad token is one clear error, a dead Hub is no traceback,
and the HTTP layer's write rules hold against a real server."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from emulator import Fault
from hfmap.clients.http import HttpClient, HttpUnavailable, RetryPolicy

HF_TOKEN = "hf_SuperSecretTokenValue0123456789"
REPLICATE_TOKEN = "r8_ReplicateSecretValue0123456789"
TOGETHER_TOKEN = "together-secret-value-0123456789"

FILE = """
provider: replicate
mappings:
  - hfModel: org/image
    providerModel: owner/image
    task: text-to-image
  - hfModel: org/secret
    providerModel: owner/absent
    task: text-to-image
  - hfModel: org/absent
    providerModel: owner/image
    task: text-to-video
"""


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_tokens_never_appear_in_output_cache_or_errors(world, run_cli, env_for, write):
    world.add_token(HF_TOKEN)
    world.add_model("org/secret", pipeline_tag="text-to-image", private=True)
    world.require_provider_token("replicate", REPLICATE_TOKEN)
    path = write(FILE)
    env = env_for(
        world, HF_TOKEN=HF_TOKEN, REPLICATE_API_TOKEN=REPLICATE_TOKEN, TOGETHER_API_KEY=TOGETHER_TOKEN
    )
    outputs = []
    for args in (
        ("-v", "check"),
        ("--format", "json", "check"),
        ("--format", "github", "check"),
        ("-vv", "check", "--no-cache"),
    ):
        result = run_cli(*args, path, env=env)
        assert result.exit_code == 1
        outputs.append(result.stdout + result.stderr)
    # The provider accepted its own token (the version look-up worked), the private model was visible.
    assert "hf-model-private" in outputs[0] and "provider-model-missing" in outputs[0]
    # Unavailable checks show URLs and reasons: still no token.
    world.inject(Fault(path="/api/models/*", kind="drop", times=None))
    world.inject(Fault(path="/providers/*", kind="status", status=503, times=None))
    result = run_cli("-v", "check", "--no-cache", "--retries", "0", path, env=env)
    outputs.append(result.stdout + result.stderr)
    assert "check-unavailable" in outputs[-1]
    # A wrong token: one clear error, without the token.
    world.clear_faults()
    bad = "hf_WrongTokenValue0123456789abcdef"
    result = run_cli("check", "--no-cache", path, env={**env, "HF_TOKEN": bad})
    outputs.append(result.stdout + result.stderr)
    everything = "\n".join(outputs).encode() + all_bytes(Path(env["HFMAP_CACHE_DIR"]))
    for secret in (HF_TOKEN, REPLICATE_TOKEN, TOGETHER_TOKEN, bad):
        assert secret.encode() not in everything
    assert list(Path(env["HFMAP_CACHE_DIR"]).rglob("*.json"))  # the cache was written, just without tokens


def test_invalid_hub_token_is_one_fatal_line(world, run_cli, env_for, write):
    path = write(FILE)
    result = run_cli("check", path, env=env_for(world, HF_TOKEN="hf_NotAValidTokenAtAll0123456"))
    assert result.exit_code == 1
    assert result.stderr == (
        "hfmap: error: HF_TOKEN is invalid: the Hub answered 401 'Invalid credentials' "
        "(check the token or unset it)\n"
    )
    assert result.stdout == ""


def test_the_hub_token_goes_to_the_hub_only(world, run_cli, env_for, write):
    world.add_token(HF_TOKEN)
    path = write(FILE)
    env = env_for(world, HF_TOKEN=HF_TOKEN)
    del env["REPLICATE_API_TOKEN"]
    env["HFMAP_REPLICATE_TOKEN"] = REPLICATE_TOKEN
    run_cli("check", path, env=env)
    hub_requests = [r for r in world.requests if r.path.startswith("/api/")]
    provider_requests = [r for r in world.requests if r.path.startswith("/providers/")]
    assert hub_requests and provider_requests
    assert all(r.headers.get("authorization") == "Bearer ***" for r in hub_requests)
    assert all(r.headers.get("user-agent", "").startswith("hfmap/") for r in world.requests)


def test_a_dead_hub_gives_findings_not_a_traceback(run_cli, write):
    """HF_ENDPOINT is a closed local port (tests/conftest.py): every Hub check is `check-unavailable`."""
    path = write(FILE)
    result = run_cli("check", "--retries", "1", path)
    assert result.exit_code == 0  # nothing is known to be wrong with the files
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "[" in line]
    assert lines[0].startswith(
        f"{path}:3:14: warning [check-unavailable] could not check hfModel 'org/image' on the Hub "
        "(and 2 more entries in this file): cannot connect ("
    )
    assert lines[0].endswith(")")
    assert "notice [provider-check-skipped]" in lines[1]
    assert run_cli("check", "--retries", "0", "--strict", path).exit_code == 1


def test_a_hanging_hub_is_a_timeout_not_a_missing_model(world, run_cli, env_for, write):
    world.inject(Fault(path="/api/models/org/image", kind="hang", seconds=5, times=None))
    world.inject(Fault(path="/api/models", kind="hang", seconds=5, times=None))  # the namespace's listing
    path = write(FILE)
    result = run_cli("check", "--timeout", "0.3", "--retries", "0", path, env=env_for(world))
    assert (
        f"{path}:3:14: warning [check-unavailable] could not check hfModel 'org/image' on the Hub: "
        "no answer within 0.3 s" in result.stdout
    )
    assert "hf-model-missing] hfModel 'org/image'" not in result.stdout


# -- the HTTP layer against the emulator -------------------------------------------------------------------


QUICK = RetryPolicy(base=0.05, jitter=0)


def _create(emu, fault: Fault | None, policy: RetryPolicy = QUICK):
    emu.add_token("hf_writer0123456789", write_orgs=("replicate",))
    emu.add_model("org/image", pipeline_tag="text-to-image")
    if fault is not None:
        emu.inject(fault)
    body = {"task": "text-to-image", "hfModel": "org/image", "providerModel": "owner/image"}

    async def go():
        async with HttpClient(retry=policy, timeout=2) as http:
            return await http.request(
                "POST",
                f"{emu.url}/api/partners/replicate/models",
                json=body,
                headers={"Authorization": "Bearer hf_writer0123456789"},
            )

    return asyncio.run(go())


def test_post_is_not_retried_after_a_dropped_connection(hub):
    with pytest.raises(HttpUnavailable) as info:
        _create(hub, Fault(method="POST", path="/api/partners/*", kind="drop", times=1))
    assert len(hub.writes) == 1
    assert info.value.attempts == 1
    assert hub.mappings("replicate") == []


def test_post_is_not_retried_when_the_response_was_lost(hub):
    """The server acted but the answer was lost: a blind retry would duplicate it; the caller re-reads."""
    with pytest.raises(HttpUnavailable):
        _create(hub, Fault(method="POST", path="/api/partners/*", kind="lost_response", times=1))
    assert len(hub.writes) == 1
    assert len(hub.mappings("replicate")) == 1


def test_post_is_not_retried_after_a_5xx(hub):
    response = _create(hub, Fault(method="POST", path="/api/partners/*", kind="status", status=503, times=1))
    assert response.status_code == 503 and len(hub.writes) == 1


def test_post_is_retried_after_429_and_waits_for_the_rate_limit(hub):
    started = time.monotonic()
    response = _create(
        hub, Fault(method="POST", path="/api/partners/*", kind="rate_limit", seconds=1, times=1)
    )
    assert time.monotonic() - started >= 0.95  # RateLimit: r=0;t=1
    assert response.status_code == 200
    assert [status for _, _, status in hub.writes] == [429, 200]
    assert len(hub.mappings("replicate")) == 1


def test_get_respects_retry_after_from_a_real_server(world, run_cli, env_for, write):
    # The first Hub request (the namespace's listing) is answered 503 with Retry-After.
    world.inject(Fault(path="/api/models*", kind="status", status=503, retry_after="1", times=1))
    path = write(FILE)
    started = time.monotonic()
    result = run_cli("check", path, env=env_for(world))
    assert time.monotonic() - started >= 0.95
    assert "org/image'" not in result.stdout.split("org/secret")[0]  # answered after the wait: no finding


def test_hub_rate_limit_is_waited_out_then_answered(world, run_cli, env_for, write):
    fault = world.inject(Fault(path="/api/models/*", kind="rate_limit", seconds=1, times=1))
    path = write(FILE)
    started = time.monotonic()
    result = run_cli("check", path, env=env_for(world))
    assert time.monotonic() - started >= 0.95
    assert fault.fired == 1
    assert "check-unavailable" not in result.stdout


def test_a_hub_that_hangs_does_not_hold_a_big_run_for_long(hub, run_cli, write):
    lines = ["provider: replicate", "mappings:"]
    for i in range(120):
        lines += [
            f"  - hfModel: org/m{i:03d}",
            f"    providerModel: owner/m{i:03d}",
            "    task: text-to-image",
        ]
    path = write("\n".join(lines) + "\n")
    hub.inject(Fault(path="/api/*", kind="hang", seconds=30, times=None))
    # 16 in flight, as this bound was set for: the first wave all hangs, then the breaker answers the rest
    result = run_cli("-v", "check", "--timeout", "0.25", "--concurrency", "16", path, env=hub.env())
    stats = next(line for line in result.stderr.splitlines() if line.startswith("checked "))
    sent = int(stats.split(": ", 1)[1].split(" requests")[0])
    assert sent < 40, stats  # without the breaker: 2 + 120 x 5 tries, each waiting out the timeout
    assert "not sent (origin down)" in stats
    findings = [line for line in result.stdout.splitlines() if "[check-unavailable]" in line]
    assert findings == [
        f"{path}:3:14: warning [check-unavailable] could not check hfModel 'org/m000' on the Hub "
        "(and 119 more entries in this file): no answer within 0.25 s"
    ]
