"""`hfmap verify` against the emulator: every verdict, in both shapes of `inferenceProviderMapping`."""

from __future__ import annotations

import json

import pytest

from emulator import Fault
from hfmap.sync import verify as verify_module

MEMBER = "hf_plantestwritetoken"  # the World's token: a member of replicate's organization

FILE = """
provider: replicate
defaults: {status: live}
mappings:
  - {hfModel: org/ok, providerModel: o/ok, task: text-to-image}
  - {hfModel: org/broken, providerModel: o/broken, task: text-to-image}
  - {hfModel: org/tested, providerModel: o/tested, task: text-to-image, status: staging}
  - {hfModel: org/drifted, providerModel: o/new, task: text-to-image}
  - {hfModel: org/never, providerModel: o/never, task: text-to-image}
  - {hfModel: org/gone, providerModel: o/gone, task: text-to-image}
  - {hfModel: org/auto, providerModel: o/auto, task: text-to-image, status: auto}
  - hfFilter: [lora, "base_model:adapter:org/base"]
    providerModel: o/lora
    task: text-to-image
    adapterType: lora
  - hfFilter: [lora, "base_model:adapter:org/nothing"]
    providerModel: o/none
    task: text-to-image
    adapterType: lora
  - hfFilter: [lora, "base_model:adapter:org/taken"]
    providerModel: o/taken-lora
    task: text-to-image
    adapterType: lora
  - hfFilter: [lora, "base_model:adapter:org/noweights"]
    providerModel: o/noweights
    task: text-to-image
    adapterType: lora
"""


def seed(world) -> None:
    hub = world.hub
    world.live("replicate", "org/ok", "o/ok")
    world.live("replicate", "org/broken", "o/broken", status="error")
    world.live("replicate", "org/tested", "o/tested", status="staging")
    world.live("replicate", "org/drifted", "o/old")
    world.model("org/never")
    world.live("replicate", "org/auto", "o/auto", status="staging")
    hub.add_model("fans/lora-1", pipeline_tag="text-to-image", tags=("lora", "base_model:adapter:org/base"),
                  adapter_weights_path="lora.safetensors")  # fmt: skip
    hub.seed_tag_filter("replicate", "text-to-image", ["lora", "base_model:adapter:org/base"], "o/lora")
    hub.seed_tag_filter("replicate", "text-to-image", ["lora", "base_model:adapter:org/nothing"], "o/none")
    hub.add_model("org/taken", pipeline_tag="text-to-image", tags=("lora", "base_model:adapter:org/taken"))
    hub.seed_mapping("replicate", "text-to-image", "org/taken", "o/direct")  # wins over the tag filter
    hub.seed_tag_filter(
        "replicate", "text-to-image", ["lora", "base_model:adapter:org/taken"], "o/taken-lora"
    )
    hub.add_model(
        "fans/bare", pipeline_tag="text-to-image", tags=("lora", "base_model:adapter:org/noweights")
    )
    hub.seed_tag_filter(
        "replicate", "text-to-image", ["lora", "base_model:adapter:org/noweights"], "o/noweights"
    )
    world.file("r.yaml", FILE)


EXPECTED = {
    "org/ok": ("ok", "ok"),
    "org/broken": ("error", "error"),
    "org/tested": ("staging", "notice"),
    "org/drifted": ("mismatch", "warning"),
    "org/never": ("missing", "error"),
    "org/gone": ("missing", "error"),
    "org/auto": ("staging", "notice"),
    "tag-filter=base_model:adapter:org/base,lora": ("ok", "ok"),
    "tag-filter=base_model:adapter:org/nothing,lora": ("no-match", "error"),
    "tag-filter=base_model:adapter:org/taken,lora": ("shadowed", "error"),
    "tag-filter=base_model:adapter:org/noweights,lora": ("no-adapter-weights", "warning"),
}


def verify(world, *args: str, token: str | None = MEMBER):
    result = world.hfmap("verify", "--format", "json", str(world.dir), *args, token=token)
    return result, json.loads(result.stdout) if result.stdout.strip() else None


@pytest.mark.parametrize("form", ["dict", "list"])
def test_every_verdict_in_both_shapes(world, form):
    seed(world)
    world.hub.model_info_form = form
    result, report = verify(world)
    assert result.exit_code == 1, result.stderr
    verdicts = {m["key"]: (m["verdict"], m["level"]) for m in report["mappings"]}
    assert verdicts == EXPECTED
    by_key = {m["key"]: m for m in report["mappings"]}
    assert by_key["org/ok"]["seen"] == {
        "providerId": "o/ok",
        "task": "text-to-image",
        "status": "live",
        "type": "single-model",
        "isModelAuthor": False,
    }
    assert by_key["org/broken"]["retest"] == "hfmap apply --retest replicate:org/broken"
    assert "providerId 'o/old' (declared 'o/new')" in by_key["org/drifted"]["message"]
    assert "not on the Hub" in by_key["org/never"]["message"]
    assert "does not exist" in by_key["org/gone"]["message"] or "not found" in by_key["org/gone"]["message"]
    assert by_key["tag-filter=base_model:adapter:org/taken,lora"]["models"]["shadowed"] == 1
    assert by_key["org/ok"]["source"] == {"path": str(world.dir / "r.yaml"), "line": 4}
    assert report["authenticated"] is True and report["summary"]["error"] == 1
    assert world.hub.writes == []


def test_without_a_token_staging_is_explained_not_called_missing(world):
    seed(world)
    _result, report = verify(world, token=None)
    by_key = {m["key"]: m for m in report["mappings"]}
    assert by_key["org/tested"]["verdict"] == "staging" and by_key["org/tested"]["seen"] is None
    assert "not shown to this caller" in by_key["org/tested"]["message"]
    assert report["authenticated"] is False
    assert all("authorization" not in r.headers for r in world.hub.requests)
    text = world.hfmap("verify", str(world.dir))
    assert "Read without a token: the Hub shows staging mappings only to members" in text.stdout


def test_a_healthy_repository_exits_zero_and_strict_fails_on_warnings(world):
    world.live("replicate", "org/ok", "o/ok")
    world.live("replicate", "org/drifted", "o/old")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/ok, providerModel: o/ok, task: text-to-image, status: live}
          - {hfModel: org/drifted, providerModel: o/new, task: text-to-image, status: live}
    """,
    )
    result, report = verify(world)
    assert result.exit_code == 0 and report["summary"]["mismatch"] == 1
    result, _ = verify(world, "--strict")
    assert result.exit_code == 1


def test_text_lists_what_needs_attention_and_counts_the_rest(world):
    seed(world)
    text = world.hfmap("verify", str(world.dir), token=MEMBER)
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert lines[0].startswith("replicate (11 mapping(s)): 2 ok, 2 staging, 1 mismatch, 1 no-adapter-weights")
    assert "  x org/broken: error: the Hub's test of this mapping failed" in text.stdout
    assert "      retest: hfmap apply --retest replicate:org/broken" in text.stdout
    assert "org/ok" not in text.stdout
    assert lines[-1] == (
        "Verify: 2 ok, 2 staging, 1 mismatch, 1 no-adapter-weights, 2 missing, 1 error, 1 shadowed, "
        "1 no-match (11 mapping(s), 12 request(s))."
    )


def test_markdown_and_github_formats(world):
    seed(world)
    markdown = world.hfmap("verify", "--format", "markdown", str(world.dir), token=MEMBER).stdout
    assert markdown.startswith("### hfmap verify: 2 ok, 2 staging")
    row = "| ❌ error | <code>replicate</code> | <code>org/broken</code> | providerId <code>o/broken</code>"
    assert row in markdown
    assert (
        "| ❌ no-match | <code>replicate</code> | <code>tag-filter&#61;base&#95;model&#58;adapter" in markdown
    )
    assert "org/ok" not in markdown
    assert "<code>hfmap apply --retest-errors</code>" in markdown
    github = world.hfmap("verify", "--format", "github", str(world.dir), token=MEMBER).stdout
    first = next(line for line in github.splitlines() if "org/broken" in line)
    assert first.startswith(f"::error file={world.dir / 'r.yaml'},line=5,title=hfmap verify [error]::")
    assert first.endswith("(retest: hfmap apply --retest replicate:org/broken)")
    assert any(line.startswith("::notice ") and "org/tested" in line for line in github.splitlines())


def test_a_hub_that_fails_is_unavailable_not_missing(world):
    world.live("replicate", "org/ok", "o/ok")
    world.file(
        "r.yaml",
        "provider: replicate\nmappings:\n  - {hfModel: org/ok, providerModel: o/ok, task: text-to-image}\n",
    )
    world.hub.inject(Fault(path="/api/models/*", kind="status", status=503, times=None))
    result, report = verify(world)
    assert result.exit_code == 0, result.stderr  # a warning: nothing was found wrong
    assert report["mappings"][0]["verdict"] == "unavailable"
    assert "503" in report["mappings"][0]["message"]
    result, _ = verify(world, "--strict")
    assert result.exit_code == 1


def test_a_rejected_token_stops_verify_with_one_line(world):
    seed(world)
    result = world.hfmap("verify", str(world.dir), token="hf_notavalidtoken00")
    assert result.exit_code == 1 and "HF_TOKEN is invalid" in result.stderr
    assert "hf_notavalidtoken00" not in result.stdout + result.stderr


def test_lint_errors_stop_verify_before_any_request(world):
    world.file(
        "r.yaml",
        """
        provider: together
        mappings:
          - {hfModel: a/b, providerModel: a/b, task: conversational, status: auto}
    """,
    )
    world.hub.clear_log()
    result, _ = verify(world)
    assert result.exit_code == 1 and "status-auto" in result.stderr
    assert world.hub.requests == []


def test_many_mappings_of_one_provider_are_read_from_its_listing(world, monkeypatch):
    lines = ["provider: replicate", "defaults: {status: live}", "mappings:"]
    for i in range(120):
        world.live("replicate", f"org/m{i:03d}", f"o/m{i}")
        lines.append(f"  - {{hfModel: org/m{i:03d}, providerModel: o/m{i}, task: text-to-image}}")
    world.live("replicate", "org/err", "o/err", status="error")
    lines.append("  - {hfModel: org/err, providerModel: o/err, task: text-to-image}")
    world.file("r.yaml", "\n".join(lines) + "\n")
    world.hub.clear_log()
    result, report = verify(world)
    assert result.exit_code == 1
    assert report["summary"]["ok"] == 120 and report["summary"]["error"] == 1
    info = [r for r in world.hub.requests if r.path.startswith("/api/models/")]
    listing = [r for r in world.hub.requests if r.path == "/api/models"]
    assert len(listing) == 1 and listing[0].query["inference_provider"] == ["replicate"]
    assert [r.path for r in info] == ["/api/models/org/err"]  # not live: not in the listing
    assert report["requests"] == len(world.hub.requests)
    monkeypatch.setattr(verify_module, "LIST_THRESHOLD", 10_000)
    world.hub.clear_log()
    _result, report = verify(world)
    assert report["summary"]["ok"] == 120 and len(world.hub.requests) == 1 + 121


def test_a_listing_that_fails_falls_back_on_model_info(world):
    lines = ["provider: replicate", "defaults: {status: live}", "mappings:"]
    for i in range(60):
        world.live("replicate", f"org/m{i:03d}", f"o/m{i}")
        lines.append(f"  - {{hfModel: org/m{i:03d}, providerModel: o/m{i}, task: text-to-image}}")
    world.file("r.yaml", "\n".join(lines) + "\n")
    world.hub.inject(Fault(method="GET", path="/api/models", kind="status", status=500, times=None))
    result, report = verify(world)
    assert result.exit_code == 0 and report["summary"]["ok"] == 60


def test_usage_errors_exit_two(world):
    result = world.hfmap("verify", str(world.dir / "no-such-file.yaml"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = world.hfmap("verify", "--concurrency", "0", str(world.dir))
    assert result.exit_code == 2


def test_hostile_values_from_the_hub_are_shown_inertly(world):
    hostile = "o/x\x1b[31m|<img src=x onerror=alert(1)>`@team\nnext"
    world.live("replicate", "org/ok", hostile)
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: org/ok, providerModel: o/ok, task: text-to-image, status: live}
    """,
    )
    text = world.hfmap("verify", str(world.dir), token=MEMBER).stdout
    assert "\x1b" not in text and "\\x1b[31m" in text and "\nnext" not in text
    markdown = world.hfmap("verify", "--format", "markdown", str(world.dir), token=MEMBER).stdout
    row = next(line for line in markdown.splitlines() if "org/ok" in line)
    assert row.count("|") == 6 and "<img" not in markdown and "`@team" not in markdown
    github = world.hfmap("verify", "--format", "github", str(world.dir), token=MEMBER).stdout
    assert len([line for line in github.splitlines() if line.startswith("::")]) == 1
