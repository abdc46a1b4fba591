"""Providers whose model list needs no token are checked without one; the others still say which to set."""

from __future__ import annotations

from test_providers import check

from hfmap.clients.http import HttpClient
from hfmap.providers.base import Exists, Missing, Unknown
from hfmap.providers.registry import make_plugin


def test_featherless_and_ovhcloud_are_checked_without_a_token(hub):
    for provider, model_id in (("featherless-ai", "org/featherless-model"), ("ovhcloud", "Org-Model-7B")):
        hub.add_provider_model(provider, model_id)
        env = {"HFMAP_" + provider.upper().replace("-", "_") + "_TOKEN": ""}
        got = check(hub, provider, [model_id, "org/nope"], env)
        assert got == {model_id: Exists(), "org/nope": Missing(f"not in the {provider} model list")}
        request = [r for r in hub.requests if r.path.startswith(f"/providers/{provider}/")][-1]
        assert "authorization" not in request.headers


def test_a_provider_that_wants_a_token_after_all_says_which_variable(hub):
    hub.add_provider_model("ovhcloud", "Org-Model-7B")
    hub.require_provider_token("ovhcloud", "ovh-key-123")
    got = check(hub, "ovhcloud", ["Org-Model-7B"], {"HFMAP_OVHCLOUD_TOKEN": ""})
    assert got == {
        "Org-Model-7B": Unknown(
            "the ovhcloud API wants a token (HTTP 401): "
            "set OVHCLOUD_API_KEY or HFMAP_OVHCLOUD_TOKEN to check ovhcloud models",
            skipped=True,
        )
    }
    with_key = check(
        hub, "ovhcloud", ["Org-Model-7B"], {"OVHCLOUD_API_KEY": "ovh-key-123", "HFMAP_OVHCLOUD_TOKEN": ""}
    )
    assert with_key == {"Org-Model-7B": Exists()}


def test_providers_that_need_a_token_still_say_so():
    for provider in ("groq", "together", "fireworks-ai"):
        skipped = make_plugin(provider, HttpClient(), {})
        assert isinstance(skipped, Unknown) and skipped.skipped, provider
