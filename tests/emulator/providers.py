"""Providers' own model APIs, served under ``/providers/{provider}`` (reference §4).

Each provider answers in its own shape: Replicate's model and version objects, fal's ``endpoint_id`` batch
lookup, Together's bare array, Fireworks' account paths, Cohere's model objects, WaveSpeed's envelope, and
the OpenAI-compatible ``/v1/models`` list for everyone else.

State fields (reference §10) are served as the real APIs do: fal's ``metadata.status`` (``active`` unless
a model's fields say ``deprecated``), Fireworks' ``state`` (``READY`` unless set) and, when a test sets it,
``deprecationDate``. ``add_provider_model(..., **fields)`` overrides any of them.
"""

from __future__ import annotations

import re

from .server import Request, Response, json_response
from .state import ProviderModel, State

PREFIX = re.compile(r"^/providers/(?P<provider>[^/]+)(?P<rest>/.*)?$")
FAL_MAX_IDS = 50
CREATED = 1717171717


class ProviderRoutes:
    def __init__(self, state: State) -> None:
        self.state = state

    def handle(self, request: Request) -> Response | None:
        match = PREFIX.match(request.path)
        if not match:
            return None
        provider, rest = match.group("provider"), match.group("rest") or "/"
        denied = self._auth(provider, request)
        if denied is not None:
            return denied
        if request.method not in ("GET", "HEAD"):
            return json_response(405, {"error": "method not allowed"}, [("Allow", "GET")])
        route = _SPECIAL.get(provider, _openai_compatible)
        with self.state.lock:
            models = self.state.provider_models.get(provider, {})
            return route(models, rest, request) or json_response(404, {"error": f"no route {rest}"})

    def _auth(self, provider: str, request: Request) -> Response | None:
        expected = self.state.provider_tokens.get(provider)
        if expected is None:
            return None
        given = request.header("authorization") or ""
        schemes = {"replicate": ("Bearer", "Token"), "fal-ai": ("Key",)}.get(provider, ("Bearer",))
        scheme, _, secret = given.partition(" ")
        if scheme in schemes and secret.strip() == expected:
            return None
        if provider == "replicate":
            return json_response(
                401,
                {
                    "title": "Unauthenticated",
                    "detail": "You did not pass a valid authentication token",
                    "status": 401,
                },
            )
        return json_response(401, {"error": "Invalid API key", "detail": "Unauthorized"})


def _replicate(models: dict[str, ProviderModel], rest: str, request: Request) -> Response | None:
    match = re.match(
        r"^/v1/models/(?P<owner>[^/]+)/(?P<name>[^/]+)(?:/versions/(?P<version>[^/]+))?/?$", rest
    )
    if not match:
        return None
    owner, name, version = match.group("owner", "name", "version")
    model = models.get(f"{owner}/{name}")
    if model is None:
        return json_response(404, {"title": "Not found", "detail": "Not found.", "status": 404})
    if version is not None:
        if version not in model.versions:
            return json_response(404, {"title": "Not found", "detail": "Not found.", "status": 404})
        return json_response(
            200,
            {
                "id": version,
                "created_at": "2024-01-01T00:00:00Z",
                "cog_version": "0.9.0",
                "openapi_schema": {},
            },
        )
    latest = model.versions[-1] if model.versions else None
    body = {
        "url": f"https://replicate.com/{owner}/{name}",
        "owner": owner,
        "name": name,
        "description": model.fields.get("description", ""),
        "visibility": "public",
        "run_count": 0,
        "latest_version": {"id": latest, "created_at": "2024-01-01T00:00:00Z"} if latest else None,
        **model.fields,
    }
    return json_response(200, body)


def _fal(models: dict[str, ProviderModel], rest: str, request: Request) -> Response | None:
    if rest.rstrip("/") != "/v1/models":
        return None
    ids = request.args("endpoint_id")
    if len(ids) > FAL_MAX_IDS:
        return json_response(400, {"detail": f"At most {FAL_MAX_IDS} endpoint_id values are allowed"})
    if ids:
        found = [models[i] for i in dict.fromkeys(ids) if i in models]
        return json_response(
            200, {"models": [_fal_item(m) for m in found], "has_more": False, "next_cursor": None}
        )
    try:
        limit = max(1, int(request.arg("limit") or 50))
        start = int(request.arg("cursor") or 0)
    except ValueError:
        return json_response(400, {"detail": "invalid limit or cursor"})
    everything = list(models.values())
    page = everything[start : start + limit]
    more = start + limit < len(everything)
    return json_response(
        200,
        {
            "models": [_fal_item(m) for m in page],
            "has_more": more,
            "next_cursor": str(start + limit) if more else None,
        },
    )


def _fal_item(model: ProviderModel) -> dict:
    return {
        "endpoint_id": model.id,
        "metadata": {"display_name": model.id, "status": "active"},
        **model.fields,
    }


def _together(models: dict[str, ProviderModel], rest: str, request: Request) -> Response | None:
    if rest.rstrip("/") != "/v1/models":
        return None
    items = [
        {
            "id": m.id,
            "object": "model",
            "created": CREATED,
            "type": "chat",
            "display_name": m.id,
            "organization": m.id.split("/", 1)[0],
            **m.fields,
        }
        for m in models.values()
    ]
    return json_response(200, items)


def _fireworks(models: dict[str, ProviderModel], rest: str, request: Request) -> Response | None:
    match = re.match(r"^/v1/accounts/(?P<account>[^/]+)/models(?:/(?P<model>[^/]+))?/?$", rest)
    if not match:
        return None
    account, name = match.group("account", "model")
    if name is None:  # paged as Fireworks pages: pageSize (default 50, at most 200) and pageToken
        prefix = f"accounts/{account}/models/"
        items = [_fireworks_item(m) for m in models.values() if m.id.startswith(prefix)]
        try:
            size = min(200, max(1, int(request.arg("pageSize") or 50)))
            start = int(request.arg("pageToken") or 0)
        except ValueError:
            return json_response(400, {"code": 3, "message": "invalid pageSize or pageToken"})
        more = start + size < len(items)
        body = {"models": items[start : start + size], "nextPageToken": str(start + size) if more else ""}
        return json_response(200, {**body, "totalSize": len(items)})
    model = models.get(f"accounts/{account}/models/{name}")
    if model is None:
        return json_response(
            404, {"code": 5, "message": f"Model not found: accounts/{account}/models/{name}"}
        )
    return json_response(200, _fireworks_item(model))


def _fireworks_item(model: ProviderModel) -> dict:
    return {"name": model.id, "displayName": model.id.rsplit("/", 1)[-1], "state": "READY", **model.fields}


def _cohere(models: dict[str, ProviderModel], rest: str, request: Request) -> Response | None:
    match = re.match(r"^/v1/models(?:/(?P<model>.+?))?/?$", rest)
    if not match:
        return None
    name = match.group("model")
    if name is None:
        return json_response(
            200, {"models": [_cohere_item(m) for m in models.values()], "next_page_token": None}
        )
    model = models.get(name)
    if model is None:
        return json_response(
            404, {"message": f"model '{name}' not found, make sure the correct model ID was used"}
        )
    return json_response(200, _cohere_item(model))


def _cohere_item(model: ProviderModel) -> dict:
    return {
        "name": model.id,
        "endpoints": ["chat"],
        "finetuned": False,
        "context_length": 128000,
        **model.fields,
    }


def _wavespeed(models: dict[str, ProviderModel], rest: str, request: Request) -> Response | None:
    if rest.rstrip("/") != "/api/v3/models":
        return None
    items = [{"model_uuid": m.id, "name": m.id, "type": "text-to-image", **m.fields} for m in models.values()]
    return json_response(200, {"code": 200, "message": "success", "data": {"items": items}})


# OpenAI-compatible bases differ by provider (``/openai/v1``, ``/v1/openai``, ``/v1``); accept the usual ones.
OPENAI_LIST = re.compile(r"^(?:/v1|/openai/v1|/v1/openai|/openai)?/models(?:/(?P<model>.+?))?/?$")


def _openai_compatible(models: dict[str, ProviderModel], rest: str, request: Request) -> Response | None:
    match = OPENAI_LIST.match(rest)
    if not match:
        return None
    name = match.group("model")
    if name is None:
        return json_response(200, {"object": "list", "data": [_openai_item(m) for m in models.values()]})
    model = models.get(name)
    if model is None:
        return json_response(
            404,
            {
                "error": {
                    "message": f"The model `{name}` does not exist",
                    "type": "invalid_request_error",
                    "code": "model_not_found",
                }
            },
        )
    return json_response(200, _openai_item(model))


def _openai_item(model: ProviderModel) -> dict:
    owner = model.id.split("/", 1)[0] if "/" in model.id else "system"
    return {"id": model.id, "object": "model", "created": CREATED, "owned_by": owner, **model.fields}


_SPECIAL = {
    "replicate": _replicate,
    "fal-ai": _fal,
    "together": _together,
    "fireworks-ai": _fireworks,
    "cohere": _cohere,
    "wavespeed": _wavespeed,
}
