"""`hfmap import`: the live mapping as a canonical file, so the first plan after it is empty."""

from __future__ import annotations

import json
from pathlib import Path

from ruamel.yaml import YAML

from hostile_text import INVISIBLE, RAW, REVERSED

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mappings"

TASKS = ("text-to-image", "image-to-image", "text-to-video", "text-to-speech")


def seed_large(hub, n: int = 500) -> None:
    for i in range(n):
        task = TASKS[i % len(TASKS)]
        status = "live" if i % 3 else "staging"
        if i % 10 == 0:
            tags = ["lora", f"base_model:adapter:base/m{i}"]
            # text-to-image: Replicate runs LoRAs for it (lora-unsupported flags text-to-video ones)
            hub.seed_tag_filter("replicate", "text-to-image", tags[::-1], f"owner/lora-{i}", status=status)
        else:
            hub.seed_mapping(
                "replicate", task, f"Org{i % 7}/model-{i:04d}", f"owner/model-{i}", status=status
            )


def test_import_round_trip_on_500_entries_with_tag_filters(hub, run_cli, tmp_path):
    seed_large(hub)
    out = tmp_path / "mappings" / "replicate.yaml"
    result = run_cli("--endpoint", hub.url, "import", "--provider", "replicate", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "wrote 500 mapping(s) of 'replicate'" in result.stderr
    data = YAML(typ="safe").load(out.read_text())
    assert data["provider"] == "replicate" and len(data["mappings"]) == 500
    assert all("status" in entry for entry in data["mappings"])  # statuses explicit
    filters = [e for e in data["mappings"] if "hfFilter" in e]
    assert len(filters) == 50 and all(e["adapterType"] == "lora" for e in filters)
    # canonical: fmt --check has nothing to change, lint is clean
    assert run_cli("fmt", "--check", str(out)).exit_code == 0
    assert run_cli("lint", str(out)).exit_code == 0
    plan = run_cli("--endpoint", hub.url, "plan", "--format", "json", "--detailed-exitcode", str(out))
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    doc = json.loads(plan.stdout)
    assert doc["actions"] == [] and doc["summary"] == {"create": 0, "update": 0, "replace": 0, "delete": 0}


def test_import_to_stdout_and_refuses_to_overwrite(hub, run_cli, tmp_path):
    hub.seed_mapping("together", "conversational", "org/chat", "org/chat-turbo")
    result = run_cli("--endpoint", hub.url, "import", "--provider", "together")
    assert result.exit_code == 0
    assert "provider: together" in result.stdout and "hfModel: org/chat" in result.stdout
    assert "status: live" in result.stdout
    target = tmp_path / "t.yaml"
    target.write_text("keep me")
    result = run_cli("--endpoint", hub.url, "import", "--provider", "together", "-o", str(target))
    assert result.exit_code == 2 and target.read_text() == "keep me"


def test_import_notes_statuses_the_hub_set(hub, run_cli):
    mapping_id = hub.seed_mapping("replicate", "text-to-image", "org/broken", "o/broken")
    hub.set_mapping_status(mapping_id, "error")
    result = run_cli("--endpoint", hub.url, "import", "--provider", "replicate")
    assert result.exit_code == 0
    assert "org/broken is in status 'error' on the Hub" in result.stderr
    assert "status: live" in result.stdout


def test_done_when_import_edit_plan_apply_plan_is_empty(hub, run_cli, tmp_path, token):
    """The issue's acceptance flow on the example files."""
    hub.seed_from_yaml(EXAMPLES)
    hub.add_token(token, write_orgs=("replicate", "together"))
    repo = tmp_path / "mappings"
    for provider in ("replicate", "together"):
        result = run_cli(
            "--endpoint", hub.url, "import", "--provider", provider, "-o", str(repo / f"{provider}.yaml")
        )
        assert result.exit_code == 0, result.stderr
    first = run_cli("--endpoint", hub.url, "plan", "--detailed-exitcode", str(repo))
    assert first.exit_code == 0 and "No changes." in first.stdout
    # edit: fix a providerModel, promote a staging model, drop one entry, add one
    text = (repo / "replicate.yaml").read_text()
    text = text.replace(
        "providerModel: black-forest-labs/flux-dev\n", "providerModel: black-forest-labs/flux-dev-v2\n"
    )
    text = text.replace(
        "providerModel: tencent/hunyuan-image-2.1\n    task: text-to-image\n    status: staging",
        "providerModel: tencent/hunyuan-image-2.1\n    task: text-to-image\n    status: live",
    )
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "hfModel: ByteDance/Hyper-SD" in line)
    del lines[start : start + 4]
    lines.append(
        "  - hfModel: acme/new-model\n    providerModel: acme/new-model\n"
        "    task: text-to-image\n    status: live\n"
    )
    (repo / "replicate.yaml").write_text("".join(lines))
    hub.add_model("acme/new-model", pipeline_tag="text-to-image")
    plan = run_cli("--endpoint", hub.url, "plan", str(repo))
    assert plan.exit_code == 0, plan.stderr
    assert "Plan: 1 to create, 1 to update, 1 to replace, 1 to delete." in plan.stdout
    result = run_cli("--endpoint", hub.url, "--token", token, "apply", "--yes", str(repo))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Verified: the live mapping now matches the files." in result.stdout
    last = run_cli("--endpoint", hub.url, "plan", "--detailed-exitcode", str(repo))
    assert last.exit_code == 0 and "No changes." in last.stdout


def test_import_writes_characters_yaml_cannot_write_plainly_quoted(hub, run_cli, tmp_path):
    """U+0085 in a live providerId once ended in 'internal error: FormatError' and wrote nothing."""
    odd = {"org/nel": "owner/a\x85b", "org/ls": "owner/a\u2028b", "org/esc": "owner/\x1b[2Jx"}
    for hf_model, provider_id in odd.items():
        hub.seed_mapping("replicate", "text-to-image", hf_model, provider_id)
    out = tmp_path / "replicate.yaml"
    result = run_cli("--endpoint", hub.url, "import", "--provider", "replicate", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert '"owner/a\\Nb"' in text and '"owner/a\\Lb"' in text and '"owner/\\e[2Jx"' in text
    loaded = {e["hfModel"]: e["providerModel"] for e in YAML(typ="safe").load(text)["mappings"]}
    assert loaded == odd


def test_import_names_an_entry_no_file_can_hold_and_writes_the_rest(hub, run_cli, tmp_path):
    hub.seed_mapping("replicate", "text-to-image", "org/fine", "owner/fine")
    hub.seed_mapping("replicate", "text-to-image", "org/lone", "owner/\ud800x")  # a lone surrogate
    out = tmp_path / "replicate.yaml"
    result = run_cli("--endpoint", hub.url, "import", "--provider", "replicate", "-o", str(out))
    assert result.exit_code == 1
    assert (
        "hfmap: error: replicate: org/lone was not written: its providerModel holds U+D800" in result.stderr
    )
    assert "internal error" not in result.stderr
    assert [e["hfModel"] for e in YAML(typ="safe").load(out.read_text())["mappings"]] == ["org/fine"]


def test_import_escapes_bidi_and_invisible_characters_as_every_output_does(hub, run_cli, tmp_path):
    """A hostile Hub model id's U+202E was written raw into the YAML, inside a quoted scalar."""
    odd = {REVERSED: "owner/plain", "org/zw": "owner/" + "".join(INVISIBLE) + "\xa0x", "org/té": "owner/é"}
    for hf_model, provider_id in odd.items():
        hub.seed_mapping("replicate", "text-to-image", hf_model, provider_id)
    out = tmp_path / "replicate.yaml"
    for result in (
        run_cli("--endpoint", hub.url, "import", "--provider", "replicate", "-o", str(out)),
        run_cli("--endpoint", hub.url, "import", "--provider", "replicate"),
    ):
        assert result.exit_code == 0, result.stderr
        assert not RAW.search(result.stdout + result.stderr)
    text = out.read_text(encoding="utf-8")
    assert not RAW.search(text) and not any(c in text for c in INVISIBLE)
    assert '"acme/\\u202eetacilpuder"' in text  # the escape the terminal and Markdown outputs show
    assert "owner/é" in text  # printable text stays as it is
    loaded = {e["hfModel"]: e["providerModel"] for e in YAML(typ="safe").load(text)["mappings"]}
    assert loaded == odd
    lint = run_cli("lint", str(out))
    assert "internal error" not in lint.stdout + lint.stderr
