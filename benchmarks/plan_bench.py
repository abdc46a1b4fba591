"""`hfmap plan` of 10,000 declared mappings against 10,000 live ones (a few hundred differing).

Run: `.venv/bin/python benchmarks/plan_bench.py [--baseline REF]` (default baseline: 0.1.0, `a6f39b5`,
before issue 12's optimisations; `--baseline ''` skips it). The Hub emulator (tests/emulator) serves the
live mapping on loopback without added latency; hfmap runs as a fresh subprocess, as a user runs it.
Reference: under 1.0 s for the whole command. Step timings come from hfmap's own `-v` line
(`timing: parse ..., lint ..., fetch ..., diff ..., render ...`); CPU time is the child's user + system.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from measure import BEFORE, Timing, baseline, best_of, hfmap_command  # noqa: E402

from emulator import HubEmulator  # noqa: E402

TASKS = ("text-to-image", "image-to-image", "text-to-video", "text-to-speech")
N = 10_000
DIFFER = 100  # per kind: creates, status updates, replaces, deletes
REFERENCE = 1.0  # seconds, wall, the whole command


def build(emu: HubEmulator, path: Path) -> dict[str, int]:
    """Live: N mappings. Declared: N - DIFFER of them (some changed) + DIFFER new ones."""
    lines = ["provider: replicate", "prune: true", "mappings:"]
    for i in range(N):
        task = TASKS[i % len(TASKS)]
        hf_model, provider_model = f"org{i % 50}/model-{i:05d}", f"owner{i % 50}/model-{i:05d}"
        emu.seed_mapping("replicate", task, hf_model, provider_model, status="live")
        if i < DIFFER:
            continue  # live, declared nowhere: delete
        declared_model, status = provider_model, "live"
        if i < 2 * DIFFER:
            status = "staging"  # update (demote)
        elif i < 3 * DIFFER:
            declared_model = provider_model + "-v2"  # replace
        lines += [
            f"  - hfModel: {hf_model}",
            f"    providerModel: {declared_model}",
            f"    task: {task}",
            f"    status: {status}",
        ]
    for i in range(DIFFER):
        lines += [
            f"  - hfModel: neworg/model-{i:05d}",
            f"    providerModel: newowner/model-{i:05d}",
            "    task: text-to-image",
            "    status: live",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"create": DIFFER, "update": DIFFER, "replace": DIFFER, "delete": DIFFER}


def plan(src: Path | None, url: str, path: Path, expected: dict[str, int], runs: int) -> Timing:
    command, env = hfmap_command(src)
    env["HF_ENDPOINT"] = url
    env.pop("HF_TOKEN", None)
    timing = best_of([*command, "-v", "plan", "--format", "json", str(path)], env, runs)
    summary = json.loads(timing.stdout)["summary"]
    assert summary == expected, summary
    return timing


def steps(timing: Timing) -> str:
    line = next((ln for ln in timing.stderr.splitlines() if ln.startswith("timing:")), "timing: ?")
    return line[len("timing: ") :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline",
        default=BEFORE,
        help="git ref to compare with (default: 0.1.0, before issue 12; '' for none)",
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with HubEmulator() as emu, tempfile.TemporaryDirectory() as tmp, baseline(args.baseline) as base_src:
        path = Path(tmp) / "replicate.yaml"
        expected = build(emu, path)
        size = path.stat().st_size / 1e6
        print(f"plan: {N:,} declared ({size:.1f} MB YAML) vs {N:,} live; differing: {expected}")
        print(f"best of {args.runs} fresh subprocesses (CPU = the child's user + system time)\n")
        rows = [("hfmap plan, this tree", plan(None, emu.url, path, expected, args.runs))]
        if base_src is not None:
            rows.append(
                (f"hfmap plan, baseline {args.baseline}", plan(base_src, emu.url, path, expected, args.runs))
            )
        print(f"{'':<34} {'wall':>8} {'CPU':>8}   steps (wall, last run)")
        for label, timing in rows:
            print(f"{label:<34} {timing.wall:7.2f}s {timing.cpu:7.2f}s   {steps(timing)}")
        print(f"{'reference (target)':<34} {REFERENCE:7.2f}s")
        best = rows[0][1]
        verdict = (
            "ok"
            if best.wall < REFERENCE
            else ("ok by CPU (machine busy)" if best.cpu < REFERENCE else "MISSED")
        )
        print(f"\ntarget < {REFERENCE:.1f} s wall: {verdict}")


if __name__ == "__main__":
    main()
