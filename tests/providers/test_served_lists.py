"""The plug-ins' "every id the provider lists" capability (`hfmap suggest`) and their decorations."""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st

from emulator import Fault
from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.clients.hub import HubClient
from hfmap.providers.base import Unknown, env_prefix
from hfmap.providers.decorations import Decorations
from hfmap.providers.registry import REGISTRY, make_plugin


def served(emu, provider: str, token: str | None = "provider-token-123"):
    env = {**emu.env(), **({f"{env_prefix(provider)}_TOKEN": token} if token else {})}

    async def go():
        async with HttpClient(retry=RetryPolicy(attempts=1)) as http:
            plugin = make_plugin(provider, http, env, hub=HubClient(http, emu.url))
            assert not isinstance(plugin, Unknown), plugin
            first = await plugin.served_ids()
            assert await plugin.served_ids() == first  # read once per run
            return first

    return asyncio.run(go())


def test_paged_lists_are_read_to_their_end(hub):
    fireworks = {f"accounts/fireworks/models/m{i:03d}" for i in range(450)}
    fal = {f"fal-ai/model-{i:03d}" for i in range(250)}
    for model_id in fireworks | {"accounts/someone/models/private"}:
        hub.add_provider_model("fireworks-ai", model_id)
    for model_id in fal:
        hub.add_provider_model("fal-ai", model_id)
    assert served(hub, "fireworks-ai") == fireworks  # only the serverless catalogue (account fireworks)
    assert served(hub, "fal-ai") == fal
    pages = [r for r in hub.requests if r.path == "/providers/fireworks-ai/v1/accounts/fireworks/models"]
    assert len(pages) == 3  # 200 a page


def test_one_call_lists_and_no_list(hub):
    hub.add_provider_model("together", "org/a-Turbo")
    hub.add_provider_model("featherless-ai", "org/b")
    assert served(hub, "together") == {"org/a-Turbo"}
    assert served(hub, "featherless-ai") == {"org/b"}
    assert served(hub, "replicate") is None
    listing = {name for name, spec in REGISTRY.items() if spec.plugin.lists_models()}
    assert {"replicate", "cohere", "hf-inference"}.isdisjoint(listing)
    assert {"together", "fireworks-ai", "fal-ai", "groq", "wavespeed", "featherless-ai"} <= listing


def test_a_broken_list_is_unknown_never_an_empty_list(hub):
    hub.add_provider_model("fal-ai", "fal-ai/a")
    hub.inject(Fault(method="GET", path="/providers/fal-ai/*", kind="status", status=503, times=None))
    assert isinstance(served(hub, "fal-ai"), Unknown)
    hub.clear_faults()
    hub.inject(Fault(method="GET", path="/providers/together/*", kind="huge", size=10_000))
    assert isinstance(served(hub, "together"), Unknown)


def test_featherless_lists_without_a_token(hub):
    hub.add_provider_model("featherless-ai", "org/b")
    assert served(hub, "featherless-ai", token=None) == {"org/b"}
    sent = [r.headers.get("authorization") for r in hub.requests if "featherless" in r.path]
    assert sent == [None]


def test_decorations_as_the_plugins_declare_them():
    together = REGISTRY["together"].plugin.decorations
    assert together.undecorated("meta-llama/Llama-3.3-70B-Instruct-Turbo") == [
        ("meta-llama/Llama-3.3-70B-Instruct", "suffix '-Turbo'")
    ]
    assert together.undecorated("org/x-turbo") == [("org/x", "suffix '-turbo'")]  # a lower-cased list
    assert together.undecorated("org/plain") == []
    assert together.undecorated("-Turbo") == []  # nothing left
    fireworks = REGISTRY["fireworks-ai"].plugin.decorations
    assert fireworks.undecorated("accounts/fireworks/models/deepseek-r1") == [
        ("deepseek-r1", "prefix 'accounts/fireworks/models/'")
    ]
    both = Decorations(prefixes=("p/",), suffixes=("-S",))
    assert both.undecorated("p/org/m-S") == [
        ("org/m-S", "prefix 'p/'"),
        ("p/org/m", "suffix '-S'"),
        ("org/m", "prefix 'p/' and suffix '-S'"),
    ]


ids = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)


@given(ids, st.sampled_from(("", "p/", "accounts/x/models/")), st.sampled_from(("", "-Turbo", "-Lite")))
def test_undecorating_a_decorated_id_gives_the_id_back(stem, prefix, suffix):
    """Whatever decoration is put on, removing the declared ones yields the id it decorated."""
    decorations = Decorations(prefixes=("p/", "accounts/x/models/"), suffixes=("-Turbo", "-Lite"))
    found = [candidate for candidate, _how in decorations.undecorated(prefix + stem + suffix)]
    if prefix or suffix:
        assert stem in found
    assert all(candidate and candidate in prefix + stem + suffix for candidate in found)


def test_lists_leave_out_what_the_provider_reports_as_going_away(hub):
    hub.add_provider_model("fal-ai", "fal-ai/current")
    hub.add_provider_model("fal-ai", "fal-ai/old", metadata={"status": "deprecated"})
    hub.add_provider_model("fireworks-ai", "accounts/fireworks/models/current")
    hub.add_provider_model("fireworks-ai", "accounts/fireworks/models/retired", deprecationDate="2020-01-01")
    hub.add_provider_model("fireworks-ai", "accounts/fireworks/models/loading", state="UPLOADING")
    assert served(hub, "fal-ai") == {"fal-ai/current"}
    assert served(hub, "fireworks-ai") == {"accounts/fireworks/models/current"}
