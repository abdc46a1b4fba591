"""The partner Model Mapping API: ``/api/partners/{provider}/models[/{_id}[/status]]``.

Reads are public; writes need a token with write rights on the provider. Validation follows the reference:
the Hub model must exist and its pipeline tag fit the task (conversational: text-generation or
image-text-to-text tagged ``conversational``); one identity per provider (409); only ``status`` is updatable.
Where the real response shape is undocumented (POST, PUT, DELETE bodies) the emulator picks a plausible one;
clients are expected to read ids back from GET.
"""

from __future__ import annotations

import json
import re

from .server import Request, Response, error_response, json_response, raw_json_response
from .state import (
    ADAPTER_TYPES,
    CONVERSATIONAL_PIPELINES,
    MAPPING_TASKS,
    STORED_STATUSES,
    WRITABLE_STATUSES,
    DuplicateMapping,
    Mapping,
    State,
    Token,
    tag_filter_key,
)

COLLECTION = re.compile(r"^/api/partners/(?P<provider>[^/]+)/models/?$")
ITEM = re.compile(r"^/api/partners/(?P<provider>[^/]+)/models/(?P<id>[^/]+)/?$")
STATUS = re.compile(r"^/api/partners/(?P<provider>[^/]+)/models/(?P<id>[^/]+)/status/?$")
SINGLE_FIELDS = frozenset({"type", "task", "hfModel", "providerModel", "status"})
FILTER_FIELDS = frozenset({"type", "task", "tags", "providerModel", "adapterType", "status"})


class PartnerRoutes:
    def __init__(self, state: State) -> None:
        self.state = state
        self._cache: dict[tuple[str, str | None], tuple[int, bytes]] = {}

    def handle(self, request: Request, token: Token | None) -> Response | None:
        path, method = request.path, request.method
        if not path.startswith("/api/partners/"):
            return None
        match = COLLECTION.match(path)
        if match:
            provider = match.group("provider")
            if method in ("GET", "HEAD"):
                return self.list(request, provider)
            if method == "POST":
                return self._write(provider, token, lambda: self.create(request, provider))
            # DELETE ?hfModel= was retired in April 2025.
            return error_response(405, f"Cannot {method} {path}", [("Allow", "GET, POST")])
        match = STATUS.match(path)
        if match:
            provider, mapping_id = match.group("provider", "id")
            if method != "PUT":
                return error_response(405, f"Cannot {method} {path}", [("Allow", "PUT")])
            return self._write(provider, token, lambda: self.update_status(request, provider, mapping_id))
        match = ITEM.match(path)
        if match:
            provider, mapping_id = match.group("provider", "id")
            if method != "DELETE":
                # Includes the retired ``PUT .../models/status`` (no id): there is no such route any more.
                return error_response(404, f"Cannot {method} {path}")
            return self._write(provider, token, lambda: self.delete(provider, mapping_id))
        return error_response(404, f"Cannot {method} {path}")

    def _write(self, provider: str, token: Token | None, action) -> Response:
        if token is None:
            return error_response(401, "You must be authenticated to manage provider mappings")
        if provider not in self.state.providers:
            return error_response(404, f"Provider {provider} not found")
        if provider not in token.write_orgs or (token.role == "read" and token.role_blocks_writes):
            return error_response(403, f"You don't have write access to the {provider} organization")
        with self.state.lock:
            return action()

    # -- read ------------------------------------------------------------------------------------------------

    def list(self, request: Request, provider: str) -> Response:
        status = request.arg("status")
        if status is not None and status not in STORED_STATUSES:
            return error_response(400, f'"status" must be one of {", ".join(WRITABLE_STATUSES)}')
        with self.state.lock:
            if provider not in self.state.providers:
                return error_response(404, f"Provider {provider} not found")
            version = self.state.versions.get(provider, 0)
            cached = self._cache.get((provider, status))
            if cached is not None and cached[0] == version:
                return raw_json_response(200, cached[1])
            grouped: dict[str, dict] = {}
            for mapping in self.state.by_provider.get(provider, {}).values():
                if status is None or mapping.status == status:
                    grouped.setdefault(mapping.task, {})[mapping.key] = mapping.read_view()
            body = json.dumps(grouped, separators=(",", ":")).encode("utf-8")
            self._cache[(provider, status)] = (version, body)
        return raw_json_response(200, body)

    # -- writes (caller holds the lock) ----------------------------------------------------------------------

    def create(self, request: Request, provider: str) -> Response:
        try:
            payload = request.json()
        except ValueError:
            return error_response(400, "Body must be JSON")
        if not isinstance(payload, dict):
            return error_response(400, "Body must be a JSON object")
        kind = payload.get("type", "single-model")
        if kind == "tag-filter":
            problem = self._check_filter(payload)
        elif kind == "single-model":
            problem = self._check_single(payload)
        else:
            problem = f'"type" must be "tag-filter" when given, not {kind!r}'
        if problem:
            return error_response(400, problem)
        status = payload.get("status", "staging")
        try:
            if kind == "tag-filter":
                mapping = self.state.add_mapping(
                    provider,
                    task=payload["task"],
                    provider_model=payload["providerModel"],
                    status=status,
                    tags=payload["tags"],
                    adapter_type=payload["adapterType"],
                )
            else:
                model = self.state.get_model(payload["hfModel"])
                mapping = self.state.add_mapping(
                    provider,
                    task=payload["task"],
                    provider_model=payload["providerModel"],
                    status=status,
                    hf_model=model.id if model else payload["hfModel"],
                )
        except DuplicateMapping:
            key = payload.get("hfModel") or tag_filter_key(payload.get("tags") or ())
            return error_response(409, f"A mapping for {key} already exists for provider {provider}")
        self.state.validate(mapping)
        return json_response(200, mapping.record(with_type=True))

    def _check_common(self, payload: dict, allowed: frozenset[str]) -> str | None:
        extra = sorted(set(payload) - allowed)
        if extra:
            return f"Unexpected field(s): {', '.join(extra)}"
        for name in ("task", "providerModel"):
            value = payload.get(name)
            if not isinstance(value, str) or not value.strip():
                return f'"{name}" is required and must be a non-empty string'
        status = payload.get("status", "staging")
        if status not in WRITABLE_STATUSES:
            return f'"status" must be one of {", ".join(WRITABLE_STATUSES)}, not {status!r}'
        return None

    def _check_single(self, payload: dict) -> str | None:
        if "tags" in payload:
            return 'Either "hfModel" or "type": "tag-filter" with "tags" can be given, not both'
        if "adapterType" in payload:
            return '"adapterType" is only allowed with "type": "tag-filter"'
        problem = self._check_common(payload, SINGLE_FIELDS)
        if problem:
            return problem
        hf_model = payload.get("hfModel")
        if not isinstance(hf_model, str) or not hf_model.strip():
            return '"hfModel" is required and must be a non-empty string'
        model = self.state.get_model(hf_model)
        if model is None:
            return f"Model {hf_model} does not exist on the Hub"
        task = payload["task"]
        if model.pipeline_tag == task:
            return None
        if task == "conversational":
            if model.pipeline_tag in CONVERSATIONAL_PIPELINES and "conversational" in model.tag_set:
                return None
            return (
                f"Model {model.id} cannot be mapped as conversational: its pipeline_tag is "
                f"{model.pipeline_tag or 'unset'} and it must be one of "
                f"{', '.join(CONVERSATIONAL_PIPELINES)} with the tag conversational"
            )
        return f"Task {task} does not match the pipeline_tag of {model.id} ({model.pipeline_tag or 'unset'})"

    def _check_filter(self, payload: dict) -> str | None:
        if "hfModel" in payload:
            return 'Either "hfModel" or "type": "tag-filter" with "tags" can be given, not both'
        problem = self._check_common(payload, FILTER_FIELDS)
        if problem:
            return problem
        tags = payload.get("tags")
        if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip() for t in tags):
            return '"tags" must be a non-empty list of non-empty strings'
        if payload.get("adapterType") not in ADAPTER_TYPES:
            allowed = ", ".join(ADAPTER_TYPES)
            return f'"adapterType" is required with "type": "tag-filter" and must be one of {allowed}'
        if payload["task"] not in MAPPING_TASKS:
            return f"Unknown task {payload['task']}"
        return None

    def update_status(self, request: Request, provider: str, mapping_id: str) -> Response:
        mapping = self.state.find_mapping(provider, mapping_id)
        if mapping is None:
            return error_response(404, f"Mapping {mapping_id} not found for provider {provider}")
        try:
            payload = request.json()
        except ValueError:
            return error_response(400, "Body must be JSON")
        status = payload.get("status") if isinstance(payload, dict) else None
        if status not in WRITABLE_STATUSES:
            return error_response(400, f'"status" must be one of {", ".join(WRITABLE_STATUSES)}')
        served = self.state.client_tasks.get(provider)
        if served is not None and mapping.task not in served:
            # The status change triggers a test through the JS client, which has no such task for this
            # provider (Replicate's whisper mapping stayed staging until huggingface.js added the task).
            return error_response(
                400, f"The inference client's {provider} provider does not support task {mapping.task}"
            )
        self.state.set_status(mapping, status)
        self.state.validate(mapping)
        return json_response(200, mapping.record())

    def delete(self, provider: str, mapping_id: str) -> Response:
        mapping: Mapping | None = self.state.find_mapping(provider, mapping_id)
        if mapping is None:
            return error_response(404, f"Mapping {mapping_id} not found for provider {provider}")
        self.state.delete_mapping(mapping)
        return json_response(200, {"_id": mapping.id, "deleted": True})
