"""suggest → append → lint → plan: the suggestions pasted into the provider's file lint clean, and the
plan creates exactly them, as staging. The LoRA entries, uncommented as printed, lint clean too."""

from __future__ import annotations

import json
import re

from suggest.conftest import TOGETHER_TOKEN


def _import(run_cli, hub, path, provider):
    result = run_cli("--endpoint", hub.url, "import", "--provider", provider, "-o", str(path))
    assert result.exit_code == 0, result.stderr


def test_suggest_append_lint_plan_creates_exactly_the_suggestions(together, run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("TOGETHER_API_KEY", TOGETHER_TOKEN)
    path = tmp_path / "mappings" / "together.yaml"
    _import(run_cli, together, path, "together")
    env = together.env()
    text = run_cli("suggest", "--provider", "together", str(path), env=env)
    assert text.exit_code == 0, text.stderr
    shown = run_cli("suggest", "--provider", "together", "--format", "json", str(path), env=env)
    suggested = {c["hub_id"] for c in json.loads(shown.stdout)["candidates"]}
    assert len(suggested) == 4

    before = path.read_text()
    path.write_text(before + text.stdout, encoding="utf-8")
    lint = run_cli("--format", "json", "lint", str(path))
    assert lint.exit_code == 0, lint.stdout
    appended = [f for f in json.loads(lint.stdout) if f["line"] > before.count("\n")]
    assert appended == []  # (the imported live whisper mapping may draw a client warning; no suggestion does)

    plan = run_cli("--endpoint", together.url, "plan", "--format", "json", str(path))
    assert plan.exit_code == 0, plan.stderr
    actions = json.loads(plan.stdout)["actions"]
    assert {a["action"] for a in actions} == {"create"}
    assert {a["key"] for a in actions} == suggested
    assert {a["after"]["status"] for a in actions} == {"staging"}
    # a second suggest over the appended file has nothing left to suggest but what it suggested
    again = run_cli("suggest", "--provider", "together", "--format", "json", str(path), env=env)
    assert json.loads(again.stdout)["candidates"] == []


def _fal_world(hub):
    hub.add_model("black-forest-labs/FLUX.1-dev", "text-to-image")
    hub.add_model("black-forest-labs/FLUX.1-schnell", "text-to-image")
    hub.add_model("Lightricks/LTX-Video", "text-to-video")
    for i in range(3):
        hub.add_adapter(f"artist{i}/flux-style", "black-forest-labs/FLUX.1-dev")
    hub.add_adapter("someone/private-lora", "Lightricks/LTX-Video", "text-to-video", private=True)
    hub.add_adapter("a/schnell-lora", "black-forest-labs/FLUX.1-schnell")
    # fal runs no LoRA for text-to-speech: adapters of a text-to-speech base make no filter
    hub.add_model("hexgrad/Kokoro-82M", "text-to-speech")
    hub.add_adapter("b/voice-lora", "hexgrad/Kokoro-82M", "text-to-speech")
    hub.seed_mapping("fal-ai", "text-to-speech", "hexgrad/Kokoro-82M", "fal-ai/kokoro")
    hub.seed_mapping("fal-ai", "text-to-image", "black-forest-labs/FLUX.1-dev", "fal-ai/flux/dev")
    hub.seed_mapping("fal-ai", "text-to-image", "black-forest-labs/FLUX.1-schnell", "fal-ai/flux/schnell")
    hub.seed_mapping("fal-ai", "text-to-video", "Lightricks/LTX-Video", "fal-ai/ltx-video")
    hub.seed_tag_filter(
        "fal-ai",
        "text-to-image",
        ["lora", "base_model:adapter:black-forest-labs/FLUX.1-schnell"],
        "fal-ai/flux-lora-schnell",
    )
    for endpoint in ("fal-ai/flux/dev", "fal-ai/flux/schnell", "fal-ai/ltx-video", "fal-ai/flux-lora"):
        hub.add_provider_model("fal-ai", endpoint)


def _uncomment(text: str) -> str:
    """The commented entries of the output as a user uncomments them (explanations stay comments)."""
    return re.sub(r"^(\s*)# (- |  )", r"\1\2", text, flags=re.M)


def test_lora_filters_are_commented_and_lint_clean_once_uncommented(hub, run_cli, tmp_path):
    _fal_world(hub)
    path = tmp_path / "mappings" / "fal-ai.yaml"
    _import(run_cli, hub, path, "fal-ai")
    result = run_cli("suggest", "--provider", "fal-ai", str(path), env=hub.env())
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # only FLUX.1-dev: schnell's adapters have a filter, LTX-Video's only adapter is private
    assert out.count("#   providerModel: FILL-IN/lora-endpoint") == 1
    assert "3 public Hub models are adapters of 'black-forest-labs/FLUX.1-dev'" in out
    assert "Replace providerModel 'FILL-IN/lora-endpoint'" in out
    assert not re.search(r"^\s*- ", out, flags=re.M)  # nothing active: a LoRA entry is never live YAML
    path.write_text(path.read_text() + _uncomment(out), encoding="utf-8")
    lint = run_cli("lint", str(path))
    assert lint.exit_code == 0 and lint.stdout.startswith("0 errors, 0 warnings"), lint.stdout
    plan = run_cli("--endpoint", hub.url, "plan", "--format", "json", str(path))
    actions = json.loads(plan.stdout)["actions"]
    assert [(a["action"], a["key"]) for a in actions] == [
        ("create", "tag-filter=base_model:adapter:black-forest-labs/FLUX.1-dev,lora")
    ]
    assert actions[0]["after"]["adapterType"] == "lora"
