"""`schema`: the file against the JSON Schema (missing and unknown keys, types, enums).

The schema (shipped as `hfmap/schemas/mapping-file.schema.json`) is what editors and other tools use;
here it is compiled once and its errors are translated: an unknown key is reported at the key with a
"did you mean", a wrong type at the value, a missing key at its parent. Errors that a dedicated rule
reports with a better message (tag lists, hfModel/hfFilter, id forms) are left to that rule, so one
problem never produces two findings. A compiled yes/no check (`hfmap.lint.validity`) lets valid files
through without jsonschema, which is imported only for a file with a problem.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any

from hfmap.data import closest
from hfmap.files.model import Declared, MappingFile, PathKey
from hfmap.files.parse import shown_key
from hfmap.files.scalars import LongInt
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "schema"
LEVEL = Level.ERROR
DESCRIPTION = "missing or unknown keys (with did-you-mean), wrong types, bad enum values"
SCHEMA_RESOURCE = "schemas/mapping-file.schema.json"

# (keyword, last key name) pairs whose errors a dedicated rule reports instead (rule ids for the reader).
_LEFT_TO_RULES: dict[tuple[str, str], str] = {
    ("minItems", "hfFilter"): "hffilter-tags",
    ("uniqueItems", "hfFilter"): "hffilter-tags",
    ("minLength", "hfFilter"): "hffilter-tags",  # a blank tag (path ends in hfFilter, index)
    ("pattern", "hfModel"): "hf-model-id",
    ("pattern", "providerModel"): "provider-model-id",
    ("not", "mapping"): "hfmodel-with-hffilter",
    ("dependentRequired", "mapping"): "hffilter-adapter",
}

_TYPE_NAMES = {
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping (key: value pairs)",
    "integer": "an integer",
    "number": "a number",
    "null": "empty",
}

_MISSING_HINTS = {
    "provider": "the provider id, e.g. `provider: replicate`",
    "mappings": "the list of mappings; `mappings: []` if there are none yet",
    "providerModel": "the model's id on the provider's API",
    "task": "set it on the entry or once in `defaults:`",
}

# Where a key that is unknown in one place does belong, for "belongs in ..." hints.
_HOMES = {
    "hfModel": "in a mapping entry, under `mappings:` (`- hfModel: ...`)",
    "hfFilter": "in a mapping entry, under `mappings:`",
    "providerModel": "in a mapping entry, under `mappings:`",
    "adapterType": "in a mapping entry that has `hfFilter`",
    "task": "in a mapping entry or in `defaults:`",
    "status": "in a mapping entry or in `defaults:`",
    "provider": "at the top level of the file",
    "prune": "at the top level of the file",
    "ignore": "at the top level of the file",
    "defaults": "at the top level of the file",
    "mappings": "at the top level of the file",
}
_KEYS_ELSEWHERE = {
    "file": ("hfModel", "hfFilter", "providerModel", "adapterType", "task", "status"),
    "defaults": ("hfModel", "hfFilter", "providerModel", "adapterType", "provider", "prune", "ignore"),
    "mapping": ("provider", "prune", "ignore", "defaults", "mappings"),
}


@cache
def schema_text() -> str:
    """The shipped schema's text (the same bytes as `schemas/mapping-file.schema.json` in the repository)."""
    return resources.files("hfmap").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")


# Keywords that only annotate: a `$ref` whose siblings are all of these validates exactly as its target.
_ANNOTATIONS = frozenset(("title", "description", "examples", "default", "$comment", "deprecated"))
_LITERAL_KEYWORDS = frozenset(("enum", "const", "examples", "default"))  # values here are data, not schemas


def inline_local_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace each `{"$ref": "#/$defs/X", <annotations>}` by X's (inlined) body plus those annotations.

    Why: jsonschema resolves a `$ref` on every use (a pointer walk per entry, per property), which was
    about 45 % of validating a 10,000-entry file. For a non-recursive local reference with annotation-only
    siblings, the inlined schema accepts and rejects exactly the same instances with the same errors
    (2020-12 applies a `$ref` in place; annotations do not validate). Anything else is left as it is,
    and `$defs` stays, so a reference not inlined still resolves.
    """
    defs = schema.get("$defs", {})

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and set(node) - {"$ref"} <= _ANNOTATIONS:
            name = ref.removeprefix("#/$defs/")
            if name in defs and "/" not in name and name not in seen:
                body = walk(defs[name], (*seen, name))
                return {**body, **{k: v for k, v in node.items() if k != "$ref"}}
        return {key: value if key in _LITERAL_KEYWORDS else walk(value, seen) for key, value in node.items()}

    return walk(schema, ())


@cache
def _inlined_schema() -> dict[str, Any]:
    """The shipped schema with its local references inlined, read once for both checks (neither alters it)."""
    return inline_local_refs(json.loads(schema_text()))


@cache
def _validator() -> Any:
    """The compiled validator, built once per process (jsonschema is imported only when lint runs)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_inlined_schema())


@cache
def _quick_check() -> Any:
    """The compiled yes/no check (`hfmap.lint.validity`), or None if the schema uses a keyword it lacks."""
    from hfmap.lint.validity import Unsupported, compile_check

    try:
        return compile_check(_inlined_schema())
    except Unsupported:
        return None


def describe(value: Any) -> str:
    """A value as a user would recognise it from their YAML: `integer 123`, `string 'Live'`, `a list`."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        return repr(value).strip("<>") if isinstance(value, LongInt) else f"integer {value}"
    if isinstance(value, float):
        return f"number {value:g}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):  # `2001-12-14` unquoted is a date in YAML
        return f"{'a timestamp' if isinstance(value, datetime.datetime) else 'a date'} {value.isoformat()}"
    return type(value).__name__


def _name(path: PathKey) -> str:
    """How a message names the node at `path`: `hfModel`, `hfFilter[1]`, `mappings[3]`, `the file`."""
    if not path:
        return "the top level"
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    text = "".join(parts)
    if len(path) >= 2 and path[0] == "mappings" and isinstance(path[1], int):
        if len(path) == 2:
            return f"entry {path[1] + 1} of `mappings`"
        text = "".join(parts[2:]).lstrip(".")
    return f"`{text}`"


def _context(path: PathKey) -> tuple[str, str]:
    """(what kind of mapping holds the keys at `path`, a phrase for messages)."""
    if not path:
        return "file", "at the top level"
    if path == ("defaults",):
        return "defaults", "in `defaults`"
    if len(path) == 2 and path[0] == "mappings":
        return "mapping", "in a mapping entry"
    return "other", f"in {_name(path)}"


def _last_key(path: PathKey, keyword: str) -> str:
    if keyword in ("not", "dependentRequired"):
        return "mapping" if len(path) == 2 and path[0] == "mappings" else ""
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


def _guess(key: str, allowed: list[str]) -> str | None:
    """The allowed key `key` was probably meant to be (case slips included)."""
    guess = closest(key, allowed)
    if guess is None:
        lowered = closest(key.lower(), [a.lower() for a in allowed])
        guess = next((a for a in allowed if a.lower() == lowered), None) if lowered else None
    return guess


def _unknown_keys(file: MappingFile, path: PathKey, error: Any) -> Iterator[Finding]:
    allowed = sorted(error.schema.get("properties", {}))
    kind, where = _context(path)
    for key in error.instance:
        if key in allowed:
            continue
        if not isinstance(key, str):  # `1:`, `null:`, `true:`: no key name is a number or null
            pos = file.where((*path, key), value=False)
            message = f"unknown key {shown_key(key)} {where}; allowed: {', '.join(allowed)}"
            yield Finding.at(file.path, pos, LEVEL, ID, message)
            continue
        guess = _guess(key, allowed)
        elsewhere = _guess(key, [k for k in _KEYS_ELSEWHERE.get(kind, ()) if k not in allowed])
        if guess and guess in error.instance:
            hint = f"`{guess}` is already set; remove this one (keys are case-sensitive)"
        elif guess:
            hint = f"did you mean '{guess}'?"
        elif elsewhere:
            hint = f"`{elsewhere}` belongs {_HOMES[elsewhere]}"
            if elsewhere != key:
                hint = f"did you mean '{elsewhere}'? " + hint
        else:
            hint = "allowed: " + ", ".join(allowed)
        pos = file.where((*path, key), value=False)
        shown = f"'{key}'" if key.isprintable() else repr(key)  # a pasted newline stays on one line
        yield Finding.at(file.path, pos, LEVEL, ID, f"unknown key {shown} {where}; {hint}")


def _meant(error: Any) -> set[str]:
    """Keys the unknown keys of this mapping were probably meant to be (their "missing" is the same slip)."""
    allowed = sorted(error.schema.get("properties", {}))
    return {
        g
        for key in error.instance
        if isinstance(key, str) and key not in allowed and (g := _guess(key, allowed))
    }


def _missing_keys(file: MappingFile, path: PathKey, error: Any, meant: set[str]) -> Iterator[Finding]:
    kind, _ = _context(path)
    for key in error.validator_value:
        if key in error.instance or key in meant:
            continue
        hint = _MISSING_HINTS.get(key, "")
        what = "this entry" if kind == "mapping" else ("the file" if kind == "file" else _name(path))
        message = f"{what} is missing `{key}`" + (f" ({hint})" if hint else "")
        yield Finding.at(file.path, file.where(path), LEVEL, ID, message)


def _one(file: MappingFile, error: Any, meant: dict[PathKey, set[str]]) -> Iterator[Finding]:
    """Translate one jsonschema error into zero or more findings (zero: a dedicated rule reports it)."""
    path: PathKey = tuple(error.absolute_path)
    keyword = error.validator
    if (keyword, _last_key(path, keyword)) in _LEFT_TO_RULES:
        return
    if keyword == "additionalProperties":
        yield from _unknown_keys(file, path, error)
        return
    if keyword == "required":
        yield from _missing_keys(file, path, error, meant.get(path, set()))
        return
    name = _name(path)
    value = error.instance
    if keyword == "type":
        expected = error.validator_value
        wanted = " or ".join(
            _TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
        )
        message = f"{name} must be {wanted}, got {describe(value)}"
    elif keyword == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        message = f"{name} must be one of {choices}, got {describe(value).removeprefix('string ')}"
        if isinstance(value, str):
            lowered = [c for c in error.validator_value if str(c).lower() == value.strip().lower()]
            if lowered:
                message += f"; did you mean '{lowered[0]}'? (values are case-sensitive)"
    elif keyword == "minLength":
        message = f"{name} must not be empty"
    elif keyword == "anyOf" and len(path) == 2 and path[0] == "mappings":
        message = (
            "this entry needs `hfModel` (one Hub model, namespace/name) or `hfFilter` "
            "(a list of tags, for LoRA adapters)"
        )
    elif keyword == "pattern":
        message = f"{name} {describe(value)} does not have the expected form"
    else:  # a keyword this module has no wording for: jsonschema's own first line, without the dump
        message = f"{name}: {str(error.message).splitlines()[0]}"
    yield Finding.at(file.path, file.where(path), LEVEL, ID, message)


def check_file(file: MappingFile) -> list[Finding]:
    """Validate one loaded file against the schema; every problem becomes one positioned finding.

    A file the compiled check finds valid has no finding; any other goes through jsonschema, whose
    errors carry what the messages need (so they are the same as without the check).
    """
    quick = _quick_check()
    if quick is not None and quick(file.data):
        return []
    errors = list(_validator().iter_errors(file.data))
    meant = {
        tuple(e.absolute_path): _meant(e)
        for e in errors
        if e.validator == "additionalProperties" and isinstance(e.instance, dict)
    }
    findings: dict[Finding, None] = {}  # ordered set: jsonschema repeats `required` once per missing key
    for error in errors:
        findings.update(dict.fromkeys(_one(file, error, meant)))
    return list(findings)


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for file in declared.files:
        yield from check_file(file)
