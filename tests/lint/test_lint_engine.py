"""The engine's API as `hfmap check` and `hfmap plan` use it: exit codes, rule ids, entry disables."""

from __future__ import annotations

import pytest

from hfmap.errors import UsageError
from hfmap.files.load import load_text
from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.engine import apply_entry_disables, exit_code, lint, validate_rule_ids

TEXT = """\
provider: replicate
mappings:
  - hfModel: a/b  # hfmap: disable=hf-model-missing, task-invalid
    providerModel: a/b
    task: nonsense

  - hfModel: a/c  # hfmap: disable=all
    providerModel: a/c
    task: nonsense
prune: true
"""


def _declared() -> Declared:
    file, findings = load_text(TEXT, "m.yaml")
    assert file is not None and findings == []
    return Declared([file])


def _finding(line: int, rule: str, level: Level = Level.ERROR) -> Finding:
    return Finding("m.yaml", line, 1, level, rule, "x")


@pytest.mark.parametrize(
    ("levels", "strict", "code"),
    [
        ((), False, 0),
        ((Level.NOTICE,), True, 0),
        ((Level.WARNING,), False, 0),
        ((Level.WARNING,), True, 1),
        ((Level.ERROR, Level.NOTICE), False, 1),
    ],
)
def test_exit_code(levels, strict, code):
    assert exit_code([_finding(1, "schema", level) for level in levels], strict) == code


def test_validate_rule_ids():
    validate_rule_ids(["schema", "task-invalid", "conversational-task"])
    with pytest.raises(UsageError, match=r"unknown rule 'hf-modle-id'; did you mean 'hf-model-id'\?"):
        validate_rule_ids(["hf-modle-id"])
    with pytest.raises(UsageError, match="see `hfmap lint --list-rules`"):
        validate_rule_ids(["zzzzzz"])


def test_comment_disables_cover_the_entry_span_only():
    findings = [
        _finding(3, "hf-model-missing"),  # a check finding on the first entry's first line
        _finding(6, "hf-model-missing"),  # the blank line before the next entry still belongs to entry 1
        _finding(5, "provider-model-id"),  # not disabled there
        _finding(9, "anything"),  # entry 2 disables all
        _finding(10, "provider-settings"),  # the top-level key after the last entry is outside every entry
        _finding(1, "unknown-provider"),
        _finding(8, "syntax"),  # never suppressed
    ]
    kept, suppressed = apply_entry_disables(findings, _declared())
    assert sorted(f.line for f in kept) == [1, 5, 8, 10]
    assert [(s.finding.line, s.describe()) for s in suppressed] == [
        (3, "suppressed by comment at m.yaml:3"),
        (6, "suppressed by comment at m.yaml:3"),
        (9, "suppressed by comment at m.yaml:7"),
    ]


def test_lint_returns_suppressed_findings_apart():
    result = lint(_declared(), [])
    assert result.findings == []
    assert sorted((s.finding.rule, s.line) for s in result.suppressed) == [
        ("task-invalid", 3),
        ("task-invalid", 7),
    ]


def test_disabled_rules_do_not_run():
    result = lint(_declared(), [], disabled=frozenset({"task-invalid"}))
    assert result.findings == [] and result.suppressed == []
