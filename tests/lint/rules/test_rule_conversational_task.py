"""`conversational-task` (warning): text-generation on a chat-looking model."""

from __future__ import annotations

import pytest
from lint_rule_helpers import lint_text

TEXT = """
provider: together
mappings:
  - hfModel: {model}
    providerModel: x/y
    task: {task}
"""


@pytest.mark.parametrize(
    "model",
    [
        "meta-llama/Llama-3.1-8B-Instruct",
        "mistralai/Mistral-7B-instruct-v0.3",
        "google/gemma-2-9b-it",
        "THUDM/chatglm3-6b-chat",
        "x/Model-Chat-GGUF",
        "x/qwen-it.q4",
    ],
)
def test_chat_looking_models_warn_at_the_task(model):
    (finding,) = lint_text(TEXT.format(model=model, task="text-generation"), "conversational-task")
    assert (finding.line, finding.column, finding.level) == (5, 11, "warning")
    assert "looks like a chat model" in finding.message and "`task: conversational`" in finding.message


@pytest.mark.parametrize("model", ["openai-community/gpt2", "x/Instructor-base", "x/itsy-bitsy", "x/chatty"])
def test_other_models_do_not_warn(model):
    assert lint_text(TEXT.format(model=model, task="text-generation"), "conversational-task") == []


def test_conversational_task_does_not_warn():
    assert lint_text(TEXT.format(model="a/B-Instruct", task="conversational"), "conversational-task") == []


def test_task_from_defaults_warns_at_the_model():
    text = "provider: together\ndefaults: {task: text-generation}\nmappings:\n"
    text += "  - hfModel: a/B-Instruct\n    providerModel: x/y\n"
    (finding,) = lint_text(text, "conversational-task")
    assert (finding.line, finding.column) == (4, 14)
