"""`status-auto`: `status: auto` where nothing can resolve it.

`auto` follows the provider's own warm/cold signal, which only providers with a status source have
(Replicate today), and only for one model: a tag filter maps many models, none of them the provider's
to be warm or cold. Reported at the entry's `status`, or at the entry when `defaults` set it.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.mapping.record import AUTO_STATUS
from hfmap.providers.status_sources import STATUS_SOURCES

ID = "status-auto"
LEVEL = Level.ERROR
DESCRIPTION = "`status: auto` on a provider without a status source (Replicate has one), or on a tag filter"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    sources = ", ".join(sorted(STATUS_SOURCES))
    for file in declared.files:
        for entry in file.entries:
            if entry.status != AUTO_STATUS:
                continue
            from_defaults = "status" not in entry.raw
            origin = " (from `defaults`)" if from_defaults else ""
            fix = "set `status: live` or `staging` on this entry" if from_defaults else "use live or staging"
            if entry.hf_filter is not None or "hfFilter" in entry.raw:
                message = (
                    f"`status: auto`{origin} cannot follow a tag filter: it maps many models and the "
                    f"provider reports warmth per model; {fix}"
                )
            elif entry.provider is not None and entry.provider not in STATUS_SOURCES:
                message = (
                    f"`status: auto`{origin} needs the provider's warm/cold signal, and hfmap has none for "
                    f"'{entry.provider}' (it has: {sources}); {fix}"
                )
            else:
                continue
            where = entry.pos if from_defaults else entry.where("status")
            yield Finding.at(entry.path, where, LEVEL, ID, message)
