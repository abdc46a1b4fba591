"""The README's verdict table is `hfmap.sync.verify.VERDICTS`: each verdict once, with level and meaning."""

from __future__ import annotations

import re
from pathlib import Path

from hfmap.mapping.verdict import VERDICTS

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(?P<id>[a-z-]+)` \| (?P<level>ok|notice|warning|error) \| (?P<text>.+) \|$")


def test_the_readme_verdict_table_is_the_verdict_table():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Verifying what clients see") :]
    rows = []
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match["id"], match["level"], match["text"]))
        elif rows:
            break
    assert rows == [(verdict, level, text) for verdict, (level, text) in VERDICTS.items()]
