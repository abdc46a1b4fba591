"""`hfmap check` against a hostile Hub or provider: every answer it cannot use is `check-unavailable`,
and no server behaviour ends in "internal error" or a traceback (issue 9, items 4 and 7-9)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from emulator import Fault

FILE = """
provider: replicate
mappings:
  - hfModel: org/image
    providerModel: owner/image
    task: text-to-image
"""


@pytest.mark.parametrize(
    "fault",
    [
        Fault(path="/api/models/*", kind="redirect", times=None),
        Fault(path="/api/models/*", kind="bad_gzip", times=None),
        Fault(path="/api/models/*", kind="deep_json", times=None),
        Fault(path="/api/models/*", kind="bomb", size=8 * 2**20, times=None),
        Fault(path="/api/models/*", kind="drip", seconds=0.05, size=1000, times=None),
    ],
    ids=lambda f: f.kind,
)
def test_an_unusable_hub_answer_is_check_unavailable(world, run_cli, env_for, write, fault):
    world.inject(fault)
    env = env_for(world, HFMAP_HTTP_MAX_BODY_MB="1")
    result = run_cli("--format", "json", "check", "--timeout", "0.3", write(FILE), env=env)
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)
    assert [f["rule"] for f in findings] == ["check-unavailable"]
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_port_no_socket_has_is_a_usage_error(run_cli, write):
    result = run_cli("--endpoint", "http://127.0.0.1:99999", "check", write(FILE))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "hfmap: error: the Hub endpoint 'http://127.0.0.1:99999' (--endpoint / HF_ENDPOINT) has a port that "
        "is not a number from 0 to 65535; write it like https://huggingface.co"
    ]


def test_a_provider_url_with_a_bad_port_is_check_unavailable(world, run_cli, env_for, write):
    env = env_for(world, HFMAP_REPLICATE_API_URL="http://127.0.0.1:99999/v1")
    result = run_cli("--format", "json", "check", write(FILE), env=env)
    assert result.exit_code == 0, result.stderr
    [finding] = json.loads(result.stdout)
    assert finding["rule"] == "check-unavailable" and "not a usable URL" in finding["message"]


def test_a_looping_provider_api_prints_no_traceback(world, env_for, write):
    """Before: 125-147 lines of asyncio tracebacks about half the time (KeyError in _give_back)."""
    lines = ["provider: replicate", "mappings:"]
    for i in range(40):
        world.add_model(f"org/m{i}", pipeline_tag="text-to-image")
        lines += [f"  - hfModel: org/m{i}", f"    providerModel: owner/m{i}", "    task: text-to-image"]
    path = write("\n".join(lines) + "\n")
    world.inject(Fault(path="/providers/replicate/*", kind="redirect", times=None))
    env = {**os.environ, **env_for(world)}
    for _ in range(3):
        proc = subprocess.run(
            [sys.executable, "-m", "hfmap", "check", str(path)], env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr and "Task exception" not in proc.stderr, proc.stderr
        assert "[check-unavailable]" in proc.stdout  # the 40 are grouped into one finding
        assert "more than 10 redirects" in proc.stdout


def test_a_password_in_the_endpoint_is_never_printed_nor_cached(world, run_cli, env_for, write):
    """Before: `HF_ENDPOINT=http://user:SECRET@host` put SECRET into the answer cache's keys."""
    secret = "pw-Sup3rSecret"
    endpoint = world.url.replace("http://", f"http://someone:{secret}@")
    world.add_model("org/image", pipeline_tag="text-to-image")
    world.add_provider_model("replicate", "owner/image")
    world.inject(Fault(path="/api/models/org/down", kind="status", status=503, times=None))
    path = write(FILE + "  - hfModel: org/down\n    providerModel: owner/image\n    task: text-to-image\n")
    env = env_for(world, HF_ENDPOINT=endpoint)
    result = run_cli("-vv", "check", "--retries", "0", path, env=env)
    assert "check-unavailable" in result.stdout
    assert secret not in result.stdout + result.stderr
    cache = os.environ["HFMAP_CACHE_DIR"]
    written = [os.path.join(root, name) for root, _dirs, files in os.walk(cache) for name in files]
    assert written  # org/image's answer was cached
    for name in written:
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
        assert secret not in text and "someone" not in text
    # The credentials were still sent, as Basic auth (as httpx did with a URL's user info).
    hub_requests = [r for r in world.requests if r.path.startswith("/api/")]
    assert hub_requests and all(r.headers.get("authorization") == "Basic ***" for r in hub_requests)


@pytest.mark.parametrize("quota", [0, 0.5])
def test_a_rate_limit_quota_that_cannot_be_used_ends_the_request_in_time(world, env_for, write, quota):
    """A `RateLimit-Policy` of q=0 (or q=0.5) with `RateLimit: r=0;t=1` once spun the budget at full CPU
    without ever awaiting: neither --timeout nor the request deadline fired."""
    world.inject(Fault(path="/api/models/*", kind="rate_limit", seconds=1, quota=quota, times=None))
    env = {**os.environ, **env_for(world)}
    proc = subprocess.run(
        [sys.executable, "-m", "hfmap", "--format", "json", "check", "--timeout", "2", str(write(FILE))],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    [finding] = json.loads(proc.stdout)
    assert finding["rule"] == "check-unavailable"
    assert f"quota of {quota:g} requests" in finding["message"], finding["message"]
    assert "Traceback" not in proc.stderr


_MEASURED = """
import atexit, resource, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))
from hfmap.cli import main
sys.argv[0] = "hfmap"
main()
"""


@pytest.mark.slow
def test_endless_bodies_on_every_request_keep_memory_bounded(world, env_for, write, tmp_path):
    """Each body is capped (here 4 MiB), but 64 were read at once per origin: a server answering every
    look-up with an endless chunked body once drove a 100-entry check to 64 x the cap (1.58 GB at 32 MiB)."""
    lines = ["provider: replicate", "mappings:"]
    for i in range(100):
        world.add_model(f"org/m{i}", pipeline_tag="text-to-image")
        world.add_provider_model("replicate", f"owner/m{i}")
        lines += [f"  - hfModel: org/m{i}", f"    providerModel: owner/m{i}", "    task: text-to-image"]
    path = write("\n".join(lines) + "\n")
    world.inject(Fault(path="/api/models*", kind="endless", times=None))
    env = {**os.environ, **env_for(world, HFMAP_HTTP_MAX_BODY_MB="4")}
    peak_file = tmp_path / "peak"
    argv = ["--format", "json", "check", "--no-cache", "--concurrency", "64", "--timeout", "10", str(path)]
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(peak_file), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)
    assert {f["rule"] for f in findings} == {"check-unavailable"}
    assert "Traceback" not in proc.stderr
    peak_mib = int(peak_file.read_text()) / 1024  # ru_maxrss is in KiB on Linux
    # The bodies' budget is 4 x the cap (16 MiB); the interpreter, aiohttp and the emulator's world ~80 MiB.
    assert peak_mib < 160, f"peak RSS {peak_mib:.0f} MiB"
