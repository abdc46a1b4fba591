"""``HubEmulator``: the Hub, its partner Model Mapping API and the providers' model APIs on one local server.

Tests and benchmarks build a world with ``add_model`` / ``seed_mapping`` / ``add_provider_model``, point
hfmap at ``emu.url`` (``HF_ENDPOINT``) and ``emu.provider_url(p)`` (``HFMAP_<P>_API_URL``), inject faults,
then assert on ``emu.mappings()``, ``emu.writes`` and ``emu.requests``.
"""

from __future__ import annotations

import itertools
import ssl
import threading
import traceback
import uuid
from typing import NamedTuple

from .faults import Fault, FixedWindow, error_body, rate_limit_headers
from .hostile import HOSTILE_KINDS, hostile_response
from .hub import HubRoutes
from .partner import PartnerRoutes
from .providers import ProviderRoutes
from .router import RouterRoutes, router_entry
from .server import EmulatorServer, Reply, Request, Response, error_response, json_response
from .state import STORED_STATUSES, Mapping, State, Token
from .web import WebRoutes

RATE_LIMIT_GROUPS = ("partner-write", "hub-read", "provider", "router")
WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")
NOT_FOUND = "Sorry, we can't find the page you are looking for."


class Headers(dict):
    """A plain dict of request headers with case-insensitive lookups (keys stored lower-cased)."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default=None):
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)


class RequestLog(NamedTuple):
    method: str
    path: str
    query: dict[str, list[str]]
    status: int  # what the server computed; 0 when it never produced a response (drop)
    headers: Headers  # Authorization redacted to "<scheme> ***"
    fault: str | None = None  # kind of the injected fault that fired, if any
    request_id: str | None = None  # the X-Request-Id the answer carried
    origin: str = "hub"  # "hub" (Hub, providers, website) or "router" (the router's own port)


class HubEmulator:
    """A faithful local Hugging Face Hub + providers. Thread-safe; start() runs a real HTTP server."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        anonymous_missing_status: int = 401,
        tls: tuple[str, str] | None = None,
    ) -> None:
        self._host, self._port = host, port
        self._tls = tls  # (certificate file, key file): serve https
        self.state = State()
        self._hub = HubRoutes(self.state, anonymous_missing_status=anonymous_missing_status)
        self._partner = PartnerRoutes(self.state)
        self._providers = ProviderRoutes(self.state)
        self._web = WebRoutes(self.state)
        self._router = RouterRoutes(self.state)
        self._router_server: EmulatorServer | None = None
        self._request_ids = itertools.count(1)
        self._validator: threading.Thread | None = None
        self._server: EmulatorServer | None = None
        self._stopping = threading.Event()
        self._clear_behaviour()
        self._requests: list[RequestLog] = []
        self._writes: list[tuple[str, str, int]] = []
        self.errors: list[
            str
        ] = []  # tracebacks of emulator bugs (answered as 500); tests may assert it is empty

    def _clear_behaviour(self) -> None:
        with self.state.lock:
            self._faults: list[Fault] = []
            self._limits: dict[str, tuple[int, float]] = {}
            self._windows: dict[tuple[str, str], FixedWindow] = {}
            self._latency: tuple[float, tuple[str, ...]] = (0.0, ("*",))

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> str:
        if self._server is not None:
            return self.url
        self._stopping = threading.Event()
        self._server = EmulatorServer((self._host, self._port), self)
        if self._tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self._tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._server.serve_in_background("hub-emulator")
        self._validator = threading.Thread(target=self._validate_forever, name="hub-validator", daemon=True)
        self._validator.start()
        # the router is another host in reality: another origin (port) here, so no Hub state leaks to it
        self._router_server = EmulatorServer((self._host, 0), _RouterOrigin(self))
        self._router_server.serve_in_background("router-emulator")
        return self.url

    def _validate_forever(self) -> None:
        """The Hub's asynchronous tests: each pending validation runs when it is due (see ``State``)."""
        stopping = self._stopping
        while not stopping.is_set():
            wait = self.state.run_due_validations()
            self.state.validations_changed.clear()
            self.state.validations_changed.wait(0.5 if wait is None else max(0.001, min(wait, 0.5)))

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in a hang or latency fault
        self.state.validations_changed.set()
        server.stop()
        if self._validator is not None:
            self._validator.join(timeout=5)
        router, self._router_server = self._router_server, None
        if router is not None:
            router.stop()

    def __enter__(self) -> HubEmulator:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"{'https' if self._tls else 'http'}://{host}:{port}"

    @property
    def router_url(self) -> str:
        """The router's base URL (``HFMAP_ROUTER_URL``): its own port on the same host."""
        if self._router_server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        host, port = self._router_server.server_address[:2]
        return f"http://{host}:{port}"

    def provider_url(self, provider: str) -> str:
        return f"{self.url}/providers/{provider}"

    def env(self, token: str | None = None) -> dict[str, str]:
        """Environment that points hfmap at this emulator: HF_ENDPOINT and every HFMAP_<PROVIDER>_API_URL."""
        out = {"HF_ENDPOINT": self.url}
        with self.state.lock:
            providers = sorted(self.state.providers | set(self.state.provider_models))
        for provider in providers:
            out[f"HFMAP_{provider.upper().replace('-', '_')}_API_URL"] = self.provider_url(provider)
        out["HFMAP_REPLICATE_WEB_URL"] = f"{self.url}/web/replicate"
        out["HFMAP_ROUTER_URL"] = self.router_url
        if token is not None:
            out["HF_TOKEN"] = token
        return out

    def reset(self) -> None:
        """Forget all state, faults, limits and logs; keep serving on the same URL."""
        with self.state.lock:
            self.state.reset()
            self._clear_behaviour()
            self._requests.clear()
            self._writes.clear()
            self.errors.clear()

    # -- the world -------------------------------------------------------------------------------------------

    def add_model(
        self,
        model_id: str,
        pipeline_tag: str | None = None,
        tags=(),
        private: bool = False,
        gated: bool | str = False,
        disabled: bool = False,
        **extra,
    ) -> None:
        """Add (or replace) a Hub model. ``extra``: library_name, adapter_weights_path, downloads, ..."""
        if gated is True:
            gated = "auto"
        if gated not in (False, "auto", "manual"):
            raise ValueError("gated must be False, 'auto' or 'manual'")
        self.state.put_model(
            model_id,
            pipeline_tag=pipeline_tag,
            tags=tuple(tags),
            private=private,
            gated=gated,
            disabled=disabled,
            **extra,
        )

    def add_adapter(self, model_id: str, base: str, pipeline_tag: str = "text-to-image", **extra) -> None:
        """A LoRA adapter of ``base`` as the Hub tags one: ``lora`` and ``base_model:adapter:<base>``
        (``extra`` as for ``add_model``: private, tags, adapter_weights_path, ...)."""
        tags = ("lora", f"base_model:adapter:{base}", *extra.pop("tags", ()))
        self.add_model(model_id, pipeline_tag, tags=tags, **extra)

    def remove_model(self, model_id: str) -> None:
        with self.state.lock:
            self.state.models.pop(model_id.lower(), None)

    def add_token(
        self,
        token: str,
        user: str = "user",
        write_orgs=(),
        role: str = "write",
        *,
        role_blocks_writes: bool = True,
    ) -> None:
        """Register a valid Hub token; ``write_orgs`` are the provider ids it may write mappings for.

        ``role="read"`` makes a read-only token: whoami says so and every write answers 403 — unless
        ``role_blocks_writes=False``: then membership of ``write_orgs`` alone decides (no source says the Hub
        refuses a read-role token of a member, and fine-grained tokens need no particular permission).
        """
        with self.state.lock:
            self.state.tokens[token] = Token(token, user, frozenset(write_orgs), role, role_blocks_writes)

    def add_provider(self, provider: str) -> None:
        """Make the partner API know a provider id beyond the built-in list."""
        with self.state.lock:
            self.state.providers.add(provider)

    def seed_mapping(
        self, provider: str, task: str, hf_model: str, provider_model: str, status: str = "live"
    ) -> str:
        """Store a single-model mapping directly (no validation, ``error`` allowed); returns its ``_id``."""
        _check_stored_status(status)
        return self.state.add_mapping(
            provider, task=task, provider_model=provider_model, status=status, hf_model=hf_model
        ).id

    def seed_tag_filter(
        self,
        provider: str,
        task: str,
        tags,
        provider_model: str,
        status: str = "live",
        adapter_type: str = "lora",
    ) -> str:
        """Store a tag-filter mapping directly; returns its ``_id``."""
        _check_stored_status(status)
        return self.state.add_mapping(
            provider,
            task=task,
            provider_model=provider_model,
            status=status,
            tags=list(tags),
            adapter_type=adapter_type,
        ).id

    def seed_from_yaml(self, path, *, live_models: bool = True) -> list[str]:
        """Seed the mappings of hfmap files (a file or a directory) as live state; see ``emulator.seed``."""
        from .seed import seed_from_yaml

        return seed_from_yaml(self, path, live_models=live_models)

    def set_mapping_status(self, mapping_id: str, status: str) -> None:
        """Change a stored status as the Hub's own validation would (e.g. to ``error``)."""
        _check_stored_status(status)
        with self.state.lock:
            mapping = self.state.mappings[mapping_id]
            self.state.set_status(mapping, status)

    def fail_validation(self, provider: str, provider_model: str, failing: bool = True) -> None:
        """Make the Hub's post-write test fail for a provider model: a moment after a create or status
        update of a mapping serving it (``validation_delay``), the mapping turns ``error``, as the real
        Hub shows a failing mapping; the write itself answers first and succeeds."""
        with self.state.lock:
            if failing:
                self.state.failing.add((provider, provider_model))
            else:
                self.state.failing.discard((provider, provider_model))

    @property
    def validation_delay(self) -> float:
        """Seconds between a write and the Hub's test of the mapping (default 0.2)."""
        return self.state.validation_delay

    @validation_delay.setter
    def validation_delay(self, seconds: float) -> None:
        with self.state.lock:
            self.state.validation_delay = seconds

    @property
    def model_info_form(self) -> str:
        """How model info shapes `inferenceProviderMapping`: "dict" (default) or "list"."""
        return self.state.model_info_form

    @model_info_form.setter
    def model_info_form(self, form: str) -> None:
        if form not in ("dict", "list"):
            raise ValueError("model_info_form must be 'dict' or 'list'")
        with self.state.lock:
            self.state.model_info_form = form

    def settle(self) -> None:
        """Run every pending validation now (tests that want the outcome without waiting for it)."""
        self.state.run_due_validations(everything=True)

    def set_client_tasks(self, provider: str, tasks=None) -> None:
        """The tasks the JS client serves for ``provider`` (a status PUT for another task answers 400
        "does not support task"); ``None``: no restriction. By default the generated client data."""
        with self.state.lock:
            if tasks is None:
                self.state.client_tasks.pop(provider, None)
            else:
                self.state.client_tasks[provider] = frozenset(tasks)

    def set_web_status(self, model: str, status: str | None = None, *, raw: str | None = None) -> None:
        """What Replicate's website says at ``/{owner}/{name}/status`` (``model`` may carry ``:version``):
        ``{"status": status}``, or ``raw`` as an HTML body; neither: its 404 page."""
        key = model.partition(":")[0].lower()
        with self.state.lock:
            if raw is not None:
                self.state.web_status[key] = ("raw", raw)
            elif status is not None:
                self.state.web_status[key] = ("json", status)
            else:
                self.state.web_status.pop(key, None)

    def set_router_provider(self, model: str, provider: str, status: str = "live", **fields) -> None:
        """The router lists ``provider`` for ``model`` with this ``status`` (any string, as it may send)
        and ``fields`` over the documented defaults (context_length, pricing, ...)."""
        with self.state.lock:
            self.state.router_overrides.pop((model.lower(), None), None)
            entry = {**router_entry(provider, status), **fields}
            self.state.router_overrides[(model.lower(), provider)] = (model, entry)

    def hide_from_router(self, model: str, provider: str | None = None) -> None:
        """The router does not list ``provider`` for ``model`` (``None``: the model at all), as when it lags
        the Hub."""
        with self.state.lock:
            self.state.router_overrides[(model.lower(), provider)] = (model, None)

    def set_router_body(self, body: str | None) -> None:
        """``GET /v1/models`` answers 200 with exactly this text (``None``: the listing again)."""
        with self.state.lock:
            self.state.router_body = body

    def drop_adapter_field(self, model: str, dropped: bool = True) -> None:
        """Tag-filter entries of ``model`` in model info carry no ``adapter`` (as when huggingface.js#1592's
        normalisation dropped it); ``adapterWeightsPath`` is unchanged."""
        with self.state.lock:
            (self.state.adapterless.add if dropped else self.state.adapterless.discard)(model.lower())

    def mappings(self, provider: str) -> list[dict]:
        with self.state.lock:
            return [m.record() for m in self.state.by_provider.get(provider, {}).values()]

    def mapping(self, provider: str, key: str) -> dict | None:
        """The current record for a key (``org/name`` or ``tag-filter=a,b``), or None."""
        with self.state.lock:
            mapping_id = self.state.identity.get((provider, key))
            return self.state.mappings[mapping_id].record() if mapping_id else None

    def add_provider_model(self, provider: str, model_id: str, versions=(), **fields) -> None:
        """Make a model exist on a provider's API. Replicate ids may carry ``:version``; ``fields`` are merged
        into the provider's JSON object for the model."""
        if provider == "replicate" and ":" in model_id:
            model_id, version = model_id.split(":", 1)
            versions = (*versions, version)
        self.state.put_provider_model(provider, model_id, tuple(versions), fields)

    def remove_provider_model(self, provider: str, model_id: str) -> None:
        with self.state.lock:
            self.state.provider_models.get(provider, {}).pop(model_id, None)

    def require_provider_token(self, provider: str, token: str | None) -> None:
        """From now on that provider's routes need this token (None: no auth needed again)."""
        with self.state.lock:
            if token is None:
                self.state.provider_tokens.pop(provider, None)
            else:
                self.state.provider_tokens[provider] = token

    # -- behaviour -------------------------------------------------------------------------------------------

    def rate_limit(self, group: str, quota: int | None = 200, window: float = 300.0) -> None:
        """A fixed-window limit for a group of routes (``None`` quota removes it). ``provider`` counts each
        provider separately."""
        if group not in RATE_LIMIT_GROUPS:
            raise ValueError(
                f"unknown rate-limit group {group!r}; expected one of {', '.join(RATE_LIMIT_GROUPS)}"
            )
        with self.state.lock:
            for key in [k for k in self._windows if k[0] == group]:
                del self._windows[key]
            if quota is None:
                self._limits.pop(group, None)
            else:
                self._limits[group] = (quota, window)

    def inject(self, *faults: Fault) -> Fault:
        """Add faults (checked in order); returns the last one so a test can read its ``fired`` count."""
        with self.state.lock:
            self._faults.extend(faults)
        return faults[-1]

    def clear_faults(self) -> None:
        with self.state.lock:
            self._faults.clear()

    def set_latency(self, seconds: float, methods=("*",)) -> None:
        with self.state.lock:
            self._latency = (seconds, tuple(m.upper() for m in methods))

    # -- logs ------------------------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestLog]:
        with self.state.lock:
            return list(self._requests)

    @property
    def writes(self) -> list[tuple[str, str, int]]:
        """Every write request to the partner API: (method, path, status); status 0 = no response computed."""
        with self.state.lock:
            return list(self._writes)

    def clear_log(self) -> None:
        with self.state.lock:
            self._requests.clear()
            self._writes.clear()

    # -- request handling (called by server threads) ---------------------------------------------------------

    def handle(self, request: Request, origin: str = "hub") -> Reply:
        fault_kind = None
        try:
            reply, fault_kind, status = self._handle(request, origin)
        except Exception as exc:  # a bug in the emulator: answer 500 and keep it for the test to see
            self.errors.append(traceback.format_exc())
            reply = Reply(error_response(500, f"emulator error: {type(exc).__name__}: {exc}"))
            status = 500
        request_id = None
        if reply.response is not None:  # like the Hub's: "Root=1-<hex time>-<24 hex>"
            request_id = f"Root=1-{next(self._request_ids):08x}-{uuid.uuid4().hex[:24]}"
            reply.response.with_headers([("X-Request-Id", request_id)])
        entry = RequestLog(
            request.method,
            request.path,
            request.query,
            status,
            _redacted(request.headers),
            fault_kind,
            request_id,
            origin,
        )
        with self.state.lock:
            self._requests.append(entry)
            if request.method in WRITE_METHODS and request.path.startswith("/api/partners/"):
                self._writes.append((request.method, request.path, status))
        return reply

    def _handle(self, request: Request, origin: str) -> tuple[Reply, str | None, int]:
        group, window_key = ("router", "") if origin == "router" else _group_of(request)
        with self.state.lock:
            delay = 0.0
            latency, methods = self._latency
            if latency and ("*" in methods or request.method in methods):
                delay += latency
            fault = None
            for candidate in self._faults:
                if candidate.matches(request.method, request.path) and candidate.roll():
                    if candidate.kind == "latency":
                        delay += candidate.seconds
                        continue
                    fault = candidate
                    break
        if delay:
            self._stopping.wait(delay)
        fault_kind = fault.kind if fault else None
        limit_headers, limited = self._count(group, window_key)
        if limited is not None:
            return Reply(limited), fault_kind, limited.status
        if fault is not None and fault.kind in HOSTILE_KINDS:
            response = hostile_response(
                fault.kind,
                request,
                size=fault.size,
                seconds=fault.seconds,
                status=fault.status,
                location=fault.location,
                stop=self._stopping,
            )
            return Reply(response.with_headers(limit_headers)), fault_kind, response.status
        if fault is not None and fault.kind in ("status", "rate_limit", "drop"):
            if fault.kind == "drop":
                return (
                    Reply(None, drop="mid_response" if fault.mid_response else "no_response"),
                    fault_kind,
                    0,
                )
            response = _fault_response(fault)
            return Reply(response.with_headers(limit_headers)), fault_kind, response.status
        routed = self._router.handle(request) if origin == "router" else self._route(request)
        response = routed.with_headers(limit_headers)
        if fault is not None and fault.kind == "lost_response":
            return Reply(None, drop="no_response"), fault_kind, response.status
        if fault is not None and fault.kind == "hang":
            self._stopping.wait(fault.seconds)
        return Reply(response), fault_kind, response.status

    def _count(self, group: str, window_key: str) -> tuple[list[tuple[str, str]], Response | None]:
        """Apply the group's fixed-window limit: (headers for the response, or a 429 response)."""
        with self.state.lock:
            limit = self._limits.get(group)
            if limit is None:
                return [], None
            window = self._windows.get((group, window_key))
            if window is None:
                window = self._windows[(group, window_key)] = FixedWindow(*limit)
            allowed, remaining, reset = window.hit()
        headers = window.headers(remaining, reset)
        if allowed:
            return headers, None
        if group == "provider":
            headers.append(("Retry-After", str(max(1, int(reset + 0.999)))))
        return headers, error_response(429, "You have exceeded our rate limit. Please retry later.", headers)

    def _route(self, request: Request) -> Response:
        if request.path.startswith("/providers/"):
            response = self._providers.handle(request)
        elif request.path.startswith("/web/replicate/"):
            response = self._web.handle(request)
        elif request.path.startswith("/api/"):
            token, denied = self._hub_token(request)
            if denied is not None:
                return denied
            response = self._partner.handle(request, token) or self._hub.handle(request, token)
        else:
            response = None
        return response or error_response(404, NOT_FOUND)

    def _hub_token(self, request: Request) -> tuple[Token | None, Response | None]:
        given = request.header("authorization")
        if given is None:
            return None, None
        scheme, _, secret = given.partition(" ")
        with self.state.lock:
            token = self.state.tokens.get(secret.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            return None, error_response(401, "Invalid credentials in Authorization header")
        return token, None


class _RouterOrigin:
    """The application of the router's port: the emulator's own handling, marked as the router's."""

    def __init__(self, emulator: HubEmulator) -> None:
        self.emulator = emulator

    def handle(self, request: Request) -> Reply:
        return self.emulator.handle(request, "router")


def _group_of(request: Request) -> tuple[str, str]:
    if request.path.startswith("/providers/"):
        return "provider", request.path.split("/", 3)[2]
    if request.path.startswith("/web/"):
        return "provider", "replicate-web"
    if request.path.startswith("/api/partners/") and request.method in WRITE_METHODS:
        return "partner-write", ""
    return "hub-read", ""


def _fault_response(fault: Fault) -> Response:
    headers: list[tuple[str, str]] = []
    if fault.retry_after is not None:
        headers.append(("Retry-After", str(fault.retry_after)))
    if fault.kind == "rate_limit":
        headers = rate_limit_headers(0, fault.seconds, fault.quota, 300) + headers
        return error_response(429, "You have exceeded our rate limit. Please retry later.", headers)
    body, extra = error_body(fault.error_form, f"Injected fault: HTTP {fault.status}")
    if body is None:
        return Response(fault.status, b"", headers + extra, content_type=None)
    return json_response(fault.status, body, headers + extra)


def _redacted(headers: dict[str, str]) -> Headers:
    out = Headers(headers)
    auth = out.get("authorization")
    if auth is not None:
        scheme = auth.partition(" ")[0] if " " in auth else "Bearer"
        dict.__setitem__(out, "authorization", f"{scheme} ***")
    return out


def _check_stored_status(status: str) -> None:
    if status not in STORED_STATUSES:
        raise ValueError(f"status must be one of {', '.join(STORED_STATUSES)}")


__all__ = ["Fault", "HubEmulator", "Mapping", "RequestLog"]
