"""`duplicate-mapping`: one identity (provider + hfModel, or provider + sorted tags) declared twice.

Reported at every place, within a file and across the files of one provider: the Hub holds one
mapping per identity, so which one a sync would keep is undefined. Each finding names one other place
and the count (the first names the second, the others name the first), so the output grows with the
entries, not with their square: a hostile file of 4,000 identical entries would otherwise print 750 MB.
Repo ids compare without regard to letter case, as the Hub resolves them (`Org/Model` and `org/model`
are one repo).
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
        count = len(entries)
        what = _what(identity.hf_model, identity.key, entries)
        times = "more than once" if count == 2 else f"{count} times"
        for index, entry in enumerate(entries):
            if index == 0:
                other = entries[1]
                more = f" and {count - 2} more" if count > 2 else ""
            else:
                other = entries[0]
                more = f", the first of {count}" if count > 2 else ""
            where = place(other.path, other.where(_anchor(other)).line)
            message = (
                f"{what} is mapped {times} for provider '{identity.provider}' (also at {where}{more}); "
                "keep one entry"
            )
            yield Finding.at(entry.path, entry.where(_anchor(entry)), LEVEL, ID, message)


_SPELLINGS_SHOWN = 3


def _what(hf_model: str | None, key: str, entries: list[Entry]) -> str:
    """How the message names the identity; a few of the spellings when repo ids differ in case."""
    if hf_model is None:
        return f"the tag filter {key}"
    spellings = sorted({e.hf_model for e in entries if e.hf_model is not None})
    if len(spellings) < 2:
        return f"'{hf_model}'"
    shown = ", ".join(map(repr, spellings[:_SPELLINGS_SHOWN]))
    if len(spellings) > _SPELLINGS_SHOWN:
        shown += f" and {len(spellings) - _SPELLINGS_SHOWN} more"
    return f"'{hf_model}' (spelled {shown}; one repo on the Hub)"
