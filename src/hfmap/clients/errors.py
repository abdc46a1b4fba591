"""The Hub's error answers in every form it uses, and the request id Hugging Face support asks for.

The Hub says what went wrong as `{"error": "..."}`, `{"error": ["...", ...]}`, `{"error": "...",
"error_description": "..."}` (OAuth style), `{"error_description": "..."}`, `{"errors": [{"message":
"..."}]}`, `{"message": "..."}`, or only in an `X-Error-Message` header (huggingface_hub reads them all
the same way). A message hfmap prints must carry whichever it got, never "HTTP 400" alone.
"""

from __future__ import annotations

import json
from typing import Any

REQUEST_ID_HEADERS = ("x-request-id", "x-amzn-trace-id")


def _body_messages(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    found: list[Any] = []
    error, description = body.get("error"), body.get("error_description")
    if isinstance(error, list):
        found.extend(error)
    elif error is not None and description is not None:
        found.append(f"{error}: {description}")
    elif error is not None:
        found.append(error)
    elif description is not None:
        found.append(description)
    errors = body.get("errors")
    if isinstance(errors, list):
        found.extend(item["message"] for item in errors if isinstance(item, dict) and "message" in item)
    if not found and body.get("message") is not None:
        found.append(body["message"])
    return [text for item in found if isinstance(item, str | int | float) and (text := str(item).strip())]


def error_text(response: Any) -> str:
    """Every message the Hub put in `response` (header first, then the body), "" when there is none."""
    messages: list[str] = []
    header = response.headers.get("x-error-message")
    if header and header.strip():
        messages.append(header.strip())
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        body = None
    messages.extend(_body_messages(body))
    return "; ".join(dict.fromkeys(messages))


def request_id(response: Any) -> str | None:
    """The id the Hub gave this request (`X-Request-Id`), which support needs to find it; None without."""
    for name in REQUEST_ID_HEADERS:
        value = response.headers.get(name)
        if value and value.strip():
            return " ".join(value.split())[:200]
    return None
