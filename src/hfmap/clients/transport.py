"""What a transport hands the policy layer (`hfmap.clients.http`): an answer's head and raw body, and
errors that say whether the request may have reached the server.

The policy (deadlines, redirects, decoding within the size cap, retries) is written once against this
interface; `hfmap.clients.aio` carries real requests (aiohttp), and small unit tests carry them in process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class TransportError(Exception):
    """A transport failure; subclasses say whether the request may have reached the server."""


class ConnectFailed(TransportError):
    """No connection was made: the request surely was not sent."""


class Dropped(TransportError):
    """The connection closed or broke before a complete answer came back (the server may have acted)."""


class ProtocolBroken(TransportError):
    """The server's bytes are not HTTP/1.x as we can read it."""


class BadURL(TransportError):
    """The URL cannot be sent at all (no retry can help)."""


class TimedOut(TransportError):
    """A deadline passed; `sent` says whether the request may have reached the server."""

    def __init__(self, reason: str = "", *, sent: bool) -> None:
        super().__init__(reason)
        self.sent = sent


@dataclass
class RawResponse:
    """An answer's head, and its body as it arrives (transfer framing removed, content coding kept)."""

    status: int
    headers: list[tuple[str, str]]  # names lower-cased, in order
    chunks: AsyncIterator[bytes]
    release: Callable[[bool], Awaitable[None]] = field(repr=False)  # True: fully read, may be reused

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k == name]
        return ", ".join(values) if values else None


@dataclass
class Progress:
    """How far one exchange got: lets a deadline say what it cut short."""

    phase: str = "connect"  # connect | send | body
    received: int = 0


class Transport(Protocol):
    """Carries one request: `hfmap.clients.aio.AiohttpTransport`, or an in-process one in unit tests."""

    async def send(
        self, method: str, target: Any, headers: list[tuple[str, str]], body: bytes | None, progress: Progress
    ) -> RawResponse: ...

    async def aclose(self) -> None: ...
