"""`hfmap plan` of 10,000 declared mappings against 10,000 live ones (a few hundred differing).

Run: `/work/venv/bin/python benchmarks/plan_bench.py`. The Hub emulator (tests/emulator) serves the
live mapping on loopback without added latency; hfmap runs as a fresh subprocess, as a user runs it.
Target: under 2 s wall for the whole command. The step timings come from hfmap's own `-v` line
(`timing: parse ..., lint ..., fetch ..., diff ..., render ...`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from emulator import HubEmulator  # noqa: E402

TASKS = ("text-to-image", "image-to-image", "text-to-video", "text-to-speech")
N = 10_000
DIFFER = 100  # per kind: creates, status updates, replaces, deletes


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


def main() -> None:
    with HubEmulator() as emu, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "replicate.yaml"
        expected = build(emu, path)
        env = {**os.environ, "HF_ENDPOINT": emu.url, "NO_COLOR": "1"}
        env.pop("HF_TOKEN", None)
        command = [str(Path(sys.executable).parent / "hfmap"), "-v", "plan", "--format", "json", str(path)]
        walls = []
        for _ in range(3):
            start = time.perf_counter()
            proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            walls.append(time.perf_counter() - start)
            if proc.returncode != 0:
                sys.exit(f"hfmap plan failed ({proc.returncode}): {proc.stderr}")
        plan = json.loads(proc.stdout)
        assert plan["summary"] == expected, plan["summary"]
        timing = next(line for line in proc.stderr.splitlines() if line.startswith("timing:"))
        size = path.stat().st_size
        text = subprocess.run([*command[:3], str(path)], env=env, capture_output=True, text=True, check=False)
        print(f"plan: {N:,} declared ({size / 1e6:.1f} MB YAML) vs {N:,} live; differing: {plan['summary']}")
        runs = ", ".join(f"{w:.2f}" for w in walls)
        print(f"wall (fresh subprocess, best of 3): {min(walls):.2f} s   [all: {runs}]")
        print(f"steps of the last run: {timing[len('timing: ') :]}")
        print(f"needs_force: {plan['needs_force']} ({'; '.join(plan['safety']['reasons'])})")
        last = text.stdout.strip().splitlines()[-1]
        print(f"text output: {len(text.stdout.splitlines())} lines; last: {last}")
        print("target: < 2 s wall:", "OK" if min(walls) < 2.0 else "MISSED")


if __name__ == "__main__":
    main()
