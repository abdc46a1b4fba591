"""`ignored-entry`: an entry that its provider's own `ignore` patterns cover.

`ignore` says "live mappings this repository never touches"; declaring one of them says the opposite.
`plan` then creates it when it is missing but never updates or deletes it, which is rarely what either
line meant. The same matching as `plan` (repo ids in any case, tag-filter keys exactly).
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared, first_ignoring_pattern
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "ignored-entry"
LEVEL = Level.WARNING
DESCRIPTION = "an entry matches its provider's own `ignore` patterns (declared and ignored at once)"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for decl in declared.providers.values():
        patterns = decl.ignore
        if not patterns:
            continue
        for entry in decl.entries:
            identity = entry.identity
            pattern = None if identity is None else first_ignoring_pattern(identity.key, patterns)
            if identity is None or pattern is None:
                continue
            anchor = "hfModel" if identity.hf_model is not None else "hfFilter"
            message = (
                f"'{identity.key}' is declared here but also matches ignore pattern '{pattern}', "
                "so hfmap would create it when missing yet never update or delete it; "
                "remove the entry or narrow the pattern"
            )
            yield Finding.at(entry.path, entry.where(anchor), LEVEL, ID, message)
