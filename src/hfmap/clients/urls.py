"""URLs hfmap is given or prints: the Hub endpoint checked up front, credentials never shown.

Import-light (no httpx), so commands can refuse a bad endpoint before loading the HTTP stack.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from hfmap.errors import UsageError
from hfmap.secrets import redact

_SECRET_PARAMS = re.compile(r"token|key|secret|signature|auth|password|sig", re.IGNORECASE)


def require_http_url(endpoint: str) -> None:
    """A Hub endpoint without http(s):// would fail every request as a mere warning: refuse it up front."""
    try:
        parts = urlsplit(endpoint)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        usable = False
    if not usable:
        raise UsageError(
            f"the Hub endpoint '{endpoint}' (--endpoint / HF_ENDPOINT) is not an http(s) URL; "
            "write it like https://huggingface.co"
        )


def redact_url(url: str) -> str:
    """The URL without user info and with secret-looking query values masked (then `redact`ed)."""
    try:
        parts = urlsplit(str(url))
    except ValueError:
        return redact(str(url))
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        pairs = [(k, "***" if _SECRET_PARAMS.search(k) else v) for k, v in pairs]
        query = urlencode(pairs, safe="[]:/,*")
    return redact(urlunsplit((parts.scheme, netloc, parts.path, query, "")))
