"""The issue's "done when": `hfmap check examples/mappings` against a seeded emulator with five planted
faults reports exactly those five, at the right lines, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mappings"


def value_position(path, key: str, value: str) -> tuple[int, int]:
    """1-based (line, column) of `value` on the line `key: value` (the first one) in `path`."""
    pattern = re.compile(rf"{re.escape(key)}: ({re.escape(value)})(\s|$)")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = pattern.search(line)
        if match:
            return number, match.start(1) + 1
    raise AssertionError(f"{key}: {value} not in {path}")


def task_after(path, hf_model: str) -> tuple[int, int]:
    """Position of the `task` value of the entry whose hfModel is `hf_model`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start, _ = value_position(path, "hfModel", hf_model)
    for number in range(start, len(lines)):  # 0-based index `start` is the line after hfModel
        line = lines[number]
        if line.strip().startswith("task:"):
            return number + 1, line.index("task:") + 7
    raise AssertionError("no task")


def test_check_examples_reports_exactly_the_planted_faults(hub, run_cli, env_for):
    replicate = EXAMPLES / "replicate.yaml"
    hub.seed_from_yaml(EXAMPLES)
    clean = run_cli("check", EXAMPLES, env=env_for(hub))
    assert clean.exit_code == 0, clean.stdout
    assert clean.stdout == "0 errors, 0 warnings in 2 files\n"

    # 1. a Hub model disappears
    hub.remove_model("Qwen/Qwen-Image")
    # 2. a pipeline tag changes
    hub.add_model("openai/whisper-large-v3", pipeline_tag="audio-classification")
    # 3. a Replicate model disappears
    hub.remove_provider_model("replicate", "black-forest-labs/flux-schnell")
    # 4. a pinned version disappears (the model stays)
    hub.remove_provider_model("replicate", "stability-ai/sdxl")
    hub.add_provider_model("replicate", "stability-ai/sdxl", versions=("0" * 64,))
    # 5. a tag filter matches nothing any more
    tags = {"lora", "base_model:adapter:black-forest-labs/FLUX.1-dev"}
    for model in [m for m in hub.state.models.values() if m.tag_set >= tags]:
        hub.remove_model(model.id)

    result = run_cli("check", "--no-cache", EXAMPLES, env=env_for(hub))
    assert result.exit_code == 1
    sdxl = "stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc"
    flux_dev_lora = '[lora, "base_model:adapter:black-forest-labs/FLUX.1-dev"]'
    expected = {
        (value_position(replicate, "hfModel", "Qwen/Qwen-Image"), "hf-model-missing"),
        (task_after(replicate, "openai/whisper-large-v3"), "hf-task-mismatch"),
        (
            value_position(replicate, "providerModel", "black-forest-labs/flux-schnell"),
            "provider-model-missing",
        ),
        (value_position(replicate, "providerModel", sdxl), "provider-version-missing"),
        (value_position(replicate, "hfFilter", flux_dev_lora), "hf-filter-empty"),
    }
    findings = [line for line in result.stdout.splitlines() if " [" in line]
    got = set()
    for line in findings:
        where, rest = line.split(": ", 1)
        path, number, column = where.rsplit(":", 2)
        assert path == str(replicate), line
        assert rest.startswith("error ["), line
        got.add(((int(number), int(column)), rest.split("[", 1)[1].split("]", 1)[0]))
    assert len(findings) == 5, result.stdout
    assert got == expected, result.stdout
    assert result.stdout.splitlines()[-1] == "5 errors, 0 warnings in 2 files"
    assert "use task 'audio-classification'" in result.stdout
    assert hub.errors == []
