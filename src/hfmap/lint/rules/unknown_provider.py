"""`unknown-provider`: a provider the inference clients do not know, or one without Hub mappings."""

from __future__ import annotations

from collections.abc import Iterable

from hfmap import data
from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "unknown-provider"
LEVEL = Level.ERROR
DESCRIPTION = "provider not known to the inference clients, or served client-side only"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    known = data.providers()
    for file in declared.files:
        name = file.provider
        if not name or name in options.allow_providers:
            continue
        pos = file.where(("provider",))
        if name not in known:
            message = (
                f"unknown provider '{name}'; {data.provider_hint(name)}"
                f"A provider newer than hfmap's data: pass --allow-provider {name}"
            )
            yield Finding.at(file.path, pos, LEVEL, ID, message)
        elif data.hub_mapping(name) is False:
            message = (
                f"provider '{name}' is served client-side only and has no Hub model mappings; "
                f"remove this file, or pass --allow-provider {name} if that has changed"
            )
            yield Finding.at(file.path, pos, LEVEL, ID, message)
