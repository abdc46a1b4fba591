"""The Hub's model API as `check` reads it: model info and tag search, with every outcome a value.

A run checks hundreds of models and must report all of them, so nothing here raises for one model's
sake: a model is a `ModelInfo`, `Missing` (the Hub said so) or `Unavailable` (we could not find out).
Only a rejected token is fatal, since every later request would fail the same way.
The token is sent to the Hub's own endpoint and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from hfmap.clients.errors import error_text
from hfmap.clients.http import HttpClient, HttpUnavailable, header_problem
from hfmap.clients.visible import VisibleModel, model_id_of, visible_model
from hfmap.errors import HfmapError
from hfmap.secrets import redact

# Just what the checks need: with expand[], the Hub returns only these (plus _id and id).
CHECK_EXPAND = ("pipeline_tag", "tags", "private", "gated", "disabled")
CONVERSATIONAL = "conversational"
CONVERSATIONAL_PIPELINES = ("text-generation", "image-text-to-text")
LIST_PAGE = 1000  # models per page of GET /api/models (the Hub's maximum)
OnPage = Callable[[list[dict[str, Any]]], None] | None  # sees each page of a listing as it arrives
PROVIDER_MAPPING = "inferenceProviderMapping"  # the model property inference clients resolve providers by


class InvalidToken(HfmapError):
    """The Hub rejected HF_TOKEN: fatal, and said once (never with the token in it)."""

    def __init__(self) -> None:
        super().__init__(
            "HF_TOKEN is invalid: the Hub answered 401 'Invalid credentials' (check the token or unset it)"
        )


@dataclass(frozen=True)
class ModelInfo:
    """What the Hub says about a model; `id` is the Hub's own spelling."""

    id: str
    pipeline_tag: str | None = None
    tags: tuple[str, ...] = ()
    private: bool = False
    gated: bool | str = False
    disabled: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pipeline_tag": self.pipeline_tag,
            "tags": list(self.tags),
            "private": self.private,
            "gated": self.gated,
            "disabled": self.disabled,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelInfo:
        return cls(
            id=str(data["id"]),
            pipeline_tag=data.get("pipeline_tag"),
            tags=tuple(data.get("tags") or ()),
            private=bool(data.get("private")),
            gated=data.get("gated") or False,
            disabled=bool(data.get("disabled")),
        )


@dataclass(frozen=True)
class Missing:
    """The server answered that the thing does not exist (`maybe_private`: an anonymous 401 from the Hub)."""

    reason: str = "not found"
    maybe_private: bool = False


@dataclass(frozen=True)
class Unavailable:
    """We could not find out: a timeout, a 5xx after retries, an answer we cannot read."""

    reason: str


def task_fits(task: str, info: ModelInfo) -> bool:
    """The Hub's create-time rule: pipeline tag == task, or a chat model mapped as `conversational`."""
    if info.pipeline_tag == task:
        return True
    return (
        task == CONVERSATIONAL
        and info.pipeline_tag in CONVERSATIONAL_PIPELINES
        and CONVERSATIONAL in info.tags
    )


def suggested_task(info: ModelInfo) -> str | None:
    """The task a mapping of this model should use (`conversational` for chat models), or None."""
    if info.pipeline_tag in CONVERSATIONAL_PIPELINES and CONVERSATIONAL in info.tags:
        return CONVERSATIONAL
    return info.pipeline_tag


def _model_from(data: Any, repo_id: str | None = None) -> ModelInfo | None:
    """A `ModelInfo` from one model object of the Hub's API (None when it is not one)."""
    model_id = model_id_of(data, repo_id)
    if model_id is None:
        return None
    tags = data.get("tags")
    pipeline_tag = data.get("pipeline_tag")
    return ModelInfo(
        id=model_id,
        pipeline_tag=pipeline_tag if isinstance(pipeline_tag, str) else None,
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
        private=data.get("private") is True,
        gated=data.get("gated") if data.get("gated") in ("auto", "manual") else False,
        disabled=data.get("disabled") is True,
    )


def listed_model(item: dict[str, Any]) -> ModelInfo | None:
    """A listing's model object as the answer the model's own look-up would give, or None when the
    listing cannot say for sure: private, disabled or gated beyond the two known forms, or a field the
    listing left out all go to the one-by-one look-up, so listings never change a result."""
    if item.get("private") is not False or item.get("disabled") is not False:
        return None
    if "gated" not in item or item["gated"] not in (False, "auto", "manual"):
        return None
    return _model_from(item)


class HubClient:
    """Reads model info and model search from `endpoint` through the run's `HttpClient`."""

    def __init__(self, http: HttpClient, endpoint: str, token: str | None = None) -> None:
        self.http = http
        self.endpoint = endpoint.rstrip("/")
        self._token = token or None
        problem = header_problem(token) if token else None
        if problem:  # fatal like a rejected token: every request would carry it
            raise HfmapError(
                f"the Hub token (HF_TOKEN or --token) cannot be sent: {problem}; copy the token again"
            )

    @property
    def authenticated(self) -> bool:
        return self._token is not None

    def auth_headers(self) -> dict[str, str]:
        """`Authorization: Bearer` for requests to this endpoint only (empty without a token)."""
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def model_url(self, repo_id: str) -> str:
        return f"{self.endpoint}/api/models/{quote(repo_id, safe='/')}"

    def _check_token(self, response: Any) -> None:
        rejected = response.status_code == 401 and "invalid credentials" in error_text(response).lower()
        if self._token and rejected:
            raise InvalidToken()

    async def model_info(
        self, repo_id: str, expand: tuple[str, ...] = CHECK_EXPAND
    ) -> ModelInfo | Missing | Unavailable:
        """`GET /api/models/{repo_id}?expand[]=...`: the model, or why there is none."""
        data = await self._model_object(repo_id, expand)
        if isinstance(data, Missing | Unavailable):
            return data
        info = _model_from(data, repo_id)
        return info if info is not None else Unavailable("the Hub's answer was not a model object")

    async def visible_model(self, repo_id: str) -> VisibleModel | Missing | Unavailable:
        """What inference clients read for a model: model info with `expand[]=inferenceProviderMapping`
        (sent with the token when there is one: staging entries are shown to the provider's org only)."""
        data = await self._model_object(repo_id, (PROVIDER_MAPPING,))
        if isinstance(data, Missing | Unavailable):
            return data
        model = visible_model(data, repo_id)
        return model if model is not None else Unavailable("the Hub's answer was not a model object")

    async def visible_models(
        self,
        params: list[tuple[str, str]],
        *,
        max_pages: int,
        page_size: int = LIST_PAGE,
        attempts: int | None = None,
    ) -> tuple[list[VisibleModel], bool] | Unavailable:
        """`GET /api/models?<params>&expand[]=inferenceProviderMapping`, up to `max_pages` pages: the
        models (each with its provider entries, in the list shape) and whether the listing was complete.
        `attempts` lowers the retries when the listing is only a shortcut."""
        query = [*params, ("expand[]", PROVIDER_MAPPING), ("limit", str(page_size))]
        pages = await self._pages(query, max_pages=max_pages, attempts=attempts)
        if isinstance(pages, Unavailable):
            return pages
        items, complete = pages
        return [model for item in items if (model := visible_model(item)) is not None], complete

    async def _model_object(self, repo_id: str, expand: tuple[str, ...]) -> Any | Missing | Unavailable:
        """The decoded body of `GET /api/models/{repo_id}?expand[]=...`, or why there is none."""
        url = self.model_url(repo_id)
        params = [("expand[]", name) for name in expand]
        try:
            response = await self.http.request("GET", url, params=params, headers=self.auth_headers())
        except HttpUnavailable as exc:
            return Unavailable(exc.reason)
        self._check_token(response)
        status = response.status_code
        if status == 404:
            return Missing("not found on the Hub")
        if status in (401, 403):
            # Anonymous callers get 401 (X-Error-Code: RepoNotFound) for private and missing repos alike.
            if not self.authenticated:
                return Missing("not found on the Hub, or private", maybe_private=True)
            return Missing("not found on the Hub, or not visible with this token")
        if status != 200:
            detail = error_text(response)
            return Unavailable(redact(f"the Hub answered HTTP {status}" + (f": {detail}" if detail else "")))
        try:
            return response.json()
        except ValueError:
            return Unavailable("the Hub's answer was not valid JSON")

    async def served_models(
        self,
        provider: str,
        *,
        max_pages: int,
        expand: tuple[str, ...] = CHECK_EXPAND,
        on_page: OnPage = None,
    ) -> list[dict[str, Any]] | Unavailable:
        """The models `provider` serves live (`GET /api/models?inference_provider=...`), up to `max_pages`
        pages of 1,000: one request answers a thousand model look-ups, which matters under the Hub's
        rate limits (500 requests per 5 minutes for anonymous callers)."""
        return await self._listing([("inference_provider", provider)], max_pages, expand, on_page)

    async def namespace_models(
        self,
        namespace: str,
        *,
        max_pages: int,
        expand: tuple[str, ...] = CHECK_EXPAND,
        on_page: OnPage = None,
    ) -> list[dict[str, Any]] | Unavailable:
        """The models of one namespace (`GET /api/models?author=NS`), up to `max_pages` pages of 1,000."""
        listing = await self.namespace_listing(namespace, max_pages=max_pages, expand=expand, on_page=on_page)
        return listing if isinstance(listing, Unavailable) else listing[0]

    async def namespace_listing(
        self,
        namespace: str,
        *,
        max_pages: int,
        expand: tuple[str, ...] = CHECK_EXPAND,
        on_page: OnPage = None,
    ) -> tuple[list[dict[str, Any]], bool] | Unavailable:
        """`namespace_models` and whether the listing was read to its end (then a public model of the
        namespace that it does not show does not exist)."""
        return await self._listing_pages([("author", namespace)], max_pages, expand, on_page)

    async def _listing(
        self, query: list[tuple[str, str]], max_pages: int, expand: tuple[str, ...], on_page: OnPage = None
    ) -> list[dict[str, Any]] | Unavailable:
        """The raw model objects of a paged listing (judged by `listed_model`), or why there are none."""
        listing = await self._listing_pages(query, max_pages, expand, on_page)
        return listing if isinstance(listing, Unavailable) else listing[0]

    async def _listing_pages(
        self, query: list[tuple[str, str]], max_pages: int, expand: tuple[str, ...], on_page: OnPage = None
    ) -> tuple[list[dict[str, Any]], bool] | Unavailable:
        """The listing's model objects and whether it was read to its end; `on_page` sees each page's
        objects as it arrives (so progress moves per page, not per listing)."""
        params = [*query, *(("expand[]", name) for name in expand), ("limit", str(LIST_PAGE))]
        # a shortcut: when it fails, the one-by-one look-ups follow (with all their retries)
        page_seen = (
            None if on_page is None else lambda items: on_page([i for i in items if isinstance(i, dict)])
        )
        pages = await self._pages(params, max_pages=max_pages, attempts=2, on_page=page_seen)
        if isinstance(pages, Unavailable):
            return pages
        return [item for item in pages[0] if isinstance(item, dict)], pages[1]

    async def _pages(
        self,
        params: list[tuple[str, str]],
        *,
        max_pages: int,
        attempts: int | None,
        on_page: Callable[[list[Any]], None] | None = None,
    ) -> tuple[list[Any], bool] | Unavailable:
        """The items of up to `max_pages` pages of `GET /api/models?<params>`, and whether that was all."""
        url: str | None = f"{self.endpoint}/api/models"
        query: list[tuple[str, str]] | None = params
        found: list[Any] = []
        for _page in range(max_pages):
            if url is None:
                break
            try:
                response = await self.http.request(
                    "GET", url, params=query, headers=self.auth_headers(), attempts=attempts
                )
            except HttpUnavailable as exc:
                return Unavailable(exc.reason)
            self._check_token(response)
            try:
                data = response.json() if response.status_code == 200 else None
            except ValueError:
                data = None
            if not isinstance(data, list):
                return Unavailable(f"the Hub's model list answered HTTP {response.status_code}")
            found.extend(data)
            if on_page is not None:
                on_page(data)
            next_url = response.links.get("next", {}).get("url")
            # Follow the Hub's own next link, but only to the Hub (the token goes nowhere else).
            url = next_url if next_url and next_url.startswith(self.endpoint + "/") else None
            query = None
        return found, url is None

    async def count_with_tags(self, tags: tuple[str, ...], cap: int) -> tuple[int, bool] | Unavailable:
        """How many public models carry all `tags`, counted up to `cap` (one page), and whether there
        are more (`GET /api/models?filter=..&limit=cap`; the Hub gives no total)."""
        params = [*(("filter", tag) for tag in tags), ("expand[]", "private"), ("limit", str(cap))]
        pages = await self._pages(params, max_pages=1, attempts=None)
        if isinstance(pages, Unavailable):
            return pages
        items, complete = pages
        public = [i for i in items if isinstance(i, dict) and i.get("private") is not True]
        return len(public), not complete

    async def models_with_tags(self, tags: tuple[str, ...] | list[str]) -> bool | Unavailable:
        """Whether at least one Hub model carries all `tags` (`GET /api/models?filter=..&limit=1`)."""
        params = [("filter", tag) for tag in tags] + [("limit", "1")]
        try:
            response = await self.http.request(
                "GET", f"{self.endpoint}/api/models", params=params, headers=self.auth_headers()
            )
        except HttpUnavailable as exc:
            return Unavailable(exc.reason)
        self._check_token(response)
        if response.status_code != 200:
            detail = error_text(response)
            return Unavailable(
                redact(f"the Hub answered HTTP {response.status_code}" + (f": {detail}" if detail else ""))
            )
        try:
            data = response.json()
        except ValueError:
            return Unavailable("the Hub's answer was not valid JSON")
        if not isinstance(data, list):
            return Unavailable("the Hub's answer was not a list of models")
        return len(data) > 0
