"""The test suite as README's second command runs it (`pytest -n auto`), beside issue 16's reference.

Run: `.venv/bin/python benchmarks/suite_bench.py [--baseline REF]` (default baseline: `17f1d00`, the suite
before its speed work: emulators that waited out a poll interval to stop, 1 s backoffs, a new Python per
command of the Action, 2 workers; `--baseline ''` skips it). Reference (issue 16): 171 s wall for 1,229
tests on 2 CPUs; the target is under 90 s. Each run starts without the shared Action install, as a fresh
CI machine does (tests/github/installed.py makes it, about 10 s). CPU time is user + system of pytest and
everything it waited for. A failed test is counted in its column, not hidden.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from measure import baseline, run_timed  # noqa: E402

REFERENCE = (1229, 171.0)  # tests, seconds wall: issue 16, measured on main 9cf8cdc
BEFORE_SPEED_WORK = "17f1d00"
SUMMARY = re.compile(r"(\d+) passed(?:, (\d+) failed)?.* in ([\d.]+)s")


def _forget_the_action_install() -> None:
    for folder in Path(tempfile.gettempdir()).glob("hfmap-action-install-*"):
        shutil.rmtree(folder, ignore_errors=True)


def _suite(tree: Path, src: Path | None) -> tuple[int, int, float, float]:
    """(passed, failed, wall, CPU) of one `pytest -n auto` in `tree`."""
    _forget_the_action_install()
    env = dict(os.environ)  # as the developer's shell has it (CI's too)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    command = [sys.executable, "-m", "pytest", "-n", "auto", "-q", "-p", "no:cacheprovider"]
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        timing = run_timed(command, env, ok_codes=(0, 1))
    finally:
        os.chdir(cwd)
    match = SUMMARY.search(timing.stdout.strip().splitlines()[-1])
    if match is None:
        raise SystemExit(f"no summary line from pytest in {tree}:\n{timing.stdout[-2000:]}")
    return int(match[1]), int(match[2] or 0), timing.wall, timing.cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BEFORE_SPEED_WORK, help="git ref to compare with ('' skips)")
    args = parser.parse_args()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"pytest -n auto on {cpus} CPUs, a fresh Action install in each run")
    print(f"{'':28} {'tests':>6} {'failed':>6} {'wall':>8} {'CPU':>8} {'wall/test':>10}")
    tests, wall = REFERENCE
    print(f"{'issue 16 reference':28} {tests:>6} {'':>6} {wall:>7.0f}s {'':>8} {wall / tests * 1000:>8.0f}ms")
    if args.baseline:
        with baseline(args.baseline) as src:
            assert src is not None
            passed, failed, wall, cpu = _suite(src.parent, src)
        label = f"baseline {args.baseline}"
        total = passed + failed
        print(f"{label:28} {total:>6} {failed:>6} {wall:>7.1f}s {cpu:>7.1f}s {wall / total * 1000:>8.0f}ms")
    passed, failed, wall, cpu = _suite(REPO, None)
    total = passed + failed
    print(f"{'this tree':28} {total:>6} {failed:>6} {wall:>7.1f}s {cpu:>7.1f}s {wall / total * 1000:>8.0f}ms")


if __name__ == "__main__":
    main()
