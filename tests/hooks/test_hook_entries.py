"""Each hook of `.pre-commit-hooks.yaml`, run the way pre-commit runs it: `entry` + the matching files.

The hook's `entry` runs from the root of a scratch repository holding `mappings/`, with the file names
pre-commit would pass: in-process (click's runner) for what the command does, and once through the
installed `hfmap` console script in a subprocess (as do test_hook_batches.py and test_try_repo.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from hfmap.cli import cli

# Not `from conftest import ...`: with several conftest.py files that name is ambiguous.
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "mappings"
HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
FIXTURES = Path(__file__).parent / "fixtures"
HFMAP = Path(sys.executable).with_name("hfmap")
BAD_RULES = ("task-invalid", "hf-model-id", "duplicate-mapping", "hfmodel-with-hffilter", "syntax")


def load_hooks() -> dict[str, dict]:
    hooks = YAML(typ="safe").load(HOOKS_FILE.read_text())
    return {hook["id"]: hook for hook in hooks}


HOOKS = load_hooks()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A scratch mapping repository: the examples (good), one bad file per rule, one unsorted file."""
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, mappings / example.name)
    for fixture in FIXTURES.glob("*.yaml"):
        shutil.copy(fixture, mappings / fixture.name)
    return tmp_path


def run_hook(
    hook_id: str,
    files: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    *,
    console_script: bool = False,
) -> subprocess.CompletedProcess[str]:
    hook = HOOKS[hook_id]
    pattern = re.compile(hook["files"])
    assert all(pattern.search(name) for name in files), "pre-commit would not pass these files"
    args = [*hook["entry"].split()[1:], *files]
    assert hook["entry"].split()[0] == "hfmap"
    if console_script:
        return subprocess.run(
            [str(HFMAP), *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, **(env or {})},
        )
    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def test_manifest_declares_the_three_hooks_as_the_contract_says() -> None:
    assert set(HOOKS) == {"hfmap-lint", "hfmap-fmt", "hfmap-check"}
    for hook in HOOKS.values():
        assert hook["language"] == "python"
        assert hook["name"] and hook["description"]
        assert hook["types_or"] == ["yaml"]
        assert (
            hook["minimum_pre_commit_version"] == "3.2.0"
        )  # first release with `pre-commit`/`pre-push` names
        assert set(hook["stages"]) <= {"pre-commit", "pre-merge-commit", "pre-push", "manual"}
    assert HOOKS["hfmap-lint"]["entry"] == "hfmap lint"
    assert HOOKS["hfmap-fmt"]["entry"] == "hfmap fmt"
    assert HOOKS["hfmap-check"]["entry"] == "hfmap check"
    assert HOOKS["hfmap-check"]["require_serial"] is True
    assert HOOKS["hfmap-check"]["stages"] == ["pre-push", "manual"]


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.main import main as pre_commit

    assert pre_commit(["validate-manifest", str(HOOKS_FILE)]) == 0


@pytest.mark.parametrize("hook_id", sorted(HOOKS))
def test_files_pattern_selects_mapping_files_only(hook_id: str) -> None:
    pattern = re.compile(HOOKS[hook_id]["files"])
    assert pattern.search("mappings/replicate.yaml")
    assert pattern.search("mappings/team/together.yml")
    assert not pattern.search("examples/mappings/replicate.yaml")
    assert not pattern.search(".github/workflows/ci.yaml")
    assert not pattern.search("mappings/notes.md")


def test_lint_hook_passes_good_files(repo: Path) -> None:
    files = ["mappings/replicate.yaml", "mappings/together.yaml"]
    result = run_hook("hfmap-lint", files, repo, console_script=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout + result.stderr


@pytest.mark.parametrize("rule", BAD_RULES)
def test_lint_hook_fails_a_bad_file_naming_the_rule(repo: Path, rule: str) -> None:
    name = f"mappings/bad-{rule}.yaml"
    result = run_hook("hfmap-lint", ["mappings/replicate.yaml", name], repo)
    assert result.returncode == 1
    assert re.search(rf"^{re.escape(name)}:\d+:\d+: error \[{re.escape(rule)}\] ", result.stdout, re.M), (
        result.stdout
    )
    assert "mappings/replicate.yaml:" not in result.stdout  # the good file stays quiet
    assert "Traceback" not in result.stderr


def test_fmt_hook_passes_canonical_files_and_leaves_them_alone(repo: Path) -> None:
    before = (repo / "mappings" / "replicate.yaml").read_bytes()
    result = run_hook("hfmap-fmt", ["mappings/replicate.yaml", "mappings/together.yaml"], repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert (repo / "mappings" / "replicate.yaml").read_bytes() == before


def test_fmt_hook_fixes_an_unsorted_file_and_fails_so_the_commit_stops(repo: Path) -> None:
    result = run_hook("hfmap-fmt", ["mappings/unsorted.yaml", "mappings/together.yaml"], repo)
    assert result.returncode == 1
    assert result.stdout == "reformatted mappings/unsorted.yaml\n"
    assert (repo / "mappings" / "unsorted.yaml").read_text().splitlines()[1:3] == [
        "provider: fal-ai",
        "mappings:",
    ]
    again = run_hook("hfmap-fmt", ["mappings/unsorted.yaml"], repo)
    assert again.returncode == 0


def test_fmt_hook_reports_a_broken_file_without_touching_it(repo: Path) -> None:
    before = (repo / "mappings" / "bad-syntax.yaml").read_bytes()
    result = run_hook("hfmap-fmt", ["mappings/bad-syntax.yaml"], repo)
    assert result.returncode == 1
    assert re.search(r"^mappings/bad-syntax\.yaml:5:9: error \[syntax\] ", result.stdout, re.M), result.stdout
    assert (repo / "mappings" / "bad-syntax.yaml").read_bytes() == before


def test_check_hook_fails_a_bad_file_before_any_network(repo: Path) -> None:
    result = run_hook("hfmap-check", ["mappings/bad-task-invalid.yaml"], repo)
    assert result.returncode == 1
    assert "[task-invalid]" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_hook_passes_good_files_against_the_hub(repo: Path, hub) -> None:
    hub.seed_from_yaml(EXAMPLES)
    files = ["mappings/replicate.yaml", "mappings/together.yaml"]
    result = run_hook("hfmap-check", files, repo, env=hub.env())
    assert result.returncode == 0, result.stdout + result.stderr
