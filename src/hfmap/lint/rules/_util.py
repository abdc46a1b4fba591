"""Small helpers the rules share: walking entries with their file, naming places, describing characters."""

from __future__ import annotations

import re
import unicodedata

ASCII_LOOKALIKES = {
    # Cyrillic and Greek letters that render like ASCII ones (the usual copy-paste and spoofing culprits).
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "τ": "t", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H",
    "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "⁄": "/", "∕": "/",
}  # fmt: skip


_CONTROL_NAMES = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NULL"}


def place(path: str, line: int) -> str:
    """`path:line`, how messages point at another place."""
    return f"{path}:{line}"


def describe_char(char: str) -> str:
    """`'а' (U+0430 CYRILLIC SMALL LETTER A)`: what a user needs to find an invisible or look-alike char."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    shown = repr(char)[1:-1] if not char.isprintable() or char.isspace() else char
    return f"'{shown}' (U+{ord(char):04X}{' ' + name if name else ''})"


def lookalike(char: str) -> str | None:
    """The ASCII character `char` imitates (fullwidth forms via NFKC, Cyrillic/Greek via the table)."""
    if char in ASCII_LOOKALIKES:
        return ASCII_LOOKALIKES[char]
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and folded.isascii() and folded != char:
        return folded
    return None


def non_ascii_problem(value: str, what: str) -> str | None:
    """A message for the first non-ASCII character of `value` (look-alikes named as such), else None."""
    if value.isascii():
        return None
    for index, char in enumerate(value):
        if char.isascii():
            continue
        ascii_twin = lookalike(char)
        position = f"at character {index + 1}"
        if ascii_twin:
            return (
                f"{what} contains {describe_char(char)} {position}, which looks like '{ascii_twin}' "
                f"but is not ASCII; retype it as '{ascii_twin}'"
            )
        return f"{what} contains the non-ASCII character {describe_char(char)} {position}"
    return None


_ASCII_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def bad_space(value: str) -> tuple[int, str] | None:
    """(index, char) of the first whitespace, control or invisible (format) character, else None."""
    if value.isascii():  # the common case, without a per-character Unicode lookup
        match = _ASCII_SPACE_OR_CONTROL.search(value)
        return (match.start(), match.group()) if match else None
    for index, char in enumerate(value):
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Zs"):
            return index, char
    return None
