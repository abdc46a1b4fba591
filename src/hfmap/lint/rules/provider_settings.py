"""`provider-settings`: files of one provider that set `prune` or `ignore` differently.

Only explicit settings are compared (a file may leave them to another file); each disagreeing file is
reported at its own key, naming a file that says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared, MappingFile
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules._util import place

ID = "provider-settings"
LEVEL = Level.ERROR
DESCRIPTION = "`prune` or `ignore` set differently in two files of the same provider"


def _value(file: MappingFile, key: str) -> object:
    return file.prune if key == "prune" else sorted(set(file.ignore))


def _well_typed(file: MappingFile, key: str) -> bool:
    """A setting of the wrong type is the schema's to report, not a disagreement."""
    raw = file.data.get(key)
    return isinstance(raw, bool) if key == "prune" else isinstance(raw, list)


_PATTERNS_SHOWN = 3  # every disagreeing file names the other's list: a long one would make output quadratic


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, list):
        return str(value)
    shown = [str(v) for v in value[:_PATTERNS_SHOWN]]
    if len(value) > _PATTERNS_SHOWN:
        shown.append(f"... {len(value) - _PATTERNS_SHOWN} more")
    return "[" + ", ".join(shown) + "]"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for provider, decl in declared.providers.items():
        for key in ("prune", "ignore"):
            setters = [f for f in decl.files if key in f.explicit_settings and _well_typed(f, key)]
            if len({repr(_value(f, key)) for f in setters}) < 2:
                continue
            for file in setters:
                mine = _value(file, key)
                other = next(f for f in setters if _value(f, key) != mine)
                there = place(other.path, other.where((key,), value=False).line)
                message = (
                    f"`{key}: {_shown(mine)}` here disagrees with "
                    f"`{key}: {_shown(_value(other, key))}` in {there} (both files declare provider "
                    f"'{provider}'); set it the same in every file, or in one file only"
                )
                yield Finding.at(file.path, file.where((key,), value=False), LEVEL, ID, message)
