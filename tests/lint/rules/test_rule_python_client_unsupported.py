"""`python-client-unsupported`: served by @huggingface/inference, not by huggingface_hub (warning)."""

from __future__ import annotations

import pytest
from lint_rule_helpers import lint_files, lint_text

import hfmap.data as hf

TEXT = """
provider: {provider}
mappings:
  - hfModel: org/model
    providerModel: org/model
    task: {task}
"""


def gap(provider: str, task: str):
    return lint_text(TEXT.format(provider=provider, task=task), "python-client-unsupported")


@pytest.mark.parametrize(
    ("provider", "task"),
    [
        ("together", "automatic-speech-recognition"),
        ("groq", "text-generation"),
        ("fal-ai", "audio-to-audio"),
        ("hf-inference", "tabular-regression"),
    ],
)
def test_the_documented_gaps_warn(provider, task):
    (finding,) = gap(provider, task)
    assert (finding.line, finding.column, finding.level) == (5, 11, "warning")
    version = hf.data_info()["sources"]["huggingface_hub"]
    assert finding.message == (
        f"huggingface_hub {version} cannot serve '{task}' for provider '{provider}' (@huggingface/inference "
        "can): Python users get an error for this mapping "
        "(--disable python-client-unsupported if a newer huggingface_hub serves it)"
    )


def test_tasks_both_clients_serve_pass():
    assert gap("together", "conversational") == []
    assert gap("replicate", "text-to-image") == []


def test_js_gaps_unknown_tasks_and_providers_are_other_rules():
    assert gap("replicate", "text-classification") == []  # task-unsupported
    assert gap("replicate", "nonsense") == []  # task-invalid
    assert gap("brand-new-ai", "text-generation") == []  # unknown-provider


def test_reported_once_at_defaults_task():
    text = """
    provider: groq
    defaults:
      task: text-generation
    mappings:
      - {hfModel: a/b, providerModel: b}
      - {hfModel: a/c, providerModel: c}
    """
    (finding,) = lint_text(text, "python-client-unsupported")
    assert (finding.line, finding.column) == (3, 9)


def test_disabled_by_flag_and_by_comment():
    text = TEXT.format(provider="groq", task="text-generation")
    assert lint_text(text, disabled=frozenset({"python-client-unsupported"})) == []
    commented = text.replace("  - hfModel", "  - # hfmap: disable=python-client-unsupported\n    hfModel")
    result = lint_files({"m.yaml": commented})
    assert [f.rule for f in result.findings if f.rule == "python-client-unsupported"] == []
    assert [s.finding.rule for s in result.suppressed] == ["python-client-unsupported"]


def test_every_js_only_pair_of_the_data_warns():
    for provider in sorted(hf.providers()):
        if not hf.hub_mapping(provider):
            continue
        python = hf.python_tasks(provider)
        for task in sorted(hf.provider_tasks(provider) or ()):
            assert bool(gap(provider, task)) == (task not in python), (provider, task)
