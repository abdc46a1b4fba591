"""The inference router's model list, ``GET /v1/models`` (reference §9), on an origin of its own.

The real router (``https://router.huggingface.co``) is another host than the Hub, so the emulator serves it
on a second port (``HubEmulator.router_url``, ``HFMAP_ROUTER_URL`` in ``emu.env()``). By default it lists
what the Hub maps: every model with a ``live`` or ``error`` conversational mapping, each such provider with
that status (staging mappings are not routed). ``HubEmulator.set_router_provider`` /
``hide_from_router`` / ``set_router_body`` change that answer (the router lags the Hub, runs its own
health checks, and may send anything); faults apply as on the Hub (``Fault(path="/v1/models")``).
"""

from __future__ import annotations

from .server import Request, Response, error_response, json_response
from .state import State

ROUTED_STATUSES = ("live", "error")
MODELS_PATH = "/v1/models"


def router_entry(provider: str, status: str) -> dict:
    """One provider of a model as the router lists it (the documented fields, made-up figures)."""
    return {
        "provider": provider,
        "status": status,
        "context_length": 131072,
        "pricing": {"input": 0.5, "output": 1.5},
        "supports_tools": True,
        "supports_structured_output": True,
    }


class RouterRoutes:
    def __init__(self, state: State) -> None:
        self.state = state

    def handle(self, request: Request) -> Response:
        path = request.path.rstrip("/")
        if request.method not in ("GET", "HEAD"):
            return error_response(405, "Method Not Allowed")
        with self.state.lock:
            raw = self.state.router_body
            listing = self._listing()
        if path == MODELS_PATH:
            if raw is not None:
                return Response(200, raw.encode("utf-8"))
            return json_response(200, {"object": "list", "data": listing})
        if path.startswith(MODELS_PATH + "/"):
            wanted = path[len(MODELS_PATH) + 1 :].lower()
            found = next((item for item in listing if item["id"].lower() == wanted), None)
            if found is not None:
                return json_response(200, found)
        return error_response(404, "Not Found")

    def _listing(self) -> list[dict]:
        """The Hub's routed conversational mappings, then the overrides (``None``: not listed)."""
        models: dict[str, dict] = {}
        providers: dict[str, dict[str, dict]] = {}
        for mapping in self.state.mappings.values():
            if mapping.task != "conversational" or mapping.hf_model is None:
                continue
            if mapping.status not in ROUTED_STATUSES:
                continue
            model = self.state.get_model(mapping.hf_model)
            model_id = model.id if model is not None else mapping.hf_model
            key = model_id.lower()
            models.setdefault(key, {"id": model_id, "object": "model", "owned_by": model_id.split("/")[0]})
            providers.setdefault(key, {})[mapping.provider] = router_entry(mapping.provider, mapping.status)
        for (key, provider), (model_id, entry) in self.state.router_overrides.items():
            if provider is None:  # the whole model is not listed
                models.pop(key, None)
                providers.pop(key, None)
            elif entry is None:
                providers.get(key, {}).pop(provider, None)
            else:
                models.setdefault(
                    key, {"id": model_id, "object": "model", "owned_by": model_id.split("/")[0]}
                )
                providers.setdefault(key, {})[provider] = dict(entry)
        return [
            {**model, "providers": list(providers.get(key, {}).values())} for key, model in models.items()
        ]
