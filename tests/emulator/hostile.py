"""Hostile answers: what a broken or malicious server (or a proxy in front of one) sends back.

Each builder makes the ``Response`` for one hostile fault kind (see ``faults.Fault``); none of them acts on
the request (a redirected POST creates nothing). Large bodies are generated as they are sent, so a test
can serve a gigabyte without holding it.

  drip        headers at once, then the body one byte every ``seconds`` (``size`` bytes in all)
  huge        a JSON array of ``size`` bytes, streamed with its Content-Length
  bomb        ``Content-Encoding: gzip``: about ``size / 1000`` bytes on the wire that inflate to ``size``
  bad_gzip    ``Content-Encoding: gzip`` on bytes that are not gzip
  deep_json   ``[[[[...]]]]`` nested ``size`` deep (default 100,000): valid JSON no recursive parser reads
  endless     a chunked body (no length) that never ends: 64 KiB blocks until the emulator stops
  redirect    ``status`` (a 3xx; 302 unless given) to ``location``, or to the request's own path (a loop)
"""

from __future__ import annotations

import functools
import json
import threading
import zlib
from collections.abc import Iterator

from .server import Request, Response

HOSTILE_KINDS = ("drip", "huge", "endless", "bomb", "bad_gzip", "deep_json", "redirect", "echo")
STEP = 65536


def hostile_response(
    kind: str, request: Request, *, size: int | None, seconds: float, status: int, location: str | None,
    stop: threading.Event,
) -> Response:  # fmt: skip
    """The answer of one hostile fault (the emulator logs it as any other answer)."""
    if kind == "drip":
        total = size or 1000
        return Response(200, chunks=_drip(total, seconds, stop), length=total)
    if kind == "huge":
        total = size or 64 * 2**20
        return Response(200, chunks=_array(total), length=total)
    if kind == "endless":
        return Response(200, chunks=_endless(stop))
    if kind == "bomb":
        data = _bomb(size or 2**30)
        return Response(200, data, headers=[("Content-Encoding", "gzip")])
    if kind == "bad_gzip":
        garbage = b"\x1f\x8b\x08\x00this is not gzip at all" * 4
        return Response(200, garbage, headers=[("Content-Encoding", "gzip")])
    if kind == "deep_json":
        depth = size or 100_000
        return Response(200, b"[" * depth + b"]" * depth)
    if kind == "redirect":
        code = status if 300 <= status < 400 else 302
        target = location or (request.path + (f"?{request.raw_query}" if request.raw_query else ""))
        return Response(code, b'{"error":"moved"}', headers=[("Location", target)])
    if kind == "echo":  # a proxy that quotes the request's credentials back in its error
        said = request.headers.get("authorization", "")
        return Response(status, json.dumps({"error": f"not allowed: {said}"}).encode())
    raise ValueError(f"unknown hostile kind {kind!r}")


def _drip(total: int, seconds: float, stop: threading.Event) -> Iterator[bytes]:
    for _ in range(total):
        if stop.wait(seconds):
            return
        yield b" "


def _endless(stop: threading.Event) -> Iterator[bytes]:
    block = b" " * STEP
    while not stop.is_set():
        yield block


def _array(total: int) -> Iterator[bytes]:
    """`[0,0,...,0]` padded with spaces to exactly `total` bytes (at least 2)."""
    body = b"[" + b"0," * ((total - 3) // 2) + b"0"
    body += b" " * (total - len(body) - 1) + b"]"
    view = memoryview(body)
    for start in range(0, len(body), STEP):
        yield bytes(view[start : start + STEP])


@functools.lru_cache(maxsize=4)
def _bomb(total: int) -> bytes:
    """gzip of `total` spaces inside a JSON array: ~1,000:1, compressed once per size and kept."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(b"[")]
    block = b" " * 2**20
    left = total - 2
    while left > 0:
        parts.append(packer.compress(block[: min(left, len(block))]))
        left -= len(block)
    parts.append(packer.compress(b"]"))
    parts.append(packer.flush())
    return b"".join(parts)
