"""Plain and tagged YAML scalars resolved as ruamel's safe loader resolves them (YAML 1.2 core schema).

Kept apart from the event builder so that what a value *means* (`1_000`, `0b101`, `2001-12-14`, `.inf`)
is one small module; the loader's fidelity tests compare it with ruamel on the same inputs.
"""

from __future__ import annotations

import math
import re
from typing import Any

from hfmap.files.model import Position
from hfmap.files.problem import LoadProblem

YAML_TAG = "tag:yaml.org,2002:"
# ruamel's YAML 1.2 implicit resolvers (ruamel/yaml/resolver.py), so plain scalars mean here what they
# mean to ruamel's safe loader (and so to check-jsonschema and other ruamel-based tools): `1_000` and
# `0b101` are integers, `2001-12-14` is a date, `.5` a float, `yes` a string.
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)"
)
_INT = re.compile(r"[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+")
_TIMESTAMP = re.compile(
    r"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
    r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
    r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?"
)
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}


_NOT_A_WORD = object()


class LongInt(int):
    """A decimal integer too long for Python to convert (`sys.get_int_max_str_digits()`, 4,300 digits).

    Kept as data of its own, so the schema reports `prune: 999...` as the wrong type like any other
    integer, instead of the conversion ending the run. Its int value is 0; it compares by its digits.
    """

    digits: str

    def __new__(cls, digits: str) -> LongInt:
        self = super().__new__(cls, 0)
        self.digits = digits
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LongInt) and other.digits == self.digits

    def __hash__(self) -> int:
        return hash(self.digits)

    def __repr__(self) -> str:
        return f"<an integer of {len(self.digits.lstrip('+-')):,} digits>"

    __str__ = __repr__


def resolve_plain(value: str) -> Any:
    """Resolve a plain scalar as ruamel's safe loader does for YAML 1.2 (see the resolvers above)."""
    word = _WORDS.get(value, _NOT_A_WORD)  # one lookup for the null and bool spellings
    if word is not _NOT_A_WORD:
        return word
    first = value[0]
    if first.isdigit() or first in "+-.":
        try:
            if _FLOAT.fullmatch(value):
                return _float(value)
            if first != "." and _INT.fullmatch(value):
                return _int(value)
        except ValueError:  # `-_`, `0b_`: matched, yet no number (ruamel fails with a ValueError)
            raise LoadProblem(f"{value!r} reads as a number in YAML but is not one; quote it") from None
        if first.isdigit() and _TIMESTAMP.fullmatch(value):
            return _timestamp(value)
    return value


def _int(value: str) -> int:
    """ruamel's construct_yaml_int for YAML 1.2 (underscores dropped; 0b, 0o, 0x; decimals past
    Python's digit limit as `LongInt`)."""
    digits = value.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    digits = digits.lstrip("+-") if digits[0] in "+-" else digits
    if digits[:2] in ("0b", "0o", "0x"):
        return sign * int(digits[2:], {"0b": 2, "0o": 8, "0x": 16}[digits[:2]])
    try:
        return sign * int(digits)
    except ValueError:
        if digits.isdigit():  # over Python's limit on digits
            return LongInt(value)
        raise


def _float(value: str) -> float:
    text = value.replace("_", "").lower()
    sign = -1.0 if text[0] == "-" else 1.0
    text = text[1:] if text[0] in "+-" else text
    if text == ".inf":
        return sign * math.inf
    if text == ".nan":
        return math.nan
    return sign * float(text)


def _timestamp(value: str) -> Any:
    """A date or datetime, built by ruamel's own constructor (a bad one, `2001-13-40`, is refused)."""
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.nodes import ScalarNode

    try:
        return SafeConstructor().construct_yaml_timestamp(ScalarNode(YAML_TAG + "timestamp", value))
    except ValueError as exc:
        message = f"{value!r} reads as a date in YAML but is not a valid one ({exc}); quote it"
        raise LoadProblem(message) from None


def resolve_tagged(tag: str, value: str, pos: Position) -> Any:
    name = tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag
    if name in ("str", "!"):
        return value
    resolved: Any = resolve_plain(value)
    kinds: dict[str, type | tuple[type, ...]] = {
        "int": int,
        "float": (float, int),
        "bool": bool,
        "null": type(None),
    }
    expected = kinds.get(name)
    if expected is None:
        raise LoadProblem(f"unsupported YAML tag {tag!r}; mapping files use plain values", pos)
    valid = isinstance(resolved, expected) and not (name == "int" and isinstance(resolved, bool))
    if not valid:
        raise LoadProblem(f"value {value!r} is not a valid !!{name}", pos)
    return float(resolved) if name == "float" else resolved
