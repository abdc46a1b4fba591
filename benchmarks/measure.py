"""What the benchmarks share: a fresh subprocess timed by wall clock and CPU, and a baseline checkout.

CPU time (user + system of the child) is printed beside wall time because the machines these run on are
often shared: wall time then measures the neighbours as much as hfmap, CPU time much less so.
`baseline(ref)` checks out another commit (e.g. `main`, the code without the optimisation being
measured) into a temporary git worktree; `hfmap_command(src)` runs that tree's hfmap with this venv.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Timing:
    wall: float
    cpu: float
    stdout: str
    stderr: str


def run_timed(command: list[str], env: dict[str, str], ok_codes: tuple[int, ...] = (0,)) -> Timing:
    """Run `command` once; wall seconds and the child's CPU seconds (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok_codes:
        raise SystemExit(
            f"{' '.join(command)} exited {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, proc.stdout, proc.stderr)


def best_of(
    command: list[str], env: dict[str, str], runs: int = 3, ok_codes: tuple[int, ...] = (0,)
) -> Timing:
    """The run with the least CPU time of `runs` (its wall time beside it), and the last output."""
    timings = [run_timed(command, env, ok_codes) for _ in range(runs)]
    best = min(timings, key=lambda t: t.cpu)
    return Timing(min(t.wall for t in timings), best.cpu, timings[-1].stdout, timings[-1].stderr)


# The code before issue 12's optimisations (hfmap 0.1.0 as it landed): the "without" of the benchmarks.
BEFORE = "a6f39b5"


def user_env(**extra: str) -> dict[str, str]:
    """The environment a user's hfmap runs in: bytecode cached as pip caches it for an installed package
    (a sandbox's PYTHONDONTWRITEBYTECODE=1 would make every run compile hfmap from source, ~60 ms)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "NO_COLOR": "1", **extra}


def hfmap_command(src: Path | None) -> tuple[list[str], dict[str, str]]:
    """`python -m hfmap` from `src` (None: the installed one) with the environment to run it in."""
    env = user_env()
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return [sys.executable, "-m", "hfmap"], env


@contextmanager
def baseline(ref: str | None) -> Iterator[Path | None]:
    """The `src/` folder of `ref` checked out in a temporary git worktree (None when `ref` is None)."""
    if not ref:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="hfmap-baseline-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(tree), ref],
            check=True,
            capture_output=True,
        )
        try:
            yield tree / "src"
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )
