"""HubClient: each kind of Hub answer becomes the right value (MockTransport, one function at a time)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.clients.hub import HubClient, InvalidToken, Missing, ModelInfo, Unavailable, task_fits
from httpx_transport import mock

NOT_FOUND = {"X-Error-Code": "RepoNotFound"}


def ask(response: httpx.Response, token: str | None = None, tags: bool = False):
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return response

    async def go():
        transport = mock(handler)
        async with HttpClient(transport=transport, retry=RetryPolicy(attempts=1)) as http:
            hub = HubClient(http, "https://hub.test/", token)
            if tags:
                return await hub.models_with_tags(["lora", "base_model:adapter:a/b"])
            return await hub.model_info("org/name")

    return asyncio.run(go()), requests


def test_model_info_asks_for_just_the_needed_fields():
    body = {"_id": "1", "id": "Org/Name", "pipeline_tag": "text-to-image", "tags": ["a"], "gated": "manual"}
    info, requests = ask(httpx.Response(200, json=body))
    assert info == ModelInfo(
        "Org/Name", "text-to-image", ("a",), private=False, gated="manual", disabled=False
    )
    assert str(requests[0].url) == (
        "https://hub.test/api/models/org/name?expand%5B%5D=pipeline_tag&expand%5B%5D=tags"
        "&expand%5B%5D=private&expand%5B%5D=gated&expand%5B%5D=disabled"
    )
    assert "authorization" not in requests[0].headers


MISSING_404 = httpx.Response(404, json={"error": "Repository not found"}, headers=NOT_FOUND)
ANONYMOUS_401 = httpx.Response(401, json={"error": "Invalid username or password."}, headers=NOT_FOUND)


@pytest.mark.parametrize(
    ("response", "token", "expected"),
    [
        (MISSING_404, "hf_t0123456789", Missing("not found on the Hub")),
        (ANONYMOUS_401, None, Missing("not found on the Hub, or private", maybe_private=True)),
        (httpx.Response(500, json={"error": "boom"}), None, Unavailable("the Hub answered HTTP 500: boom")),
        (httpx.Response(200, content=b"<html>"), None, Unavailable("the Hub's answer was not valid JSON")),
        (httpx.Response(200, json=[1]), None, Unavailable("the Hub's answer was not a model object")),
    ],
)
def test_model_info_outcomes(response, token, expected):
    assert ask(response, token)[0] == expected


def test_a_rejected_token_is_fatal_and_does_not_contain_it():
    response = httpx.Response(401, json={"error": "Invalid credentials in Authorization header"})
    with pytest.raises(InvalidToken) as info:
        ask(response, "hf_rejected0123456789")
    assert "HF_TOKEN is invalid" in str(info.value) and "hf_rejected" not in str(info.value)


def test_tag_search():
    found, requests = ask(httpx.Response(200, json=[{"id": "a/b"}]), tags=True)
    assert found is True
    assert requests[0].url.params.get_list("filter") == ["lora", "base_model:adapter:a/b"]
    assert requests[0].url.params["limit"] == "1"
    assert ask(httpx.Response(200, json=[]), tags=True)[0] is False
    assert ask(httpx.Response(200, json={}), tags=True)[0] == Unavailable(
        "the Hub's answer was not a list of models"
    )


def test_the_hubs_create_rule():
    chat = ModelInfo("a/b", "text-generation", ("conversational",))
    assert task_fits("conversational", chat) and task_fits("text-generation", chat)
    assert not task_fits("conversational", ModelInfo("a/b", "text-generation"))
    assert task_fits("conversational", ModelInfo("a/b", "image-text-to-text", ("conversational",)))
    assert not task_fits("conversational", ModelInfo("a/b", "text-to-image", ("conversational",)))
    assert not task_fits("text-to-image", ModelInfo("a/b", None))
