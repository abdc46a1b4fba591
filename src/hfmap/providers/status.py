"""Status sources: a provider's own signal of whether a model is warm, the input of `status: auto`.

A status source answers, for a batch of provider model ids, what the provider says about each: an answer
hfmap knows (`status` is `live` or `staging`), or none it can use (`status` None: no answer, an error, or
a word hfmap does not know). Never an exception: `status: auto` must keep the live status when the
provider is down, never demote on an error. Requests go through the run's `HttpClient` (bounded
concurrency, the usual retries, rate limits honoured) and carry no token.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from hfmap.clients.http import HttpClient
from hfmap.providers.status_sources import STATUS_SOURCES

MAX_WORD = 40  # characters of a provider's status word kept for messages (it is untrusted text)


@dataclass(frozen=True)
class StatusAnswer:
    """What a provider said about one model. `said`: its own word, if it sent one; `status`: `live` or
    `staging` when hfmap knows that word, None otherwise (then `detail` says why, for messages)."""

    said: str | None
    status: str | None
    detail: str = ""


def unusable(detail: str, said: str | None = None) -> StatusAnswer:
    """An answer that decides nothing: no answer, an error, or a word hfmap does not know."""
    return StatusAnswer(said[:MAX_WORD] if said is not None else None, None, detail)


class StatusSource:
    """Base of the plug-ins: `status_of` one provider model; `statuses` asks each distinct id once."""

    provider: ClassVar[str]
    url_var: ClassVar[str]  # environment variable of the base URL
    default_url: ClassVar[str]

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    def question(self, provider_model: str) -> str:
        """What is asked about `provider_model` (ids that share it are asked once: e.g. pinned versions)."""
        return provider_model

    async def status_of(self, question: str) -> StatusAnswer:
        raise NotImplementedError

    async def statuses(self, provider_models: Iterable[str]) -> dict[str, StatusAnswer]:
        ids = list(dict.fromkeys(provider_models))
        questions = list(dict.fromkeys(self.question(i) for i in ids))
        answers = dict(
            zip(questions, await asyncio.gather(*(self.status_of(q) for q in questions)), strict=True)
        )
        return {i: answers[self.question(i)] for i in ids}


def make_status_source(provider: str, http: HttpClient, env: Mapping[str, str]) -> StatusSource | None:
    """The status source of `provider` for this run (base URL from its environment variable), or None."""
    target = STATUS_SOURCES.get(provider)
    if target is None:
        return None
    module_name, _, class_name = target.partition(":")
    plugin: type[StatusSource] = getattr(importlib.import_module(module_name), class_name)
    return plugin(http, (env.get(plugin.url_var) or "").strip() or plugin.default_url)
