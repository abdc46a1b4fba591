"""Ask the Hub and the providers each distinct question once: from the cache when it can, else the network.

Nothing here judges: answers are values (`hfmap.check.answers`) that `hfmap.check.judge` turns into
findings. Hub look-ups cost the most under the Hub's rate limit (500 requests per 5 minutes anonymous), so
before asking model by model, listings answer what they can: the models a provider serves live (when it
maps many of the declared models), then each namespace that holds several of them
(`GET /api/models?author=NS`, 1,000 models a page). A listing answers only models it shows plainly
(`hfmap.clients.hub.listed_model`); everything else is still looked up one by one, so the answers are the
ones the look-ups would give. The pages read are bounded by what they can save.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from hfmap.check.answers import NOT_CACHED, Answers, FilterAnswer, HubAnswer, Skipped
from hfmap.check.cache import Cache
from hfmap.check.codec import (
    decode_count,
    decode_filter,
    decode_hub,
    decode_provider,
    encode_count,
    encode_filter,
    encode_hub,
    encode_missing,
    encode_provider,
)
from hfmap.check.questions import Questions
from hfmap.clients.http import HttpClient
from hfmap.clients.hub import HubClient, Missing, Unavailable, listed_model
from hfmap.clients.urls import redact_url
from hfmap.providers.base import Progress, Result, Unknown
from hfmap.providers.registry import REGISTRY, make_plugin
from hfmap.providers.status import StatusAnswer, make_status_source

LIST_THRESHOLD = 50  # uncached Hub look-ups for one provider's entries before its model list is read first
LIST_PER_PAGE_WORTH = 100  # read one more page of that list per this many look-ups it may save
NAMESPACE_MIN = 3  # uncached look-ups in one namespace before its listing is read (2 cost 2 requests anyway)
NAMESPACE_PER_PAGE_WORTH = 5  # pages of a namespace's listing: at most one per this many look-ups
_T = TypeVar("_T")

NOT_PUBLIC = "not among the public models its namespace's listing shows"


class Lookups:
    """Answers remote questions once each: from the cache, else (unless offline) from the network."""

    def __init__(
        self,
        hub: HubClient,
        http: HttpClient,
        cache: Cache,
        *,
        offline: bool = False,
        env: Mapping[str, str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.hub = hub
        self.http = http
        self.cache = cache
        self.offline = offline
        self.env = env or {}
        self._progress = progress or (lambda _n: None)
        self._hub_tasks: dict[str, asyncio.Task[HubAnswer]] = {}
        self._hub_known: dict[str, HubAnswer] = {}  # answered by the cache or by a provider's model list
        self._hub_not_cached: set[str] = set()  # looked up in the cache once already
        self._counted: set[str] = set()  # answered by a listing page, and counted for progress then
        self._auth = "1" if hub.authenticated else "0"
        self._endpoint = redact_url(hub.endpoint)  # cache keys never hold a URL's password

    def _hub_key(self, repo_id: str) -> str:
        return f"{self._endpoint}/api/models/{quote(repo_id, safe='/')}?auth={self._auth}"

    def _cached_hub(self, repo_id: str) -> HubAnswer | None:
        known = self._hub_known.get(repo_id)
        if known is None and repo_id not in self._hub_not_cached:
            self._hub_not_cached.add(repo_id)
            cached = self.cache.get(self._hub_key(repo_id))
            known = decode_hub(cached) if cached is not None else None
            if known is not None:
                self._hub_known[repo_id] = known
        return known

    def _store_hub(self, repo_id: str, answer: HubAnswer) -> None:
        encoded = encode_hub(answer)
        if encoded is not None:
            self.cache.put(self._hub_key(repo_id), *encoded)

    async def _hub_model(self, repo_id: str) -> HubAnswer:
        answer = self._cached_hub(repo_id)
        if answer is None:
            if self.offline:
                return Skipped(NOT_CACHED)
            answer = await self.hub.model_info(repo_id)
            self._store_hub(repo_id, answer)
        return answer

    async def prefetch_served(self, provider: str, repo_ids: list[str]) -> None:
        """Answer many model look-ups from one listing of the models `provider` serves live.

        A live mapping's model is in that list with the fields the checks need, so a repository whose
        entries are mostly live costs a request per thousand models instead of one per model. At most one
        page per LIST_PER_PAGE_WORTH look-ups is read, so a provider serving far more models than the
        files declare never costs more than it saves. Each page is learned (and counted) as it arrives.
        """
        await self.hub.served_models(
            provider, max_pages=1 + len(repo_ids) // LIST_PER_PAGE_WORTH, on_page=self._page_learner(repo_ids)
        )

    async def prefetch_namespace(self, namespace: str, repo_ids: list[str]) -> None:
        """Answer the look-ups of one namespace from its listing, at most one page per
        NAMESPACE_PER_PAGE_WORTH of them: a namespace of 50,000 models is never paged through to answer
        a few (its models not on the pages read are looked up one by one)."""
        pages = max(1, len(repo_ids) // NAMESPACE_PER_PAGE_WORTH)
        await self.hub.namespace_models(namespace, max_pages=pages, on_page=self._page_learner(repo_ids))

    def _page_learner(self, repo_ids: list[str]) -> Callable[[list[dict[str, Any]]], None]:
        """Learn each page of a listing as it arrives (progress counts the look-ups it answered then); a
        listing that fails part-way keeps its pages, and the one-by-one look-ups answer the rest."""

        def learn(items: list[dict[str, Any]]) -> None:
            learned = self._learn(items, repo_ids)
            self._counted.update(learned)
            self._progress(len(learned))

        return learn

    def _learn(self, listed: list[dict[str, Any]], repo_ids: list[str]) -> list[str]:
        """Keep the listed answers to questions in `repo_ids` (ids match without regard to case); the ids
        answered now."""
        wanted: dict[str, list[str]] = {}
        for repo_id in repo_ids:
            wanted.setdefault(repo_id.lower(), []).append(repo_id)
        learned: list[str] = []
        for item in listed:
            asked = wanted.get(str(item.get("id", "")).lower())
            info = listed_model(item) if asked else None
            if not asked or info is None:
                continue
            for repo_id in asked:
                if repo_id not in self._hub_known:
                    self._hub_known[repo_id] = info
                    self._store_hub(repo_id, info)
                    learned.append(repo_id)
        return learned

    async def public_models(self, repo_ids: list[str]) -> dict[str, HubAnswer]:
        """Each repo id → its answer, for a caller that wants public models only (`hfmap suggest`).

        Most of the ids asked may not exist (a provider's decorated names), so a namespace listing read
        to its end answers them too: a model it does not show is not public. That conclusion is cached
        under its own key, never as the model's answer: `check` must still tell missing from private
        or disabled. A namespace of one id is asked directly (a listing would cost as much).
        """
        answers: dict[str, HubAnswer] = {}
        todo: dict[str, list[str]] = {}
        for repo_id in dict.fromkeys(repo_ids):
            known = self._cached_hub(repo_id)
            absent = None if known is not None else self.cache.get(self._absent_key(repo_id))
            if known is None and absent is not None:
                known = decode_hub(absent)
            if known is None and self.offline:
                known = Skipped(NOT_CACHED)
            if known is None:
                todo.setdefault(repo_id.partition("/")[0].lower(), []).append(repo_id)
            else:
                answers[repo_id] = known
                self._progress(1)

        async def namespace(ids: list[str]) -> None:
            unsure = await self._list_namespace(ids[0].partition("/")[0], ids) if len(ids) > 1 else None
            for repo_id in ids:
                if repo_id in self._hub_known:
                    answers[repo_id] = self._hub_known[repo_id]
                elif unsure is not None and repo_id.lower() not in unsure:
                    absent = Missing(NOT_PUBLIC)
                    answers[repo_id] = absent
                    self.cache.put(self._absent_key(repo_id), *encode_missing(absent))
            await gather_all(*(one(r) for r in ids if r not in answers))
            self._progress(sum(1 for r in ids if r in answers))

        async def one(repo_id: str) -> None:
            answers[repo_id] = await self.hub_model(repo_id)

        await gather_all(*(namespace(ids) for ids in todo.values()))
        return answers

    async def _list_namespace(self, namespace: str, repo_ids: list[str]) -> frozenset[str] | None:
        """Learn `repo_ids` from the namespace's listing. When it was read to its end and shows models,
        the (lower-cased) ids it shows without saying enough (private, disabled, odd gating), which need
        their own look-up; None when it proves nothing (cut short, failed, or empty: the Hub may spell the
        namespace differently)."""
        pages = max(1, len(repo_ids) // NAMESPACE_PER_PAGE_WORTH)
        listing = await self.hub.namespace_listing(namespace, max_pages=pages)
        if isinstance(listing, Unavailable):
            return None
        items, complete = listing
        self._learn(items, repo_ids)
        if not complete or not items:
            return None
        return frozenset(str(i.get("id", "")).lower() for i in items if listed_model(i) is None)

    def _absent_key(self, repo_id: str) -> str:
        return self._hub_key(repo_id) + "#public=absent"

    def _tags_key(self, tags: tuple[str, ...], limit: int) -> str:
        query = urlencode([("filter", t) for t in tags] + [("limit", str(limit)), ("auth", self._auth)])
        return f"{self._endpoint}/api/models?{query}"

    async def _through_cache(
        self,
        key: str,
        decode: Callable[[dict[str, Any]], _T | None],
        ask: Callable[[], Awaitable[_T | Unavailable]],
        keep: Callable[[_T], tuple[dict[str, Any], float]],
    ) -> _T | Unavailable | Skipped:
        """The cached answer for `key`, else (unless offline) the network's, kept when it is an answer."""
        cached = self.cache.get(key)
        hit = decode(cached) if cached is not None else None
        if hit is not None:
            return hit
        if self.offline:
            return Skipped(NOT_CACHED)
        answer = await ask()
        if not isinstance(answer, Unavailable):
            self.cache.put(key, *keep(answer))
        return answer

    async def tag_count(self, tags: tuple[str, ...], cap: int) -> tuple[int, bool] | Unavailable | Skipped:
        """How many public models carry all `tags` (up to `cap`, and whether there are more), cached."""
        key = self._tags_key(tags, cap) + "#count"
        return await self._through_cache(
            key, decode_count, lambda: self.hub.count_with_tags(tags, cap), encode_count
        )

    def hub_model(self, repo_id: str) -> asyncio.Task[HubAnswer]:
        task = self._hub_tasks.get(repo_id)
        if task is None:
            task = self._hub_tasks[repo_id] = asyncio.ensure_future(self._hub_model(repo_id))
        return task

    async def tag_filter(self, tags: tuple[str, ...]) -> FilterAnswer:
        key = self._tags_key(tags, 1)
        return await self._through_cache(
            key, decode_filter, lambda: self.hub.models_with_tags(tags), encode_filter
        )

    async def provider_models(
        self, provider: str, ids: list[str], on_answer: Progress = None
    ) -> dict[str, Result]:
        spec = REGISTRY.get(provider)
        if spec is not None and spec.answers_from_hub:  # the Hub look-up has its own cache and offline rule
            plugin = make_plugin(provider, self.http, self.env, hub=self.hub, hub_model=self.hub_model)
            assert not isinstance(plugin, Unknown)
            return await plugin.exists(ids, on_answer)
        results: dict[str, Result] = {}
        todo: list[str] = []
        base = redact_url(spec.base_url(self.env)) if spec is not None else None
        for model_id in ids:
            cached = self.cache.get(_provider_key(base, provider, model_id)) if base else None
            answer = decode_provider(cached) if cached is not None else None
            if answer is None:
                todo.append(model_id)
            else:
                results[model_id] = answer
        if not todo:
            return results
        if self.offline:
            results.update(dict.fromkeys(todo, Unknown(NOT_CACHED, skipped=True)))
            return results
        plugin = make_plugin(provider, self.http, self.env, hub=self.hub)
        if isinstance(plugin, Unknown):
            results.update(dict.fromkeys(todo, plugin))
            return results
        fetched = await plugin.exists(todo, on_answer)
        for model_id, answer in fetched.items():
            encoded = encode_provider(answer)
            if encoded is not None:
                self.cache.put(_provider_key(base, provider, model_id), *encoded)
        results.update(fetched)
        return results

    async def auto_statuses(self, provider: str, ids: list[str]) -> dict[str, StatusAnswer | Skipped]:
        """What `provider`'s status source says now (never cached: warmth changes by the minute)."""
        if self.offline:
            return dict.fromkeys(ids, Skipped("offline: the provider's status source was not asked"))
        source = make_status_source(provider, self.http, self.env)
        if source is None:  # lint's status-auto rule reports it
            return {}
        return dict(await source.statuses(ids))

    async def answer(self, asked: Questions) -> Answers:
        """Ask everything at once (the HTTP layer bounds concurrency); progress is reported per answer."""
        answers = Answers()

        async def hub(repo_id: str) -> None:
            answers.hub_models[repo_id] = await self.hub_model(repo_id)
            if repo_id not in self._counted:  # a listing page counted it when it answered it
                self._progress(1)

        async def namespace(repo_ids: list[str]) -> None:
            if len(repo_ids) >= NAMESPACE_MIN:  # named as its first entry spells it (the Hub's own case)
                await self.prefetch_namespace(repo_ids[0].partition("/")[0], repo_ids)
            await gather_all(*(hub(r) for r in repo_ids))

        async def all_hub(uncached: dict[str, list[str]], cached: list[str]) -> None:
            big = [(p, ids) for p, ids in uncached.items() if p and len(ids) >= LIST_THRESHOLD]
            await gather_all(*(self.prefetch_served(p, ids) for p, ids in big))
            namespaces: dict[str, list[str]] = {}
            for ids in uncached.values():
                for repo_id in ids:
                    if repo_id not in self._hub_known:
                        namespaces.setdefault(repo_id.partition("/")[0].lower(), []).append(repo_id)
            known = [r for ids in uncached.values() for r in ids if r in self._hub_known]
            await gather_all(
                *(hub(r) for r in [*cached, *known]),
                *(namespace(ids) for ids in namespaces.values()),
            )

        async def tags(key: tuple[str, ...]) -> None:
            answers.tag_filters[key] = await self.tag_filter(key)
            self._progress(1)

        async def provider_batch(name: str, ids: list[str]) -> None:
            counted = 0

            def answered(count: int) -> None:  # per look-up or page, as the provider answers
                nonlocal counted
                counted += count
                self._progress(count)

            for model_id, result in (await self.provider_models(name, ids, answered)).items():
                answers.provider_models[(name, model_id)] = result
            if len(ids) > counted:  # cached, skipped or answered by one list: all at once
                self._progress(len(ids) - counted)

        async def status_batch(name: str, ids: list[str]) -> None:
            for model_id, said in (await self.auto_statuses(name, ids)).items():
                answers.auto_statuses[(name, model_id)] = said
            self._progress(len(ids))

        # Hub questions the cache cannot answer, grouped by the (first) provider that maps the model.
        uncached: dict[str, list[str]] = {}
        cached: list[str] = []
        for repo_id, providers in asked.hub_models.items():
            if self.offline or self._cached_hub(repo_id) is not None:
                cached.append(repo_id)
            else:
                uncached.setdefault(providers[0] if providers else "", []).append(repo_id)

        await gather_all(
            all_hub(uncached, cached),
            *(tags(t) for t in asked.tag_filters),
            *(provider_batch(name, list(ids)) for name, ids in asked.provider_models.items()),
            *(status_batch(name, list(ids)) for name, ids in asked.auto_statuses.items()),
        )
        return answers


async def gather_all(*awaitables: Any) -> list[Any]:
    """`asyncio.gather` that lets every task finish and then raises the first error (e.g. InvalidToken),
    so no task's failure is left unretrieved (asyncio would print it on stderr at exit)."""
    outcomes = await asyncio.gather(*awaitables, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


def _provider_key(base: str | None, provider: str, model_id: str) -> str:
    """The cache key of one provider model: its API's base URL (no user info), the provider and the id."""
    return f"{base}#provider={provider}&model={model_id}"
