"""`syntax`: a file that could not be read as a YAML mapping (found by `hfmap.files.parse` and `load`)."""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "syntax"
LEVEL = Level.ERROR
DESCRIPTION = (
    "YAML errors, duplicate keys, tabs, non-UTF-8, empty file, a top level that is not a mapping, "
    "a file or folder that cannot be read"
)
CAN_DISABLE = False  # nothing else can be checked in a file that cannot be read


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    return ()  # reported while loading: a file with a syntax error never reaches the rules
