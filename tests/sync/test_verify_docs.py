"""docs/commands.md's verdict table is `hfmap.sync.verify.VERDICTS`: each verdict once, level and meaning."""

from __future__ import annotations

import re
from pathlib import Path

from hfmap.mapping.verdict import VERDICTS

COMMANDS_DOC = Path(__file__).resolve().parents[2] / "docs" / "commands.md"
ROW = re.compile(r"^\| `(?P<id>[a-z-]+)` \| (?P<level>ok|notice|warning|error) \| (?P<text>.+) \|$")


def test_the_documented_verdict_table_is_the_verdict_table():
    text = COMMANDS_DOC.read_text(encoding="utf-8")
    section = text[text.index("## hfmap verify") :]
    rows = []
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match["id"], match["level"], match["text"]))
        elif rows:
            break
    assert rows == [(verdict, level, text) for verdict, (level, text) in VERDICTS.items()]
