"""`provider-model-deprecated` through `hfmap check` and the emulator's fal and Fireworks APIs."""

from __future__ import annotations

import json

from hfmap.check.codec import decode_provider, encode_provider
from hfmap.providers.base import Exists

FAL = """
provider: fal-ai
mappings:
  - hfModel: org/image
    providerModel: fal-ai/old-flux
    task: text-to-image
  - hfModel: org/image2
    providerModel: fal-ai/flux
    task: text-to-image
"""
FIREWORKS = """
provider: fireworks-ai
mappings:
  - hfModel: org/chat
    providerModel: accounts/fireworks/models/retired
    task: conversational
  - hfModel: org/chat2
    providerModel: accounts/fireworks/models/current
    task: conversational
"""
DEPRECATED = {"display_name": "old", "status": "deprecated"}


def fal_world(world):
    world.add_model("org/image2", pipeline_tag="text-to-image")
    world.add_provider_model("fal-ai", "fal-ai/old-flux", metadata=DEPRECATED)
    world.add_provider_model("fal-ai", "fal-ai/flux")
    return world


def test_fal_deprecated_model_is_a_warning_at_provider_model(world, run_cli, env_for, write):
    path = write(FAL)
    result = run_cli("check", path, env=env_for(fal_world(world)))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{path}:4:20: warning [provider-model-deprecated] the fal-ai API flags providerModel "
        "'fal-ai/old-flux': fal lists it with `metadata.status: deprecated`; "
        "calls to it may fail without notice, map a current model",
        "0 errors, 1 warning in 1 file",
    ]
    assert run_cli("check", "--strict", path, env=env_for(world)).exit_code == 1


def test_fireworks_past_deprecation_date_and_state(world, run_cli, env_for, write):
    world.add_model("org/chat2", pipeline_tag="text-generation", tags=("conversational",))
    world.add_provider_model(
        "fireworks-ai",
        "accounts/fireworks/models/retired",
        deprecationDate={"year": 2025, "month": 6, "day": 1},
    )
    world.add_provider_model("fireworks-ai", "accounts/fireworks/models/current")
    path = write(FIREWORKS)
    env = env_for(world, FIREWORKS_API_KEY="fw-key-123")
    result = run_cli("--format", "json", "check", path, env=env)
    assert result.exit_code == 0
    findings = json.loads(result.stdout)
    assert [(f["rule"], f["line"], f["level"]) for f in findings] == [
        ("provider-model-deprecated", 4, "warning")
    ]
    assert findings[0]["message"] == (
        "the fireworks-ai API flags providerModel 'accounts/fireworks/models/retired': Fireworks gives it "
        "deprecationDate 2025-06-01, which has passed; calls to it may fail without notice, "
        "map a current model"
    )
    world.add_provider_model("fireworks-ai", "accounts/fireworks/models/current", state="UPLOADING")
    again = run_cli("--format", "json", "check", "--no-cache", path, env=env)
    assert [f["line"] for f in json.loads(again.stdout)] == [4, 7]


def test_disabled_by_flag_and_by_comment(world, run_cli, env_for, write):
    path = write(FAL)
    env = env_for(fal_world(world))
    quiet = run_cli("check", "--disable", "provider-model-deprecated", path, env=env)
    assert quiet.stdout == "0 errors, 0 warnings in 1 file\n"
    commented = write(
        FAL.replace(
            "  - hfModel: org/image\n", "  - hfModel: org/image  # hfmap: disable=provider-model-deprecated\n"
        ),
    )
    assert run_cli("check", commented, env=env).stdout == "0 errors, 0 warnings in 1 file\n"


def test_the_cache_keeps_the_state_and_offline_still_warns(world, run_cli, env_for, write):
    path = write(FAL)
    env = env_for(fal_world(world))
    online = run_cli("check", path, env=env)
    world.clear_log()
    offline = run_cli("--offline", "check", path, env=env)
    assert offline.stdout == online.stdout
    assert "provider-model-deprecated" in offline.stdout
    assert world.requests == []


def test_an_exists_answer_cached_before_states_were_read_is_asked_again():
    assert decode_provider({"t": "exists"}) is None
    encoded, _ = encode_provider(Exists("fal lists it deprecated"))
    assert decode_provider(json.loads(json.dumps(encoded))) == Exists("fal lists it deprecated")
    plain, _ = encode_provider(Exists())
    assert decode_provider(plain) == Exists()
    # not what hfmap writes: a miss, asked again
    assert decode_provider({"t": "exists", "deprecated": 42}) is None


def test_a_provider_without_state_fields_never_warns(world, run_cli, env_for, write):
    """Together's list has no deprecation field: its models exist, nothing more is claimed."""
    world.add_provider_model("together", "org/chat", deprecated=True, status="deprecated")
    entry = "{hfModel: org/chat, providerModel: org/chat, task: conversational}"
    path = write(f"provider: together\nmappings:\n  - {entry}\n")
    assert run_cli("check", path, env=env_for(world)).stdout == "0 errors, 0 warnings in 1 file\n"
