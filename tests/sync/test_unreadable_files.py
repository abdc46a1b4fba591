"""A mapping file hfmap cannot read blocks plan and apply: its live mappings are never planned away."""

from __future__ import annotations

from unprivileged import run_hfmap, shared_dir

KEPT = (
    "provider: replicate\nmappings:\n"
    "  - hfModel: org/kept\n    providerModel: org/kept\n    task: text-to-image\n    status: live\n"
)


def _seed(world) -> dict:
    world.live("replicate", "org/kept", "org/kept")
    world.live("replicate", "org/elsewhere", "org/elsewhere")  # declared only in the file that cannot be read
    return world.records("replicate")


def test_plan_and_apply_refuse_when_a_file_is_a_dangling_symlink(world) -> None:
    before = _seed(world)
    world.file("a.yaml", KEPT)
    (world.dir / "b.yaml").symlink_to("../submodule/b.yaml")
    plan = world.hfmap("plan", str(world.dir))
    assert plan.exit_code == 1
    assert "b.yaml:1:1: error [syntax] cannot read file: it is a symbolic link" in plan.stderr
    assert "fix them before planning" in plan.stderr and "delete" not in plan.stdout
    result, report = world.apply("--force")
    assert result.exit_code == 1 and report is None
    assert "fix them before planning" in result.stderr
    assert world.records("replicate") == before
    assert not [r for r in world.hub.requests if r.method in ("POST", "PUT", "DELETE")]


def test_plan_refuses_when_a_folder_cannot_be_listed(hub) -> None:
    hub.add_model("org/kept", pipeline_tag="text-to-image")
    hub.add_model("org/elsewhere", pipeline_tag="text-to-image")
    hub.seed_mapping("replicate", "text-to-image", "org/kept", "org/kept", "live")
    hub.seed_mapping("replicate", "text-to-image", "org/elsewhere", "org/elsewhere", "live")
    with shared_dir() as root:
        (root / "mappings" / "team").mkdir(parents=True)
        (root / "mappings" / "a.yaml").write_text(KEPT)
        (root / "mappings" / "team" / "b.yaml").write_text(KEPT.replace("org/kept", "org/elsewhere"))
        (root / "mappings" / "team").chmod(0o000)
        result = run_hfmap("plan", "--format", "json", "mappings", cwd=root, env={"HF_ENDPOINT": hub.url})
    assert result.returncode == 1
    assert "mappings/team:1:1: error [syntax] cannot read folder: Permission denied" in result.stderr
    assert result.stdout == ""  # no plan at all, so none that deletes org/elsewhere
    assert not [r for r in hub.requests if r.path.startswith("/api/partners/")]
