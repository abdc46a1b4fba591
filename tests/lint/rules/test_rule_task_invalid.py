"""`task-invalid`: not a pipeline tag nor conversational; closest valid task suggested."""

from __future__ import annotations

from lint_rule_helpers import lint_text


def test_valid_tasks_pass():
    text = """
    provider: hf-inference
    mappings:
      - hfModel: a/b
        providerModel: a/b
        task: text-classification
      - hfModel: a/c
        providerModel: a/c
        task: conversational
    """
    assert lint_text(text, "task-invalid") == []


def test_typo_at_the_value_with_suggestion():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        providerModel: a/b
        task: text-to-imag
    """
    (finding,) = lint_text(text, "task-invalid")
    assert (finding.line, finding.column) == (5, 11)
    assert "unknown task 'text-to-imag'; did you mean 'text-to-image'?" in finding.message


def test_case_and_underscore_slips_are_understood():
    text = "provider: replicate\nmappings:\n  - {hfModel: a/b, providerModel: a/b, task: Text_To_Image}\n"
    (finding,) = lint_text(text, "task-invalid")
    assert "did you mean 'text-to-image'?" in finding.message


def test_defaults_task_reported_once_at_defaults():
    text = """
    provider: replicate
    defaults:
      task: txt2img
    mappings:
      - {hfModel: a/b, providerModel: a/b}
      - {hfModel: a/c, providerModel: a/c}
    """
    findings = lint_text(text, "task-invalid")
    assert [(f.line, f.column) for f in findings] == [(3, 9)]


def test_can_be_disabled():
    text = "provider: replicate\nmappings:\n  - {hfModel: a/b, providerModel: a/b, task: new-task}\n"
    assert lint_text(text, disabled=frozenset({"task-invalid"})) == []
