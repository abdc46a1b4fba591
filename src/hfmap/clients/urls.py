"""URLs hfmap is given or prints: the Hub endpoint checked up front, credentials never shown.

Import-light (no HTTP library), so commands can refuse a bad endpoint before loading the HTTP stack.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from hfmap.errors import UsageError
from hfmap.secrets import redact, register_secret

_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")
_LOOSE_USERINFO = re.compile(r"[^/@]*@")  # in a URL too malformed to parse: `http:/user:pw@host`
_SECRET_PARAMS = re.compile(r"token|key|secret|signature|auth|password|sig", re.IGNORECASE)


def require_http_url(
    endpoint: str,
    what: str = "the Hub endpoint '{url}' (--endpoint / HF_ENDPOINT)",
    example: str = "https://huggingface.co",
) -> None:
    """An endpoint (the Hub's unless `what` names another, `{url}` where it goes) without http(s):// (or
    with a port no socket has) would fail every request as a mere warning: refuse it up front. A password
    in it is registered as a secret, so no output can show it."""
    problem = ""
    try:
        parts = urlsplit(endpoint)
        register_secret(parts.password)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problem = "is not an http(s) URL"
        elif parts.query or parts.fragment:  # `{endpoint}/api/...` would land in the query
            problem = "has a query or fragment (?, #), so no API path could follow it"
    except ValueError:  # e.g. an unclosed IPv6 bracket
        problem = "is not an http(s) URL"
    if not problem:
        try:
            _ = parts.port  # raises ValueError when out of range or not a number
        except ValueError:
            problem = "has a port that is not a number from 0 to 65535"
    if problem:
        shown = what.format(url=_LOOSE_USERINFO.sub("***@", redact_url(endpoint)))
        raise UsageError(f"{shown} {problem}; write it like {example}")


def redact_url(url: str) -> str:
    """The URL without user info and with secret-looking query values masked (then `redact`ed).

    The one way hfmap shows a URL: in errors, `-v` notes, cache keys and (through error text) PR comments.
    """
    try:
        parts = urlsplit(str(url))
    except ValueError:
        return redact(_USERINFO.sub(r"\1", str(url)))
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        pairs = [(k, "***" if _SECRET_PARAMS.search(k) else v) for k, v in pairs]
        query = urlencode(pairs, safe="[]:/,*")
    return redact(urlunsplit((parts.scheme, netloc, parts.path, query, "")))
