"""`syntax`: produced by the loader, listed with the rules, and never switched off."""

from __future__ import annotations

import pytest
from lint_rule_helpers import lint_files, lint_text

from hfmap.errors import UsageError
from hfmap.lint.engine import validate_rule_ids
from hfmap.lint.rules import BY_ID


def test_yaml_error_is_a_syntax_finding_at_its_position():
    (finding,) = lint_text("provider: replicate\nmappings:\n  - hfModel: [a\n")
    assert finding.rule == "syntax"
    assert finding.line >= 3
    assert finding.message.startswith("YAML syntax error")


def test_syntax_is_registered_and_cannot_be_disabled():
    assert BY_ID["syntax"].LEVEL == "error"
    with pytest.raises(UsageError, match="cannot be disabled"):
        validate_rule_ids(["syntax"])
    result = lint_files({"m.yaml": "a: [\n"}, disabled=frozenset({"syntax"}))
    assert [f.rule for f in result.findings] == ["syntax"]


def test_comment_disable_never_hides_syntax():
    result = lint_files({"m.yaml": "provider: x\nmappings:\n  - a: 1  # hfmap: disable=all\n    a: 2\n"})
    assert [f.rule for f in result.findings] == ["syntax"]
    assert "duplicate key 'a'" in result.findings[0].message
