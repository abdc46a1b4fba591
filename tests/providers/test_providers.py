"""Each provider plug-in against the emulator's copy of that provider's API, plus the registry's rules
for URLs and tokens."""

from __future__ import annotations

import asyncio

import httpx

from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.clients.hub import HubClient
from hfmap.providers.base import Exists, Missing, Unknown, VersionMissing, env_prefix
from hfmap.providers.registry import REGISTRY, make_plugin
from httpx_transport import mock

V1, V2 = "1" * 64, "2" * 64


def check(emu, provider: str, ids: list[str], env: dict[str, str] | None = None):
    env = {**emu.env(), f"{env_prefix(provider)}_TOKEN": "provider-token-123", **(env or {})}

    async def go():
        async with HttpClient(retry=RetryPolicy(attempts=1)) as http:
            hub = HubClient(http, emu.url)
            plugin = make_plugin(provider, http, env, hub=hub)
            assert not isinstance(plugin, Unknown), plugin
            return await plugin.exists(ids)

    return asyncio.run(go())


def provider_paths(emu, provider: str) -> list[str]:
    return [r.path for r in emu.requests if r.path.startswith(f"/providers/{provider}/")]


def test_replicate_models_and_versions(hub):
    hub.add_provider_model("replicate", f"owner/model:{V1}")
    got = check(
        hub, "replicate", ["owner/model", f"owner/model:{V1}", f"owner/model:{V2}", f"owner/gone:{V1}"]
    )
    assert got == {
        "owner/model": Exists(),
        f"owner/model:{V1}": Exists(),
        f"owner/model:{V2}": VersionMissing(V2),
        f"owner/gone:{V1}": Missing("not found on Replicate"),
    }
    # The model itself is asked for once, though three ids need it.
    assert provider_paths(hub, "replicate").count("/providers/replicate/v1/models/owner/model") == 1


def test_fal_batches_fifty_ids_per_call(hub):
    ids = [f"fal-ai/model-{n}" for n in range(120)]
    for model_id in ids[::2]:
        hub.add_provider_model("fal-ai", model_id)
    got = check(hub, "fal-ai", ids)
    assert [model_id for model_id, answer in got.items() if isinstance(answer, Exists)] == ids[::2]
    assert all(isinstance(got[i], Missing) for i in ids[1::2])
    assert len(provider_paths(hub, "fal-ai")) == 3
    assert all(len(r.query["endpoint_id"]) <= 50 for r in hub.requests)


def test_fal_needs_no_token_and_sends_key_scheme(hub):
    hub.add_provider_model("fal-ai", "fal-ai/flux/dev")
    hub.require_provider_token("fal-ai", "fal-key-123")
    assert check(
        hub, "fal-ai", ["fal-ai/flux/dev"], {"FAL_KEY": "fal-key-123", "HFMAP_FAL_AI_TOKEN": ""}
    ) == {"fal-ai/flux/dev": Exists()}
    assert hub.requests[-1].headers["authorization"] == "Key ***"


def test_list_apis_are_listed_once(hub):
    for provider, model_ids in {
        "together": ["org/a", "org/b"],
        "wavespeed": ["wavespeed-ai/x"],
        "groq": ["llama-3.3-70b-versatile"],
        "deepinfra": ["org/c"],
        "novita": ["org/d"],
    }.items():
        for model_id in model_ids:
            hub.add_provider_model(provider, model_id)
        asked = [*model_ids, "org/nope"]
        got = check(hub, provider, asked)
        assert [isinstance(got[i], Exists) for i in asked] == [True] * len(model_ids) + [False]
        assert got["org/nope"] == Missing(f"not in the {provider} model list")
        assert len(provider_paths(hub, provider)) == 1, provider
    assert "/providers/deepinfra/v1/openai/models" in provider_paths(hub, "deepinfra")


def test_fireworks_and_cohere_per_model(hub):
    hub.add_provider_model("fireworks-ai", "accounts/fireworks/models/deepseek-r1")
    hub.add_provider_model("cohere", "command-a-03-2025")
    assert check(
        hub, "fireworks-ai", ["accounts/fireworks/models/deepseek-r1", "accounts/fireworks/models/x"]
    ) == {
        "accounts/fireworks/models/deepseek-r1": Exists(),
        "accounts/fireworks/models/x": Missing("not found on Fireworks"),
    }
    assert check(hub, "cohere", ["command-a-03-2025", "command-z"]) == {
        "command-a-03-2025": Exists(),
        "command-z": Missing("not found on Cohere"),
    }


def test_hf_inference_asks_the_hub(hub):
    hub.add_model("org/bert", pipeline_tag="fill-mask")
    got = check(hub, "hf-inference", ["org/bert", "org/none"])
    assert got["org/bert"] == Exists() and isinstance(got["org/none"], Missing)


def test_every_provider_of_the_reference_has_a_plugin_except_zai_org():
    from hfmap.data import providers

    known = set(providers())
    missing = {p for p in known if p not in REGISTRY} - {"openai", "zai-org"}
    assert missing == set()
    for spec in REGISTRY.values():
        assert spec.url_var == f"HFMAP_{spec.provider.upper().replace('-', '_')}_API_URL"


def test_tokens_and_urls_come_from_the_environment():
    spec = REGISTRY["fal-ai"]
    assert spec.base_url({}) == "https://api.fal.ai"
    assert spec.base_url({"HFMAP_FAL_AI_API_URL": "http://127.0.0.1:1/fal/"}) == "http://127.0.0.1:1/fal"
    assert spec.token({"FAL_KEY": "a"}) == "a"
    assert spec.token({"FAL_KEY": "a", "HFMAP_FAL_AI_TOKEN": "b"}) == "b"
    cohere = REGISTRY["cohere"]
    assert cohere.token({"COHERE_API_KEY": "c"}) == "c" and cohere.token({"CO_API_KEY": "d"}) == "d"
    http = HttpClient()
    skipped = make_plugin("replicate", http, {})
    assert isinstance(skipped, Unknown) and skipped.skipped
    assert "REPLICATE_API_TOKEN" in skipped.reason
    assert isinstance(make_plugin("zai-org", http, {}), Unknown)


def test_garbage_and_errors_are_unknown_never_missing():
    def handler(request: httpx.Request) -> httpx.Response:
        if "together" in request.url.host:
            return httpx.Response(200, content=b"<html>oops</html>")
        if "fal" in request.url.host:
            return httpx.Response(200, json={"unexpected": True})
        return httpx.Response(502)

    async def go():
        async with HttpClient(transport=mock(handler), retry=RetryPolicy(attempts=1)) as http:
            env = {"TOGETHER_API_KEY": "t", "REPLICATE_API_TOKEN": "r"}
            out = {}
            for provider, model_id in (("together", "a/b"), ("fal-ai", "fal-ai/x"), ("replicate", "a/b")):
                plugin = make_plugin(provider, http, env)
                out[provider] = (await plugin.exists([model_id]))[model_id]
            return out

    got = asyncio.run(go())
    assert got == {
        "together": Unknown("the together API's answer was not valid JSON"),
        "fal-ai": Unknown("the fal-ai API's answer was not a model list"),
        "replicate": Unknown("the replicate API answered HTTP 502"),
    }


def test_provider_tokens_go_to_their_provider_only():
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("authorization")))
        if request.url.host == "hub.test":
            return httpx.Response(200, json={"id": "org/a", "pipeline_tag": "text-to-image"})
        return httpx.Response(200, json={"id": "x"})

    async def go():
        async with HttpClient(transport=mock(handler)) as http:
            hub = HubClient(http, "http://hub.test", "hf_hubtoken0123456789")
            await hub.model_info("org/a")
            env = {
                "REPLICATE_API_TOKEN": "r8_providertoken0123456789",
                "HFMAP_REPLICATE_API_URL": "http://rep.test",
            }
            await make_plugin("replicate", http, env, hub=hub).exists(["owner/a"])

    asyncio.run(go())
    assert seen == [
        ("hub.test", "Bearer hf_hubtoken0123456789"),
        ("rep.test", "Bearer r8_providertoken0123456789"),
    ]
