"""The rule tables of docs/rules.md are the registry: every rule listed once, with its level and description.

As yamllint builds its rule docs from the rule modules, `hfmap lint --list-rules` and docs/rules.md must
say the same thing; a rule added without its line in the docs (or the other way round) fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from hfmap import check_rules
from hfmap.lint import rules as lint_rules

RULES_DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
ROW = re.compile(r"^\| `(?P<id>[a-z-]+)` \| (?P<level>error|warning|notice) \| (?P<text>.+) \|$")


def doc_tables() -> list[list[tuple[str, str, str]]]:
    """Each rule table of docs/rules.md (rows `| \\`id\\` | level | text |`), in order."""
    tables: list[list[tuple[str, str, str]]] = []
    current: list[tuple[str, str, str]] = []
    for line in RULES_DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            current.append((match["id"], match["level"], match["text"]))
        elif current:
            tables.append(current)
            current = []
    return [*tables, current] if current else tables


def registry(rows: list[dict[str, object]]) -> list[tuple[str, str, str]]:
    return [
        (str(r["id"]), str(r["level"]), str(r["description"]) + ("" if r["can_disable"] else " (always on)"))
        for r in rows
    ]


def test_the_lint_table_is_the_lint_registry():
    assert doc_tables()[0] == registry(lint_rules.rows())


def test_the_check_table_is_the_online_rules():
    assert doc_tables()[1] == registry(check_rules.rows())


def test_list_rules_prints_the_registry(run_cli):
    listed = run_cli("check", "--list-rules").stdout.splitlines()
    expected = registry(lint_rules.rows()) + registry(check_rules.rows())
    assert [line.split()[:2] for line in listed] == [[rule_id, level] for rule_id, level, _ in expected]
    assert all(line.endswith(text) for line, (_, _, text) in zip(listed, expected, strict=True))
