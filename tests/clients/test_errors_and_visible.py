"""The Hub's error bodies in every form, request ids, and `inferenceProviderMapping` in both shapes."""

from __future__ import annotations

import httpx
import pytest

from hfmap.clients.errors import error_text, request_id
from hfmap.clients.partner import hub_message
from hfmap.clients.visible import parse_provider_mapping, visible_model
from hfmap.secrets import register_secret


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        ({"error": "Repository not found"}, {}, "Repository not found"),
        ({"error": ["first", "second"]}, {}, "first; second"),
        ({"error_description": "described"}, {}, "described"),
        ({"error": "invalid_grant", "error_description": "expired"}, {}, "invalid_grant: expired"),
        ({"errors": [{"message": "one"}, {"message": "two"}, {"code": 3}]}, {}, "one; two"),
        ({"message": "plain message"}, {}, "plain message"),
        (None, {"X-Error-Message": "from the header"}, "from the header"),
        ({"error": "same"}, {"X-Error-Message": "same"}, "same"),
        ({"error": "body"}, {"X-Error-Message": "header"}, "header; body"),
        ({"error": None, "errors": "not a list"}, {}, ""),
        (["not", "an", "object"], {}, ""),
    ],
)
def test_every_form_of_the_hubs_error_body(body, headers, expected):
    response = (
        httpx.Response(400, json=body, headers=headers)
        if body is not None
        else httpx.Response(400, headers=headers)
    )
    assert error_text(response) == expected


def test_a_body_that_is_not_json_falls_back_on_its_start_and_tokens_are_redacted():
    register_secret("hf_abcdefghijklmnopqrstu")  # a token hfmap holds (only those are masked, issue 9)
    response = httpx.Response(
        502, text="<html>Bad gateway hf_abcdefghijklmnopqrstu hf_NotOurs12345678</html>"
    )
    assert error_text(response) == ""
    assert hub_message(response) == "HTTP 502: <html>Bad gateway *** hf_NotOurs12345678</html>"


def test_request_ids_are_read_from_the_hubs_headers():
    assert request_id(httpx.Response(500, headers={"X-Request-Id": "Root=1-abc"})) == "Root=1-abc"
    assert request_id(httpx.Response(500, headers={"X-Amzn-Trace-Id": "Root=1-def"})) == "Root=1-def"
    assert request_id(httpx.Response(500)) is None
    assert request_id(httpx.Response(500, headers={"X-Request-Id": "a\tb  c"})) == "a b c"


def test_the_dict_and_the_list_shape_give_the_same_entries():
    entry = {"status": "live", "providerId": "o/m", "task": "text-to-image", "type": "single-model"}
    as_dict = parse_provider_mapping({"replicate": entry, "fal-ai": {**entry, "providerId": "fal-ai/m"}})
    as_list = parse_provider_mapping(
        [
            {"provider": "replicate", "hfModelId": "org/m", **entry},
            {"provider": "fal-ai", "hfModelId": "org/m", **entry, "providerId": "fal-ai/m"},
        ]
    )
    assert as_dict == as_list and as_dict["replicate"].provider_id == "o/m"


def test_odd_shapes_are_ignored_not_crashed_on():
    assert parse_provider_mapping(None) == {}
    assert parse_provider_mapping("live") == {}
    assert parse_provider_mapping([{"no": "provider"}, "junk", {"provider": 3}]) == {}
    odd = parse_provider_mapping({"replicate": {"providerId": 5, "status": ["live"], "isModelAuthor": "yes"}})
    assert odd["replicate"].provider_id is None and odd["replicate"].status is None
    assert odd["replicate"].is_model_author is None
    first_wins = parse_provider_mapping(
        [{"provider": "r", "providerId": "a"}, {"provider": "r", "providerId": "b"}]
    )
    assert first_wins["r"].provider_id == "a"
    assert visible_model({"id": 3}) is None and visible_model("x") is None
    assert visible_model({}, "org/m").id == "org/m"


def test_a_tag_filter_entry_is_told_by_type_or_by_its_adapter():
    by_type = parse_provider_mapping({"r": {"type": "tag-filter"}})["r"]
    by_adapter = parse_provider_mapping({"r": {"adapter": "lora"}})["r"]
    direct = parse_provider_mapping({"r": {"type": "single-model", "adapter": "lora"}})["r"]
    assert by_type.from_tag_filter and by_adapter.from_tag_filter and not direct.from_tag_filter
