"""`lora-python-unsupported`: the JS client runs the LoRA, huggingface_hub runs the base model (warning)."""

from __future__ import annotations

from lint_rule_helpers import lint_text
from test_rule_lora_unsupported import TEXT


def findings(provider: str, task: str):
    text = TEXT.format(provider=provider, task=task)
    return [f for f in lint_text(text) if f.rule.startswith("lora") or f.rule == "python-client-unsupported"]


def test_replicate_image_to_image_warns_for_python_users():
    (finding,) = findings("replicate", "image-to-image")
    assert (finding.rule, finding.level, finding.line, finding.column) == (
        "lora-python-unsupported",
        "warning",
        6,
        18,
    )
    assert finding.message == (
        "huggingface_hub does not run LoRA adapters for 'image-to-image' on 'replicate': "
        "Python users of this tag filter get 'base/flux-dev' without the adapter (JS users get the LoRA); "
        "in Python, LoRA adapters for 'image-to-image' run on: fal-ai"
    )


def test_both_clients_run_it_no_finding():
    assert findings("replicate", "text-to-image") == []
    assert findings("fal-ai", "text-to-video") == []


def test_js_gap_is_only_the_error():
    assert [f.rule for f in findings("together", "text-to-image")] == ["lora-unsupported"]


def test_python_lacking_the_task_is_only_the_client_gap_warning():
    """fal-ai image-text-to-image: JS runs the LoRA, Python has no such task at all."""
    assert [f.rule for f in findings("fal-ai", "image-text-to-image")] == ["python-client-unsupported"]


def test_can_be_disabled():
    text = TEXT.format(provider="replicate", task="image-to-image")
    assert lint_text(text, "lora-python-unsupported", disabled=frozenset({"lora-python-unsupported"})) == []
