"""`schema`: the file against the JSON Schema (missing and unknown keys, types, enums)."""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "schema"
LEVEL = Level.ERROR
DESCRIPTION = "missing or unknown keys (with did-you-mean), wrong types, bad enum values"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    from hfmap.lint.schema_errors import check_file  # jsonschema is imported only when this rule runs

    for file in declared.files:
        yield from check_file(file)
