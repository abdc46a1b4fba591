"""What `hfmap verify` judges is what the real Python client resolves from the same Hub.

huggingface_hub's `_fetch_inference_provider_mapping` is `HfApi().model_info(model,
expand=["inferenceProviderMapping"])` and a pick of the provider's entry; here the same call goes to the
emulator, in both shapes of the field, anonymously and as a member of the provider's organization.
"""

from __future__ import annotations

import json

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
from test_verify_cli import FILE, MEMBER, seed


def client_view(endpoint: str, token: str | None, model: str):
    """The entry huggingface_hub resolves for replicate (None: none), or "no model" when it has none."""
    api = HfApi(endpoint=endpoint, token=token or False)
    try:
        info = api.model_info(model, expand=["inferenceProviderMapping"])
    except HfHubHTTPError:
        return "no model"
    return next((m for m in info.inference_provider_mapping or [] if m.provider == "replicate"), None)


@pytest.mark.parametrize("token", [None, MEMBER])
@pytest.mark.parametrize("form", ["dict", "list"])
def test_verify_agrees_with_huggingface_hub(world, form, token):
    seed(world)
    world.hub.model_info_form = form
    result = world.hfmap("verify", "--format", "json", str(world.dir), token=token)
    report = json.loads(result.stdout)
    checked = 0
    for item in report["mappings"]:
        if item["key"].startswith("tag-filter="):
            continue
        resolved = client_view(world.hub.url, token, item["key"])
        verdict, seen = item["verdict"], item["seen"]
        if resolved == "no model":
            assert verdict == "missing" and seen is None
        elif resolved is None:
            assert seen is None and verdict in ("missing", "staging")
        else:
            assert seen["providerId"] == resolved.provider_id
            assert seen["task"] == resolved.task and seen["status"] == resolved.status
            assert seen.get("type") == resolved.type
            assert (verdict == "error") == (resolved.status == "error")
            if verdict == "ok":
                declared = item["declared"]
                assert (resolved.provider_id, resolved.task) == (declared["providerModel"], declared["task"])
                assert resolved.status == "live"
        checked += 1
    assert checked == FILE.count("hfModel:")


def test_tag_filter_verdicts_agree_with_the_clients_view_of_the_matching_models(world):
    seed(world)
    result = world.hfmap("verify", "--format", "json", str(world.dir), token=MEMBER)
    by_key = {m["key"]: m for m in json.loads(result.stdout)["mappings"]}
    lora = client_view(world.hub.url, MEMBER, "fans/lora-1")
    assert (lora.provider_id, lora.adapter, lora.adapter_weights_path) == (
        "o/lora",
        "lora",
        "lora.safetensors",
    )
    assert by_key["tag-filter=base_model:adapter:org/base,lora"]["verdict"] == "ok"
    bare = client_view(world.hub.url, MEMBER, "fans/bare")
    assert bare.provider_id == "o/noweights" and bare.adapter_weights_path is None
    assert by_key["tag-filter=base_model:adapter:org/noweights,lora"]["verdict"] == "no-adapter-weights"
    taken = client_view(world.hub.url, MEMBER, "org/taken")
    assert taken.provider_id == "o/direct" and taken.type == "single-model"
    assert by_key["tag-filter=base_model:adapter:org/taken,lora"]["verdict"] == "shadowed"
