"""Listings never change an answer: for any Hub, the answers `check` gets with provider and namespace
listings equal the ones it gets asking model by model (hypothesis, against the emulator on a real socket).

Pages are made small (2 models) and the thresholds low, so every generated world pages, stops paging at
its bound, falls back for what is not listed plainly, and matches ids whatever their letter case.
"""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfmap.check import lookups as lookups_module
from hfmap.check.cache import Cache
from hfmap.check.lookups import Lookups
from hfmap.check.questions import Questions
from hfmap.clients import hub as hub_module
from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.clients.hub import HubClient

TOKEN = "hf_propertytoken0123"
NAMESPACES = ("org", "Big-Org", "solo")
TASKS = (None, "text-to-image", "text-generation", "image-text-to-text")

model = st.fixed_dictionaries(
    {
        "namespace": st.sampled_from(NAMESPACES),
        "name": st.text("abcxyz0123-", min_size=1, max_size=6),
        "pipeline_tag": st.sampled_from(TASKS),
        "tags": st.lists(st.sampled_from(["conversational", "lora", "gguf"]), unique=True, max_size=2),
        "private": st.booleans(),
        "gated": st.sampled_from([False, "auto", "manual"]),
        "disabled": st.booleans(),
        "live": st.booleans(),  # mapped live by replicate (so the provider's listing shows it)
    }
)


def recase(text: str, flips: list[bool]) -> str:
    padded = flips + [False] * (len(text) - len(flips))
    return "".join(c.swapcase() if flip else c for c, flip in zip(text, padded[: len(text)], strict=True))


async def answers(hub, questions: Questions, token: str | None) -> dict:
    async with HttpClient(retry=RetryPolicy(attempts=1)) as http:
        client = HubClient(http, hub.url, token)
        found = await Lookups(client, http, Cache(enabled=False)).answer(questions)
        return dict(found.hub_models), http.stats.requests


@pytest.mark.parametrize("token", [None, TOKEN], ids=["anonymous", "token"])
def test_listings_give_the_answers_the_look_ups_give(hub, monkeypatch, token):
    @settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        models=st.lists(model, max_size=14, unique_by=lambda m: (m["namespace"].lower(), m["name"])),
        missing=st.lists(
            st.sampled_from([f"{ns}/gone{i}" for ns in NAMESPACES for i in range(3)]), max_size=4
        ),
        flips=st.lists(st.booleans(), max_size=8),
    )
    def check(models, missing, flips):
        hub.reset()
        hub.add_token(TOKEN)
        asked = Questions()
        for item in models:
            repo_id = f"{item['namespace']}/{item['name']}"
            hub.add_model(
                repo_id,
                pipeline_tag=item["pipeline_tag"],
                tags=item["tags"],
                private=item["private"],
                gated=item["gated"],
                disabled=item["disabled"],
            )
            if item["live"]:
                hub.seed_mapping(
                    "replicate", item["pipeline_tag"] or "text-to-image", repo_id, f"o/{item['name']}"
                )
            asked.hub_models[recase(repo_id, flips)] = ["replicate"]
        for repo_id in missing:
            asked.hub_models[repo_id] = ["replicate"]

        with monkeypatch.context() as patch:
            patch.setattr(lookups_module, "LIST_THRESHOLD", 10**9)
            patch.setattr(lookups_module, "NAMESPACE_MIN", 10**9)
            one_by_one, plain_requests = asyncio.run(answers(hub, asked, token))
        with monkeypatch.context() as patch:
            patch.setattr(lookups_module, "LIST_THRESHOLD", 2)
            patch.setattr(lookups_module, "NAMESPACE_MIN", 2)
            patch.setattr(lookups_module, "NAMESPACE_PER_PAGE_WORTH", 2)
            patch.setattr(hub_module, "LIST_PAGE", 2)
            listed, _requests = asyncio.run(answers(hub, asked, token))
        assert listed == one_by_one
        assert plain_requests == len(asked.hub_models)

    check()


def test_a_huge_namespace_is_not_paged_through_for_a_few_models(hub, run_cli, tmp_path):
    for i in range(2500):
        hub.add_model(f"huge/m{i:05d}", pipeline_tag="text-to-image")
    lines = ["provider: replicate", "mappings:"]
    for i in (2499, 2498, 2497):  # on the last page of three
        lines += [f"  - hfModel: huge/m{i:05d}", f"    providerModel: o/m{i}", "    task: text-to-image"]
    path = tmp_path / "m.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = run_cli("check", path, env=hub.env())
    assert result.exit_code == 0, result.stdout
    hub_requests = [r.path for r in hub.requests if r.path.startswith("/api/")]
    # one page of the listing (3 look-ups are worth one page, not three), then the three one by one
    assert hub_requests.count("/api/models") == 1 and len(hub_requests) == 4


def test_two_models_of_a_namespace_are_asked_directly(hub, run_cli, tmp_path):
    hub.add_model("pair/a", pipeline_tag="text-to-image")
    hub.add_model("pair/b", pipeline_tag="text-to-image")
    path = tmp_path / "m.yaml"
    path.write_text(
        "provider: replicate\nmappings:\n"
        "  - {hfModel: pair/a, providerModel: o/a, task: text-to-image}\n"
        "  - {hfModel: pair/b, providerModel: o/b, task: text-to-image}\n"
    )
    result = run_cli("check", path, env=hub.env())
    assert result.exit_code == 0, result.stdout
    assert sorted(r.path for r in hub.requests if r.path.startswith("/api/")) == [
        "/api/models/pair/a",
        "/api/models/pair/b",
    ]
