"""The command's options, refusals and exit codes: -o/--overwrite, --limit, --stats, no list, unknown
provider, offline, ignore patterns, text output that pastes as YAML."""

from __future__ import annotations

import json

from ruamel.yaml import YAML

from suggest.conftest import DECLARED, TOGETHER_TOKEN


def test_text_output_is_yaml_entries_with_evidence_ordered_by_confidence(together, env_of, write, run_cli):
    path = write(DECLARED)
    result = run_cli("suggest", "--provider", "together", str(path), env=env_of(together))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    entries = YAML(typ="safe").load(out)
    assert [e["hfModel"] for e in entries] == [
        "BAAI/bge-base-en-v1.5",
        "Qwen/Qwen2-VL-72B-Instruct",
        "meta-llama/Llama-3.1-70B",
        "meta-llama/Llama-3.3-70B-Instruct",
    ]
    assert all(e["status"] == "staging" for e in entries)
    assert entries[3]["providerModel"] == "meta-llama/Llama-3.3-70B-Instruct-Turbo"
    assert (
        "  # together lists 'meta-llama/Llama-3.3-70B-Instruct-Turbo' (suffix '-Turbo' removed); "
        "Hub: text-generation + conversational\n"
        "  - hfModel: meta-llama/Llama-3.3-70B-Instruct\n"
    ) in out
    # the live mapping no file declares is named, with the way to adopt it, never as an entry
    assert "1 live mapping is declared in no file" in out and "`hfmap import --provider together`" in out
    assert "openai/whisper-large-v3 -> openai/whisper-large-v3" in out
    assert "whisper" not in json.dumps(entries)


def test_limit_and_stats(together, env_of, write, run_cli):
    path = write(DECLARED)
    result = run_cli(
        "suggest", "--provider", "together", "--limit", "2", "--format", "json", "--stats", str(path),
        env=env_of(together),
    )  # fmt: skip
    doc = json.loads(result.stdout)
    assert [c["confidence"] for c in doc["candidates"]] == ["exact", "exact"]
    assert doc["total_candidates"] == 4
    assert result.stderr.strip(), "--stats printed nothing"
    stats = json.loads(result.stderr)["stats"]
    assert stats["requests"] >= 3 and "cache_hits" in stats


def test_output_file_is_new_lint_clean_and_never_overwritten_silently(
    together, env_of, write, run_cli, tmp_path
):
    write(DECLARED)
    out = tmp_path / "mappings" / "together-suggested.yaml"
    env = env_of(together)
    result = run_cli("suggest", "--provider", "together", "-o", str(out), str(tmp_path / "mappings"), env=env)
    assert result.exit_code == 0, result.stderr
    assert "wrote 4 suggestion(s) for 'together'" in result.stderr
    assert "a plan of these files deletes them" in result.stderr  # whisper is live and declared nowhere
    lint = run_cli("lint", str(tmp_path / "mappings"))
    assert lint.exit_code == 0 and lint.stdout.startswith("0 errors, 0 warnings"), lint.stdout
    data = YAML(typ="safe").load(out.read_text())
    assert data["provider"] == "together" and len(data["mappings"]) == 4

    out.write_text("keep me", encoding="utf-8")
    again = run_cli("suggest", "--provider", "together", "-o", str(out), env=env)
    assert again.exit_code == 2 and "pass --overwrite" in again.stderr
    assert out.read_text() == "keep me"
    forced = run_cli(
        "suggest", "--provider", "together", "-o", str(out), "--overwrite", str(write(DECLARED)), env=env
    )
    assert forced.exit_code == 0 and "provider: together" in out.read_text()


def test_a_provider_without_a_list_says_so_in_one_line_and_exits_1(hub, run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hub.add_model("black-forest-labs/FLUX.1-dev", "text-to-image")
    hub.add_model(
        "artist/style", "text-to-image", tags=("lora", "base_model:adapter:black-forest-labs/FLUX.1-dev")
    )
    hub.seed_mapping(
        "replicate", "text-to-image", "black-forest-labs/FLUX.1-dev", "black-forest-labs/flux-dev"
    )
    result = run_cli("suggest", "--provider", "replicate", env=hub.env())
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "hfmap: error: replicate: no suggestions from its model list: hfmap knows no model list of "
        "replicate's API, so it cannot find the models it serves"
    ]
    # what it could find is still printed: the LoRA filter for the live base
    assert "#   hfFilter" not in result.stdout and "# - hfFilter: [lora" in result.stdout


def test_no_token_for_the_list_is_one_line_exit_1(together, run_cli, write):
    result = run_cli("suggest", "--provider", "together", str(write(DECLARED)), env=together.env())
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "set TOGETHER_API_KEY or HFMAP_TOGETHER_TOKEN to check together models"
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_usage_errors(hub, run_cli, tmp_path):
    wrong = run_cli("suggest", "--provider", "togethr", str(tmp_path), env=hub.env())
    assert wrong.exit_code == 2 and "did you mean 'together'?" in wrong.stderr
    client_only = run_cli("suggest", "--provider", "openai", str(tmp_path), env=hub.env())
    assert client_only.exit_code == 2 and "no Hub mappings" in client_only.stderr
    offline = run_cli("--offline", "suggest", "--provider", "together", str(tmp_path), env=hub.env())
    assert offline.exit_code == 2 and "cannot run offline" in offline.stderr
    assert hub.requests == []


def test_ignored_and_sibling_files_are_left_out(together, env_of, write, run_cli):
    write(DECLARED)
    write(
        """
        provider: together
        ignore: ["BAAI/*"]
        mappings:
          - hfModel: qwen/qwen2-vl-72b-instruct
            providerModel: Qwen/Qwen2-VL-72B-Instruct
            task: conversational
        """,
        name="more.yaml",
    )
    # naming one file reads the provider's other files under the mappings root, as lint does
    first = write(DECLARED)
    result = run_cli(
        "suggest", "--provider", "together", "--format", "json", str(first), env=env_of(together)
    )
    doc = json.loads(result.stdout)
    assert [c["hub_id"] for c in doc["candidates"]] == [
        "meta-llama/Llama-3.1-70B",
        "meta-llama/Llama-3.3-70B-Instruct",
    ]
    assert doc["dropped"]["covered by an `ignore` pattern"] == 1


def test_no_mappings_folder_means_nothing_declared(together, env_of, run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("suggest", "--provider", "together", "--format", "json", env=env_of(together))
    assert result.exit_code == 0, result.stderr
    ids = [c["hub_id"] for c in json.loads(result.stdout)["candidates"]]
    assert "meta-llama/Llama-3.1-8B-Instruct" not in ids  # live already
    assert "meta-llama/Llama-3.3-70B-Instruct" in ids


def test_no_hub_token_is_sent_and_the_provider_token_goes_to_the_provider_only(
    together, env_of, write, run_cli
):
    together.add_token("hf_membertoken123", write_orgs=("together",))
    env = env_of(together, HF_TOKEN="hf_membertoken123")
    result = run_cli("suggest", "--provider", "together", "--stats", str(write(DECLARED)), env=env)
    assert result.exit_code == 0, result.stderr
    for request in together.requests:
        sent = request.headers.get("authorization")
        if request.path.startswith("/providers/together/"):
            assert sent == "Bearer ***"
        else:
            assert sent is None, request.path
    assert "hf_membertoken123" not in result.stdout + result.stderr
    assert TOGETHER_TOKEN not in result.stdout + result.stderr


class Sink:
    def __init__(self) -> None:
        self.total, self.done, self.closed = None, 0, False

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, count: int) -> None:
        self.done += count

    def close(self) -> None:
        self.closed = True


def test_progress_counts_every_question_once(together, env_of, write):
    from hfmap.suggest.engine import SuggestOptions, run_suggest

    env = env_of(together)
    options = SuggestOptions("together", together.url, paths=(write(DECLARED),), env=env)
    sink = Sink()
    report = run_suggest(options, sink)
    assert len(report.candidates) == 4
    assert sink.total == sink.done == 12 and sink.closed  # 11 askable listed ids and one undecorated form
