"""An httpx transport under hfmap's HTTP policy: `HttpClient(transport=HttpxTransport(...))`.

For small unit tests of one function, an `httpx.MockTransport(handler)` answers in process, and a handler
raises httpx's exceptions to play a failing network. The benchmarks also pass `httpx.AsyncHTTPTransport()`
to measure how hfmap worked before issue 12 (every request through httpx) beside what it does now.
hfmap itself sends real requests through aiohttp (`hfmap.clients.aio`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from hfmap.clients.transport import BadURL, ConnectFailed, Dropped, Progress, RawResponse, TimedOut


class HttpxTransport:
    """hfmap's transport interface over an httpx transport (a MockTransport, or a real one)."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        # No timeout of httpx's own: the policy's deadline covers connect to the last byte.
        self._client = httpx.AsyncClient(transport=transport, follow_redirects=False, timeout=None)

    async def send(
        self, method: str, target: Any, headers: list[tuple[str, str]], body: bytes | None, progress: Progress
    ) -> RawResponse:
        progress.phase = "send"
        try:
            request = self._client.build_request(method, target.url, headers=headers, content=body)
            response = await self._client.send(request, stream=True)
        except BaseException as exc:
            raise HttpxTransport._mapped(exc) from None
        progress.phase = "body"
        pairs = [(k.lower(), v) for k, v in response.headers.multi_items()]
        try:
            ready: bytes | None = response.content  # a MockTransport's answer, read (and decoded) already
        except httpx.ResponseNotRead:
            ready = None
        if ready is not None:
            pairs = [(k, v) for k, v in pairs if k != "content-encoding"]

        async def chunks() -> AsyncIterator[bytes]:
            if ready is not None:
                yield ready
                return
            try:
                async for data in response.aiter_raw():
                    progress.received += len(data)
                    yield data
            except BaseException as exc:
                raise HttpxTransport._mapped(exc) from None

        async def release(_complete: bool) -> None:
            await response.aclose()

        return RawResponse(response.status_code, pairs, chunks(), release)

    @staticmethod
    def _mapped(exc: BaseException) -> BaseException:
        """httpx's exception as hfmap's transport errors (so the policy judges it), else itself."""
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError | httpx.InvalidURL):
            return BadURL(str(exc))
        if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
            return TimedOut(sent=False)  # the policy words it with its own timeout
        if isinstance(exc, httpx.TimeoutException):
            return TimedOut(sent=True)
        if isinstance(exc, httpx.ConnectError):
            return ConnectFailed(str(exc).strip())
        if isinstance(exc, httpx.RemoteProtocolError):
            return Dropped("the server closed the connection without a complete answer")
        if isinstance(exc, httpx.TransportError):
            return Dropped("the connection was dropped")
        return exc

    async def aclose(self) -> None:
        await self._client.aclose()


def mock(handler: Callable[[httpx.Request], Any]) -> HttpxTransport:
    """`HttpxTransport(httpx.MockTransport(handler))`: answers from `handler`, in process."""
    return HttpxTransport(httpx.MockTransport(handler))
