"""The `world` fixture of the Action's flow tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator import HubEmulator
from emulator.github import GitHubEmulator
from github.events import REPO
from github.world import EXAMPLES, FORK_TOKEN, GH_TOKEN, HF_TOKEN, World


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLES, workspace / "mappings")
    with HubEmulator(anonymous_missing_status=404) as hub, GitHubEmulator() as gh:
        hub.seed_from_yaml(EXAMPLES)
        hub.add_token(HF_TOKEN, user="mapper", write_orgs=("replicate", "together"))
        gh.add_repo(REPO)
        gh.push_commits(REPO, "b" * 40)  # the default branch before the tests' pushes
        gh.add_token(GH_TOKEN, kind="actions")
        gh.add_token(FORK_TOKEN, kind="readonly")
        yield World(hub, gh, workspace, tmp_path)
