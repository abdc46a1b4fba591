"""`hfmap check` on `status: auto`: a status source that cannot decide is a warning, never an error."""

from __future__ import annotations

from check.conftest import VERSION
from emulator import Fault

AUTO = """
provider: replicate
defaults: {status: auto}
mappings:
  - hfModel: org/image
    providerModel: owner/image
    task: text-to-image
  - hfModel: org/lora-1
    providerModel: owner/pinned:%s
    task: text-to-image
"""


def test_a_provider_that_answers_leaves_nothing_to_say(world, run_cli, env_for, write):
    world.set_web_status("owner/image", "online")
    world.set_web_status("owner/pinned", "offline")
    path = write(AUTO % VERSION)
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"
    assert sorted(r.path for r in world.requests if r.path.startswith("/web/")) == [
        "/web/replicate/owner/image/status",
        "/web/replicate/owner/pinned/status",
    ]


def test_unknown_answers_and_outages_are_warnings_grouped_per_reason(world, run_cli, env_for, write):
    world.set_web_status("owner/image", "booting")
    world.set_web_status("owner/pinned", "online")
    path = write(AUTO % VERSION)
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 0
    (line,) = [line for line in result.stdout.splitlines() if "[auto-status-unresolved]" in line]
    assert line == (
        f"{path}:5:20: warning [auto-status-unresolved] the auto status of 'owner/image' cannot be resolved "
        "now: replicate answered 'booting', which hfmap does not know (plan keeps the live status; a new "
        "mapping is created as staging)"
    )
    world.inject(Fault(path="/web/replicate/*", kind="status", status=503, times=None))
    result = run_cli("check", "--retries", "0", "--strict", path, env=env_for(world))
    assert result.exit_code == 1
    (line,) = [line for line in result.stdout.splitlines() if "[auto-status-unresolved]" in line]
    assert "(and 1 more entry in this file)" in line and "answered HTTP 503" in line


def test_offline_the_status_source_is_not_asked_and_says_so(world, run_cli, env_for, write):
    path = write(AUTO % VERSION)
    run_cli("check", path, env=env_for(world))  # fill the cache for the other checks
    world.clear_log()
    result = run_cli("--offline", "check", path, env=env_for(world))
    assert result.exit_code == 0
    assert not any(r.path.startswith("/web/") for r in world.requests)
    assert "the auto status of 'owner/image' not checked" in result.stdout


def test_the_rule_can_be_disabled(world, run_cli, env_for, write):
    path = write(AUTO % VERSION)
    off = ("--disable", "auto-status-unresolved", "--disable", "provider-check-skipped")
    result = run_cli("check", *off, path, env=env_for(world))
    assert result.exit_code == 0 and "auto" not in result.stdout
    assert not any(r.path.startswith("/web/") for r in world.requests)
