"""HTTP plumbing: a quiet, keep-alive, threaded stdlib server that hands parsed requests to the emulator.

The handler knows nothing about the Hub; it turns bytes into a ``Request``, asks the application for a
``Reply`` and writes it, or deliberately misbehaves (drops the connection) when the reply says so.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

JSON = "application/json; charset=utf-8"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    raw_query: str = ""

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, *names: str) -> list[str]:
        """All values of the given parameter names (e.g. ``expand`` and ``expand[]``), in order."""
        out: list[str] = []
        for name in names:
            out.extend(self.query.get(name, ()))
        return out

    def json(self):
        """The parsed JSON body; raises ``ValueError`` when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str | None = JSON
    chunks: Iterable[bytes] | None = None  # a body sent as it is generated (``length`` bytes, or until close)
    length: int | None = None

    def with_headers(self, extra: list[tuple[str, str]]) -> Response:
        self.headers.extend(extra)
        return self


def json_response(status: int, payload, headers: list[tuple[str, str]] | None = None) -> Response:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Response(status, body, list(headers or ()))


def raw_json_response(status: int, body: bytes, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, body, list(headers or ()))


def error_response(status: int, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
    """The Hub's error form: ``{"error": "..."}`` with the right status and a JSON content type."""
    return json_response(status, {"error": message}, headers)


@dataclass
class Reply:
    """What the handler should do: send ``response``, or drop the connection (``drop`` = how)."""

    response: Response | None
    drop: str | None = None  # None | "no_response" | "mid_response"


class Application(Protocol):
    def handle(self, request: Request) -> Reply: ...


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # benchmarks open ~100 connections at once

    def __init__(self, address: tuple[str, int], app: Application) -> None:
        self.app = app
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, EmulatorHandler)

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """A client that hung up (e.g. on a body it refused to read to the end) is not the server's error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def serve_in_background(self, name: str) -> None:
        threading.Thread(target=self.serve_forever, name=name, daemon=True).start()

    def stop(self) -> None:
        """Stop serving and cut every open connection, at once: ``shutdown()`` alone waits until the
        serving loop's select times out (0.5 s by default), and a test pays that in every teardown. So the
        stop is requested first, then a connection wakes the loop, which sees the request and ends.
        """
        self._BaseServer__shutdown_request = True  # what shutdown() sets; socketserver has no wake-up
        with contextlib.suppress(OSError):
            socket.create_connection(self.server_address[:2], timeout=1).close()
        self.shutdown()
        self.close_all_connections()
        self.server_close()

    def close_all_connections(self) -> None:
        """Cut idle keep-alive connections too, so a stopped emulator really stops answering."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class EmulatorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hfmap-emulator"
    sys_version = ""
    disable_nagle_algorithm = True
    server: EmulatorServer

    def log_message(self, format, *args) -> None:  # quiet: tests and benchmarks read stderr
        pass

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=unquote(parts.path),  # routes and fault globs see decoded ids
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw_query=parts.query,
        )
        reply = self.server.app.handle(request)
        if reply.drop == "no_response" or reply.response is None:
            self._drop()
            return
        if reply.response.chunks is not None:
            self._stream(reply.response)
            return
        head, payload = self._encode(reply.response)
        if reply.drop == "mid_response":
            cut = max(1, len(payload) // 2) if payload else 0
            self._write(head + payload[:cut])
            self._drop()
            return
        self._write(head + payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if len(body) < length:
            raise ValueError("the client closed the connection before sending the whole body")
        return body

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests get the same JSON error form as everything else."""
        self.close_connection = True
        body = json.dumps({"error": message or HTTPStatus(code).phrase}).encode("utf-8")
        head, payload = self._encode(Response(code, body))
        self._write(head + payload)

    def _encode(self, response: Response) -> tuple[bytes, bytes]:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = "Unknown"
        lines = [f"HTTP/1.1 {response.status} {reason}", f"Date: {formatdate(usegmt=True)}"]
        if response.content_type:
            lines.append(f"Content-Type: {response.content_type}")
        lines.extend(f"{name}: {value}" for name, value in response.headers)
        if response.chunks is None:
            lines.append(f"Content-Length: {len(response.body)}")
        elif response.length is not None:
            lines.append(f"Content-Length: {response.length}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head, (b"" if self.command == "HEAD" else response.body)

    def _stream(self, response: Response) -> None:
        """Send the head, then each chunk as it comes (a slow drip, or a body too large to hold)."""
        if response.length is None:
            self.close_connection = True
        head, _ = self._encode(response)
        try:
            self.wfile.write(head)
            self.wfile.flush()
            for chunk in response.chunks or ():
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            self.close_connection = True
            return
        if response.length is None:
            self._drop()

    def _write(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
        except OSError:
            self.close_connection = True

    def _drop(self) -> None:
        """Close without (the rest of) a response; the client sees a disconnect, not an HTTP error."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
