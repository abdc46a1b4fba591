"""`disable-comment`: unknown ids in `# hfmap: disable=` are flagged; known lint and check ids are not."""

from __future__ import annotations

from lint_rule_helpers import lint_text

TEXT = """
provider: together
mappings:
  - hfModel: meta-llama/Llama-3.1-8B-Instruct  # hfmap: disable=conversatonal-task
    providerModel: meta-llama/Llama-3.1-8B-Instruct
    task: text-generation
  - hfModel: google/gemma-2-9b-it  # hfmap: disable=conversational-task, hf-model-missing
    providerModel: google/gemma-2-9b-it
    task: text-generation
"""


def test_a_typo_is_flagged_at_the_comment_with_a_suggestion():
    [finding] = lint_text(TEXT, "disable-comment")
    assert (finding.line, finding.column, finding.level.value) == (3, 48, "warning")
    assert "unknown rule 'conversatonal-task'" in finding.message
    assert "did you mean 'conversational-task'?" in finding.message


def test_the_typo_disables_nothing_and_known_ids_of_lint_and_check_are_accepted():
    findings = lint_text(TEXT, "conversational-task")
    assert [f.line for f in findings] == [5]  # the misspelt comment did not hide it; the correct one did
