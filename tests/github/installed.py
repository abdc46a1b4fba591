"""hfmap installed the way action.yml installs it (`action/install.py install`: hash-locked dependencies
from PyPI, hfmap built from a copy of the sources), once per set of sources and shared by every test run.

The harness's setup-python stand-in answers `install.py install` with this venv, so every Action test
runs the *installed* hfmap, not the checkout. PYTHONPATH is not passed on: a checkout's `src` on it
(as in a shared development venv) would stand in for the installed package. Needs PyPI (or pip's cache)
the first time per change of the sources; a failed install fails the tests that need it, with pip's
message.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _digest() -> str:
    digest = hashlib.sha256()
    files = [REPO / "pyproject.toml", REPO / "action" / "install.py", REPO / "action" / "requirements.txt"]
    files.append(Path(__file__).resolve())  # how the install is made and what it records
    files += sorted(p for p in (REPO / "src").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def without_pythonpath() -> dict[str, str]:
    """This environment minus PYTHONPATH, as a runner has it (CI sets none)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


def run_install(temp: Path) -> subprocess.CompletedProcess[str]:
    """`action/install.py install` with `temp` as $RUNNER_TEMP, as action.yml runs it."""
    env = {**without_pythonpath(), "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(temp / "output")}
    return subprocess.run(
        [sys.executable, str(REPO / "action" / "install.py"), "install"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def action_tree() -> dict[str, float]:
    """Every file of the action that a build could touch, with its modification time."""
    out = {}
    for top in ("action", "src", "pyproject.toml", "README.md"):
        root = REPO / top
        for path in [root, *root.rglob("*")] if root.is_dir() else [root]:
            if "__pycache__" not in path.parts:
                out[str(path.relative_to(REPO))] = path.stat().st_mtime
    out.update(
        {name: 0.0 for name in os.listdir(REPO) if name in ("build", "dist") or name.endswith(".egg-info")}
    )
    return out


def install_root() -> Path:
    """Where the shared install of these sources lives: its $RUNNER_TEMP (venv, GITHUB_OUTPUT, record)."""
    return Path(tempfile.gettempdir()) / f"hfmap-action-install-{_digest()}"


def installed_python() -> Path:
    """The interpreter of a venv holding the installed hfmap (made on first use, under a file lock).

    The install records in `done` what it changed in the action's folder (nothing, it should: it builds
    from a copy), for tests/github/test_action_install.py to check without a second install."""
    root = install_root()
    python = root / "hfmap-venv" / "bin" / "python"
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "done").exists():
            before = action_tree()
            proc = run_install(root)
            if proc.returncode != 0:
                raise RuntimeError(
                    f"action/install.py install failed (needs PyPI):\n{proc.stdout}{proc.stderr}"
                )
            after = action_tree()
            changed = sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
            (root / "done").write_text(json.dumps({"changed_in_the_action_folder": changed}))
    return python
