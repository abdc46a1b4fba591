"""Many entries of one provider: its live models come from one Hub listing, the rest one by one, with
the same findings either way."""

from __future__ import annotations

from emulator import Fault


def many(write, count: int, *, name: str = "m.yaml", status: str = "live"):
    lines = ["provider: replicate", "defaults:", f"  status: {status}", "mappings:"]
    for i in range(count):
        lines += [
            f"  - hfModel: org/m{i:04d}",
            f"    providerModel: owner/m{i:04d}",
            "    task: text-to-image",
        ]
    return write("\n".join(lines) + "\n", name)


def hub_paths(emu) -> list[str]:
    return [r.path for r in emu.requests if r.path.startswith("/api/")]


def seed_with_faults(emu, path) -> None:
    emu.reset()
    emu.seed_from_yaml(path)
    emu.remove_model("org/m0007")  # missing: never listed, looked up alone
    emu.add_model("org/m0011", pipeline_tag="text-to-video")  # listed with its new pipeline tag


def test_live_models_come_from_one_listing_and_findings_are_unchanged(hub, run_cli, write):
    path = many(write, 60)
    seed_with_faults(hub, path)
    env = {**hub.env(), "REPLICATE_API_TOKEN": "r8_token0123456789"}
    result = run_cli("check", path, env=env)
    assert result.exit_code == 1
    findings = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if " [" in line]
    assert findings == [
        "error [hf-model-missing] hfModel 'org/m0007' does not exist on the Hub "
        "(or it is private: without HF_TOKEN the Hub does not say which)",
        "error [hf-task-mismatch] task 'text-to-image' does not fit 'org/m0011', whose pipeline tag is "
        "'text-to-video'; use task 'text-to-video'",
    ]
    assert hub_paths(hub) == ["/api/models", "/api/models/org/m0007"]
    listing = next(r for r in hub.requests if r.path == "/api/models")
    assert listing.query["inference_provider"] == ["replicate"]
    # Staging mappings are not in the provider's live list: one by one, and the same findings.
    path.unlink()  # else it is lint context for the next file, whose entries duplicate its own
    staging = many(write, 60, name="staging.yaml", status="staging")
    seed_with_faults(hub, staging)
    again = run_cli("check", "--no-cache", staging, env=env)
    assert [line.split(": ", 1)[1] for line in again.stdout.splitlines() if " [" in line] == findings
    # The provider's (useless) listing, then the namespace's listing answers all but the missing model.
    assert hub_paths(hub) == ["/api/models", "/api/models", "/api/models/org/m0007"]
    listings = [r for r in hub.requests if r.path == "/api/models"]
    assert listings[1].query["author"] == ["org"]


def test_a_failing_listing_falls_back_to_one_by_one(hub, run_cli, write):
    path = many(write, 55)
    hub.seed_from_yaml(path)
    hub.inject(Fault(path="/api/models", kind="status", status=500, times=None))
    env = {**hub.env(), "REPLICATE_API_TOKEN": "r8_token0123456789"}
    result = run_cli("check", "--retries", "0", path, env=env)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"
    assert len([p for p in hub_paths(hub) if p.startswith("/api/models/")]) == 55


def test_the_listing_follows_next_links(hub, run_cli, write):
    path = many(write, 1100)
    hub.seed_from_yaml(path)
    result = run_cli("check", path, env=hub.env())  # no Replicate token: provider checks are skipped
    assert result.exit_code == 0
    assert hub_paths(hub) == ["/api/models", "/api/models"]  # two pages of 1,000, nothing one by one
    assert "cursor" in hub.requests[1].query
