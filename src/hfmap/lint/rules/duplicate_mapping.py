"""`duplicate-mapping`: one identity (provider + hfModel, or provider + sorted tags) declared twice.

Reported at every place, each naming the others, within a file and across the files of one provider:
the Hub holds one mapping per identity, so which one a sync would keep is undefined. Repo ids compare
without regard to letter case, as the Hub resolves them (`Org/Model` and `org/model` are one repo).
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared, Entry
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules._util import place

ID = "duplicate-mapping"
LEVEL = Level.ERROR
DESCRIPTION = (
    "the same identity twice for one provider, in one file or across files (both places reported; "
    "repo ids compare without regard to case, as the Hub resolves them)"
)


def _anchor(entry: Entry) -> str:
    return "hfModel" if entry.hf_model is not None else "hfFilter"


def _group_key(entry: Entry) -> tuple[str, ...] | None:
    """A plain-tuple identity (cheap to build and hash for 10,000 entries); repo ids case-folded."""
    if entry.provider is None:
        return None
    if entry.hf_model is not None and entry.hf_filter is None:
        return (entry.provider, "model", entry.hf_model.lower())
    if entry.hf_filter is not None and entry.hf_model is None:
        return (entry.provider, "tags", *sorted(entry.hf_filter))
    return None


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    groups: dict[tuple[str, ...], list[Entry]] = {}
    for entry in declared.entries:
        key = _group_key(entry)
        if key is not None:
            groups.setdefault(key, []).append(entry)
    for entries in groups.values():
        if len(entries) < 2:
            continue
        identity = entries[0].identity
        assert identity is not None
        spellings = {e.hf_model for e in entries}
        if identity.hf_model is None:
            what = f"the tag filter {identity.key}"
        elif len(spellings) > 1:
            spelled = ", ".join(sorted(map(repr, spellings)))
            what = f"'{identity.hf_model}' (spelled {spelled}; one repo on the Hub)"
        else:
            what = f"'{identity.hf_model}'"
        for entry in entries:
            others = ", ".join(place(o.path, o.where(_anchor(o)).line) for o in entries if o is not entry)
            message = (
                f"{what} is mapped more than once for provider '{identity.provider}' (also at {others}); "
                "keep one entry"
            )
            yield Finding.at(entry.path, entry.where(_anchor(entry)), LEVEL, ID, message)
