"""The Action's install for real: `action/install.py install` into a fresh $RUNNER_TEMP (a `pip install
--require-hashes` from PyPI — this test needs PyPI or pip's cache, and fails, never skips, without it),
then the installed hfmap runs; nothing is written into the action's folder. The install is the one every
Action test runs (tests/github/installed.py), made once per set of sources."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import subprocess
from types import ModuleType

import pytest

from github.harness import REPO
from github.installed import install_root, installed_python, without_pythonpath


@pytest.mark.slow
@pytest.mark.registry
def test_a_real_install_runs_the_installed_hfmap_and_leaves_the_action_folder_alone() -> None:
    python = str(installed_python())  # the install every Action test runs: made once per set of sources
    root = install_root()
    assert (root / "output").read_text().strip() == f"python={python}"
    assert python == str(root / "hfmap-venv" / "bin" / "python")

    env = without_pythonpath()
    version = subprocess.run([python, "-m", "hfmap", "--version"], capture_output=True, text=True, env=env)
    lint = subprocess.run(
        [python, "-m", "hfmap", "lint", str(REPO / "examples" / "mappings")],
        capture_output=True,
        text=True,
        env=env,
    )
    where = subprocess.run(
        [python, "-c", "import hfmap; print(hfmap.__file__)"], capture_output=True, text=True, env=env
    )

    assert version.returncode == 0 and "hfmap, version" in version.stdout
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert where.stdout.startswith(str(root / "hfmap-venv")), where.stdout  # installed, not the checkout
    # no build/, *.egg-info or changed file in the action's folder
    assert json.loads((root / "done").read_text()) == {"changed_in_the_action_folder": []}


def test_the_lock_file_pins_every_runtime_dependency_with_hashes() -> None:
    import tomllib

    lock = (REPO / "action" / "requirements.txt").read_text(encoding="utf-8")
    pinned = {line.split("==")[0].strip().lower() for line in lock.splitlines() if "==" in line}
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {
        d.split(";")[0].split(">")[0].split("=")[0].split("[")[0].strip().lower().replace(".", "-")
        for d in declared
    }
    assert names <= pinned, f"regenerate action/requirements.txt (README, Development): {names - pinned}"
    assert {"setuptools", "wheel"} <= pinned  # the build backend, for --no-build-isolation
    entries: list[str] = []
    for line in lock.splitlines():
        if line[:1].isalpha():
            entries.append(line)
        elif entries and line.strip().startswith("--hash="):
            entries[-1] += line
    assert len(entries) >= len(names) and all("--hash=sha256:" in entry for entry in entries)


def _install_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hfmap_action_install", REPO / "action" / "install.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("pip", "elsewhere"),
    [("25.1.1", True), ("22.3", True), ("22.2.2", False), ("9.0.1", False), ("23.0b1", False), (None, False)],
)
def test_the_install_aims_this_pythons_pip_at_the_venv_only_when_that_pip_can(
    monkeypatch: pytest.MonkeyPatch, pip: str | None, elsewhere: bool
) -> None:
    """pip 22.3+ installs into another environment (`--python`), so the venv needs no pip of its own
    (ensurepip: about 2.3 s of each install); with an older pip, no pip, or a version it cannot read, the
    venv gets its own copy as before."""

    def version(name: str) -> str:
        assert name == "pip"
        if pip is None:
            raise importlib.metadata.PackageNotFoundError(name)
        return pip

    monkeypatch.setattr(importlib.metadata, "version", version)
    assert _install_module()._pip_aims_elsewhere() is elsewhere
