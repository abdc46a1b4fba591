"""The shipped Hugging Face data and the generator's conversion step (no npm, no network)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import hfmap.data as hf

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gen():
    """Import scripts/gen_hf_data.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_hf_data", REPO_ROOT / "scripts" / "gen_hf_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_file_has_pipeline_tags_and_conversational():
    tags = hf.pipeline_tags()
    assert len(tags) >= 50
    assert {"text-to-image", "text-generation", "automatic-speech-recognition"} <= tags
    assert "conversational" not in tags
    assert hf.tasks() == tags | {"conversational"}


def test_provider_tasks_match_the_js_client():
    assert {"text-to-image", "text-to-speech"} <= hf.provider_tasks("replicate")
    assert "conversational" in hf.provider_tasks("together")
    assert "conversational" in hf.provider_tasks("fireworks-ai")
    assert hf.provider_tasks("no-such-provider") is None
    assert {"replicate", "fal-ai", "together", "hf-inference"} <= hf.providers()
    for provider in hf.providers():
        assert hf.provider_tasks(provider) <= hf.tasks(), provider


def test_openai_is_known_but_takes_no_hub_mappings():
    assert "openai" in hf.providers()
    assert hf.hub_mapping("openai") is False
    assert hf.hub_mapping("replicate") is True
    assert hf.hub_mapping("nope") is None


def test_header_names_the_sources():
    info = hf.data_info()
    assert info["generated_by"] == "scripts/gen_hf_data.py"
    assert info["generated_at"].endswith("Z")
    assert info["sources"]["@huggingface/tasks"]
    assert info["sources"]["@huggingface/inference"]


def test_closest_suggests_the_intended_task():
    assert hf.closest("text-to-imge", hf.tasks()) == "text-to-image"
    assert hf.closest("replicat", hf.providers()) == "replicate"
    assert hf.closest("zzzzzz", hf.tasks()) is None


def test_shipped_file_is_in_generator_format(gen):
    path = REPO_ROOT / "src" / "hfmap" / "data" / "hf_data.json"
    text = path.read_text(encoding="utf-8")
    assert gen.dump(json.loads(text)) == text


FAKE_NODE_OUTPUT = {
    "versions": {
        "@huggingface/tasks": "1.0.0",
        "@huggingface/inference": "2.0.0",
        "@huggingface/tasks (nested)": None,
    },
    "providers_table": "export of @huggingface/inference",
    "pipeline_data": {
        "text-to-image": {"name": "Text-to-Image", "modality": "cv"},
        "text-generation": {"name": "Text Generation", "modality": "nlp"},
        "robotics": {},
    },
    "providers": {
        "zeta": {
            "text-to-image": {"clientSideRoutingOnly": False},
            "conversational": {"clientSideRoutingOnly": False},
            "image-magic": {"clientSideRoutingOnly": False},
        },
        "alpha": {"conversational": {"clientSideRoutingOnly": True}},
    },
    "inference_providers": ["alpha", "zeta", "empty"],
    "hub_orgs": {"zeta": "ZetaOrg"},
}


def test_build_data_converts_node_output(gen):
    data, warnings = gen.build_data(FAKE_NODE_OUTPUT, None, "2026-01-01T00:00:00Z")

    assert data["generated_at"] == "2026-01-01T00:00:00Z"
    assert data["sources"] == {
        "@huggingface/tasks": "1.0.0",
        "@huggingface/inference": "2.0.0",
        "providers_table": "export of @huggingface/inference",
    }
    assert data["tasks"]["text-to-image"] == {"name": "Text-to-Image", "modality": "cv", "pipeline_tag": True}
    assert data["tasks"]["robotics"] == {"pipeline_tag": True}
    assert data["tasks"]["conversational"]["pipeline_tag"] is False
    assert data["providers"]["zeta"] == {
        "tasks": ["conversational", "text-to-image"],
        "hub_mapping": True,
        "hub_org": "ZetaOrg",
        "unmapped_client_tasks": ["image-magic"],
    }
    assert data["providers"]["alpha"] == {"tasks": ["conversational"], "hub_mapping": False}
    assert data["providers"]["empty"] == {"tasks": [], "hub_mapping": True}
    assert "python_client" not in data
    assert warnings == [
        "empty: listed in INFERENCE_PROVIDERS but has no task helpers",
        "zeta: client tasks that are not pipeline tags: image-magic",
    ]


def test_build_data_records_python_client_as_extra_info(gen):
    python_output = {"version": "9.9.9", "providers": {"zeta": ["text-to-image", "conversational"]}}
    data, _ = gen.build_data(FAKE_NODE_OUTPUT, python_output, "2026-01-01T00:00:00Z")
    assert data["sources"]["huggingface_hub"] == "9.9.9"
    assert data["python_client"]["providers"] == {"zeta": ["conversational", "text-to-image"]}
    assert data["providers"]["zeta"]["tasks"] == ["conversational", "text-to-image"]


def test_output_is_stable_apart_from_the_date(gen):
    first, _ = gen.build_data(FAKE_NODE_OUTPUT, None, "2026-01-01T00:00:00Z")
    second, _ = gen.build_data(json.loads(json.dumps(FAKE_NODE_OUTPUT)), None, "2026-01-01T00:00:00Z")
    text = gen.dump(first)
    assert text == gen.dump(second)
    assert list(json.loads(text)) == sorted(json.loads(text))
