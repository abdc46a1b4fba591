"""`hffilter-tags`: a tag list that is empty, or has blank, padded, repeated or comma-holding tags.

The Hub keys a tag filter as `tag-filter=` + its tags joined by `,`: a tag holding a comma would make
`["lora,x", "y"]` and `["lora", "x,y"]` one key, so one of the two entries could never be synced.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap.files.model import Declared, Position
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.mapping.key import TAG_SEPARATOR

ID = "hffilter-tags"
LEVEL = Level.ERROR
DESCRIPTION = "hfFilter empty, or with blank, padded or duplicate tags, or a tag containing `,`"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for file in declared.files:
        for entry in file.entries:
            tags = entry.raw.get("hfFilter")
            if not isinstance(tags, list):
                continue  # not a list: the schema reports the type
            if not tags:
                message = (
                    "`hfFilter` is empty; list the tags a model must all carry, e.g. [lora, base_model:...]"
                )
                yield Finding.at(entry.path, entry.where("hfFilter"), LEVEL, ID, message)
                continue
            seen: dict[str, Position] = {}
            for number, tag in enumerate(tags, start=1):
                if not isinstance(tag, str):
                    continue  # the schema reports non-string tags
                pos = file.where(("mappings", entry.index, "hfFilter", number - 1))
                if not tag.strip():
                    message = f"tag {number} of `hfFilter` is blank; remove it"
                elif tag != tag.strip():
                    message = (
                        f"tag {number} of `hfFilter` ({tag!r}) has leading or trailing spaces; "
                        f"the Hub matches tags exactly: write '{tag.strip()}'"
                    )
                elif TAG_SEPARATOR in tag:
                    message = (
                        f"tag {number} of `hfFilter` ({tag!r}) contains ','; the Hub joins tags with commas "
                        "into one key, so it would read as several tags: list each tag separately"
                    )
                elif tag in seen:
                    first = seen[tag]
                    message = (
                        f"tag '{tag}' appears twice in `hfFilter` (first at line {first.line}, "
                        f"column {first.column}); remove the repeat"
                    )
                else:
                    seen[tag] = pos
                    continue
                yield Finding.at(entry.path, pos, LEVEL, ID, message)
