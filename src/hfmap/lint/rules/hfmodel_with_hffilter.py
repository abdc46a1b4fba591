"""`hfmodel-with-hffilter`: an entry sets both `hfModel` and `hfFilter` (a mapping is one or the other)."""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "hfmodel-with-hffilter"
LEVEL = Level.ERROR
DESCRIPTION = "an entry sets both hfModel and hfFilter"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for file in declared.files:
        for entry in file.entries:
            if "hfModel" in entry.raw and "hfFilter" in entry.raw:
                line = entry.where("hfModel", value=False).line
                message = (
                    f"this entry sets both `hfFilter` and `hfModel` (line {line}); keep `hfModel` to map one "
                    "model, or `hfFilter` (with `adapterType: lora`) to map every model with those tags"
                )
                yield Finding.at(entry.path, entry.where("hfFilter", value=False), LEVEL, ID, message)
