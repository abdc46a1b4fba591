"""Each source of `hfmap suggest` and each exclusion, against the emulated Hub and Together's API."""

from __future__ import annotations

import json

from suggest.conftest import DECLARED


def _json(run_cli, env, *args):
    result = run_cli("suggest", "--provider", "together", "--format", "json", *args, env=env)
    return result, json.loads(result.stdout)


def test_served_but_not_mapped(together, env_of, write, run_cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    write(DECLARED)
    result, doc = _json(run_cli, env_of(together))
    print(result.stdout, result.stderr)
    assert result.exit_code == 0, result.stderr
    got = [(c["provider_id"], c["hub_id"], c["task"], c["confidence"]) for c in doc["candidates"]]
    assert got == [
        ("BAAI/bge-base-en-v1.5", "BAAI/bge-base-en-v1.5", "feature-extraction", "exact"),
        ("Qwen/Qwen2-VL-72B-Instruct", "Qwen/Qwen2-VL-72B-Instruct", "conversational", "exact"),
        ("meta-llama/llama-3.1-70b", "meta-llama/Llama-3.1-70B", "text-generation", "case-folded"),
        (
            "meta-llama/Llama-3.3-70B-Instruct-Turbo",
            "meta-llama/Llama-3.3-70B-Instruct",
            "conversational",
            "decorated",
        ),
    ]
