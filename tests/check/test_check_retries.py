"""`check` under a flaky, rate-limiting Hub: idempotent look-ups are retried as huggingface_hub retries them
(5 tries, backoff doubling to a cap, on 408/429/5xx and network errors), and a rate limit that says when to
come back is waited out without using a try."""

from __future__ import annotations

import json

from emulator import Fault

FILE = """
provider: replicate
mappings:
  - hfModel: org/image
    providerModel: owner/image
    task: text-to-image
"""


def test_a_429_then_503s_still_gets_the_answer(world, run_cli, env_for, write):
    """Before: a 429 and four 503s used up the five tries and the entry was check-unavailable. (One 429:
    each waits out its `t=1`, a whole second.)"""
    world.inject(
        Fault(path="/api/models*", kind="rate_limit", seconds=1, times=1),
        Fault(path="/api/models*", kind="status", status=503, times=4),
    )
    env = env_for(world)
    result = run_cli("--format", "json", "check", "--no-cache", "--timeout", "5", write(FILE), env=env)
    assert result.exit_code == 0, result.stderr
    assert [(f["rule"], f["message"]) for f in json.loads(result.stdout)] == []
    asked = [r.status for r in world.requests if r.path.startswith("/api/models")]
    assert asked == [429, 503, 503, 503, 503, 200]


def test_five_failures_in_a_row_end_as_check_unavailable(world, run_cli, env_for, write):
    world.inject(Fault(path="/api/models*", kind="status", status=503, times=None))
    env = env_for(world)
    result = run_cli("--format", "json", "check", "--no-cache", "--timeout", "5", write(FILE), env=env)
    [finding] = json.loads(result.stdout)
    assert finding["rule"] == "check-unavailable"
    assert len([r for r in world.requests if r.path.startswith("/api/models")]) == 5
