"""The inference router's model list: which providers it routes each chat model to, and in what state.

With `provider: "auto"` and a chat task both inference clients skip the model's mapping and call the
router (`{HFMAP_ROUTER_URL}/v1/chat/completions`), which picks among the providers it lists for the model
in `GET /v1/models` (no token needed): `{"object": "list", "data": [{"id": <repo id>, "providers":
[{"provider": <id>, "status": "live"|"error", ...}]}]}`. A run reads that list once, through the run's
`HttpClient`, and never raises: a router it cannot read is a `RouterUnavailable` value, so `verify`
says so instead of passing the chat mappings by silence. No token is ever sent to the router.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hfmap.clients.http import HttpClient, HttpUnavailable
from hfmap.clients.urls import require_http_url

ROUTER_URL_VAR = "HFMAP_ROUTER_URL"
DEFAULT_ROUTER_URL = "https://router.huggingface.co"
MAX_WORD = 40  # characters of a router-sent word kept for messages (it is untrusted text)


@dataclass(frozen=True)
class RoutedProvider:
    """One provider the router lists for a model: its `status` (None when it sent none, or no string)."""

    provider: str
    status: str | None

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "status": self.status}


@dataclass(frozen=True)
class RouterModels:
    """The router's model list: lower-cased repo id -> the providers it routes the model to, in order."""

    models: dict[str, dict[str, RoutedProvider]] = field(default_factory=dict)

    def providers_of(self, repo_id: str) -> dict[str, RoutedProvider] | None:
        """The providers listed for `repo_id` (ids compare without case, as the Hub's), None if unlisted."""
        return self.models.get(repo_id.lower())


@dataclass(frozen=True)
class RouterUnavailable:
    """The router's list could not be read: why, on one line."""

    reason: str


def router_url(env: Mapping[str, str] | None = None) -> str:
    """`HFMAP_ROUTER_URL` (checked like the Hub endpoint: a usage error when it is no http(s) URL)."""
    url = ((os.environ if env is None else env).get(ROUTER_URL_VAR) or "").strip() or DEFAULT_ROUTER_URL
    require_http_url(url, f"the router URL '{{url}}' ({ROUTER_URL_VAR})", DEFAULT_ROUTER_URL)
    return url.rstrip("/")


def _word(value: Any) -> str | None:
    return value[:MAX_WORD] if isinstance(value, str) else None


def parse_router_models(data: Any) -> RouterModels | None:
    """The list from the decoded body, None when it is not the documented shape. Items that are not
    model objects, or providers without a string id, are left out (the rest still counts)."""
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    models: dict[str, dict[str, RoutedProvider]] = {}
    for item in items:
        model_id = item.get("id") if isinstance(item, dict) else None
        providers = item.get("providers") if isinstance(item, dict) else None
        if not isinstance(model_id, str) or not isinstance(providers, list):
            continue
        listed = models.setdefault(model_id.lower(), {})
        for entry in providers:
            name = entry.get("provider") if isinstance(entry, dict) else None
            if isinstance(name, str) and name not in listed:
                listed[name] = RoutedProvider(name, _word(entry.get("status")))
    return RouterModels(models)


class RouterClient:
    """Reads the router's model list from `base_url` through the run's `HttpClient`."""

    def __init__(self, http: HttpClient, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    async def models(self) -> RouterModels | RouterUnavailable:
        """`GET {base_url}/v1/models`: the list, or why it could not be read (never raises)."""
        try:
            response = await self.http.request("GET", f"{self.base_url}/v1/models")
        except HttpUnavailable as exc:
            return RouterUnavailable(f"the router ({exc.url}) did not answer: {exc.detail}")
        if response.status_code != 200:
            return RouterUnavailable(f"the router's model list answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            return RouterUnavailable("the router's model list was not valid JSON")
        listing = parse_router_models(data)
        if listing is None:
            return RouterUnavailable("the router's model list was not a list of models ({data: [...]})")
        return listing
