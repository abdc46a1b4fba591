"""`check`'s progress advances as answers arrive: per look-up, and per page of a batched listing."""

from __future__ import annotations

import asyncio

from test_check_listing import many

from hfmap.check.engine import CheckOptions, run_check
from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.clients.hub import HubClient
from hfmap.providers.base import Unknown, env_prefix
from hfmap.providers.registry import make_plugin


class Recorder:
    """A progress sink that notes each step and how many Hub requests had been sent by then."""

    def __init__(self, hub, prefix: str = "/api/models") -> None:
        self.hub, self.prefix = hub, prefix
        self.total = 0
        self.steps: list[tuple[int, int]] = []

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, count: int) -> None:
        if count:
            self.steps.append((count, len([r for r in self.hub.requests if r.path.startswith(self.prefix)])))

    def close(self) -> None:
        pass


def test_a_paged_listing_advances_per_page_by_the_entries_it_answered(hub, write):
    path = many(write, 1100)
    hub.seed_from_yaml(path)
    recorder = Recorder(hub)
    run_check([path], CheckOptions(hub.url, use_cache=False, env={}), recorder)
    # the first page's thousand answers counted before the second page was asked for (the provider's
    # 1,100 look-ups, skipped without a token, are counted at once)
    assert (1000, 1) in recorder.steps and (100, 2) in recorder.steps
    assert sum(count for count, _ in recorder.steps) == recorder.total


def _answers_as_they_come(hub, provider: str, ids: list[str]) -> list[tuple[int, int]]:
    """(answers counted, provider requests sent by then) at each step of `exists`, one request at a time."""
    env = {**hub.env(), f"{env_prefix(provider)}_TOKEN": "provider-token-123"}
    steps: list[tuple[int, int]] = []

    def sent() -> int:
        return len([r for r in hub.requests if r.path.startswith(f"/providers/{provider}/")])

    async def go() -> None:
        async with HttpClient(concurrency=1, retry=RetryPolicy(attempts=1)) as http:
            plugin = make_plugin(provider, http, env, hub=HubClient(http, hub.url))
            assert not isinstance(plugin, Unknown), plugin
            await plugin.exists(ids, lambda n: steps.append((n, sent())))

    asyncio.run(go())
    return steps


def test_provider_look_ups_advance_one_answer_at_a_time(hub):
    for i in range(5):
        hub.add_provider_model("replicate", f"owner/m{i}")
    steps = _answers_as_they_come(hub, "replicate", [f"owner/m{i}" for i in range(5)])
    assert [count for count, _ in steps] == [1] * 5
    assert steps[0][1] < 5  # the first answer counted before the last request was sent


def test_a_batched_provider_advances_per_batch(hub):
    ids = [f"fal-ai/m{i}" for i in range(120)]
    for model_id in ids:
        hub.add_provider_model("fal-ai", model_id)
    steps = _answers_as_they_come(hub, "fal-ai", ids)
    assert [count for count, _ in steps] == [50, 50, 20]
    assert steps[0][1] < 3
