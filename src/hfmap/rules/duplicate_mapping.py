"""`duplicate-mapping`: one identity (provider + hfModel, or provider + sorted tags) declared twice.

Reported at every place, each naming the others, within a file and across the files of one provider:
the Hub holds one mapping per identity, so which one a sync would keep is undefined.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.findings import Finding, Level
from hfmap.model import Declared, Entry, Identity
from hfmap.rules._options import RuleOptions
from hfmap.rules._util import place

ID = "duplicate-mapping"
LEVEL = Level.ERROR
DESCRIPTION = (
    "the same hfModel (or the same tag set) declared twice for one provider, in one file or across files"
)


def _anchor(entry: Entry) -> str:
    return "hfModel" if entry.hf_model is not None else "hfFilter"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    groups: dict[Identity, list[Entry]] = {}
    for entry in declared.entries:
        identity = entry.identity
        if identity is not None:
            groups.setdefault(identity, []).append(entry)
    for identity, entries in groups.items():
        if len(entries) < 2:
            continue
        what = f"'{identity.hf_model}'" if identity.hf_model is not None else f"the tag filter {identity.key}"
        for entry in entries:
            others = ", ".join(place(o.path, o.where(_anchor(o)).line) for o in entries if o is not entry)
            message = (
                f"{what} is mapped more than once for provider '{identity.provider}' (also at {others}); "
                "keep one entry"
            )
            yield Finding.at(entry.path, entry.where(_anchor(entry)), LEVEL, ID, message)
