"""A provider world for `hfmap suggest`: Together's list (decorated ids), Hub models, live mappings."""

from __future__ import annotations

import os

import pytest

TOGETHER_TOKEN = "together-secret-4242"


@pytest.fixture
def together(hub):
    """Together lists chat models under Hub ids, some `-Turbo`, some lower-cased; the Hub knows most."""
    hub.add_model("meta-llama/Llama-3.3-70B-Instruct", "text-generation", tags=("conversational",))
    hub.add_model("meta-llama/Llama-3.1-8B-Instruct", "text-generation", tags=("conversational",))
    hub.add_model("meta-llama/Llama-3.1-70B", "text-generation")
    hub.add_model("Qwen/Qwen2.5-72B-Instruct", "text-generation", tags=("conversational",))
    hub.add_model("Qwen/Qwen2-VL-72B-Instruct", "image-text-to-text", tags=("conversational",))
    hub.add_model("Qwen/Qwen-private", "text-generation", private=True)
    hub.add_model("Qwen/Qwen-disabled", "text-generation", tags=("conversational",), disabled=True)
    hub.add_model("BAAI/bge-base-en-v1.5", "feature-extraction")
    hub.add_model("stabilityai/untagged")
    hub.add_model("openai/whisper-large-v3", "automatic-speech-recognition")
    hub.add_model("google/vit-base", "image-classification")  # together serves no image-classification
    for listed in (
        "meta-llama/Llama-3.3-70B-Instruct-Turbo",  # decorated
        "meta-llama/Llama-3.1-8B-Instruct",  # exact, declared in the file
        "meta-llama/llama-3.1-70b",  # case-folded
        "Qwen/Qwen2.5-72B-Instruct",  # exact, live already
        "Qwen/Qwen2-VL-72B-Instruct",  # exact
        "Qwen/Qwen-private",
        "Qwen/Qwen-disabled",
        "BAAI/bge-base-en-v1.5",  # exact, feature-extraction
        "stabilityai/untagged",
        "google/vit-base",
        "nobody/not-on-the-hub",
        "mistral-large",  # no namespace: names no Hub repo
    ):
        hub.add_provider_model("together", listed)
    hub.seed_mapping("together", "conversational", "Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen2.5-72B-Instruct")
    hub.seed_mapping(
        "together", "conversational", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"
    )
    hub.seed_mapping(
        "together", "automatic-speech-recognition", "openai/whisper-large-v3", "openai/whisper-large-v3"
    )
    return hub


@pytest.fixture
def env_of():
    def make(emu, **extra: str) -> dict[str, str]:
        env = {
            **emu.env(),
            "TOGETHER_API_KEY": TOGETHER_TOKEN,
            "HFMAP_CACHE_DIR": os.environ["HFMAP_CACHE_DIR"],
        }
        env.update(extra)
        return env

    return make


DECLARED = """
provider: together
mappings:
  - hfModel: meta-llama/Llama-3.1-8B-Instruct
    providerModel: meta-llama/Llama-3.1-8B-Instruct
    task: conversational
    status: live
  - hfModel: Qwen/Qwen2.5-72B-Instruct
    providerModel: Qwen/Qwen2.5-72B-Instruct
    task: conversational
    status: live
"""
