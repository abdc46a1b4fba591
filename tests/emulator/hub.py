"""Hub model routes: model info (``GET /api/models/{id}``), model search (``GET /api/models``), whoami.

Faithful points: ``expand`` returns only the listed properties plus ``_id`` and ``id``; missing and private
models look alike to anonymous callers (401 + ``X-Error-Code: RepoNotFound``); ids resolve case-insensitively
and come back in their canonical case; search pages are linked with ``Link: <...>; rel="next"``.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import urlencode

from .server import Request, Response, error_response, json_response
from .state import HubModel, State, Token

# Properties huggingface_hub may ask for with expand[] (ExpandModelProperty_T).
EXPANDABLE = frozenset(
    {
        "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled",
        "downloads", "downloadsAllTime", "gated", "gguf", "inference", "inferenceProviderMapping",
        "lastModified",
        "library_name", "likes", "mask_token", "model-index", "pipeline_tag", "private", "resourceGroup",
        "safetensors", "sha", "siblings", "spaces", "tags", "transformersInfo", "trendingScore", "widgetData",
        "usedStorage", "xetEnabled",
    }
)  # fmt: skip
FULL_INFO = (
    "author", "sha", "lastModified", "private", "gated", "disabled", "downloads", "likes", "library_name",
    "tags", "pipeline_tag", "createdAt", "inferenceProviderMapping", "siblings",
)  # fmt: skip
LIST_DEFAULT = (
    "likes",
    "trendingScore",
    "private",
    "downloads",
    "tags",
    "pipeline_tag",
    "library_name",
    "createdAt",
)
MAX_PAGE = 1000
INFO_PATH = re.compile(r"^/api/models/(?P<id>[^/]+(?:/[^/]+)?)(?:/revision/[^/]+)?/?$")


class HubRoutes:
    def __init__(self, state: State, *, anonymous_missing_status: int = 401) -> None:
        self.state = state
        # The real Hub answers 401 (not 404) for a missing repo when the caller is anonymous.
        self.anonymous_missing_status = anonymous_missing_status

    def handle(self, request: Request, token: Token | None) -> Response | None:
        path = request.path
        if path in ("/api/models", "/api/models/"):
            if request.method not in ("GET", "HEAD"):
                return error_response(405, "Method not allowed", [("Allow", "GET")])
            return self.search(request, token)
        match = INFO_PATH.match(path)
        if match:
            if request.method not in ("GET", "HEAD"):
                return error_response(405, "Method not allowed", [("Allow", "GET")])
            return self.model_info(request, token, match.group("id"))
        if path == "/api/whoami-v2":
            return self.whoami(token)
        return None

    # -- model info ------------------------------------------------------------------------------------------

    def model_info(self, request: Request, token: Token | None, model_id: str) -> Response:
        expand = request.args("expand[]", "expand")
        unknown = [name for name in expand if name not in EXPANDABLE]
        if unknown:
            return error_response(400, f'"expand" contains an invalid value: {unknown[0]!r}')
        with self.state.lock:
            model = self.state.get_model(model_id)
            if model is None or (model.private and token is None):
                if token is None:
                    status, message = self.anonymous_missing_status, "Invalid username or password."
                else:
                    status, message = 404, "Repository not found"
                return error_response(
                    status, message, [("X-Error-Code", "RepoNotFound"), ("X-Error-Message", message)]
                )
            form = self.state.model_info_form
            if expand:
                return json_response(200, self.describe(model, expand, mapping_form=form, viewer=token))
            info = self.describe(model, FULL_INFO, mapping_form=form, viewer=token)
            info["modelId"] = model.id
            return json_response(200, info)

    def describe(self, model: HubModel, fields, *, mapping_form: str, viewer: Token | None = None) -> dict:
        """``_id``, ``id`` and the requested properties of one model (caller holds the lock); ``viewer``
        is the caller's token (staging mappings are shown to the provider's organization only)."""
        out: dict = {"_id": model.object_id, "id": model.id}
        for name in fields:
            if name in out:
                continue
            value = self._property(model, name, mapping_form, viewer)
            if value is not _ABSENT:
                out[name] = value
        return out

    def _property(self, model: HubModel, name: str, mapping_form: str, viewer: Token | None):
        if name == "inferenceProviderMapping":
            mapping = self.state.inference_mapping(model, viewer)
            if mapping_form == "dict":
                return mapping
            return [
                {"provider": provider, "hfModelId": model.id, **value} for provider, value in mapping.items()
            ]
        if name == "inference":
            return "warm" if self.state.inference_mapping(model, viewer) else _ABSENT
        getter = _GETTERS.get(name)
        return getter(model) if getter else _ABSENT

    # -- search ----------------------------------------------------------------------------------------------

    def search(self, request: Request, token: Token | None) -> Response:
        try:
            limit = int(request.arg("limit") or MAX_PAGE)
            offset = _decode_cursor(request.arg("cursor"))
        except ValueError:
            return error_response(400, "Invalid limit or cursor")
        if limit < 1:
            return error_response(400, '"limit" must be greater than or equal to 1')
        page_size = min(limit, MAX_PAGE)
        wanted_tags = [tag for value in request.args("filter") for tag in value.split(",") if tag]
        pipeline = request.arg("pipeline_tag")
        author = (request.arg("author") or "").lower()
        search = (request.arg("search") or "").lower()
        providers = {p for value in request.args("inference_provider") for p in value.split(",") if p}
        expand = request.args("expand[]", "expand")
        unknown = [name for name in expand if name not in EXPANDABLE]
        if unknown:
            return error_response(400, f'"expand" contains an invalid value: {unknown[0]!r}')
        fields = expand or (
            LIST_DEFAULT if request.arg("full") in (None, "", "false", "False") else FULL_INFO
        )
        with self.state.lock:
            served = self._served_by(providers) if providers else None
            matches: list[HubModel] = []
            for model in self.state.models.values():
                if model.private and token is None:
                    continue
                if wanted_tags and not model.tag_set.issuperset(wanted_tags):
                    continue
                if pipeline and model.pipeline_tag != pipeline:
                    continue
                if author and (model.author or "").lower() != author:
                    continue
                if search and search not in model.id.lower():
                    continue
                if served is not None and not served(model):
                    continue
                matches.append(model)
            page = matches[offset : offset + page_size]
            items = []
            for model in page:
                item = self.describe(model, fields, mapping_form="list", viewer=token)
                if not expand:
                    item["modelId"] = model.id
                items.append(item)
        headers = []
        if offset + page_size < len(matches):
            query = [(k, v) for k, values in request.query.items() if k != "cursor" for v in values]
            query.append(("cursor", _encode_cursor(offset + page_size)))
            base = f"http://{request.header('host') or '127.0.0.1'}"
            headers.append(("Link", f'<{base}/api/models?{urlencode(query)}>; rel="next"'))
        return json_response(200, items, headers)

    def _served_by(self, providers: set[str]):
        """A predicate: does one of ``providers`` (or any, for ``all``) serve the model live?"""
        direct: set[str] = set()
        filters = []
        for provider, mappings in self.state.by_provider.items():
            if "all" not in providers and provider not in providers:
                continue
            for mapping in mappings.values():
                if mapping.status != "live":
                    continue
                if mapping.hf_model is not None:
                    direct.add(mapping.hf_model.lower())
                else:
                    filters.append(frozenset(mapping.tags or ()))
        return lambda model: model.id.lower() in direct or any(model.tag_set.issuperset(f) for f in filters)

    # -- whoami ----------------------------------------------------------------------------------------------

    def whoami(self, token: Token | None) -> Response:
        if token is None:
            return error_response(401, "Invalid username or password.")
        orgs = [{"type": "org", "name": org, "roleInOrg": "write"} for org in sorted(token.write_orgs)]
        return json_response(
            200,
            {
                "type": "user",
                "name": token.user,
                "orgs": orgs,
                "auth": {
                    "type": "access_token",
                    "accessToken": {"displayName": "emulator", "role": token.role},
                },
            },
        )


class _Absent:
    pass


_ABSENT = _Absent()

_GETTERS = {
    "author": lambda m: m.author,
    "sha": lambda m: m.sha,
    "lastModified": lambda m: m.last_modified,
    "createdAt": lambda m: m.created_at,
    "private": lambda m: m.private,
    "gated": lambda m: m.gated,
    "disabled": lambda m: m.disabled,
    "downloads": lambda m: m.downloads,
    "downloadsAllTime": lambda m: m.downloads,
    "likes": lambda m: m.likes,
    "trendingScore": lambda m: 0,
    "tags": lambda m: list(m.tags),
    "pipeline_tag": lambda m: m.pipeline_tag if m.pipeline_tag else _ABSENT,
    "library_name": lambda m: m.library_name if m.library_name else _ABSENT,
    "siblings": lambda m: [{"rfilename": ".gitattributes"}, {"rfilename": "README.md"}],
    "spaces": lambda m: [],
    "childrenModelCount": lambda m: 0,
    "usedStorage": lambda m: 0,
    "xetEnabled": lambda m: False,
    "cardData": lambda m: {},
    "config": lambda m: {},
    "widgetData": lambda m: [],
    "baseModels": lambda m: [],
}


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    padded = cursor + "=" * (-len(cursor) % 4)
    text = base64.urlsafe_b64decode(padded.encode()).decode()
    if not text.startswith("o:"):
        raise ValueError("bad cursor")
    return int(text[2:])
