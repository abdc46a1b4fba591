"""Markdown that stays inert whatever a model id, message or reason contains.

Every value that comes from mapping files or the Hub is shown as `<code>` with all Markdown- and
HTML-significant characters written as numeric entities: a `|` cannot split a table cell, a backtick cannot
open a code span, `<details>` or `<img>` stays text, and `@user` / `#1` are not linked (GitHub does not
resolve mentions or references inside `<code>`, and `@` is an entity anyway). Newlines and other control
characters become spaces, so a value can never start a new table row; tokens are redacted.
"""

from __future__ import annotations

import re

from hfmap.secrets import redact

# Characters that mean something to Markdown, GitHub's extensions or HTML, anywhere in a line.
_SPECIAL = set("&<>\"'`|\\*_[]()~@#:$!{}=")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def escape_text(value: object) -> str:
    """Plain text safe anywhere in Markdown, including a table cell (one line, entities for specials)."""
    text = _CONTROL.sub(" ", redact(str(value)))
    return "".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in text)


def code(value: object) -> str:
    """A user value as inline code that renders literally (never empty, so the cell stays visible)."""
    text = escape_text(value)
    return f"<code>{text}</code>" if text else "<code></code>"
