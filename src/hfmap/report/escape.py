"""Escaping of user and Hub data for every place hfmap prints it: terminals, annotations, Markdown.

One mechanism, `one_line`, decides how a character that must not reach a reader raw is shown: line breaks,
control characters (ESC sequences that drive a terminal) and invisible format characters (the bidi
overrides U+202A–202E and isolates U+2066–2069, U+200E/200F, U+061C, zero-width characters: they make a
reviewer read reversed or hidden text) are written as visible escapes (`\n`, `\x1b`, `\u202e`).
Terminal and log lines use it directly. GitHub workflow commands: `escape_data` / `escape_property`, as
GitHub's toolkit escapes them, on a message already made one line. Markdown: every value that comes from
mapping files or the Hub goes through `one_line` and is shown as `<code>` with all Markdown- and
HTML-significant characters written as numeric entities: a `|` cannot split a table cell, a backtick cannot
open a code span, `<details>` or `<img>` stays text, and `@user` / `#1` are not linked (GitHub does not
resolve mentions or references inside `<code>`, and `@` is an entity anyway). An entity would still render
a control character, hence the visible escape first; a value can never start a new table row. Tokens are
redacted.
"""

from __future__ import annotations

from hfmap.secrets import redact

# Characters that mean something to Markdown, GitHub's extensions or HTML, anywhere in a line.
_SPECIAL = set("&<>\"'`|\\*_[]()~@#:$!{}=")


def escape_text(value: object) -> str:
    """Plain text safe anywhere in Markdown, including a table cell (one line, entities for specials)."""
    text = one_line(redact(str(value)))
    return "".join(f"&#{ord(ch)};" if ch in _SPECIAL else ch for ch in text)


def code(value: object) -> str:
    """A user value as inline code that renders literally (never empty, so the cell stays visible)."""
    text = escape_text(value)
    return f"<code>{text}</code>" if text else "<code></code>"


def one_line(text: str) -> str:
    """`text` with line breaks, control and invisible characters written as escapes (`\\n`, `\\x1b`).

    A value from a file may carry any of them; printed raw, a CR/LF would start a line that CI logs can
    read as a workflow command and `path:line:col` parsers cannot place, and ESC would drive the terminal.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def clean(value: object) -> str:
    """Printable text of a value (a tag list joined), control characters escaped as `one_line` does."""
    return one_line(", ".join(value) if isinstance(value, (list, tuple)) else str(value))


def escape_data(value: str) -> str:
    """Escape an annotation message as GitHub's toolkit does (`%`, CR, LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape an annotation property (file, title): also `:` and `,`, which delimit properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, **properties: object) -> str:
    """One workflow command (`::error file=...,line=...::message`), every part redacted and escaped."""
    props = ",".join(f"{name}={escape_property(redact(str(value)))}" for name, value in properties.items())
    return f"::{level}{' ' + props if props else ''}::{escape_data(redact(message))}"
