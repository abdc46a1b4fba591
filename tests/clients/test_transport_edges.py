"""HTTP/1.1's edge cases and the environment, through the real transport (aiohttp) on real sockets.

A hand-written HTTP client is where these go wrong (1xx before the answer, chunk extensions and
trailers, HEAD's Content-Length, a body that ends when the connection does, a kept-alive connection the
server closed meanwhile, https through a proxy's CONNECT), so each is played byte for byte by a small
server here. And what the environment must not change: ~/.netrc passwords are not sent, a proxy's
password never appears in an error.
"""

from __future__ import annotations

import asyncio
import select
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import pytest

from emulator import HubEmulator
from hfmap.clients.http import HttpClient, HttpUnavailable, RetryPolicy

ONCE = RetryPolicy(attempts=1)


def read_request(conn: socket.socket) -> bytes:
    """One request's head (and its Content-Length body), or b"" when the client closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = conn.recv(65536)
        if not more:
            return b""
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.lower().split(b"\r\n")
    lengths = [line.split(b":")[1] for line in lines if line.startswith(b"content-length:")]
    length = int(lengths[0]) if lengths else 0
    while len(body) < length:
        body += conn.recv(65536)
    return head


@contextmanager
def raw_server(serve: Callable[[socket.socket, int], None]) -> Iterator[str]:
    """A server on 127.0.0.1 that hands the n-th accepted connection to `serve(conn, n)`."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def accept() -> None:
        n = 0
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=_run, args=(serve, conn, n), daemon=True).start()
            n += 1

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        server.close()


def _run(serve: Callable[[socket.socket, int], None], conn: socket.socket, n: int) -> None:
    with conn, suppress(OSError):  # the client went away: nothing to serve
        serve(conn, n)


async def ask(*requests: tuple[str, str], **options) -> list:
    """Send the requests one after another on one client (so keep-alive connections are reused)."""
    async with HttpClient(retry=options.pop("retry", ONCE), **options) as http:
        out = []
        for method, url in requests:
            try:
                out.append(await http.request(method, url, json={"x": 1} if method == "POST" else None))
            except HttpUnavailable as exc:
                out.append(exc)
        return out


OK_BODY = b'{"ok": 1}'
OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n" + OK_BODY


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(b"HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n" + OK, id="1xx-first"),
        pytest.param(b"HTTP/1.1 100 Continue\r\n\r\n" + OK, id="100-continue-unasked"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b'4;name=value\r\n{"ok\r\n5\r\n": 1}\r\n0\r\nX-Trailer: yes\r\n\r\n',
            id="chunk-extensions-and-trailers",
        ),
        pytest.param(
            b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + OK_BODY, id="until-close"
        ),
    ],
)
def test_framing_edge_cases_give_the_answer_the_server_meant(answer: bytes):
    def serve(conn: socket.socket, _n: int) -> None:
        if read_request(conn):
            conn.sendall(answer)

    with raw_server(serve) as url:
        (response,) = asyncio.run(ask(("GET", f"{url}/x")))
    assert response.status_code == 200 and response.json() == {"ok": 1}


def test_head_with_a_content_length_has_no_body_and_the_connection_stays_usable():
    requests: list[bytes] = []

    def serve(conn: socket.socket, n: int) -> None:
        while head := read_request(conn):
            requests.append(head.split(b"\r\n")[0] + f" conn{n}".encode())
            if head.startswith(b"HEAD"):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")  # no body follows
            else:
                conn.sendall(OK)

    with raw_server(serve) as url:
        head, get = asyncio.run(ask(("HEAD", f"{url}/a"), ("GET", f"{url}/b")))
    assert head.status_code == 200 and head.content == b""
    assert get.json() == {"ok": 1}
    assert requests == [b"HEAD /a HTTP/1.1 conn0", b"GET /b HTTP/1.1 conn0"]  # one connection, reused


@pytest.mark.parametrize(("method", "resent"), [("GET", True), ("POST", False)])
def test_a_kept_alive_connection_the_server_dropped_is_retried_only_for_a_safe_method(method, resent):
    """The server answers once, then drops the connection on the next request without a word (as an
    idle timeout racing the client does). A GET goes again on a fresh connection; a POST is never
    re-sent behind the policy's back: it may have been acted on."""
    seen: list[str] = []

    def serve(conn: socket.socket, n: int) -> None:
        while head := read_request(conn):
            seen.append(f"{head.split(b' ')[0].decode()} conn{n}")
            if n == 0 and len(seen) == 2:
                return  # closes without an answer
            conn.sendall(OK)

    with raw_server(serve) as url:
        first, second = asyncio.run(ask((method, f"{url}/a"), (method, f"{url}/b")))
    assert first.status_code == 200
    if resent:
        assert second.status_code == 200
        assert seen == ["GET conn0", "GET conn0", "GET conn1"]
    else:
        assert isinstance(second, HttpUnavailable) and second.attempts == 1
        assert second.reason == "the server closed the connection without a complete answer"
        assert seen == ["POST conn0", "POST conn0"]


def test_long_headers_are_read_and_overlong_ones_are_one_clear_reason():
    def serve(conn: socket.socket, _n: int) -> None:
        while head := read_request(conn):
            size = 60_000 if b"/long" in head else 70_000
            conn.sendall(b"HTTP/1.1 200 OK\r\nLink: <" + b"x" * size + b">\r\n" + OK.split(b"\r\n", 1)[1])

    with raw_server(serve) as url:
        long, overlong = asyncio.run(ask(("GET", f"{url}/long"), ("GET", f"{url}/overlong")))
    assert long.json() == {"ok": 1} and len(long.headers["link"]) == 60_002
    assert isinstance(overlong, HttpUnavailable)
    assert overlong.reason.endswith("could not be read: a header line of the answer is longer than 64 KiB")


def test_a_proxy_refusing_the_tunnel_means_nothing_was_sent_so_a_write_is_retried(monkeypatch):
    tunnels: list[bytes] = []

    def serve(conn: socket.socket, _n: int) -> None:
        tunnels.append(read_request(conn).split(b"\r\n")[0])
        conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")

    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with raw_server(serve) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy)
        fast = RetryPolicy(attempts=2, base=0.01, jitter=0)
        (failure,) = asyncio.run(ask(("POST", "https://hub.example/api/partners/x/models"), retry=fast))
    assert isinstance(failure, HttpUnavailable) and failure.attempts == 2
    assert failure.reason == "cannot connect (the proxy answered HTTP 407 to CONNECT)"
    assert tunnels == [b"CONNECT hub.example:443 HTTP/1.1"] * 2


def test_a_password_in_netrc_is_not_sent(hub, tmp_path, monkeypatch):
    hub.add_model("org/m", pipeline_tag="text-to-image")
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-Secret-42\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HOME", str(tmp_path))
    (answer,) = asyncio.run(ask(("GET", f"{hub.url}/api/models/org/m")))
    assert answer.status_code == 200
    assert hub.requests[0].headers.get("authorization") is None


def test_a_proxy_that_is_down_is_a_connection_failure_that_shows_no_password(monkeypatch):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    monkeypatch.setenv("HTTP_PROXY", f"http://someone:proxy-Secret-42@127.0.0.1:{port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    (failure,) = asyncio.run(ask(("GET", "http://hub.example/api/models/org/m")))
    assert isinstance(failure, HttpUnavailable)
    assert failure.reason.startswith("cannot connect (")
    assert "proxy-Secret-42" not in f"{failure} {failure.reason!r} {failure!r}"


@contextmanager
def connect_proxy() -> Iterator[tuple[str, list[bytes]]]:
    """A forward proxy that only tunnels (CONNECT host:port), recording each CONNECT line."""
    tunnels: list[bytes] = []

    def serve(conn: socket.socket, _n: int) -> None:
        head = read_request(conn)
        tunnels.append(head.split(b"\r\n")[0])
        host, port = head.split(b" ")[1].decode().rsplit(":", 1)
        with socket.create_connection((host, int(port))) as upstream:
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            pair = {conn: upstream, upstream: conn}
            while True:
                ready, _, _ = select.select(list(pair), [], [], 5)
                if not ready:
                    return
                for side in ready:
                    data = side.recv(65536)
                    if not data:
                        return
                    pair[side].sendall(data)

    with raw_server(serve) as url:
        yield url, tunnels


def test_https_goes_through_the_proxy_in_a_connect_tunnel(certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with HubEmulator(tls=certificate) as hub, connect_proxy() as (proxy, tunnels):
        hub.add_model("org/m", pipeline_tag="text-to-image")
        monkeypatch.setenv("HTTPS_PROXY", proxy)
        (answer,) = asyncio.run(ask(("GET", f"{hub.url}/api/models/org/m")))
        assert answer.status_code == 200 and answer.json()["id"] == "org/m"
        assert tunnels == [f"CONNECT {hub.url.removeprefix('https://')} HTTP/1.1".encode()]
        assert [r.path for r in hub.requests] == ["/api/models/org/m"]
