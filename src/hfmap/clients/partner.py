"""The Hub's partner Model Mapping API (`/api/partners/{provider}/models`), read and write.

Reads are public and are sent without the token (a plan works in a fork's pull request, and a
token is never exposed where it is not needed). Writes carry `Authorization: Bearer <token>`.
Write calls never raise for HTTP trouble: they return a `WriteResult` that says whether the Hub
surely acted, surely did not, or whether the answer was lost (`ambiguous`), because only the caller
(`hfmap.sync.apply`) can decide what to do next — re-read the live state before any retry of a POST.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from hfmap.clients.errors import error_text, request_id
from hfmap.clients.http import HttpClient, HttpUnavailable, Landed, RetryPolicy, env_number, retry_policy
from hfmap.clients.urls import redact_url
from hfmap.errors import HfmapError
from hfmap.mapping.record import LiveShapeError, LiveState, Record
from hfmap.secrets import redact

DEFAULT_TIMEOUT = 30.0
AMBIGUOUS_STATUSES = frozenset({408, 500, 502, 503, 504})  # the Hub may or may not have acted


def http_settings(timeout: float | None = None) -> tuple[float, RetryPolicy]:
    """Timeout and retry policy for plan/apply/import.

    `HFMAP_HTTP_TIMEOUT` and `HFMAP_HTTP_BACKOFF` (seconds; the first backoff step) exist so test
    suites and impatient CI jobs can shorten the waits; the defaults follow `huggingface_hub`.
    """
    chosen = timeout if timeout is not None else env_number("HFMAP_HTTP_TIMEOUT", DEFAULT_TIMEOUT)
    return chosen, retry_policy()


def hub_message(response: Any) -> str:
    """The Hub's error text (any of its forms, see `hfmap.clients.errors`), else the start of the body,
    on one line."""
    text = error_text(response)
    if not text:
        text = response.text[:200] if response.text else ""
    text = " ".join(text.split())
    return redact(f"HTTP {response.status_code}: {text}" if text else f"HTTP {response.status_code}")


@dataclass(frozen=True)
class WriteResult:
    """What one write call ended in. `ambiguous`: no answer, or a 5xx/408 that may follow the act."""

    ok: bool
    status: int | None  # None: no HTTP answer at all
    message: str = ""
    ambiguous: bool = False
    request_id: str | None = None  # the Hub's X-Request-Id: what Hugging Face support asks for

    @property
    def denied(self) -> bool:
        return self.status in (401, 403)


@dataclass(frozen=True)
class TokenCheck:
    """What whoami says about the token before any write.

    `refusal`: the Hub rejects the token, nothing can be written. `warning`: whoami calls it a read
    token; writes are tried anyway (the docs tie write access to membership of the provider's
    organization, and fine-grained tokens need no particular permission), and apply stops at the
    first write the Hub refuses.
    """

    refusal: str | None = None
    warning: str | None = None


def create_payload(record: Record) -> dict[str, Any]:
    """The POST body for a record: single model, or `type: tag-filter` + tags (+ adapterType)."""
    if record.hf_model is not None:
        return {
            "task": record.task,
            "hfModel": record.hf_model,
            "providerModel": record.provider_model,
            "status": record.status,
        }
    payload: dict[str, Any] = {
        "type": "tag-filter",
        "task": record.task,
        "tags": list(record.tags or ()),
        "providerModel": record.provider_model,
        "status": record.status,
    }
    if record.adapter_type is not None:
        payload["adapterType"] = record.adapter_type
    return payload


class PartnerApi:
    """One provider-agnostic client of the partner API on `endpoint`, sharing one `HttpClient`."""

    def __init__(self, http: HttpClient, endpoint: str, token: str | None = None) -> None:
        self.http = http
        self.endpoint = endpoint.rstrip("/")
        self._token = token

    def collection_url(self, provider: str) -> str:
        return f"{self.endpoint}/api/partners/{quote(provider, safe='')}/models"

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    async def fetch(self, provider: str) -> LiveState:
        """The live mapping of `provider`; any failure is an `HfmapError` with one clear line."""
        url = self.collection_url(provider)
        try:
            response = await self.http.request("GET", url)
        except HttpUnavailable as exc:
            raise HfmapError(f"cannot read the live mapping of '{provider}': {exc}") from None
        if response.status_code != 200:
            where, why = redact_url(url), hub_message(response)
            raise HfmapError(f"cannot read the live mapping of '{provider}' from {where}: {why}")
        try:
            payload = response.json()
        except ValueError as exc:
            raise HfmapError(
                f"the Hub's answer for the live mapping of '{provider}' is not valid JSON "
                f"({exc.__class__.__name__}: {str(exc)[:120]})"
            ) from None
        return parse_live(provider, payload)

    async def fetch_all(self, providers: list[str]) -> dict[str, LiveState]:
        """The live state of each provider, read concurrently."""
        states = await asyncio.gather(*(self.fetch(p) for p in providers))
        return dict(zip(providers, states, strict=True))

    async def check_token(self) -> TokenCheck:
        """Ask whoami once before any write whether the Hub accepts the token at all.

        `GET /api/whoami-v2` answers 401 for a token the Hub does not accept; without this, a bad token
        would fail every write of the first wave at once. Anything else (no answer, an endpoint without
        whoami) is not a verdict: the writes themselves will say.
        """
        try:
            response = await self.http.request("GET", f"{self.endpoint}/api/whoami-v2", headers=self._auth())
        except HttpUnavailable:
            return TokenCheck()
        if response.status_code == 401:
            return TokenCheck(refusal=f"the Hub rejected the token ({hub_message(response)}); check HF_TOKEN")
        if response.status_code != 200:
            return TokenCheck()
        try:
            role = response.json()["auth"]["accessToken"]["role"]
        except (ValueError, KeyError, TypeError):
            return TokenCheck()
        if role == "read":
            return TokenCheck(
                warning="the Hub calls this a read token; writes need write access to the provider's "
                "organization, so apply stops at the first write the Hub refuses"
            )
        return TokenCheck()

    async def _write(
        self, method: str, url: str, body: Any, *, idempotent: bool, landed: Landed | None = None
    ) -> WriteResult:
        try:
            response = await self.http.request(
                method, url, headers=self._auth(), json=body, idempotent=idempotent, landed=landed
            )
        except HttpUnavailable as exc:
            return WriteResult(False, None, f"no answer from the Hub: {exc.reason}", ambiguous=True)
        status = response.status_code
        if 200 <= status < 300:
            return WriteResult(True, status)
        message = hub_message(response)
        if 300 <= status < 400:  # the HTTP layer never follows a redirect with a write
            where = redact_url(response.headers.get("location") or "")
            message += f" (a redirect{f' to {where}' if where else ''}: a write is never redirected)"
        return WriteResult(
            False,
            status,
            message,
            ambiguous=status in AMBIGUOUS_STATUSES,
            request_id=request_id(response),
        )

    async def create(self, record: Record, landed: Landed | None = None) -> WriteResult:
        """POST one mapping. After a lost answer the HTTP layer sends it again only when `landed` (a
        re-read of the live mapping) says the Hub did not act."""
        url = self.collection_url(record.provider)
        return await self._write("POST", url, create_payload(record), idempotent=False, landed=landed)

    async def set_status(self, provider: str, mapping_id: str, status: str) -> WriteResult:
        """PUT the status of one mapping by id (idempotent: the HTTP layer may retry it)."""
        url = f"{self.collection_url(provider)}/{quote(mapping_id, safe='')}/status"
        return await self._write("PUT", url, {"status": status}, idempotent=True)

    async def delete(self, provider: str, mapping_id: str) -> WriteResult:
        """DELETE one mapping by id (idempotent: a second DELETE of a gone id cannot hit anything else)."""
        url = f"{self.collection_url(provider)}/{quote(mapping_id, safe='')}"
        return await self._write("DELETE", url, None, idempotent=True)


def parse_live(provider: str, payload: Any) -> LiveState:
    """A decoded partner GET body as a `LiveState`; a body of another shape is one `HfmapError` line."""
    try:
        return LiveState.from_json(provider, payload)
    except LiveShapeError as exc:
        raise HfmapError(
            f"the Hub's live mapping of '{provider}' is not in the expected shape: {exc}"
        ) from None
