"""Real requests, over aiohttp: keep-alive connections per origin, TLS from certifi, proxies from the
environment.

Why aiohttp: `check` sends a thousand look-ups or more per run. httpx (with httpcore and anyio) spent
about 2.2 ms of CPU on each, more than the network waits on a 2-core runner; aiohttp under hfmap's policy
spends about 0.35 ms, and takes the parts of HTTP/1.1 a hand-written client gets wrong against real
servers (framing edge cases, 1xx, keep-alive races, proxies with CONNECT). A hand-written HTTP/1.1 client
measured ~0.1 ms per request and ~0.18 s of import cheaper (benchmarks/check_bench.py), both within the
speed targets, so the library is worth that (README, "Development").

aiohttp is used as a carrier only: it follows no redirect, decodes no body and keeps no timer of its own.
The policy above it (`hfmap.clients.http`) does those for every transport alike, so the size cap stops
decompression (aiohttp would inflate a whole network read at once) and one deadline runs from connect to
the body's last byte. Proxies come from HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY as urllib reads
them; aiohttp's `trust_env` is left off because it would also send ~/.netrc passwords.
"""

from __future__ import annotations

import os
import ssl
import urllib.request
from collections.abc import AsyncIterator
from contextvars import ContextVar
from typing import Any

import aiohttp
from yarl import URL

from hfmap.clients.transport import (
    BadURL,
    ConnectFailed,
    Dropped,
    Progress,
    ProtocolBroken,
    RawResponse,
    TransportError,
)

CHUNK = 65536  # bytes read from the socket at a time (and aiohttp's buffer before it pauses reading)
HEAD_LIMIT = 65536  # the longest status or header line read (aiohttp's default is 8 KiB)
IDLE_SECONDS = 15.0  # keep-alive connections unused this long are closed rather than reused
_NO_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=None, sock_read=None, sock_connect=None)


def ssl_context() -> ssl.SSLContext:
    """Verified TLS with the CA bundle httpx would use: SSL_CERT_FILE / SSL_CERT_DIR, else certifi."""
    cafile = os.environ.get("SSL_CERT_FILE")
    capath = os.environ.get("SSL_CERT_DIR")
    if not cafile and not capath:
        import certifi

        cafile = certifi.where()
    return ssl.create_default_context(cafile=cafile or None, capath=capath or None)


def proxy_for(scheme: str, host: str) -> str | None:
    """The proxy the environment names for this origin (None: send directly), as urllib reads it."""
    if not {name.lower() for name in os.environ} & {"http_proxy", "https_proxy", "all_proxy"}:
        return None
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(scheme) or proxies.get("all")
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]  # public, not in typeshed
    if not proxy or bypass(host, proxies):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


_progress: ContextVar[Progress | None] = ContextVar("hfmap_http_progress", default=None)


class _Connector(aiohttp.TCPConnector):
    """aiohttp's connector, telling the request's `Progress` when its connection is ready.

    A deadline that passes before then is "could not connect" (surely not sent: even a write may be
    retried); after, the server may have the request. aiohttp's tracing says the same at twice the cost.
    """

    async def connect(self, *args: Any, **kwargs: Any) -> aiohttp.connector.Connection:
        connection = await super().connect(*args, **kwargs)
        progress = _progress.get()
        if progress is not None:
            progress.phase = "send"
        return connection


class AiohttpTransport:
    """One aiohttp session for the run, opened on first use (inside the running event loop).

    At most `per_host` connections to each origin: the policy's per-origin slots already bound the
    requests in flight, and this keeps aiohttp from opening more than that even if a slot is let go early.
    """

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}
        self._ssl: ssl.SSLContext | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = _Connector(limit=0, limit_per_host=self._per_host, keepalive_timeout=IDLE_SECONDS)
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=_NO_TIMEOUT,  # the policy's deadline covers connect to the last byte
            auto_decompress=False,  # decoded by the policy, within the size cap
            trust_env=False,  # proxies: see `proxy_for`
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
            read_bufsize=CHUNK,
            max_line_size=HEAD_LIMIT,
            max_field_size=HEAD_LIMIT,
        )
        return self._session

    def _tls(self) -> ssl.SSLContext:
        """The CA bundle is read once, when the first https origin is asked."""
        if self._ssl is None:
            self._ssl = ssl_context()
        return self._ssl

    def _proxy(self, scheme: str, host: str) -> str | None:
        key = (scheme, host)
        if key not in self._proxies:
            self._proxies[key] = proxy_for(scheme, host)
        return self._proxies[key]

    async def send(
        self, method: str, target: Any, headers: list[tuple[str, str]], body: bytes | None, progress: Progress
    ) -> RawResponse:
        """Send one request and read the answer's head; the body is read through `chunks`."""
        session = self._session or self._open()
        progress.phase = "connect"
        _progress.set(progress)
        try:
            url = URL(target.url, encoded=True)
            response = await session.request(
                method,
                url,
                headers=headers,
                data=body,
                allow_redirects=False,
                proxy=self._proxy(target.scheme, target.host),
                ssl=self._tls() if target.scheme == "https" else True,
            )
        except BaseException as exc:
            raise _mapped(exc) from None
        progress.phase = "body"
        pairs = [(k.lower(), v) for k, v in response.headers.items()]

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for data in response.content.iter_any():
                    progress.received += len(data)
                    yield data
            except BaseException as exc:
                raise _mapped(exc) from None

        async def release(complete: bool) -> None:
            if complete:
                response.release()
            else:
                response.close()

        return RawResponse(response.status, pairs, chunks(), release)

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()


def _mapped(exc: BaseException) -> BaseException:
    """aiohttp's exception as the transport's (so the policy can judge it), or itself when not HTTP."""
    if isinstance(exc, aiohttp.InvalidURL):
        return BadURL(str(exc))
    if isinstance(exc, aiohttp.ClientConnectorError):  # includes TLS, DNS and proxy connect failures
        return ConnectFailed(_reason(exc))
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)):
        return Dropped("the server closed the connection without a complete answer")
    if isinstance(exc, aiohttp.ClientHttpProxyError):  # the proxy refused the tunnel: the host saw nothing
        return ConnectFailed(f"the proxy answered HTTP {exc.status} to CONNECT")
    if isinstance(exc, aiohttp.ClientResponseError):  # the parser's: a status line or header it cannot read
        if "Got more than" in exc.message:
            return ProtocolBroken(f"a header line of the answer is longer than {HEAD_LIMIT // 1024} KiB")
        return ProtocolBroken("the server's answer is not HTTP/1.x")  # its bytes are not repeated
    if isinstance(exc, aiohttp.ClientError | ConnectionError):
        return Dropped(_reason(exc) or "the connection was dropped")
    if isinstance(exc, ValueError) and not isinstance(exc, TransportError):  # headers aiohttp refuses
        return BadURL(str(exc))
    return exc


def _reason(exc: BaseException) -> str:
    """The OS's or TLS library's words, without aiohttp's "Cannot connect to host x:y ssl:..." prefix."""
    error = getattr(exc, "os_error", None) or exc
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error).strip()
