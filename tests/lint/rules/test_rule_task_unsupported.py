"""`task-unsupported`: the JS client cannot serve the task for the provider (error; says what it can)."""

from __future__ import annotations

from lint_rule_helpers import lint_text

TEXT = """
provider: replicate
mappings:
  - hfModel: meta/llama
    providerModel: meta/llama
    task: {task}
"""


def test_supported_task_passes():
    assert lint_text(TEXT.format(task="text-to-image"), "task-unsupported") == []


def test_unsupported_task_is_an_error_listing_the_served_tasks():
    (finding,) = lint_text(TEXT.format(task="text-classification"), "task-unsupported")
    assert (finding.line, finding.column, finding.level) == (5, 11, "error")
    assert "cannot serve 'text-classification' for provider 'replicate'" in finding.message
    assert "it serves: automatic-speech-recognition, image-to-image, text-to-image" in finding.message


def test_invalid_task_is_left_to_task_invalid():
    findings = lint_text(TEXT.format(task="nonsense"))
    assert [f.rule for f in findings] == ["task-invalid"]


def test_unknown_provider_is_left_to_unknown_provider():
    text = TEXT.format(task="text-classification").replace("replicate", "nope-ai", 1)
    assert lint_text(text, "task-unsupported") == []


def test_can_be_disabled():
    text = TEXT.format(task="text-classification")
    assert lint_text(text, disabled=frozenset({"task-unsupported"})) == []
