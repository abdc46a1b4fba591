"""`hffilter-adapter`: `hfFilter` without `adapterType: lora`, or `adapterType` without `hfFilter`.

The Hub maps tag filters only as LoRA adapters and has no adapter for single-model mappings.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "hffilter-adapter"
LEVEL = Level.ERROR
DESCRIPTION = "hfFilter without `adapterType: lora`, or adapterType without hfFilter"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for file in declared.files:
        for entry in file.entries:
            has_filter = "hfFilter" in entry.raw
            has_adapter = "adapterType" in entry.raw
            if has_filter and not has_adapter:
                message = (
                    "`hfFilter` needs `adapterType: lora` (the Hub maps tag filters only as LoRA adapters)"
                )
                yield Finding.at(entry.path, entry.where("hfFilter", value=False), LEVEL, ID, message)
            elif has_adapter and not has_filter:
                message = (
                    "`adapterType` goes only with `hfFilter`; remove it from this entry, "
                    "or replace `hfModel` by `hfFilter` to map a tag filter"
                )
                yield Finding.at(entry.path, entry.where("adapterType", value=False), LEVEL, ID, message)
