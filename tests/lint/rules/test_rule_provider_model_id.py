"""`provider-model-id`: per-provider forms; never empty, never whitespace or control characters."""

from __future__ import annotations

import pytest
from lint_rule_helpers import lint_text

TEXT = """
provider: {provider}
mappings:
  - hfModel: a/b
    providerModel: "{model}"
    task: {task}
"""
HEX = "f559560eb822dc509045f3921a1921234918b91739db4bf3daab2169b71c7a13"


def _findings(provider, model, task="text-to-image"):
    return lint_text(TEXT.format(provider=provider, model=model, task=task), "provider-model-id")


@pytest.mark.parametrize(
    ("provider", "model", "task"),
    [
        ("replicate", "black-forest-labs/flux-schnell", "text-to-image"),
        ("replicate", f"jaaari/kokoro-82m:{HEX}", "text-to-speech"),
        ("fireworks-ai", "accounts/fireworks/models/deepseek-r1", "conversational"),
        ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "conversational"),
        ("fal-ai", "fal-ai/flux/dev", "text-to-image"),
        ("cohere", "command-a-03-2025", "conversational"),
    ],
)
def test_valid_forms_pass(provider, model, task):
    assert _findings(provider, model, task) == []


@pytest.mark.parametrize(
    ("provider", "model", "expected"),
    [
        ("replicate", "flux-schnell", "is not a Replicate model id; write owner/name"),
        ("replicate", "a/b:abc123", "must be 64 lowercase hex characters (got 6 characters)"),
        ("replicate", f"a/b:{HEX.upper()}", "must be 64 lowercase hex characters"),
        ("fireworks-ai", "deepseek-r1", "write accounts/<account>/models/<model>"),
        ("together", "", "`providerModel` is empty"),
        ("together", "meta llama/x", "contains ' ' (U+0020 SPACE) at character 5"),
        ("together", "meta-llama/x\\t", "contains '\\t' (U+0009 CHARACTER TABULATION) at character 13"),
        ("together", "meta-llama/x\\u200b", "U+200B ZERO WIDTH SPACE"),
        ("together", "meta-llаma/x", "U+0430 CYRILLIC SMALL LETTER A"),
    ],
)
def test_bad_forms_are_explained_at_the_value(provider, model, expected):
    task = "conversational" if provider in ("together", "fireworks-ai") else "text-to-image"
    (finding,) = _findings(provider, model, task)
    assert (finding.line, finding.column) == (4, 20)
    assert expected in finding.message
