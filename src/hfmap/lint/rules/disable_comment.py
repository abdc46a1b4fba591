"""`disable-comment`: a `# hfmap: disable=` comment naming a rule that does not exist.

A typo in a disable comment silently disables nothing, and the finding it meant to hide keeps showing up
with no hint why (ruff warns about unknown codes in `# noqa` the same way). Check rules count as known:
one comment may serve both `hfmap lint` and `hfmap check`.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.check_rules import CHECK_RULES
from hfmap.data import closest
from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "disable-comment"
LEVEL = Level.WARNING
DESCRIPTION = "a `# hfmap: disable=` comment names a rule that does not exist (closest id suggested)"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    from hfmap.lint.rules import BY_ID  # the registry imports this module

    known = {*BY_ID, *CHECK_RULES, "all"}
    for file in declared.files:
        for entry in file.entries:
            unknown = sorted(entry.disabled_rules - known)
            if not unknown:
                continue
            where = entry.disable_at or entry.pos
            for rule_id in unknown:
                guess = closest(rule_id, sorted(known - {"all"}))
                hint = f"did you mean '{guess}'?" if guess else "see `hfmap check --list-rules`"
                message = (
                    f"`# hfmap: disable=` names unknown rule '{rule_id}', which disables nothing; {hint}"
                )
                yield Finding.at(file.path, where, LEVEL, ID, message)
