"""Keep tokens out of every byte hfmap prints or writes.

Every token hfmap is given is registered here once; any text that may echo a request, a URL
or an exception goes through `redact()` before it reaches output, logs, caches or comments.
Only those values are masked, wherever they appear: data is never masked for looking like a token
(a model named `acme/hf_Transformers1` is a model, and printing it as `acme/***` would hide what a
plan does and make stdout disagree with the `-o` file).
"""

from __future__ import annotations

_SECRETS: set[str] = set()
MASK = "***"


def register_secret(secret: str | None) -> None:
    """Remember a secret so `redact` masks it; short values are ignored (they would mask ordinary words)."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    """Return `text` with every registered secret masked."""
    if not text or not _SECRETS:
        return text
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def clear_secrets() -> None:
    """Forget registered secrets (tests run many CLI invocations in one process)."""
    _SECRETS.clear()
