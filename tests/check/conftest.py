"""Helpers for the check tests: a small world in the emulator and mapping files written to tmp_path."""

from __future__ import annotations

import os

import pytest

# Provider tokens present in every check test (so providers are checked, not skipped), unless removed.
PROVIDER_TOKENS = {
    "REPLICATE_API_TOKEN": "r8_providertoken0123456789",
    "TOGETHER_API_KEY": "together-secret-4242",
}
VERSION = "a" * 64
OTHER_VERSION = "b" * 64


@pytest.fixture
def world(hub):
    """The emulator with a few Hub models and provider models most tests use."""
    hub.add_model("org/image", pipeline_tag="text-to-image")
    hub.add_model("org/chat", pipeline_tag="text-generation", tags=("conversational",))
    hub.add_model("org/vision-chat", pipeline_tag="image-text-to-text", tags=("conversational",))
    hub.add_model("org/base-lm", pipeline_tag="text-generation")
    hub.add_model("org/untagged")
    hub.add_model("org/lora-1", pipeline_tag="text-to-image", tags=("lora", "base_model:adapter:org/image"))
    hub.add_provider_model("replicate", "owner/image")
    hub.add_provider_model("replicate", f"owner/pinned:{VERSION}")
    hub.add_provider_model("together", "org/chat")
    return hub


@pytest.fixture
def env_for():
    def make(emu, **extra: str) -> dict[str, str]:
        env = {**emu.env(), **PROVIDER_TOKENS, "HFMAP_CACHE_DIR": os.environ["HFMAP_CACHE_DIR"]}
        env.update(extra)
        return env

    return make
