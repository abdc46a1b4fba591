"""The lint hook as pre-commit really runs it on many files: in how many processes, with which files.

pre-commit splits the files of a hook that is not `require_serial` into batches run in parallel (at
least four files each, as many batches as CPUs). `hfmap lint` compares files with each other
(`duplicate-mapping`, `provider-settings`), so a split would hide every problem between two batches.
The hook below is the manifest's own, run as a local `system` hook so that no environment is built.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
HFMAP = Path(sys.executable).with_name("hfmap")
FILES = 10  # two batches or more on any machine with two CPUs


def _lint_hook_as_local_system_hook() -> dict:
    manifest = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    hooks = {hook["id"]: hook for hook in manifest}
    hook = dict(hooks["hfmap-lint"])
    hook.pop("minimum_pre_commit_version", None)
    hook.update(language="system", entry=f"{HFMAP} {hook['entry'].split(' ', 1)[1]}")
    return hook


def test_lint_hook_sees_every_file_at_once_so_cross_file_duplicates_are_found(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "mappings").mkdir(parents=True)
    for index in range(FILES):
        (repo / "mappings" / f"f{index}.yaml").write_text(
            "provider: together\nmappings:\n"
            "  - hfModel: org/same\n    providerModel: org/same\n    task: conversational\n"
        )
    config = {"repos": [{"repo": "local", "hooks": [_lint_hook_as_local_system_hook()]}]}
    with (repo / ".pre-commit-config.yaml").open("w") as stream:
        YAML(typ="safe").dump(config, stream)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "HF_", "HFMAP_"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PRE_COMMIT_COLOR="never")
    for command in (["git", "init", "-q"], ["git", "add", "."]):
        subprocess.run(command, cwd=repo, check=True, capture_output=True)
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    first = next(line for line in run.stdout.splitlines() if line.startswith("mappings/f0.yaml:3:14: "))
    # the count covers every file, not only its batch's (a finding names one other place and the count)
    assert f"is mapped {FILES} times" in first, run.stdout
    assert f"{FILES} errors, 0 warnings in {FILES} files" in run.stdout
