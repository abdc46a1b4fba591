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
    "equivalent_tasks": {"zeta": [["text-to-image", "conversational"]]},
    "lora": {
        "zeta": {
            # runs the adapter only with a weights path (the fal/replicate condition)
            "text-to-image": {"with_weights_path": True, "without_weights_path": False, "plain": False},
            # names the model in every payload: proves nothing, so not a LoRA
            "conversational": {"with_weights_path": True, "without_weights_path": True, "plain": True},
            "image-magic": {"with_weights_path": "error: needs a prompt", "without_weights_path": False},
        },
    },
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
        "equivalent_tasks": [["conversational", "text-to-image"]],
    }
    assert data["lora"]["js"] == {"zeta": ["text-to-image"]}
    assert data["lora"]["unprobed"] == {"js": {"zeta": {"image-magic": "error: needs a prompt"}}}
    assert "python" not in data["lora"]
    assert data["providers"]["alpha"] == {"tasks": ["conversational"], "hub_mapping": False}
    assert data["providers"]["empty"] == {"tasks": [], "hub_mapping": True}
    assert "python_client" not in data
    assert warnings == [
        "empty: listed in INFERENCE_PROVIDERS but has no task helpers",
        "zeta: client tasks that are not pipeline tags: image-magic",
        "@huggingface/inference: LoRA support of zeta image-magic unknown (error: needs a prompt)",
    ]


def test_build_data_records_python_client_and_its_lora_support(gen):
    python_output = {
        "version": "9.9.9",
        "providers": {"zeta": ["text-to-image", "conversational"]},
        "lora": {"zeta": {"text-to-image": {"with_weights_path": False, "without_weights_path": True}}},
    }
    data, _ = gen.build_data(FAKE_NODE_OUTPUT, python_output, "2026-01-01T00:00:00Z")
    assert data["sources"]["huggingface_hub"] == "9.9.9"
    assert data["python_client"]["providers"] == {"zeta": ["conversational", "text-to-image"]}
    assert data["providers"]["zeta"]["tasks"] == ["conversational", "text-to-image"]
    assert data["lora"]["python"] == {}  # the adapter without a weights path is not what the Hub sends
    assert data["lora"]["unprobed"]["python"] == {}


def test_missing_equivalent_tasks_is_a_warning_not_a_guess(gen):
    node = {**FAKE_NODE_OUTPUT, "equivalent_tasks": None}
    data, warnings = gen.build_data(node, None, "2026-01-01T00:00:00Z")
    assert "equivalent_tasks" not in data["providers"]["zeta"]
    assert (
        "hf-inference: no EQUIVALENT_SENTENCE_TRANSFORMERS_TASKS found; tasks compared strictly" in warnings
    )


def test_check_mode_ignores_the_date_and_shows_a_real_difference(gen, tmp_path, capsys):
    shipped, _ = gen.build_data(FAKE_NODE_OUTPUT, None, "2026-01-01T00:00:00Z")
    path = tmp_path / "hf_data.json"
    path.write_text(gen.dump(shipped), encoding="utf-8")
    fresh = {**shipped, "generated_at": "2027-05-05T00:00:00Z"}
    assert gen.check_against(path, fresh) == 0
    edited = json.loads(gen.dump(shipped))
    edited["lora"]["js"]["zeta"].append("text-to-video")  # a hand edit, or a stale file
    path.write_text(gen.dump(edited), encoding="utf-8")
    assert gen.check_against(path, fresh) == 1
    out = capsys.readouterr()
    assert '-        "text-to-video"' in out.out
    assert "run `python scripts/gen_hf_data.py`" in out.err
    path.write_text("{not json", encoding="utf-8")
    assert gen.check_against(path, fresh) == 1


def test_shipped_lora_table_matches_the_clients_source():
    """What the 4.13.30 / 2.4.0 sources do (reference §9), as the generator recorded it."""
    assert hf.lora_tasks(hf.JS, "replicate") == {"text-to-image", "image-to-image"}
    fal = {"text-to-image", "image-to-image", "text-to-video", "image-to-video"}
    assert fal <= hf.lora_tasks(hf.JS, "fal-ai")
    assert hf.lora_tasks(hf.JS, "together") == frozenset()
    assert hf.lora_tasks(hf.PYTHON, "replicate") == {"text-to-image"}
    assert hf.lora_runs(hf.PYTHON, "replicate", "image-to-image") is False
    assert hf.lora_runs(hf.JS, "fal-ai", "text-to-video") is True
    assert hf.same_tasks("hf-inference", "sentence-similarity") == {
        "feature-extraction",
        "sentence-similarity",
    }
    assert hf.same_tasks("together", "sentence-similarity") == {"sentence-similarity"}
    assert "automatic-speech-recognition" not in hf.python_tasks("together")
    assert hf.python_tasks("no-such-provider") == frozenset()


def test_output_is_stable_apart_from_the_date(gen):
    first, _ = gen.build_data(FAKE_NODE_OUTPUT, None, "2026-01-01T00:00:00Z")
    second, _ = gen.build_data(json.loads(json.dumps(FAKE_NODE_OUTPUT)), None, "2026-01-01T00:00:00Z")
    text = gen.dump(first)
    assert text == gen.dump(second)
    assert list(json.loads(text)) == sorted(json.loads(text))
