"""Running hfmap as a user without root's powers, so permission errors are real.

Tests (and CI) run as root, for whom `chmod 000` stops nothing. Where a test needs a folder hfmap cannot
list or write, it builds the files in `shared_dir()` (a folder every user can enter) and runs hfmap through
`run_hfmap()`, which drops to the `nobody` user with `setpriv` when it runs as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NOBODY = 65534


@contextmanager
def shared_dir() -> Iterator[Path]:
    """A fresh folder under the system temp dir that an unprivileged user can enter and read."""
    path = Path(tempfile.mkdtemp(prefix="hfmap-perm-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for folder, _dirs, _files in os.walk(path):
            os.chmod(folder, 0o755)
        shutil.rmtree(path, ignore_errors=True)


def run_hfmap(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m hfmap ARGS` as an unprivileged user (as `nobody` when the tests run as root)."""
    command = [sys.executable, "-m", "hfmap", *args]
    if os.geteuid() == 0:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        command,
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
