"""The Hub emulator behaves like the reference says the real Hub and providers do (over real HTTP)."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from emulator import Fault, HubEmulator

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "mappings"
WRITE = {"Authorization": "Bearer hf_write"}
PARTNER = "/api/partners/replicate/models"
VERSION = "8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e"


@pytest.fixture
def emu() -> Iterator[HubEmulator]:
    with HubEmulator() as emulator:
        emulator.add_token("hf_write", user="alice", write_orgs=("replicate",))
        emulator.add_token("hf_other", user="bob", write_orgs=("fal-ai",))
        emulator.add_model("org/image", pipeline_tag="text-to-image", tags=("diffusers",))
        emulator.add_model(
            "org/chat", pipeline_tag="text-generation", tags=("conversational", "transformers")
        )
        emulator.add_model("org/plain-lm", pipeline_tag="text-generation")
        yield emulator
        assert emulator.errors == []


@pytest.fixture
def client(emu: HubEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emu.url, timeout=5) as c:
        yield c


def create(client: httpx.Client, **body) -> httpx.Response:
    return client.post(PARTNER, json=body, headers=WRITE)


# -- model info --------------------------------------------------------------------------------------------


def test_model_info_full_and_expanded(emu: HubEmulator, client: httpx.Client) -> None:
    emu.seed_mapping("replicate", task="text-to-image", hf_model="org/image", provider_model="owner/image")
    full = client.get("/api/models/org/image").json()
    assert full["id"] == full["modelId"] == "org/image"
    assert full["pipeline_tag"] == "text-to-image"
    assert full["tags"] == ["diffusers"]
    assert (full["private"], full["gated"], full["disabled"]) == (False, False, False)
    assert full["inferenceProviderMapping"] == {
        "replicate": {
            "status": "live",
            "providerId": "owner/image",
            "task": "text-to-image",
            "type": "single-model",
            "isModelAuthor": False,
        }
    }
    expanded = client.get("/api/models/org/image", params={"expand[]": ["pipeline_tag", "gated"]})
    assert set(expanded.json()) == {"_id", "id", "pipeline_tag", "gated"}
    assert len(expanded.json()["_id"]) == 24


def test_model_ids_resolve_case_insensitively_to_the_canonical_id(client: httpx.Client) -> None:
    assert client.get("/api/models/ORG/Image").json()["id"] == "org/image"


def test_unknown_expand_property_is_a_400(client: httpx.Client) -> None:
    response = client.get("/api/models/org/image", params={"expand[]": "nope"})
    assert response.status_code == 400
    assert "error" in response.json()


def test_missing_model_is_401_anonymously_and_404_with_a_token(client: httpx.Client) -> None:
    anonymous = client.get("/api/models/org/missing")
    assert anonymous.status_code == 401
    assert anonymous.headers["x-error-code"] == "RepoNotFound"
    authed = client.get("/api/models/org/missing", headers=WRITE)
    assert authed.status_code == 404
    assert authed.headers["x-error-code"] == "RepoNotFound"
    assert authed.headers["content-type"].startswith("application/json")
    assert authed.json() == {"error": "Repository not found"}


def test_private_model_needs_a_token(emu: HubEmulator, client: httpx.Client) -> None:
    emu.add_model("org/secret", pipeline_tag="text-to-image", private=True)
    hidden = client.get("/api/models/org/secret")
    assert (hidden.status_code, hidden.headers["x-error-code"]) == (401, "RepoNotFound")
    assert client.get("/api/models/org/secret", headers=WRITE).json()["private"] is True


def test_invalid_token_is_rejected_even_on_public_routes(client: httpx.Client) -> None:
    response = client.get("/api/models/org/image", headers={"Authorization": "Bearer hf_nope"})
    assert response.status_code == 401
    assert response.json() == {"error": "Invalid credentials in Authorization header"}


def test_gated_and_disabled_models_are_readable(emu: HubEmulator, client: httpx.Client) -> None:
    emu.add_model("org/gated", pipeline_tag="text-to-image", gated="manual")
    emu.add_model("org/off", pipeline_tag="text-to-image", disabled=True)
    assert client.get("/api/models/org/gated").json()["gated"] == "manual"
    assert client.get("/api/models/org/off", params={"expand[]": "disabled"}).json()["disabled"] is True


def test_tag_filter_matches_appear_in_model_info_with_adapter_fields(
    emu: HubEmulator, client: httpx.Client
) -> None:
    emu.add_model("me/my-lora", pipeline_tag="text-to-image", tags=("lora", "base_model:adapter:org/image"))
    emu.seed_tag_filter(
        "replicate",
        task="text-to-image",
        tags=["lora", "base_model:adapter:org/image"],
        provider_model="o/lora",
    )
    info = client.get("/api/models/me/my-lora", params={"expand[]": "inferenceProviderMapping"}).json()
    mapping = info["inferenceProviderMapping"]["replicate"]
    assert mapping["providerId"] == "o/lora"
    assert (mapping["adapter"], mapping["type"]) == ("lora", "tag-filter")
    assert "adapterWeightsPath" not in mapping  # the Hub precomputes it, and may not have it
    emu.add_model(
        "me/my-lora",
        pipeline_tag="text-to-image",
        tags=("lora", "base_model:adapter:org/image"),
        adapter_weights_path="lora.safetensors",
    )
    info = client.get("/api/models/me/my-lora", params={"expand[]": "inferenceProviderMapping"}).json()
    assert info["inferenceProviderMapping"]["replicate"]["adapterWeightsPath"] == "lora.safetensors"
    assert client.get("/api/models/org/image").json()["inferenceProviderMapping"] == {}


# -- model search ------------------------------------------------------------------------------------------


def test_search_requires_all_tags_and_counts_the_pipeline_tag(client: httpx.Client) -> None:
    found = client.get("/api/models", params=[("filter", "text-generation"), ("filter", "conversational")])
    assert [m["id"] for m in found.json()] == ["org/chat"]
    assert (
        client.get("/api/models", params={"filter": "diffusers", "search": "IMAGE"}).json()[0]["id"]
        == "org/image"
    )


def test_search_by_inference_provider_lists_live_mappings_only(
    emu: HubEmulator, client: httpx.Client
) -> None:
    emu.seed_mapping("replicate", task="text-to-image", hf_model="org/image", provider_model="o/i")
    emu.seed_mapping(
        "replicate", task="conversational", hf_model="org/chat", provider_model="o/c", status="staging"
    )
    found = client.get(
        "/api/models", params={"inference_provider": "replicate", "expand[]": "inferenceProviderMapping"}
    )
    (only,) = found.json()
    assert only["id"] == "org/image"
    assert only["inferenceProviderMapping"] == [
        {
            "provider": "replicate",
            "hfModelId": "org/image",
            "status": "live",
            "providerId": "o/i",
            "task": "text-to-image",
            "type": "single-model",
            "isModelAuthor": False,
        }
    ]


def test_search_paginates_with_a_link_header(emu: HubEmulator, client: httpx.Client) -> None:
    for i in range(5):
        emu.add_model(f"page/m{i}", pipeline_tag="text-to-image")
    seen, url, pages = [], "/api/models?search=page/&limit=2", 0
    while url:
        response = client.get(url)
        seen += [m["id"] for m in response.json()]
        url = response.links.get("next", {}).get("url")
        pages += 1
    assert seen == [f"page/m{i}" for i in range(5)]
    assert pages == 3


# -- partner API: reads ------------------------------------------------------------------------------------


def test_partner_listing_is_public_grouped_by_task_with_tag_filter_keys(
    emu: HubEmulator, client: httpx.Client
) -> None:
    single = emu.seed_mapping("replicate", task="text-to-image", hf_model="org/image", provider_model="o/i")
    tagged = emu.seed_tag_filter(
        "replicate", task="text-to-image", tags=["lora", "base_model:adapter:a/b"], provider_model="o/l"
    )
    emu.seed_mapping(
        "replicate", task="conversational", hf_model="org/chat", provider_model="o/c", status="staging"
    )
    listing = client.get(PARTNER).json()
    assert listing["text-to-image"] == {
        "org/image": {"_id": single, "providerId": "o/i", "status": "live"},
        "tag-filter=base_model:adapter:a/b,lora": {
            "_id": tagged,
            "status": "live",
            "providerId": "o/l",
            "adapterType": "lora",
            "tags": ["lora", "base_model:adapter:a/b"],
        },
    }
    assert list(listing["conversational"]) == ["org/chat"]
    assert list(client.get(PARTNER, params={"status": "staging"}).json()) == ["conversational"]
    assert client.get(PARTNER, params={"status": "bogus"}).status_code == 400


def test_partner_listing_of_unknown_provider_is_404(client: httpx.Client) -> None:
    response = client.get("/api/partners/nobody/models")
    assert response.status_code == 404
    assert "error" in response.json()


def test_partner_listing_of_known_provider_without_mappings_is_empty(client: httpx.Client) -> None:
    assert client.get("/api/partners/groq/models").json() == {}


# -- partner API: writes -----------------------------------------------------------------------------------


def test_create_then_read_back(emu: HubEmulator, client: httpx.Client) -> None:
    response = create(client, task="text-to-image", hfModel="org/image", providerModel="o/i", status="live")
    assert response.status_code == 200
    new_id = response.json()["_id"]
    assert client.get(PARTNER).json()["text-to-image"]["org/image"] == {
        "_id": new_id,
        "providerId": "o/i",
        "status": "live",
    }
    assert emu.mappings("replicate") == [
        {
            "_id": new_id,
            "task": "text-to-image",
            "hfModel": "org/image",
            "providerModel": "o/i",
            "status": "live",
        }
    ]
    assert emu.writes == [("POST", PARTNER, 200)]


def test_status_defaults_to_staging(emu: HubEmulator, client: httpx.Client) -> None:
    create(client, task="text-to-image", hfModel="org/image", providerModel="o/i")
    assert emu.mappings("replicate")[0]["status"] == "staging"


def test_duplicate_is_409(client: httpx.Client) -> None:
    assert create(client, task="text-to-image", hfModel="org/image", providerModel="o/i").status_code == 200
    again = create(client, task="text-to-image", hfModel="org/image", providerModel="o/other")
    assert again.status_code == 409
    assert "already exists" in again.json()["error"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"task": "image-to-image", "hfModel": "org/image", "providerModel": "o/i"}, "does not match"),
        ({"task": "text-to-image", "hfModel": "org/missing", "providerModel": "o/i"}, "does not exist"),
        ({"task": "conversational", "hfModel": "org/plain-lm", "providerModel": "o/i"}, "conversational"),
        (
            {"task": "text-to-image", "hfModel": "org/image", "providerModel": "o/i", "status": "error"},
            "status",
        ),
        ({"task": "text-to-image", "hfModel": "org/image"}, "providerModel"),
        ({"hfModel": "org/image", "providerModel": "o/i"}, "task"),
        (
            {"task": "text-to-image", "hfModel": "org/image", "providerModel": "o/i", "hfFilter": ["x"]},
            "hfFilter",
        ),
        (
            {"type": "tag-filter", "task": "text-to-image", "tags": ["lora"], "providerModel": "o/l"},
            "adapterType",
        ),
        (
            {
                "type": "tag-filter",
                "task": "text-to-image",
                "tags": [],
                "providerModel": "o/l",
                "adapterType": "lora",
            },
            "tags",
        ),
        (
            {
                "type": "tag-filter",
                "task": "text-to-image",
                "tags": ["lora"],
                "hfModel": "org/image",
                "providerModel": "o/l",
                "adapterType": "lora",
            },
            "not both",
        ),
    ],
)
def test_invalid_creates_are_400_and_say_what(
    emu: HubEmulator, client: httpx.Client, body: dict, says: str
) -> None:
    response = create(client, **body)
    assert response.status_code == 400
    assert says in response.json()["error"]
    assert emu.mappings("replicate") == []


def test_conversational_needs_a_chat_capable_model(emu: HubEmulator, client: httpx.Client) -> None:
    emu.add_model("org/vlm", pipeline_tag="image-text-to-text", tags=("conversational",))
    assert create(client, task="conversational", hfModel="org/chat", providerModel="o/c").status_code == 200
    assert create(client, task="conversational", hfModel="org/vlm", providerModel="o/v").status_code == 200


def test_tag_filter_create_and_duplicate_by_sorted_tags(client: httpx.Client) -> None:
    body = {"type": "tag-filter", "task": "text-to-image", "providerModel": "o/l", "adapterType": "lora"}
    assert create(client, **body, tags=["lora", "base_model:adapter:a/b"]).status_code == 200
    assert create(client, **body, tags=["base_model:adapter:a/b", "lora"]).status_code == 409
    assert "tag-filter=base_model:adapter:a/b,lora" in client.get(PARTNER).json()["text-to-image"]


def test_write_auth_401_403_404(emu: HubEmulator, client: httpx.Client) -> None:
    body = {"task": "text-to-image", "hfModel": "org/image", "providerModel": "o/i"}
    assert client.post(PARTNER, json=body).status_code == 401
    wrong_org = client.post(PARTNER, json=body, headers={"Authorization": "Bearer hf_other"})
    assert wrong_org.status_code == 403
    assert "replicate" in wrong_org.json()["error"]
    assert client.post("/api/partners/nobody/models", json=body, headers=WRITE).status_code == 404
    assert emu.mappings("replicate") == []


def test_status_update(emu: HubEmulator, client: httpx.Client) -> None:
    mapping_id = emu.seed_mapping(
        "replicate", task="text-to-image", hf_model="org/image", provider_model="o/i"
    )
    url = f"{PARTNER}/{mapping_id}/status"
    assert client.put(url, json={"status": "staging"}, headers=WRITE).status_code == 200
    assert emu.mappings("replicate")[0]["status"] == "staging"
    assert client.put(url, json={"status": "error"}, headers=WRITE).status_code == 400
    assert (
        client.put(f"{PARTNER}/{'0' * 24}/status", json={"status": "live"}, headers=WRITE).status_code == 404
    )
    other = emu.seed_mapping("fal-ai", task="text-to-image", hf_model="org/image", provider_model="fal-ai/x")
    assert client.put(f"{PARTNER}/{other}/status", json={"status": "live"}, headers=WRITE).status_code == 404


def test_delete(emu: HubEmulator, client: httpx.Client) -> None:
    mapping_id = emu.seed_mapping(
        "replicate", task="text-to-image", hf_model="org/image", provider_model="o/i"
    )
    assert client.delete(f"{PARTNER}/{mapping_id}", headers=WRITE).status_code == 200
    assert emu.mappings("replicate") == []
    assert client.get("/api/models/org/image").json()["inferenceProviderMapping"] == {}
    assert client.delete(f"{PARTNER}/{mapping_id}", headers=WRITE).status_code == 404


def test_retired_routes_are_gone(emu: HubEmulator, client: httpx.Client) -> None:
    emu.seed_mapping("replicate", task="text-to-image", hf_model="org/image", provider_model="o/i")
    assert client.delete(PARTNER, params={"hfModel": "org/image"}, headers=WRITE).status_code == 405
    old_status = client.put(
        f"{PARTNER}/status", json={"hfModel": "org/image", "status": "staging"}, headers=WRITE
    )
    assert old_status.status_code == 404
    assert emu.mappings("replicate")[0]["status"] == "live"


# -- providers ---------------------------------------------------------------------------------------------


def test_replicate_models_and_versions(emu: HubEmulator) -> None:
    emu.add_provider_model("replicate", f"openai/whisper:{VERSION}")
    emu.add_provider_model("replicate", "black-forest-labs/flux-dev")
    base = emu.provider_url("replicate")
    assert httpx.get(f"{base}/v1/models/openai/whisper").json()["latest_version"]["id"] == VERSION
    assert httpx.get(f"{base}/v1/models/openai/whisper/versions/{VERSION}").status_code == 200
    assert httpx.get(f"{base}/v1/models/openai/whisper/versions/{'a' * 64}").status_code == 404
    assert httpx.get(f"{base}/v1/models/black-forest-labs/flux-dev").status_code == 200
    assert httpx.get(f"{base}/v1/models/nobody/nothing").status_code == 404


def test_provider_token_is_required_once_set(emu: HubEmulator) -> None:
    emu.add_provider_model("replicate", "o/m")
    emu.require_provider_token("replicate", "r8_secret")
    url = f"{emu.provider_url('replicate')}/v1/models/o/m"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer r8_wrong"}).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Token r8_secret"}).status_code == 200
    emu.add_provider_model("fal-ai", "fal-ai/flux/dev")
    emu.require_provider_token("fal-ai", "fal_key")
    fal = f"{emu.provider_url('fal-ai')}/v1/models"
    assert httpx.get(fal, headers={"Authorization": "Bearer fal_key"}).status_code == 401
    assert httpx.get(fal, headers={"Authorization": "Key fal_key"}).status_code == 200
    assert all(
        r.headers["authorization"].endswith(" ***") for r in emu.requests if "authorization" in r.headers
    )


def test_fal_batch_lookup(emu: HubEmulator) -> None:
    emu.add_provider_model("fal-ai", "fal-ai/flux/dev")
    emu.add_provider_model("fal-ai", "fal-ai/flux-lora")
    url = f"{emu.provider_url('fal-ai')}/v1/models"
    found = httpx.get(
        url, params=[("endpoint_id", "fal-ai/flux/dev"), ("endpoint_id", "fal-ai/missing")]
    ).json()
    assert [m["endpoint_id"] for m in found["models"]] == ["fal-ai/flux/dev"]
    assert (found["has_more"], found["next_cursor"]) == (False, None)
    too_many = httpx.get(url, params=[("endpoint_id", f"fal-ai/m{i}") for i in range(51)])
    assert too_many.status_code == 400


def test_other_provider_shapes(emu: HubEmulator) -> None:
    emu.add_provider_model("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")
    emu.add_provider_model("fireworks-ai", "accounts/fireworks/models/llama-v3p1-8b-instruct")
    emu.add_provider_model("cohere", "command-r-plus")
    emu.add_provider_model("wavespeed", "wavespeed-ai/flux-dev")
    emu.add_provider_model("groq", "llama-3.3-70b-versatile")
    emu.add_provider_model("novita", "meta-llama/llama-3.1-8b-instruct")
    p = emu.provider_url
    together = httpx.get(f"{p('together')}/v1/models").json()
    assert together[0]["id"] == "meta-llama/Llama-3.3-70B-Instruct-Turbo"
    assert together[0]["object"] == "model"
    fireworks = f"{p('fireworks-ai')}/v1/accounts/fireworks/models"
    assert httpx.get(f"{fireworks}/llama-v3p1-8b-instruct").json()["name"].endswith("llama-v3p1-8b-instruct")
    assert httpx.get(f"{fireworks}/nope").status_code == 404
    assert httpx.get(f"{p('cohere')}/v1/models/command-r-plus").json()["name"] == "command-r-plus"
    assert httpx.get(f"{p('cohere')}/v1/models/nope").status_code == 404
    assert (
        httpx.get(f"{p('cohere')}/v1/models/command%2Dr%2Dplus").status_code == 200
    )  # ids are percent-decoded
    wavespeed = httpx.get(f"{p('wavespeed')}/api/v3/models").json()
    assert wavespeed["data"]["items"][0]["model_uuid"] == "wavespeed-ai/flux-dev"
    groq = httpx.get(f"{p('groq')}/v1/models").json()
    assert groq == {"object": "list", "data": [groq["data"][0]]}
    assert groq["data"][0]["id"] == "llama-3.3-70b-versatile"
    assert httpx.get(f"{p('novita')}/v1/models/meta-llama/llama-3.1-8b-instruct").status_code == 200
    assert httpx.get(f"{p('novita')}/v1/models/meta-llama/nope").status_code == 404


# -- faults ------------------------------------------------------------------------------------------------


def test_status_fault_fires_then_clears(emu: HubEmulator, client: httpx.Client) -> None:
    fault = emu.inject(Fault(method="GET", path="/api/models/*", kind="status", status=503, retry_after="2"))
    first = client.get("/api/models/org/image")
    assert (first.status_code, first.headers["retry-after"]) == (503, "2")
    assert "error" in first.json()
    assert client.get("/api/models/org/image").status_code == 200
    assert fault.fired == 1
    assert [r.fault for r in emu.requests] == ["status", None]


def test_status_fault_on_write_does_not_act(emu: HubEmulator, client: httpx.Client) -> None:
    emu.inject(Fault(method="POST", path="/api/partners/*/models", kind="status", status=500))
    assert create(client, task="text-to-image", hfModel="org/image", providerModel="o/i").status_code == 500
    assert emu.mappings("replicate") == []
    assert emu.writes == [("POST", PARTNER, 500)]


def test_fault_method_and_path_must_match(emu: HubEmulator, client: httpx.Client) -> None:
    fault = emu.inject(Fault(method="POST", path="/api/models/*", kind="status", times=None))
    assert client.get("/api/models/org/image").status_code == 200
    assert client.get(PARTNER).status_code == 200
    assert fault.fired == 0


def test_latency_fault_answers_normally(emu: HubEmulator, client: httpx.Client) -> None:
    emu.inject(Fault(path="/api/models/*", kind="latency", seconds=0.1))
    started = time.monotonic()
    assert client.get("/api/models/org/image").status_code == 200
    assert time.monotonic() - started >= 0.1


def test_rate_limit_fault(emu: HubEmulator, client: httpx.Client) -> None:
    emu.inject(Fault(path="/api/partners/*", kind="rate_limit", seconds=7, quota=500, retry_after="7"))
    response = client.get(PARTNER)
    assert response.status_code == 429
    assert response.headers["ratelimit"] == '"api";r=0;t=7'
    assert response.headers["ratelimit-policy"] == '"fixed window";"api";q=500;w=300'
    assert response.headers["retry-after"] == "7"
    assert client.get(PARTNER).status_code == 200


def test_hang_acts_but_the_client_times_out(emu: HubEmulator) -> None:
    emu.inject(Fault(method="POST", kind="hang", seconds=2))
    with httpx.Client(base_url=emu.url, timeout=0.2) as impatient, pytest.raises(httpx.ReadTimeout):
        create(impatient, task="text-to-image", hfModel="org/image", providerModel="o/i")
    assert [m["hfModel"] for m in emu.mappings("replicate")] == ["org/image"]


def test_drop_closes_without_acting(emu: HubEmulator, client: httpx.Client) -> None:
    emu.inject(Fault(method="POST", kind="drop"))
    with pytest.raises(httpx.TransportError):
        create(client, task="text-to-image", hfModel="org/image", providerModel="o/i")
    assert emu.mappings("replicate") == []
    assert emu.writes == [("POST", PARTNER, 0)]
    assert create(client, task="text-to-image", hfModel="org/image", providerModel="o/i").status_code == 200


def test_drop_mid_response_sends_headers_then_closes(emu: HubEmulator, client: httpx.Client) -> None:
    emu.seed_mapping("replicate", task="text-to-image", hf_model="org/image", provider_model="o/i")
    emu.inject(Fault(method="GET", path=PARTNER, kind="drop", mid_response=True))
    with pytest.raises(httpx.TransportError):
        client.get(PARTNER)
    assert client.get(PARTNER).status_code == 200


def test_lost_response_applies_the_write(emu: HubEmulator, client: httpx.Client) -> None:
    emu.inject(Fault(method="POST", path="/api/partners/*/models", kind="lost_response"))
    with pytest.raises(httpx.TransportError):
        create(client, task="text-to-image", hfModel="org/image", providerModel="o/i", status="live")
    listing = client.get(PARTNER).json()
    assert listing["text-to-image"]["org/image"]["providerId"] == "o/i"
    assert emu.writes == [("POST", PARTNER, 200)]
    assert emu.requests[0].fault == "lost_response"


def test_seeded_probability_is_deterministic(emu: HubEmulator, client: httpx.Client) -> None:
    def pattern() -> list[int]:
        emu.clear_faults()
        emu.inject(Fault(path="/api/models/*", kind="status", times=None, probability=0.5, seed=7))
        return [client.get("/api/models/org/image").status_code for _ in range(20)]

    first = pattern()
    assert first == pattern()
    assert {200, 503} == set(first)


def test_global_latency_applies_to_chosen_methods(emu: HubEmulator, client: httpx.Client) -> None:
    emu.set_latency(0.05, methods=("POST",))
    started = time.monotonic()
    create(client, task="text-to-image", hfModel="org/image", providerModel="o/i")
    assert time.monotonic() - started >= 0.05


def test_unknown_fault_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault(kind="explode")


# -- rate limits -------------------------------------------------------------------------------------------


def test_rate_limit_headers_and_429(emu: HubEmulator, client: httpx.Client) -> None:
    emu.rate_limit("hub-read", quota=2, window=300)
    first = client.get("/api/models/org/image")
    assert first.headers["ratelimit"].startswith('"api";r=1;t=')
    assert first.headers["ratelimit-policy"] == '"fixed window";"api";q=2;w=300'
    assert client.get(PARTNER).headers["ratelimit"].startswith('"api";r=0;')
    third = client.get("/api/models/org/image")
    assert third.status_code == 429
    assert "error" in third.json()
    # Writes are another group, not limited here.
    assert create(client, task="text-to-image", hfModel="org/image", providerModel="o/i").status_code == 200


def test_provider_rate_limit_counts_each_provider_and_says_retry_after(emu: HubEmulator) -> None:
    emu.rate_limit("provider", quota=1, window=60)
    emu.add_provider_model("groq", "m")
    groq = f"{emu.provider_url('groq')}/v1/models"
    assert httpx.get(groq).status_code == 200
    limited = httpx.get(groq)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert httpx.get(f"{emu.provider_url('cerebras')}/v1/models").status_code == 200


# -- seeding, logs, lifecycle ------------------------------------------------------------------------------


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/mappings not present")
def test_seed_from_examples_matches_the_files(client: httpx.Client) -> None:
    with HubEmulator() as emu, httpx.Client(base_url=emu.url) as c:
        ids = emu.seed_from_yaml(EXAMPLES)
        assert ids
        replicate = c.get("/api/partners/replicate/models").json()
        assert replicate["text-to-image"]["black-forest-labs/FLUX.1-schnell"]["providerId"] == (
            "black-forest-labs/flux-schnell"
        )
        assert replicate["image-to-image"]["Qwen/Qwen-Image-Edit-2509"]["status"] == "staging"
        key = "tag-filter=base_model:adapter:black-forest-labs/FLUX.1-dev,lora"
        assert replicate["text-to-image"][key]["adapterType"] == "lora"
        lora = c.get("/api/models", params=[("filter", "lora"), ("filter", key.split("=")[1].split(",")[0])])
        assert len(lora.json()) == 1
        chat = c.get("/api/models/deepseek-ai/DeepSeek-R1").json()
        assert chat["pipeline_tag"] == "text-generation"
        assert "conversational" in chat["tags"]
        whisper = f"{emu.provider_url('replicate')}/v1/models/openai/whisper/versions/{VERSION}"
        assert c.get(whisper).status_code == 200
        assert c.get(f"{emu.provider_url('together')}/v1/models").json()
        assert emu.errors == []


def test_seed_from_yaml_resolves_status_and_skips_duplicates(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "provider: fal-ai\ndefaults: {status: live}\nmappings:\n"
        "  - {hfModel: org/x, providerModel: fal-ai/x, task: text-to-image}\n"
        "  - {hfModel: org/x, providerModel: fal-ai/y, task: text-to-image}\n"
        "  - {hfModel: org/y, providerModel: fal-ai/y, task: text-to-image, status: staging}\n"
    )
    (tmp_path / "broken.yml").write_text("provider: [\n")
    emu = HubEmulator()
    emu.seed_from_yaml(tmp_path, live_models=False)
    assert [(m["hfModel"], m["status"]) for m in emu.mappings("fal-ai")] == [
        ("org/x", "live"),
        ("org/y", "staging"),
    ]
    assert emu.state.get_model("org/x") is None


def test_requests_log_redacts_tokens(emu: HubEmulator, client: httpx.Client) -> None:
    create(client, task="text-to-image", hfModel="org/image", providerModel="o/i")
    (entry,) = emu.requests
    assert (entry.method, entry.path, entry.status) == ("POST", PARTNER, 200)
    assert entry.headers["Authorization"] == "Bearer ***"
    assert "hf_write" not in repr(emu.requests)


def test_reset_forgets_everything(emu: HubEmulator, client: httpx.Client) -> None:
    emu.seed_mapping("replicate", task="text-to-image", hf_model="org/image", provider_model="o/i")
    emu.inject(Fault(kind="status", times=None))
    emu.reset()
    assert client.get(PARTNER).json() == {}
    assert client.get("/api/models/org/image").status_code == 401
    assert len(emu.requests) == 2


def test_stop_closes_keep_alive_connections() -> None:
    emu = HubEmulator()
    emu.start()
    with httpx.Client(base_url=emu.url, timeout=2) as c:
        assert c.get("/api/models").status_code == 200
        emu.stop()
        with pytest.raises(httpx.TransportError):
            c.get("/api/models")


def test_concurrent_clients_all_get_answers(emu: HubEmulator) -> None:
    for i in range(50):
        emu.seed_mapping("replicate", task="text-to-image", hf_model=f"org/m{i}", provider_model=f"o/m{i}")
    failures: list[object] = []

    def worker() -> None:
        with httpx.Client(base_url=emu.url, timeout=10) as c:
            for _ in range(20):
                response = c.get(PARTNER)
                if response.status_code != 200 or len(response.json()["text-to-image"]) != 50:
                    failures.append(response.status_code)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(emu.requests) == 16 * 20


def test_cli_prints_the_url_and_serves(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        "provider: replicate\nmappings:\n  - {hfModel: org/x, providerModel: o/x, task: text-to-image}\n"
    )
    tests_dir = Path(__file__).resolve().parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--seed", str(tmp_path), "--port", "0"],
        cwd=tests_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        listing = httpx.get(f"{url}/api/partners/replicate/models").json()
        assert listing["text-to-image"]["org/x"]["status"] == "staging"
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_failing_validation_turns_the_mapping_error_a_moment_after_the_write(
    emu: HubEmulator, client: httpx.Client
) -> None:
    emu.validation_delay = 0.3
    emu.fail_validation("replicate", "o/broken")
    created = create(
        client, task="text-to-image", hfModel="org/image", providerModel="o/broken", status="live"
    )
    assert created.status_code == 200 and created.json()["status"] == "live"  # the write answers first
    assert client.get(PARTNER).json()["text-to-image"]["org/image"]["status"] == "live"
    deadline = time.monotonic() + 5
    while emu.mappings("replicate")[0]["status"] != "error" and time.monotonic() < deadline:
        time.sleep(0.02)
    listing = client.get(PARTNER).json()
    assert listing["text-to-image"]["org/image"]["status"] == "error"
    info = client.get("/api/models/org/image").json()
    assert info["inferenceProviderMapping"]["replicate"]["status"] == "error"
    # re-sending the status triggers a new test: the mapping is live again, and stays so once fixed
    emu.fail_validation("replicate", "o/broken", failing=False)
    mapping_id = created.json()["_id"]
    client.put(f"{PARTNER}/{mapping_id}/status", json={"status": "live"}, headers=WRITE)
    emu.settle()
    assert emu.mappings("replicate")[0]["status"] == "live"


def test_settle_runs_pending_validations_at_once(emu: HubEmulator, client: httpx.Client) -> None:
    emu.validation_delay = 60
    emu.fail_validation("replicate", "o/broken")
    create(client, task="text-to-image", hfModel="org/image", providerModel="o/broken", status="live")
    assert emu.mappings("replicate")[0]["status"] == "live"
    emu.settle()
    assert emu.mappings("replicate")[0]["status"] == "error"


def test_a_deleted_mapping_is_not_validated(emu: HubEmulator, client: httpx.Client) -> None:
    emu.validation_delay = 60
    emu.fail_validation("replicate", "o/broken")
    mapping_id = create(
        client, task="text-to-image", hfModel="org/image", providerModel="o/broken", status="live"
    ).json()["_id"]
    client.delete(f"{PARTNER}/{mapping_id}", headers=WRITE)
    emu.settle()
    assert emu.mappings("replicate") == [] and emu.errors == []


def test_staging_entries_are_shown_to_the_providers_organization_only(
    emu: HubEmulator, client: httpx.Client
) -> None:
    emu.seed_mapping("replicate", "text-to-image", "org/image", "o/i", status="staging")
    emu.add_token("hf_outsidertoken1", user="other", write_orgs=("together",))
    params = {"expand[]": "inferenceProviderMapping"}
    assert client.get("/api/models/org/image", params=params).json()["inferenceProviderMapping"] == {}
    outsider = {"Authorization": "Bearer hf_outsidertoken1"}
    assert (
        client.get("/api/models/org/image", params=params, headers=outsider).json()[
            "inferenceProviderMapping"
        ]
        == {}
    )
    member = client.get("/api/models/org/image", params=params, headers=WRITE).json()
    assert member["inferenceProviderMapping"]["replicate"]["status"] == "staging"
    listed = client.get("/api/models", params={"search": "org/image", **params}, headers=WRITE).json()
    assert listed[0]["inferenceProviderMapping"][0]["status"] == "staging"
    assert (
        client.get("/api/models", params={"search": "org/image", **params}).json()[0][
            "inferenceProviderMapping"
        ]
        == []
    )


def test_is_model_author_compares_with_the_providers_hub_organization(
    emu: HubEmulator, client: httpx.Client
) -> None:
    emu.add_model("togethercomputer/own", pipeline_tag="text-generation", tags=("conversational",))
    emu.seed_mapping("together", "conversational", "togethercomputer/own", "t/own")
    info = client.get("/api/models/togethercomputer/own").json()
    assert info["inferenceProviderMapping"]["together"]["isModelAuthor"] is True


def test_a_status_put_for_a_task_the_js_client_lacks_answers_does_not_support_task(
    emu: HubEmulator, client: httpx.Client
) -> None:
    emu.add_model("org/classify", pipeline_tag="image-classification")
    mapping_id = emu.seed_mapping("replicate", "image-classification", "org/classify", "o/c", "staging")
    answer = client.put(f"{PARTNER}/{mapping_id}/status", json={"status": "live"}, headers=WRITE)
    assert answer.status_code == 400 and "does not support task" in answer.json()["error"]
    assert emu.mapping("replicate", "org/classify")["status"] == "staging"
    emu.set_client_tasks("replicate", None)
    answer = client.put(f"{PARTNER}/{mapping_id}/status", json={"status": "live"}, headers=WRITE)
    assert answer.status_code == 200


def test_every_answer_carries_a_request_id(emu: HubEmulator, client: httpx.Client) -> None:
    first = client.get("/api/models/org/image")
    second = client.get("/api/partners/replicate/models")
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert all(i.startswith("Root=1-") for i in ids) and ids[0] != ids[1]
    assert [r.request_id for r in emu.requests] == ids


@pytest.mark.parametrize(
    ("form", "body", "header"),
    [
        ("error", {"error": "Injected fault: HTTP 400"}, None),
        ("error-list", {"error": ["Injected fault: HTTP 400", "see the documentation"]}, None),
        ("error-description", {"error_description": "Injected fault: HTTP 400"}, None),
        ("oauth", {"error": "invalid_request", "error_description": "Injected fault: HTTP 400"}, None),
        (
            "errors",
            {"errors": [{"message": "Injected fault: HTTP 400"}, {"message": "second problem"}]},
            None,
        ),
        ("header-only", None, "Injected fault: HTTP 400"),
    ],
)
def test_status_faults_word_their_error_in_each_of_the_hubs_forms(
    emu: HubEmulator, client: httpx.Client, form, body, header
) -> None:
    emu.inject(Fault(path="/api/models/*", kind="status", status=400, error_form=form))
    answer = client.get("/api/models/org/image")
    assert answer.status_code == 400
    assert (answer.json() if answer.content else None) == body
    assert answer.headers.get("x-error-message") == header


def test_replicate_website_status_route(emu: HubEmulator, client: httpx.Client) -> None:
    emu.set_web_status("owner/warm:abc123", "online")
    emu.set_web_status("owner/cold", "offline")
    emu.set_web_status("owner/odd", raw="<html>maintenance</html>")
    assert client.get("/web/replicate/owner/warm/status").json() == {"status": "online"}
    assert client.get("/web/replicate/Owner/Cold/status").json() == {"status": "offline"}
    odd = client.get("/web/replicate/owner/odd/status")
    assert odd.status_code == 200 and odd.headers["content-type"].startswith("text/html")
    missing = client.get("/web/replicate/owner/none/status")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    emu.inject(Fault(path="/web/replicate/*", kind="status", status=503))
    assert client.get("/web/replicate/owner/warm/status").status_code == 503
    assert emu.env()["HFMAP_REPLICATE_WEB_URL"] == f"{emu.url}/web/replicate"


def test_malformed_requests_get_json_errors_and_truncated_bodies_are_not_acted_on(emu: HubEmulator) -> None:
    host, port = emu.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            b"POST /api/partners/replicate/models HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"
        )
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(100) == b""
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")
        answer = sock.recv(1000)
    assert answer.startswith(b"HTTP/1.1 400")
    assert b'{"error":' in answer
    assert emu.writes == []


def test_the_router_is_its_own_origin_and_lists_what_the_hub_routes(emu: HubEmulator) -> None:
    assert emu.router_url != emu.url and emu.env()["HFMAP_ROUTER_URL"] == emu.router_url
    emu.add_model("org/chat-b", pipeline_tag="text-generation", tags=("conversational",))
    emu.seed_mapping("together", "conversational", "org/chat", "t/chat")
    emu.seed_mapping("groq", "conversational", "ORG/CHAT", "g/chat", status="error")
    emu.seed_mapping("together", "conversational", "org/chat-b", "t/b", status="staging")  # not routed
    emu.seed_mapping("together", "text-to-image", "org/image", "t/img")  # not chat
    with httpx.Client(base_url=emu.router_url, timeout=5) as router:
        listing = router.get("/v1/models").json()
        assert listing["object"] == "list"
        (model,) = listing["data"]
        assert model["id"] == "org/chat" and model["object"] == "model"
        assert [(p["provider"], p["status"]) for p in model["providers"]] == [
            ("together", "live"),
            ("groq", "error"),
        ]
        assert {"context_length", "pricing", "supports_tools"} <= set(model["providers"][0])
        assert router.get("/v1/models/ORG/chat").json()["id"] == "org/chat"
        assert router.get("/v1/models/org/nothing").status_code == 404
        assert router.get("/api/models/org/chat").status_code == 404  # the Hub is not on this origin
        emu.set_router_provider("org/chat", "together", status="error", context_length=8)
        emu.hide_from_router("org/chat", "groq")
        emu.set_router_provider("org/new", "cerebras")
        data = {m["id"]: m for m in router.get("/v1/models").json()["data"]}
        assert [(p["provider"], p["status"], p["context_length"]) for p in data["org/chat"]["providers"]] == [
            ("together", "error", 8)
        ]
        assert [p["provider"] for p in data["org/new"]["providers"]] == ["cerebras"]
        emu.hide_from_router("org/chat")
        assert "org/chat" not in {m["id"] for m in router.get("/v1/models").json()["data"]}
        emu.set_router_body("not json")
        assert router.get("/v1/models").text == "not json"
        emu.inject(Fault(path="/v1/models", kind="status", status=502))
        assert router.get("/v1/models").status_code == 502
    with httpx.Client(base_url=emu.url, timeout=5) as hub:
        assert hub.get("/v1/models").status_code == 404  # nor the router on the Hub's
    assert {r.origin for r in emu.requests} == {"router", "hub"}
    assert all(r.origin == "router" for r in emu.requests if r.path.startswith("/v1/models/org"))
