"""docs/verify.md's verdict table is `hfmap.mapping.verdict.VERDICTS`: every verdict once, in order, with its
level, meaning and what to do, so a verdict added in code without its row (or a row left for a verdict
that is gone) fails here."""

from __future__ import annotations

import re
from pathlib import Path

from hfmap.mapping.verdict import VERDICTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "verify.md"
ROW = re.compile(
    r"^\| `(?P<id>[a-z-]+)` \| (?P<level>ok|notice|warning|error) \| (?P<text>.+) \| (?P<todo>.+) \|$"
)


def _table() -> list[tuple[str, str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Verdicts") :]
    rows = []
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match["id"], match["level"], match["text"], match["todo"]))
        elif rows:
            break
    return rows


def test_the_docs_verdict_table_is_the_verdict_table():
    assert _table() == [(verdict, *entry) for verdict, entry in VERDICTS.items()]


def test_every_verdict_says_what_to_do():
    assert all(todo.strip() for *_, todo in _table())
    assert len(_table()) == len(VERDICTS) >= 13
