"""`hfmap verify` and LoRA tag filters: huggingface.js runs a model as a LoRA only when its entry has
`adapter: lora` and `adapterWeightsPath` (huggingface_hub needs the path only); a model lacking either
runs the base model, which is `no-adapter-weights`."""

from __future__ import annotations

import json

from huggingface_hub import HfApi

MEMBER = "hf_plantestwritetoken"
KEY = "tag-filter=base_model:adapter:org/base,lora"
FILE = """
provider: replicate
mappings:
  - {hfFilter: [lora, "base_model:adapter:org/base"], providerModel: r/lora, task: text-to-image,
     adapterType: lora, status: live}
"""


def lora_world(world, *, dropped=(), weightless=()) -> None:
    for name in ("a", "b", "c"):
        model = f"fans/{name}"
        path = None if model in weightless else "lora.safetensors"
        world.hub.add_adapter(model, "org/base", adapter_weights_path=path)
        world.hub.drop_adapter_field(model, model in dropped)
    world.hub.seed_tag_filter("replicate", "text-to-image", ["lora", "base_model:adapter:org/base"], "r/lora")
    world.file("r.yaml", FILE)


def verdict(world) -> dict:
    result = world.hfmap("verify", "--format", "json", str(world.dir), token=MEMBER)
    return next(m for m in json.loads(result.stdout)["mappings"] if m["key"] == KEY)


def test_adapter_and_weights_on_every_model_is_ok(world):
    lora_world(world)
    assert verdict(world)["verdict"] == "ok"


def test_a_model_without_adapter_lora_runs_the_base_model_in_the_js_client(world):
    lora_world(world, dropped=("fans/b",))
    item = verdict(world)
    assert item["verdict"] == "no-adapter-weights" and item["level"] == "warning"
    assert item["message"] == (
        "of the 3 model(s) it resolves on, 1 come without `adapter: lora` (huggingface.js runs the base "
        "model there)"
    )
    # the real Python client reads the same entry: the weights, but no adapter
    entry = next(
        m
        for m in HfApi(endpoint=world.hub.url, token=MEMBER)
        .model_info("fans/b", expand=["inferenceProviderMapping"])
        .inference_provider_mapping
        if m.provider == "replicate"
    )
    assert (entry.adapter, entry.adapter_weights_path) == (None, "lora.safetensors")


def test_both_gaps_are_counted_apart(world):
    lora_world(world, dropped=("fans/a", "fans/b"), weightless=("fans/c",))
    message = verdict(world)["message"]
    assert "2 come without `adapter: lora`" in message
    assert "1 without adapterWeightsPath (no client finds their LoRA weights)" in message
