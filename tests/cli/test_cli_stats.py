"""`--stats` on every networked command: requests per host, retries, waits and (for check) the cache,
on stderr, so stdout stays exactly what it was."""

from __future__ import annotations

import json

import pytest

from emulator import Fault

FILE = """provider: replicate
mappings:
  - {hfModel: org/a, providerModel: o/a, task: text-to-image, status: live}
"""


@pytest.fixture
def setup(hub, tmp_path):
    hub.add_model("org/a", pipeline_tag="text-to-image")
    hub.add_token("hf_statstoken0123", user="ops", write_orgs=("replicate",))
    path = tmp_path / "m.yaml"
    path.write_text(FILE)
    host = hub.url.removeprefix("http://")
    return hub, path, host


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-cache"],
        ["plan"],
        ["--token", "hf_statstoken0123", "apply", "--yes"],
        ["import", "--provider", "replicate"],
        ["verify"],
    ],
    ids=["check", "plan", "apply", "import", "verify"],
)
def test_stats_go_to_stderr_and_leave_stdout_alone(setup, run_cli, args):
    hub, path, host = setup
    if args[0] == "verify":  # what verify reads: the mapping as declared, visible to clients
        hub.seed_mapping("replicate", "text-to-image", "org/a", "o/a")
    tail = [] if args[0] == "import" else [path]
    plain = run_cli(*args, *tail, env=hub.env())
    hub.clear_log()
    if "apply" in args:  # the first apply created the mapping: the second starts from the same Hub
        hub.reset()
        hub.add_model("org/a", pipeline_tag="text-to-image")
        hub.add_token("hf_statstoken0123", user="ops", write_orgs=("replicate",))
    with_stats = run_cli(*args, "--stats", *tail, env=hub.env())
    assert with_stats.exit_code == plain.exit_code == 0, with_stats.stderr
    assert with_stats.stdout == plain.stdout
    lines = with_stats.stderr.splitlines()
    sent = len(hub.requests)
    assert lines[-3 if args[0] != "check" else -4].startswith(f"stats: {sent} requests in ")
    assert f"  requests by host: {host} {sent}" in lines
    assert "  waited 0.0 s for rate limits, 0.0 s backing off" in lines
    assert ("  cache: 0 hits, 0 misses" in lines) == (args[0] == "check")


def test_stats_as_json_count_retries_and_rate_limit_waits(setup, run_cli):
    hub, path, host = setup
    hub.inject(Fault(path="/api/partners/*", kind="rate_limit", seconds=1, times=1))
    hub.inject(Fault(path="/api/partners/*", kind="status", status=503, times=1))
    result = run_cli(
        "--format", "json", "plan", "--stats", path, env={**hub.env(), "HFMAP_HTTP_BACKOFF": "0.01"}
    )
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stderr.splitlines()[-1])["stats"]
    assert stats["requests"] == 3 and stats["retries"] == 2 and stats["by_host"] == {host: 3}
    assert stats["rate_limit_seconds"] >= 0.9 and 0 < stats["backoff_seconds"] < 0.1
    assert json.loads(result.stdout)["actions"]  # the plan itself is untouched


def test_check_paces_itself_once_the_hub_states_its_budget(hub, run_cli, tmp_path):
    """A run with more look-ups than the window allows waits for the reset instead of meeting 429s."""
    lines = ["provider: replicate", "mappings:"]
    for i in range(30):
        hub.add_model(f"ns{i}/m", pipeline_tag="text-to-image")  # 30 namespaces: 30 look-ups
        lines.append(f"  - {{hfModel: ns{i}/m, providerModel: o/m{i}, task: text-to-image}}")
    path = tmp_path / "m.yaml"
    path.write_text("\n".join(lines) + "\n")
    hub.rate_limit("hub-read", quota=20, window=1.0)  # 30 look-ups: one wait for the reset
    result = run_cli("--format", "json", "check", "--stats", path, env=hub.env())
    assert result.exit_code == 0, result.stdout
    assert [f["rule"] for f in json.loads(result.stdout)] == ["provider-check-skipped"]  # no Replicate token
    assert [r.status for r in hub.requests if r.status == 429] == []
    stats = json.loads(result.stderr.splitlines()[-1])["stats"]
    assert stats["requests"] == 30 and stats["retries"] == 0 and stats["rate_limit_seconds"] > 0
