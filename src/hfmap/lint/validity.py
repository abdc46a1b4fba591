"""A yes/no JSON Schema check, compiled once to Python source, for the keywords the mapping schema uses.

Why: jsonschema builds a validator object per subschema and instance as it descends (about 60 % of
`hfmap lint` on a 10,000-entry file, though nearly every file is valid). The schema rule asks this
check first; only a file it says is invalid goes to jsonschema, which then reports every problem with
its path, so messages and positions are exactly what they were. The check must therefore agree with
jsonschema on every instance: it knows a fixed set of keywords with jsonschema's semantics (a bool is
not a number, `1` and `True` differ in `enum` and `uniqueItems`, `pattern` searches), and a schema with
any other keyword is refused at compile time (`Unsupported`), in which case the rule uses jsonschema
alone. Each subschema becomes one plain function (straight-line tests and loops, no per-keyword call),
about four times faster than nested closures. A hypothesis test compares the verdict with jsonschema's.
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
_TYPE_TESTS = {
    "string": "isinstance(x, str)",
    "object": "isinstance(x, dict)",
    "array": "isinstance(x, list)",
    "boolean": "isinstance(x, bool)",
    "null": "x is None",
    "integer": (
        "(not isinstance(x, bool) and (isinstance(x, int) or (isinstance(x, float) and x.is_integer())))"
    ),
    "number": "(not isinstance(x, bool) and isinstance(x, (int, float)))",
}


class Unsupported(ValueError):
    """The schema uses a keyword this checker does not implement."""


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


class _Generator:
    """Writes one function per subschema into `self.lines`; constants go to `self.names`."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.defs = root.get("$defs", {})
        self.lines: list[str] = []
        self.names: dict[str, Any] = {"_equal": _equal, "_unique": _unique}
        self.refs: dict[str, str] = {}
        self.count = 0

    def constant(self, value: Any) -> str:
        name = f"C{len(self.names)}"
        self.names[name] = value
        return name

    def ref(self, ref: str) -> str:
        if not ref.startswith("#/$defs/") or "/" in ref[len("#/$defs/") :]:
            raise Unsupported(f"$ref {ref!r}")
        name = ref[len("#/$defs/") :]
        if name not in self.defs:
            raise Unsupported(f"$ref {ref!r} to nothing")
        if name not in self.refs:
            self.refs[name] = f"v{self.count}"  # named before its body: a recursive reference works
            self.function(self.defs[name], self.refs[name])
        return self.refs[name]

    def function(self, schema: Any, name: str | None = None) -> str:
        """The name of a function `name(x) -> bool` for `schema` (written, with its helpers, first)."""
        if name is None:
            name = f"v{self.count}"
        self.count += 1
        if schema is True or schema is False:
            self.lines += [f"def {name}(x):", f"    return {schema}", ""]
            return name
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        body: list[str] = []
        for keyword, arg in schema.items():
            if keyword in _ANNOTATIONS or keyword in ("then", "else", "additionalProperties"):
                continue
            body += self.keyword(schema, keyword, arg)
        if "additionalProperties" in schema and "properties" not in schema:
            body += self.keyword(schema, "properties", {})
        self.lines += [f"def {name}(x):", *("    " + line for line in body), "    return True", ""]
        return name

    def keyword(self, schema: dict[str, Any], keyword: str, arg: Any) -> list[str]:
        """Lines that `return False` when `arg` (the value of `keyword`) rejects `x`."""
        if keyword == "type":
            names = [arg] if isinstance(arg, str) else list(arg)
            if any(n not in _TYPE_TESTS for n in names):
                raise Unsupported(f"type {arg!r}")
            return [f"if not ({' or '.join(_TYPE_TESTS[n] for n in names)}): return False"]
        if keyword in ("enum", "const"):
            options = list(arg) if keyword == "enum" else [arg]
            if all(isinstance(o, str) for o in options):  # the usual case: one set lookup
                return [
                    f"if not (isinstance(x, str) and x in {self.constant(frozenset(options))}): return False"
                ]
            return [f"if not any(_equal(x, o) for o in {self.constant(options)}): return False"]
        if keyword == "minLength":
            return [f"if isinstance(x, str) and len(x) < {int(arg)}: return False"]
        if keyword == "minItems":
            return [f"if isinstance(x, list) and len(x) < {int(arg)}: return False"]
        if keyword == "uniqueItems":
            return ["if isinstance(x, list) and not _unique(x): return False"] if arg else []
        if keyword == "pattern":
            search = self.constant(re.compile(arg).search)
            return [f"if isinstance(x, str) and {search}(x) is None: return False"]
        if keyword == "required":
            keys = " and ".join(f"{self.constant(k)} in x" for k in arg) or "True"
            return [f"if isinstance(x, dict) and not ({keys}): return False"]
        if keyword == "dependentRequired":
            lines = []
            for key, needed in arg.items():
                wanted = " and ".join(f"{self.constant(k)} in x" for k in needed) or "True"
                lines.append(
                    f"if isinstance(x, dict) and {self.constant(key)} in x and not ({wanted}): return False"
                )
            return lines
        if keyword == "properties":
            return self.properties(schema)
        if keyword == "items":
            each = self.function(arg)
            return ["if isinstance(x, list):", "    for y in x:", f"        if not {each}(y): return False"]
        if keyword in ("anyOf", "allOf", "oneOf"):
            subs = [f"{self.function(sub)}(x)" for sub in arg]
            if keyword == "anyOf":
                return [f"if not ({' or '.join(subs) or 'False'}): return False"]
            if keyword == "allOf":
                return [f"if not ({' and '.join(subs) or 'True'}): return False"]
            return [f"if sum(({', '.join(subs)},)) != 1: return False"] if subs else ["return False"]
        if keyword == "not":
            return [f"if {self.function(arg)}(x): return False"]
        if keyword == "if":
            test = self.function(arg)
            then = self.function(schema.get("then", True))
            other = self.function(schema.get("else", True))
            return [f"if not ({then}(x) if {test}(x) else {other}(x)): return False"]
        if keyword == "$ref":
            return [f"if not {self.ref(arg)}(x): return False"]
        raise Unsupported(f"keyword {keyword!r}")

    def properties(self, schema: dict[str, Any]) -> list[str]:
        """`properties` and `additionalProperties` in one pass over the instance's keys."""
        if "patternProperties" in schema:
            raise Unsupported("patternProperties")
        lines = ["if isinstance(x, dict):", "    for k, y in x.items():"]
        branch = "if"
        for key, sub in schema.get("properties", {}).items():
            lines += [
                f"        {branch} k == {self.constant(key)}:",
                f"            if not {self.function(sub)}(y): return False",
            ]
            branch = "elif"
        extra = schema.get("additionalProperties", True)
        if extra is not True:
            test = "return False" if extra is False else f"if not {self.function(extra)}(y): return False"
            lines += ["        else:", f"            {test}"] if branch == "elif" else [f"        {test}"]
        elif branch == "if":
            return []
        return lines


def compile_check(schema: dict[str, Any]) -> Check:
    """`check(instance) -> bool`, True exactly when jsonschema finds no error; raises `Unsupported`."""
    generator = _Generator(schema)
    root = generator.function(schema, "check")
    namespace = dict(generator.names)
    exec(compile("\n".join(generator.lines), "<hfmap mapping-file schema check>", "exec"), namespace)
    return namespace[root]
