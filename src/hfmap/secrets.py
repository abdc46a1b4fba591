"""Keep tokens out of every byte hfmap prints or writes.

Every token hfmap is given is registered here once; any text that may echo a request, a URL
or an exception goes through `redact()` before it reaches output, logs, caches or comments.
"""

from __future__ import annotations

import re

_SECRETS: set[str] = set()
# Things that look like tokens even when nobody registered them (a token pasted into a file).
_TOKEN_PATTERNS = re.compile(r"\b(hf_[A-Za-z0-9]{10,}|r8_[A-Za-z0-9]{10,}|api_org_[A-Za-z0-9]{10,})\b")
MASK = "***"


def register_secret(secret: str | None) -> None:
    """Remember a secret so `redact` masks it; short values are ignored (they would mask ordinary words)."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    """Return `text` with every registered secret and every token-shaped string masked."""
    if not text:
        return text
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return _TOKEN_PATTERNS.sub(MASK, text)


def clear_secrets() -> None:
    """Forget registered secrets (tests run many CLI invocations in one process)."""
    _SECRETS.clear()
