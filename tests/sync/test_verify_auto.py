"""`hfmap verify` says which provider clients pick under `provider="auto"` for non-chat models (the first
entry of `inferenceProviderMapping`), and warns when they pick this mapping's provider but a client cannot
serve the task; the real huggingface_hub client resolves `auto` the same way from the same Hub."""

from __future__ import annotations

import json

import pytest
from huggingface_hub import constants
from huggingface_hub.inference._providers import get_provider_helper
from huggingface_hub.inference._providers._common import _fetch_inference_provider_mapping

from hfmap import data
from hostile_text import RAW

MEMBER = "hf_plantestwritetoken"
FILES = {
    "r.yaml": """
provider: replicate
defaults: {status: live}
mappings:
  - {hfModel: org/pic, providerModel: r/pic, task: text-to-image}
  - {hfModel: org/own, providerModel: r/own, task: text-to-image}
""",
    "t.yaml": """
provider: together
defaults: {status: live}
mappings:
  - {hfModel: org/speech, providerModel: t/speech, task: automatic-speech-recognition}
  - {hfModel: org/chat, providerModel: t/chat, task: conversational}
""",
}


def seed(world) -> None:
    world.live("fal-ai", "org/pic", "fal-ai/pic", task="image-to-image")  # first, whatever its task
    world.hub.seed_mapping("replicate", "text-to-image", "org/pic", "r/pic")
    world.live("replicate", "org/own", "r/own")
    world.hub.seed_mapping("fal-ai", "text-to-image", "org/own", "fal-ai/own")
    world.live("together", "org/speech", "t/speech", task="automatic-speech-recognition")
    world.live("together", "org/chat", "t/chat", task="conversational")
    world.hub.seed_mapping("groq", "conversational", "org/chat", "g/chat")
    for name, text in FILES.items():
        world.file(name, text)


def run(world, *args: str) -> tuple[int, dict]:
    result = world.hfmap("verify", "--format", "json", str(world.dir), *args, token=MEMBER)
    return result.exit_code, {m["key"]: m for m in json.loads(result.stdout)["mappings"]}


def test_the_data_the_warning_relies_on():
    """together serves speech recognition in huggingface.js only (reference §9)."""
    assert "automatic-speech-recognition" in data.provider_tasks("together")
    assert "automatic-speech-recognition" not in data.python_tasks("together")


@pytest.mark.parametrize("form", ["dict", "list"])
def test_auto_s_pick_is_reported_and_an_unservable_pick_is_a_warning(world, form):
    seed(world)
    world.hub.model_info_form = form
    code, found = run(world)
    assert code == 0
    pic = found["org/pic"]
    assert pic["verdict"] == "ok" and pic["auto"] == {"picked": "fal-ai", "unsupported_by": []}
    assert pic["notes"] == [
        'with provider="auto" clients pick fal-ai for this model, not replicate '
        "(the first entry of its inference mapping)"
    ]
    own = found["org/own"]
    assert own["verdict"] == "ok" and own["auto"] == {"picked": "replicate", "unsupported_by": []}
    assert "notes" not in own
    speech = found["org/speech"]
    assert speech["verdict"] == "auto-unsupported" and speech["level"] == "warning"
    assert speech["auto"] == {"picked": "together", "unsupported_by": ["huggingface_hub"]}
    assert "huggingface_hub cannot serve together for 'automatic-speech-recognition'" in speech["message"]
    assert "auto" not in found["org/chat"]  # chat goes to the router, never to the first entry
    assert run(world, "--strict")[0] == 1


def test_text_and_markdown_show_the_pick(world):
    seed(world)
    text = world.hfmap("verify", str(world.dir), token=MEMBER).stdout
    assert "  ! org/speech: auto-unsupported: " in text
    assert "    org/pic: ok: clients get providerId" in text
    assert 'note: with provider="auto" clients pick fal-ai for this model, not replicate' in text
    assert "org/own" not in text  # healthy and picked: nothing to say
    markdown = world.hfmap("verify", "--format", "markdown", str(world.dir), token=MEMBER).stdout
    row = next(line for line in markdown.splitlines() if "org/speech" in line)
    assert "auto-unsupported" in row and row.count(" | ") == 4
    assert "For information:" in markdown
    info = next(line for line in markdown.splitlines() if line.startswith("- ℹ️ ") and "org/pic" in line)
    assert "clients pick fal-ai for this model" in info


@pytest.mark.parametrize("form", ["dict", "list"])
def test_the_real_python_client_picks_what_verify_says(world, monkeypatch, form):
    seed(world)
    world.hub.model_info_form = form
    _code, found = run(world)
    monkeypatch.setattr(constants, "ENDPOINT", world.hub.url)
    _fetch_inference_provider_mapping.cache_clear()
    try:
        for key in ("org/pic", "org/own", "org/speech"):
            item = found[key]
            task = item["declared"]["task"]
            if item["verdict"] == "auto-unsupported":
                with pytest.raises(ValueError, match="not supported for provider 'together'"):
                    get_provider_helper("auto", task, key)
            else:
                picked = _fetch_inference_provider_mapping(key)[0].provider
                assert picked == item["auto"]["picked"]
    finally:
        _fetch_inference_provider_mapping.cache_clear()


def test_a_hostile_provider_id_in_the_hub_s_data_is_shown_inertly(world):
    hostile = "evil\x1b[2J|<img src=x onerror=alert(1)>`@team"
    world.hub.add_provider(hostile)
    world.model("org/pic")
    world.hub.seed_mapping(hostile, "text-to-image", "org/pic", "x/y")
    world.hub.seed_mapping("replicate", "text-to-image", "org/pic", "r/pic")
    world.file("r.yaml", "provider: replicate\nmappings:\n  - {hfModel: org/pic, providerModel: r/pic, "
               "task: text-to-image, status: live}\n")  # fmt: skip
    code, found = run(world)
    assert code == 0 and found["org/pic"]["auto"]["picked"] == hostile
    text = world.hfmap("verify", str(world.dir), token=MEMBER).stdout
    assert "clients pick evil" in text and not RAW.search(text.replace("\n", ""))
    markdown = world.hfmap("verify", "--format", "markdown", str(world.dir), token=MEMBER).stdout
    assert "<img" not in markdown and "`@team" not in markdown and "\x1b" not in markdown


def test_a_tag_filter_counts_the_models_auto_picks_it_on(world):
    hub = world.hub
    for name in ("a", "b"):
        hub.add_adapter(f"fans/{name}", "org/base", adapter_weights_path="w.safetensors")
    hub.seed_mapping("fal-ai", "text-to-image", "fans/b", "fal-ai/b")  # direct: listed after tag filters
    hub.seed_tag_filter("wavespeed", "text-to-image", ["lora", "base_model:adapter:org/base"], "w/x")
    hub.seed_tag_filter("replicate", "text-to-image", ["lora", "base_model:adapter:org/base"], "r/lora")
    world.file("r.yaml", """
provider: replicate
mappings:
  - {hfFilter: [lora, "base_model:adapter:org/base"], providerModel: r/lora, task: text-to-image,
     adapterType: lora, status: live}
""")  # fmt: skip
    _code, found = run(world)
    item = found["tag-filter=base_model:adapter:org/base,lora"]
    assert item["verdict"] == "ok" and item["models"]["auto_picked"] == 0
    assert item["notes"] == ['with provider="auto" clients pick another provider on 2 of the 2 model(s) '
                             "this filter resolves on"]  # fmt: skip


def test_a_staging_first_entry_is_picked_by_python_with_a_token_but_not_by_js(world):
    world.live("replicate", "org/pic", "r/pic", status="staging")  # first, seen by members only
    world.hub.seed_mapping("fal-ai", "text-to-image", "org/pic", "fal-ai/pic")
    world.file("f.yaml", "provider: fal-ai\nmappings:\n  - {hfModel: org/pic, providerModel: fal-ai/pic, "
               "task: text-to-image, status: live}\n")  # fmt: skip
    _code, found = run(world)
    item = found["org/pic"]
    assert item["verdict"] == "ok" and item["auto"]["picked"] == "replicate"
    assert item["notes"][0] == (
        "the first entry (replicate) is staging, which huggingface.js does not see (it asks without a "
        "token): it picks fal-ai"
    )
    anonymous = json.loads(world.hfmap("verify", "--format", "json", str(world.dir)).stdout)
    assert anonymous["mappings"][0]["auto"] == {"picked": "fal-ai", "unsupported_by": []}
