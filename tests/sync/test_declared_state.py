"""The declared state is the whole provider: naming one file never deletes what a sibling file declares."""

from __future__ import annotations

import json
import textwrap

import pytest

MAIN = """
    provider: replicate
    defaults: {status: live}
    mappings:
      - {hfModel: org/a, providerModel: o/a, task: text-to-image}
      - {hfModel: org/b, providerModel: o/b, task: text-to-image}
      - {hfModel: org/c, providerModel: o/c, task: text-to-image}
"""
EXTRA = """
    provider: replicate
    defaults: {status: live}
    mappings:
      - {hfModel: org/d, providerModel: o/d, task: text-to-image}
      - {hfModel: org/e, providerModel: o/e, task: text-to-image}
"""


def _seed(world) -> None:
    for name in "abcde":
        world.live("replicate", f"org/{name}", f"o/{name}")
    world.file("replicate.yaml", MAIN)
    world.file("replicate-extra.yaml", EXTRA)


def test_applying_one_file_never_deletes_what_a_sibling_declares(world, token):
    _seed(world)
    world.file("replicate-extra.yaml", EXTRA.replace("o/e", "o/e2"))  # the one change the user made
    extra = str(world.dir / "replicate-extra.yaml")
    result = world.hfmap("apply", "--yes", "--format", "json", extra, token=token)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert set(world.records("replicate")) == {f"org/{n}" for n in "abcde"}
    assert world.records("replicate")["org/e"]["providerModel"] == "o/e2"
    assert [method for method, _path, _body in world.hub.writes] == ["DELETE", "POST"]  # the replace only


def test_planning_one_file_plans_the_whole_provider(world):
    _seed(world)
    plan = world.hfmap("plan", "--format", "json", str(world.dir / "replicate-extra.yaml"))
    assert plan.exit_code == 0, plan.stderr
    assert '"actions": []' in plan.stdout


def test_verbose_lists_the_sibling_files_read(world):
    _seed(world)
    result = world.hfmap("-v", "plan", str(world.dir / "replicate-extra.yaml"))
    assert result.exit_code == 0, result.stderr
    assert f"also read {world.dir / 'replicate.yaml'}" in result.stderr


def test_a_file_of_another_provider_is_not_read_into_the_plan(world):
    _seed(world)
    world.file("together.yaml", "provider: together\nmappings: []\n")
    result = world.hfmap("-v", "plan", str(world.dir / "replicate-extra.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "together.yaml" not in result.stderr and "together" not in result.stdout


def test_an_unreadable_sibling_blocks_the_plan_instead_of_its_mappings_being_deleted(world):
    _seed(world)
    (world.dir / "broken.yaml").write_text("provider: replicate\nmappings: [\n", encoding="utf-8")
    result = world.hfmap("plan", str(world.dir / "replicate-extra.yaml"))
    assert result.exit_code == 1
    assert "broken.yaml" in result.stderr and "to delete" not in result.stdout


@pytest.mark.parametrize(
    "head", ["provider: Replicate\n", "provider: ' replicate'\n", "", "provider: [replicate]\n"]
)
def test_a_sibling_that_misspells_or_lacks_its_provider_blocks_the_apply(world, token, head):
    """`provider: Replicate` (or none at all) is a lint error, not another provider: its mappings must not be
    applied away as undeclared when the user names only the other file."""
    _seed(world)
    world.file("replicate-extra.yaml", head + textwrap.dedent(EXTRA).lstrip().split("\n", 1)[1])
    before = world.records("replicate")
    result = world.hfmap("apply", "--yes", "--force", str(world.dir / "replicate.yaml"), token=token)
    assert result.exit_code == 1, result.stdout
    assert "replicate-extra.yaml:1:" in result.stderr and "fix them before planning" in result.stderr
    assert world.hub.writes == [] and world.records("replicate") == before


def test_other_yaml_beside_a_file_named_by_itself_is_not_a_sibling(world, tmp_path, monkeypatch):
    """A mapping file at the repository root, named alone, has the root as its context: `mkdocs.yml` or
    `.pre-commit-config.yaml` there declare no provider and never block its plan."""
    for name in "abc":
        world.live("replicate", f"org/{name}", f"o/{name}")
    (tmp_path / "replicate.yaml").write_text(textwrap.dedent(MAIN), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: docs\nnav: []\n", encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = world.hfmap("plan", "--format", "json", "replicate.yaml")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["actions"] == []


def test_a_file_outside_any_mappings_folder_reads_its_own_folder(world, tmp_path):
    for name in "abcde":
        world.live("replicate", f"org/{name}", f"o/{name}")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "one.yaml").write_text(textwrap.dedent(MAIN), encoding="utf-8")
    (elsewhere / "two.yaml").write_text(textwrap.dedent(EXTRA), encoding="utf-8")
    result = world.hfmap("plan", "--format", "json", str(elsewhere / "two.yaml"))
    assert result.exit_code == 0, result.stderr
    assert '"actions": []' in result.stdout


def test_verify_given_one_file_verifies_the_whole_provider(world):
    _seed(world)
    result = world.hfmap("verify", "--format", "json", str(world.dir / "replicate-extra.yaml"))
    assert result.exit_code == 0, result.stdout + result.stderr
    mappings = json.loads(result.stdout)["mappings"]
    assert sorted(m["key"] for m in mappings) == [f"org/{n}" for n in "abcde"]
