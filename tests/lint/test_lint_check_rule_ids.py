"""`--disable` of an online rule on an offline command gets a precise answer, not "unknown rule"."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mappings"


def test_lint_disable_of_a_check_rule_says_what_it_is(run_cli):
    result = run_cli("lint", "--disable", "hf-model-missing", EXAMPLES)
    assert result.exit_code == 2
    assert "'hf-model-missing' is an online rule: only `hfmap check` runs it" in result.stderr
    assert "unknown rule" not in result.stderr
