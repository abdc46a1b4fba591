"""`lora-unsupported`: a LoRA tag filter where the JS client runs the base model instead (error)."""

from __future__ import annotations

import pytest
from lint_rule_helpers import lint_files, lint_text

import hfmap.data as hf

TEXT = """
provider: {provider}
mappings:
  - hfFilter: [lora, "base_model:adapter:black-forest-labs/FLUX.1-dev"]
    providerModel: base/flux-dev
    task: {task}
    adapterType: lora
"""


def lora(provider: str, task: str, rule: str = "lora-unsupported"):
    return lint_text(TEXT.format(provider=provider, task=task), rule)


def test_together_text_to_image_lora_is_an_error_at_adapter_type():
    """The issue's reproduction: this lints clean, passes the Hub's test and runs the base model."""
    (finding,) = lora("together", "text-to-image")
    assert (finding.line, finding.column, finding.level) == (6, 18, "error")
    assert finding.message == (
        "the JS inference client does not run LoRA adapters for 'text-to-image' on 'together': "
        "this tag filter passes the Hub's test, then every call runs 'base/flux-dev' without the adapter; "
        "LoRA adapters for 'text-to-image' run on: fal-ai, replicate, wavespeed"
    )


@pytest.mark.parametrize(
    ("provider", "task"),
    [
        ("fal-ai", "text-to-image"),
        ("fal-ai", "image-to-image"),
        ("fal-ai", "text-to-video"),
        ("fal-ai", "image-to-video"),
        ("replicate", "text-to-image"),
        ("replicate", "image-to-image"),
    ],
)
def test_what_the_js_client_runs_as_a_lora_passes(provider, task):
    assert lora(provider, task) == []


def test_a_served_task_without_lora_support_on_a_lora_provider_is_an_error():
    (finding,) = lora("fal-ai", "automatic-speech-recognition")
    assert "does not run LoRA adapters for 'automatic-speech-recognition' on 'fal-ai'" in finding.message
    assert finding.message.endswith("no provider runs a LoRA for 'automatic-speech-recognition'")


def test_unserved_task_and_unknown_provider_are_left_to_their_own_rules():
    assert [f.rule for f in lint_text(TEXT.format(provider="replicate", task="text-classification"))] == [
        "task-unsupported"
    ]
    assert lora("nope-ai", "text-to-image") == []
    assert lora("replicate", "not-a-task") == []


def test_task_from_defaults_is_judged_too():
    text = """
    provider: together
    defaults:
      task: text-to-image
    mappings:
      - hfFilter: [lora, "base_model:adapter:x/y"]
        providerModel: base/flux-dev
        adapterType: lora
    """
    (finding,) = lint_text(text, "lora-unsupported")
    assert finding.line == 7


def test_single_model_mappings_are_not_loras():
    text = "provider: together\nmappings:\n  - {hfModel: a/b, providerModel: c, task: text-to-image}\n"
    assert lint_text(text, "lora-unsupported") == []


def test_disabled_by_flag_and_by_comment():
    text = TEXT.format(provider="together", task="text-to-image")
    assert lint_text(text, disabled=frozenset({"lora-unsupported"})) == []
    commented = text.replace("  - hfFilter", "  - # hfmap: disable=lora-unsupported\n    hfFilter")
    result = lint_files({"m.yaml": commented})
    assert [f.rule for f in result.findings if f.rule == "lora-unsupported"] == []
    assert [s.finding.rule for s in result.suppressed] == ["lora-unsupported"]


def test_every_lora_pair_of_the_data_passes_and_every_other_served_pair_fails():
    """The rule is the shipped table, pair by pair, for every provider with Hub mappings."""
    for provider in sorted(hf.providers()):
        if not hf.hub_mapping(provider):
            continue
        for task in sorted(hf.provider_tasks(provider) or ()):
            fired = bool(lora(provider, task))
            assert fired == (not hf.lora_runs(hf.JS, provider, task)), (provider, task)


def test_data_without_lora_or_python_tables_is_unknown_never_a_finding(monkeypatch):
    """An older or hand-trimmed data file: the client rules stay silent instead of guessing."""
    shipped = hf._load()
    trimmed = {k: v for k, v in shipped.items() if k not in ("lora", "python_client")}
    monkeypatch.setattr(hf, "_load", lambda: trimmed)
    assert hf.lora_runs(hf.JS, "together", "text-to-image") is None
    assert hf.python_tasks("groq") is None
    rules = {"lora-unsupported", "lora-python-unsupported", "python-client-unsupported"}
    text = TEXT.format(provider="together", task="text-to-image")
    assert [f for f in lint_text(text) if f.rule in rules] == []
    groq = "provider: groq\nmappings:\n  - {hfModel: a/b, providerModel: b, task: text-generation}\n"
    assert [f for f in lint_text(groq) if f.rule in rules] == []


def test_an_unprobed_helper_is_unknown(monkeypatch):
    shipped = hf._load()
    table = {**shipped["lora"], "unprobed": {"js": {"together": {"text-to-image": "error: boom"}}}}
    monkeypatch.setattr(hf, "_load", lambda: {**shipped, "lora": table})
    assert hf.lora_runs(hf.JS, "together", "text-to-image") is None
    assert lora("together", "text-to-image") == []
    assert hf.lora_runs(hf.JS, "fal-ai", "text-to-image") is True  # other pairs keep their answer
