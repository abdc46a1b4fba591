"""Replicate's website status route, ``GET /web/replicate/{owner}/{name}/status`` (reference §7).

Undocumented on the real side: ``https://replicate.com/{owner}/{name}/status`` answers ``{"status":
"online"}`` for a warm model and ``{"status": "offline"}`` for a cold one; a model without a status set here
gets the website's 404 page (HTML). ``HubEmulator.set_web_status`` sets an answer, also a raw body (not
JSON, or an unknown word) for the unhappy paths; faults and the ``provider`` rate-limit group apply.
"""

from __future__ import annotations

import json
import re

from .server import Request, Response
from .state import State

STATUS_PATH = re.compile(r"^/web/replicate/(?P<owner>[^/]+)/(?P<name>[^/]+)/status/?$")
NOT_FOUND_PAGE = b"<!doctype html><title>404 Not Found</title><h1>Page not found</h1>"


class WebRoutes:
    def __init__(self, state: State) -> None:
        self.state = state

    def handle(self, request: Request) -> Response | None:
        match = STATUS_PATH.match(request.path)
        if match is None:
            return Response(404, NOT_FOUND_PAGE, content_type="text/html; charset=utf-8")
        if request.method not in ("GET", "HEAD"):
            return Response(405, b"Method Not Allowed", [("Allow", "GET")], content_type="text/plain")
        with self.state.lock:
            answer = self.state.web_status.get(f"{match.group('owner')}/{match.group('name')}".lower())
        if answer is None:
            return Response(404, NOT_FOUND_PAGE, content_type="text/html; charset=utf-8")
        kind, text = answer
        if kind == "raw":
            return Response(200, text.encode("utf-8"), content_type="text/html; charset=utf-8")
        return Response(200, json.dumps({"status": text}).encode("utf-8"))
