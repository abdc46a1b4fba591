"""What every provider plug-in shares: the answers it gives, how it finds its URL and token, how it reads.

A plug-in answers one question for a batch of provider model ids: does each exist on the provider's own
API? The answer is a value per id, never an exception: `Exists`, `Missing`, `VersionMissing` (the model
exists, the pinned version does not) or `Unknown` (we could not find out; `skipped` when we did not try,
e.g. no token, so it is reported as a notice rather than as a failed look-up). A plug-in whose API has a
documented state field also says, in `Exists`, when the provider marks the model deprecated.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hfmap.clients.http import HttpClient, HttpUnavailable
from hfmap.providers.decorations import NONE, Decorations
from hfmap.secrets import register_secret

Progress = Callable[[int], None] | None  # told how many look-ups were just answered


@dataclass(frozen=True)
class Exists:
    """The provider serves this model (and the pinned version, if any).

    `deprecated` is the optional state answer: what the provider's own API says when it marks the model
    deprecated or not ready. None when it says nothing of the kind, or when the plug-in cannot tell:
    an unknown state is never reported as a problem.
    """

    deprecated: str | None = None


@dataclass(frozen=True)
class Missing:
    """The provider's API says there is no such model."""

    reason: str = "not found"


@dataclass(frozen=True)
class VersionMissing:
    """The model exists but the pinned version does not."""

    version: str


@dataclass(frozen=True)
class Unknown:
    """No answer: `skipped` (not asked: no token, no plug-in) or unavailable (timeout, 5xx, garbage)."""

    reason: str
    skipped: bool = False


Result = Exists | Missing | VersionMissing | Unknown


def env_prefix(provider: str) -> str:
    """`HFMAP_<PROVIDER>` with the provider upper-cased and `-` → `_` (e.g. HFMAP_FAL_AI)."""
    return "HFMAP_" + provider.upper().replace("-", "_")


@dataclass(frozen=True)
class ProviderSpec:
    """How to reach one provider's model API: the plug-in, its default base URL and token variables."""

    provider: str
    plugin: type[ProviderPlugin]
    default_url: str
    token_vars: tuple[str, ...] = ()
    needs_token: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)
    answers_from_hub: bool = False  # hf-inference: its models are Hub models, answered by the Hub look-up

    @property
    def url_var(self) -> str:
        return env_prefix(self.provider) + "_API_URL"

    @property
    def token_var(self) -> str:
        return env_prefix(self.provider) + "_TOKEN"

    def base_url(self, env: Mapping[str, str]) -> str:
        return (env.get(self.url_var) or self.default_url).rstrip("/")

    def token(self, env: Mapping[str, str]) -> str | None:
        for name in (self.token_var, *self.token_vars):
            value = (env.get(name) or "").strip()
            if value:
                return value
        return None

    def token_hint(self) -> str:
        names = " or ".join((*self.token_vars[:1], self.token_var))
        return f"set {names} to check {self.provider} models"


class ProviderPlugin:
    """Base of the plug-ins: authenticated GETs with errors turned into `Unknown` values."""

    auth_scheme: ClassVar[str] = "Bearer"
    # How the provider's model list spells Hub repo ids (`hfmap suggest`); data, per plug-in.
    decorations: ClassVar[Decorations] = NONE

    def __init__(
        self, spec: ProviderSpec, http: HttpClient, base_url: str, token: str | None, **context: Any
    ) -> None:
        self.spec = spec
        self.provider = spec.provider
        self.http = http
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.context = context
        self._once: dict[str, asyncio.Task[Any]] = {}
        register_secret(token)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"{self.auth_scheme} {self._token}"} if self._token else {}

    async def get(self, path: str, params: Any = None) -> tuple[int, Any] | Unknown:
        """GET `base_url + path`: (status, parsed JSON or None) or `Unknown` when no usable answer came."""
        url = self.base_url + path
        try:
            response = await self.http.request("GET", url, params=params, headers=self.headers())
        except HttpUnavailable as exc:
            return Unknown(f"the {self.provider} API did not answer: {exc.reason}")
        status = response.status_code
        if status in (401, 403):
            if self._token is None:
                text = f"the {self.provider} API wants a token (HTTP {status}): {self.spec.token_hint()}"
                return Unknown(text, skipped=True)
            return Unknown(f"the {self.provider} API refused the token (HTTP {status})", skipped=True)
        if status == 404:
            return status, None
        if status != 200:
            return Unknown(f"the {self.provider} API answered HTTP {status}")
        try:
            return status, response.json()
        except ValueError:
            return Unknown(f"the {self.provider} API's answer was not valid JSON")

    async def model_object(
        self, path: str, where: str, deprecated: Callable[[dict[str, Any]], str | None] | None = None
    ) -> Result:
        """GET one model's object: 404 → `Missing("not found on <where>")`, an object → `Exists`.

        `deprecated` reads the object's state fields (the plug-in's own), for `Exists.deprecated`.
        """
        answer = await self.get(path)
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        if status == 404:
            return Missing(f"not found on {where}")
        if not isinstance(body, dict):
            return Unknown(f"the {self.provider} API's answer was not a model object")
        return Exists(deprecated(body) if deprecated else None)

    def once(self, name: str, make: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
        """Run `make()` once per plug-in (per run) however many ask: list-once APIs, shared parents."""
        task = self._once.get(name)
        if task is None:
            task = self._once[name] = asyncio.ensure_future(make())
        return task

    async def exists(self, model_ids: Iterable[str], on_answer: Progress = None) -> dict[str, Result]:
        """Each id → its answer; `on_answer(n)` as n of them are answered (a progress bar's step). Plug-ins
        override `exists` or `exists_one`."""
        ids = list(dict.fromkeys(model_ids))

        async def one(model_id: str) -> Result:
            result = await self.exists_one(model_id)
            if on_answer is not None:
                on_answer(1)
            return result

        results = await asyncio.gather(*(one(i) for i in ids))
        return dict(zip(ids, results, strict=True))

    async def exists_one(self, model_id: str) -> Result:
        raise NotImplementedError

    async def served_ids(self) -> set[str] | Unknown | None:
        """Every model id the provider's API lists (`hfmap suggest`), once per run; None when the API
        has no list to read. Plug-ins with a list override this (or `ListPlugin.list_ids`)."""
        return None

    @classmethod
    def lists_models(cls) -> bool:
        """Whether `served_ids` can answer: asked before a token is looked for."""
        return cls.served_ids is not ProviderPlugin.served_ids


class ListPlugin(ProviderPlugin):
    """Providers whose API lists every model in one call: fetch the list once per run, answer from it."""

    async def list_ids(self) -> set[str] | Unknown:
        raise NotImplementedError

    async def served_ids(self) -> set[str] | Unknown | None:
        return await self.once("list", self.list_ids)

    async def exists(self, model_ids: Iterable[str], on_answer: Progress = None) -> dict[str, Result]:
        """One list answers every id at once (the caller counts them when it returns)."""
        ids = list(dict.fromkeys(model_ids))
        if not ids:
            return {}
        known = await self.once("list", self.list_ids)
        if isinstance(known, Unknown):
            return dict.fromkeys(ids, known)
        return {i: Exists() if i in known else Missing(f"not in the {self.provider} model list") for i in ids}
