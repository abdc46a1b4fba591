"""HTTP/1.1 on asyncio streams: just enough of the protocol for JSON APIs, and cheap per request.

Why our own and not httpx for every request: `check` sends a thousand look-ups or more per run, and httpx
with httpcore and anyio spent about 1 ms of CPU on each (URL models, header normalisation, anyio's
cancel scopes), more than the network waits on a 2-core runner. This module writes a request and reads
the answer's head and body framing (Content-Length, chunked, until close) over keep-alive connections,
at about a tenth of that. What it does not do is done above it, in one place for every transport
(`hfmap.clients.http`): deadlines, redirects, content decoding, size caps, retries. Proxies are left to
httpx (`hfmap.clients.http` picks it when a proxy variable applies).

HTTP/2 (httpx[http2]) was measured instead, against a TLS server at 50 ms, 64 requests at once: ~2 ms of
CPU per request, against ~0.4 ms here (TLS handshakes of 64 connections included). Its one gain, fewer
handshakes, is small once listings have cut the Hub's requests to about one per namespace, so it is not used.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

CHUNK = 65536  # bytes read at a time from the socket
HEAD_LIMIT = 65536  # the status line and headers together; a longer head is not an answer we can use
IDLE_SECONDS = 15.0  # keep-alive connections unused this long are closed rather than reused
NO_BODY_STATUSES = frozenset({204, 304})


class WireError(Exception):
    """A transport failure; subclasses say whether the request may have reached the server."""


class ConnectFailed(WireError):
    """No connection was made: the request surely was not sent."""


class Dropped(WireError):
    """The connection closed or broke before a complete answer came back (the server may have acted)."""


class ProtocolBroken(WireError):
    """The server's bytes are not HTTP/1.x as we can read it."""


class BadURL(WireError):
    """The URL cannot be sent at all (no retry can help)."""


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

    phase: str = "connect"  # connect | send | wait | body
    received: int = 0


def ssl_context() -> ssl.SSLContext:
    """Verified TLS with the CA bundle httpx would use: SSL_CERT_FILE / SSL_CERT_DIR, else certifi."""
    cafile = os.environ.get("SSL_CERT_FILE")
    capath = os.environ.get("SSL_CERT_DIR")
    if not cafile and not capath:
        import certifi

        cafile = certifi.where()
    context = ssl.create_default_context(cafile=cafile or None, capath=capath or None)
    context.set_alpn_protocols(["http/1.1"])
    return context


class _Conn:
    __slots__ = ("idle_since", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0

    def usable(self, now: float) -> bool:
        return (
            not self.writer.is_closing() and not self.reader.at_eof() and now - self.idle_since < IDLE_SECONDS
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


Origin = tuple[str, str, int]  # scheme, host, port


class WirePool:
    """Keep-alive connections per origin, handed out one request at a time."""

    def __init__(self, context: Callable[[], ssl.SSLContext] = ssl_context) -> None:
        self._make_context = context
        self._context: ssl.SSLContext | None = None
        self._idle: dict[Origin, list[_Conn]] = {}
        self._busy: set[_Conn] = set()
        self._closed = False

    async def _connect(self, origin: Origin) -> _Conn:
        scheme, host, port = origin
        tls = None
        if scheme == "https":
            if self._context is None:
                self._context = self._make_context()
            tls = self._context
        try:
            reader, writer = await asyncio.open_connection(
                host, port, ssl=tls, server_hostname=host if tls else None, limit=HEAD_LIMIT
            )
        except (OSError, ssl.SSLError, UnicodeError, ValueError) as exc:
            raise ConnectFailed(_reason(exc) or "connection refused") from None
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                import socket

                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return _Conn(reader, writer)

    async def _take(self, origin: Origin) -> tuple[_Conn, bool]:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            if conn.usable(now):
                return conn, True
            conn.close()
        return await self._connect(origin), False

    def _give_back(self, origin: Origin, conn: _Conn, reusable: bool) -> None:
        self._busy.discard(conn)
        if reusable and not self._closed:
            conn.idle_since = time.monotonic()
            self._idle.setdefault(origin, []).append(conn)
        else:
            conn.close()

    async def send(
        self,
        method: str,
        origin: Origin,
        target: str,
        headers: list[tuple[str, str]],
        body: bytes | None,
        progress: Progress,
    ) -> RawResponse:
        """Write one request and read the answer's head; the body is read through `chunks`."""
        if self._closed:
            raise ConnectFailed("the HTTP client was closed")
        head = _request_head(method, origin, target, headers, body)
        progress.phase = "connect"
        conn, reused = await self._take(origin)
        self._busy.add(conn)
        try:
            progress.phase = "send"
            try:
                conn.writer.write(head + body if body else head)
                await conn.writer.drain()
                progress.phase = "wait"
                status, version, response_headers = await _read_head(conn.reader)
            except _NothingBack:
                if not reused or method not in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS"):
                    raise Dropped("the server closed the connection without an answer") from None
                # A keep-alive connection the server had closed meanwhile: try once on a fresh one.
                conn.close()
                self._busy.discard(conn)
                conn = await self._connect(origin)
                self._busy.add(conn)
                conn.writer.write(head + body if body else head)
                await conn.writer.drain()
                progress.phase = "wait"
                status, version, response_headers = await _read_head(conn.reader)
        except _NothingBack:
            self._give_back(origin, conn, False)
            raise Dropped("the server closed the connection without an answer") from None
        except (ConnectionError, OSError, asyncio.IncompleteReadError) as exc:
            self._give_back(origin, conn, False)
            raise Dropped(_reason(exc) or "the connection was dropped") from None
        except BaseException:
            self._give_back(origin, conn, False)
            raise
        progress.phase = "body"
        keep = version == "HTTP/1.1" and "close" not in _tokens(response_headers, "connection")
        chunks, framed = _body(conn.reader, method, status, response_headers, progress)
        done = False

        async def release(complete: bool) -> None:
            nonlocal done
            if not done:
                done = True
                self._give_back(origin, conn, complete and keep and framed)

        return RawResponse(status, response_headers, chunks, release)

    async def aclose(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()
        for conn in list(self._busy):
            conn.close()
        self._busy.clear()


class _NothingBack(Exception):
    """The connection ended before the first byte of an answer."""


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    return text


def _tokens(headers: list[tuple[str, str]], name: str) -> set[str]:
    return {t.strip().lower() for k, v in headers if k == name for t in v.split(",")}


def _request_head(
    method: str, origin: Origin, target: str, headers: list[tuple[str, str]], body: bytes | None
) -> bytes:
    scheme, host, port = origin
    shown_host = f"[{host}]" if ":" in host else host
    if port != (443 if scheme == "https" else 80):
        shown_host += f":{port}"
    lines = [f"{method} {target} HTTP/1.1", f"Host: {shown_host}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    text = "\r\n".join(lines) + "\r\n\r\n"
    if any(c in target for c in " \r\n\t") or any(
        "\r" in v or "\n" in v or "\r" in n or "\n" in n for n, v in headers
    ):
        raise BadURL("the request contains a line break or space where none may be")
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        raise BadURL("the request contains characters HTTP headers cannot carry") from None


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, str, list[tuple[str, str]]]:
    """Status, version and headers of the next final (non-1xx) answer."""
    first = True
    while True:
        try:
            raw = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if first and not exc.partial:
                raise _NothingBack() from None
            raise ProtocolBroken("the server closed the connection in the middle of an answer") from None
        except asyncio.LimitOverrunError:
            raise ProtocolBroken(f"the answer's headers are longer than {HEAD_LIMIT // 1024} KiB") from None
        first = False
        lines = raw.decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        code = rest[:3]
        if not version.startswith("HTTP/1.") or not code.isdigit() or (len(rest) > 3 and rest[3] != " "):
            raise ProtocolBroken("the server's answer is not HTTP/1.x")
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            if not line:
                continue
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip():
                raise ProtocolBroken("the server sent a malformed header line")
            headers.append((name.lower(), value.strip()))
        status = int(code)
        if 100 <= status < 200 and status != 101:
            continue  # 100 Continue and friends: the real answer follows
        return status, version, headers


def _body(
    reader: asyncio.StreamReader,
    method: str,
    status: int,
    headers: list[tuple[str, str]],
    progress: Progress,
) -> tuple[AsyncIterator[bytes], bool]:
    """The body's chunks, and whether its end is framed (else it ends when the connection closes)."""
    if method == "HEAD" or status in NO_BODY_STATUSES:
        return _empty(), True
    if "chunked" in _tokens(headers, "transfer-encoding"):
        return _chunked(reader, progress), True
    lengths = {v.strip() for k, v in headers if k == "content-length"}
    if lengths:
        if len(lengths) > 1 or not next(iter(lengths)).isdigit():
            return _broken("the answer has an invalid Content-Length"), False
        return _exactly(reader, int(next(iter(lengths))), progress), True
    return _until_close(reader, progress), False


async def _empty() -> AsyncIterator[bytes]:
    for data in ():  # no body: an async generator that yields nothing
        yield data


async def _broken(reason: str) -> AsyncIterator[bytes]:
    """A body that cannot be framed: reading it fails (the head was still a usable answer to look at)."""
    for data in ():
        yield data
    raise ProtocolBroken(reason)


async def _exactly(reader: asyncio.StreamReader, length: int, progress: Progress) -> AsyncIterator[bytes]:
    left = length
    while left > 0:
        try:
            data = await reader.read(min(CHUNK, left))
        except (ConnectionError, OSError) as exc:
            raise Dropped(_reason(exc) or "the connection was dropped") from None
        if not data:
            raise Dropped(f"the server closed the connection after {length - left} of {length} bytes")
        left -= len(data)
        progress.received += len(data)
        yield data


async def _until_close(reader: asyncio.StreamReader, progress: Progress) -> AsyncIterator[bytes]:
    while True:
        try:
            data = await reader.read(CHUNK)
        except (ConnectionError, OSError) as exc:
            raise Dropped(_reason(exc) or "the connection was dropped") from None
        if not data:
            return
        progress.received += len(data)
        yield data


async def _chunked(reader: asyncio.StreamReader, progress: Progress) -> AsyncIterator[bytes]:
    async def line() -> bytes:
        try:
            return await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError:
            raise Dropped("the server closed the connection in the middle of a chunked answer") from None
        except asyncio.LimitOverrunError:
            raise ProtocolBroken("a chunk header of the answer is too long") from None
        except (ConnectionError, OSError) as exc:
            raise Dropped(_reason(exc) or "the connection was dropped") from None

    while True:
        size_text = (await line()).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise ProtocolBroken("the answer's chunked framing is malformed") from None
        if size < 0:
            raise ProtocolBroken("the answer's chunked framing is malformed")
        if size == 0:
            while (await line()).strip():
                pass  # trailers
            return
        async for data in _exactly(reader, size, progress):
            yield data
        if (await line()).strip():
            raise ProtocolBroken("the answer's chunked framing is malformed")
