"""A yes/no JSON Schema check, compiled once, for the keywords the mapping-file schema uses.

Why: jsonschema builds a validator object per subschema and instance as it descends (about 60 % of
`hfmap lint` on a 10,000-entry file, though nearly every file is valid). The schema rule asks this
check first; only a file it says is invalid goes to jsonschema, which then reports every problem with
its path, so messages and positions are exactly what they were. The check must therefore agree with
jsonschema on every instance: it knows a fixed set of keywords with jsonschema's semantics (a bool is
not a number, `1` and `True` differ in `enum` and `uniqueItems`, `pattern` searches), and a schema with
any other keyword is refused at compile time (`Unsupported`), in which case the rule uses jsonschema
alone. A hypothesis test compares the two on generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that only annotate: they never make an instance invalid.
_ANNOTATIONS = frozenset(
    ("title", "description", "examples", "default", "$comment", "deprecated", "$schema", "$id", "$defs")
)


class Unsupported(ValueError):
    """The schema uses a keyword this checker does not implement."""


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float))
    raise Unsupported(f"type {name!r}")


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: booleans never equal numbers, containers compare item by item."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[key], two[key]) for key in one)
    if isinstance(one, (list, dict)) or isinstance(two, (list, dict)):
        return False
    return bool(one == two)


def _unique(items: list[Any]) -> bool:
    """No two items equal by `_equal`; linear for scalars (a hostile list of 10,000 tags stays cheap)."""
    seen: set[tuple[str, Any]] = set()
    containers: list[Any] = []
    for item in items:
        if isinstance(item, (list, dict)):
            containers.append(item)
            continue
        key = ("bool" if isinstance(item, bool) else "scalar", item)
        if key in seen:
            return False
        seen.add(key)
    return all(not _equal(a, b) for i, a in enumerate(containers) for b in containers[i + 1 :])


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.defs = root.get("$defs", {})
        self.refs: dict[str, Check] = {}

    def ref(self, ref: str) -> Check:
        if not ref.startswith("#/$defs/") or "/" in ref[len("#/$defs/") :]:
            raise Unsupported(f"$ref {ref!r}")
        name = ref[len("#/$defs/") :]
        if name not in self.refs:
            if name not in self.defs:
                raise Unsupported(f"$ref {ref!r} to nothing")
            slot: list[Check] = []
            self.refs[name] = lambda value: slot[0](value)  # recursion-safe placeholder
            slot.append(self.compile(self.defs[name]))
        return self.refs[name]

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        checks: list[Check] = []
        for keyword, arg in schema.items():
            if keyword in _ANNOTATIONS or keyword in ("then", "else"):
                continue
            if keyword == "type":
                names = [arg] if isinstance(arg, str) else list(arg)
                for name in names:
                    _is_type(None, name)  # refuse unknown type names now
                checks.append(lambda v, names=names: any(_is_type(v, n) for n in names))
            elif keyword == "enum":
                checks.append(lambda v, options=list(arg): any(_equal(v, o) for o in options))
            elif keyword == "const":
                checks.append(lambda v, const=arg: _equal(v, const))
            elif keyword == "minLength":
                checks.append(lambda v, n=arg: not isinstance(v, str) or len(v) >= n)
            elif keyword == "minItems":
                checks.append(lambda v, n=arg: not isinstance(v, list) or len(v) >= n)
            elif keyword == "uniqueItems":
                if arg:
                    checks.append(lambda v: not isinstance(v, list) or _unique(v))
            elif keyword == "pattern":
                search = re.compile(arg).search
                checks.append(lambda v, search=search: not isinstance(v, str) or search(v) is not None)
            elif keyword == "required":
                checks.append(lambda v, keys=list(arg): not isinstance(v, dict) or all(k in v for k in keys))
            elif keyword == "properties":
                props = {name: self.compile(sub) for name, sub in arg.items()}
                checks.append(
                    lambda v, props=props: (
                        not isinstance(v, dict)
                        or all(check(v[name]) for name, check in props.items() if name in v)
                    )
                )
            elif keyword == "additionalProperties":
                known = frozenset(schema.get("properties", {}))
                if "patternProperties" in schema:
                    raise Unsupported("additionalProperties beside patternProperties")
                extra = self.compile(arg)
                checks.append(
                    lambda v, known=known, extra=extra: (
                        not isinstance(v, dict)
                        or all(extra(item) for key, item in v.items() if key not in known)
                    )
                )
            elif keyword == "items":
                each = self.compile(arg)
                checks.append(lambda v, each=each: not isinstance(v, list) or all(each(item) for item in v))
            elif keyword in ("anyOf", "allOf", "oneOf"):
                subs = [self.compile(sub) for sub in arg]
                if keyword == "anyOf":
                    checks.append(lambda v, subs=subs: any(check(v) for check in subs))
                elif keyword == "allOf":
                    checks.append(lambda v, subs=subs: all(check(v) for check in subs))
                else:
                    checks.append(lambda v, subs=subs: sum(1 for check in subs if check(v)) == 1)
            elif keyword == "not":
                negated = self.compile(arg)
                checks.append(lambda v, negated=negated: not negated(v))
            elif keyword == "if":
                test = self.compile(arg)
                then = self.compile(schema.get("then", True))
                other = self.compile(schema.get("else", True))
                checks.append(lambda v, test=test, then=then, other=other: then(v) if test(v) else other(v))
            elif keyword == "dependentRequired":
                deps = {name: list(keys) for name, keys in arg.items()}
                checks.append(
                    lambda v, deps=deps: (
                        not isinstance(v, dict)
                        or all(all(k in v for k in keys) for name, keys in deps.items() if name in v)
                    )
                )
            elif keyword == "$ref":
                checks.append(self.ref(arg))
            else:
                raise Unsupported(f"keyword {keyword!r}")
        if len(checks) == 1:
            return checks[0]
        return lambda value, checks=tuple(checks): all(check(value) for check in checks)


def compile_check(schema: dict[str, Any]) -> Check:
    """`check(instance) -> bool`, True exactly when jsonschema finds no error; raises `Unsupported`."""
    return _Compiler(schema).compile(schema)
