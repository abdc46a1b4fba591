"""hf-inference through `hfmap check`: its provider models are Hub models, answered by the Hub look-up."""

from __future__ import annotations

HF_INFERENCE = """
provider: hf-inference
mappings:
  - hfModel: org/bert
    providerModel: org/bert
    task: fill-mask
  - hfModel: org/other
    providerModel: org/gone
    task: fill-mask
"""


def test_provider_models_are_hub_models_asked_once_each(world, run_cli, env_for, write):
    world.add_model("org/bert", pipeline_tag="fill-mask")
    world.add_model("org/other", pipeline_tag="fill-mask")
    path = write(HF_INFERENCE)
    result = run_cli("check", path, env=env_for(world))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:7:20: error [provider-model-missing] providerModel 'org/gone' does not exist on "
        "hf-inference (not found on the Hub, or private)",
        "1 error, 0 warnings in 1 file",
    ]
    asked = [r.path for r in world.requests if r.path.startswith("/api/models/")]
    # org/bert is both hfModel and providerModel: one request answers both questions.
    assert sorted(asked) == ["/api/models/org/bert", "/api/models/org/gone", "/api/models/org/other"]


def test_offline_answers_from_the_hub_cache(world, run_cli, env_for, write):
    world.add_model("org/bert", pipeline_tag="fill-mask")
    world.add_model("org/other", pipeline_tag="fill-mask")
    world.add_model("org/gone", pipeline_tag="fill-mask")
    path = write(HF_INFERENCE)
    env = env_for(world)
    assert run_cli("check", path, env=env).exit_code == 0
    world.clear_log()
    offline = run_cli("--offline", "check", path, env=env)
    assert offline.exit_code == 0 and offline.stdout == "0 errors, 0 warnings in 1 file\n"
    assert world.requests == []


def test_offline_without_a_cache_is_a_skip_not_a_verdict(world, run_cli, env_for, write):
    path = write(HF_INFERENCE)
    result = run_cli("--offline", "check", "--no-cache", path, env=env_for(world))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        f"{path}:4:20: notice [provider-check-skipped] providerModel 'org/bert' not checked "
        "(and 1 more entry in this file): offline, and the answer is not in the cache",
        "0 errors, 0 warnings, 2 notices in 1 file",
    ]
    assert world.requests == []


EMBEDDINGS = """
provider: hf-inference
mappings:
  - hfModel: org/embedder
    providerModel: org/embedder
    task: {task}
"""


def test_hf_inference_embedding_tasks_are_one_task(world, run_cli, env_for, write):
    world.add_model("org/embedder", pipeline_tag="feature-extraction")
    for task in ("feature-extraction", "sentence-similarity"):
        path = write(EMBEDDINGS.format(task=task))
        result = run_cli("check", path, env=env_for(world))
        assert result.stdout == "0 errors, 0 warnings in 1 file\n", task
    mismatch = write(EMBEDDINGS.format(task="fill-mask"))
    assert "hf-task-mismatch" in run_cli("check", mismatch, env=env_for(world)).stdout
