"""Lint speed, side by side: `hfmap lint` vs `check-jsonschema` on a 10,000-entry file, plus start-up figures.

Run: `/work/venv/bin/python benchmarks/lint_bench.py` (needs the test extra: check-jsonschema).
Each figure is the best of 3 wall-clock runs of a fresh subprocess, as a user or pre-commit runs it.
Targets: hfmap lint (schema + all rules + positions) no slower than check-jsonschema (schema only, no
positions); `hfmap --version` < 150 ms; `hfmap lint` of a 30-entry file < 300 ms.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "schemas" / "mapping-file.schema.json"
BIN = Path(sys.executable).parent

TASKS = [
    "text-to-image",
    "text-to-image",
    "text-to-image",
    "image-to-image",
    "text-to-speech",
    "text-to-video",
]
ORGS = ["black-forest-labs", "stabilityai", "bytedance", "hexgrad", "tencent", "Wan-AI", "lllyasviel", "zeke"]


def make_file(path: Path, entries: int, seed: int = 7) -> None:
    """A realistic replicate file: mixed tasks, pinned versions, some tag filters, comments, blank lines."""
    rng = random.Random(seed)
    lines = [
        "# yaml-language-server: $schema=../schemas/mapping-file.schema.json",
        "provider: replicate",
        "defaults:",
        "  status: live",
        "prune: true",
        "ignore:",
        '  - "zeke/*"',
        "mappings:",
    ]
    for i in range(entries):
        org = rng.choice(ORGS)
        if i % 250 == 0:
            lines.append(f"  # --- group {i // 250} ---")
        if i % 97 == 0:
            lines += [
                f'  - hfFilter: [lora, "base_model:adapter:{org}/base-model-{i}"]',
                f"    providerModel: {org.lower()}/lora-runner-{i}",
                "    task: text-to-image",
                "    adapterType: lora",
            ]
            continue
        provider_model = f"{org.lower()}/model-{i}"
        if i % 3 == 0:
            provider_model += ":" + "".join(rng.choice("0123456789abcdef") for _ in range(64))
        lines += [
            f"  - hfModel: {org}/Model-{i}.v{i % 7}",
            f"    providerModel: {provider_model}",
            f"    task: {rng.choice(TASKS)}",
        ]
        if i % 5 == 0:
            lines.append("    status: staging  # still being tested")
        if i % 40 == 0:
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def best_of(command: list[str], runs: int = 3, ok_codes: tuple[int, ...] = (0,)) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
        times.append(time.perf_counter() - start)
        if proc.returncode not in ok_codes:
            raise SystemExit(
                f"{' '.join(command)} exited {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
            )
    return min(times)


def _breakdown(path: Path) -> None:
    """Where hfmap's time goes on the big file, in this process (imports excluded)."""
    from hfmap.files.load import load_paths
    from hfmap.files.model import Declared
    from hfmap.lint.engine import RuleOptions
    from hfmap.lint.rules import RULES
    from hfmap.lint.rules.schema import _validator

    _validator()  # compile (and import jsonschema) outside the timing
    start = time.perf_counter()
    declared = Declared(load_paths([path]).files)
    loaded = time.perf_counter()
    parts = {"load (YAML events, positions, model)": loaded - start}
    for rule in RULES:
        began = time.perf_counter()
        list(rule.check(declared, RuleOptions()))
        key = "schema (jsonschema)" if rule.ID == "schema" else "the other 12 rules"
        parts[key] = parts.get(key, 0.0) + time.perf_counter() - began
    print(
        "  in-process breakdown: " + ", ".join(f"{name} {sec * 1000:.0f} ms" for name, sec in parts.items())
    )


def main() -> None:
    hfmap = str(BIN / "hfmap")
    check_jsonschema = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if not check_jsonschema:
        raise SystemExit("check-jsonschema not found: pip install -e '.[test]'")
    with tempfile.TemporaryDirectory(prefix="hfmap-bench-") as tmp:
        big = Path(tmp) / "big" / "replicate.yaml"
        small = Path(tmp) / "small" / "replicate.yaml"
        big.parent.mkdir()
        small.parent.mkdir()
        make_file(big, 10_000)
        make_file(small, 30)
        size = big.stat().st_size / 1024 / 1024
        print(
            f"generated {big.name}: 10,000 entries, {size:.2f} MiB; best of 3 wall-clock runs, subprocesses\n"
        )

        t_hfmap = best_of([hfmap, "-q", "lint", str(big)])
        t_cj = best_of([check_jsonschema, "--schemafile", str(SCHEMA), str(big)])
        t_version = best_of([hfmap, "--version"])
        t_small = best_of([hfmap, "lint", str(small)])

        ratio = t_hfmap / t_cj
        rows = [
            ("hfmap lint, 10,000 entries (schema + rules + positions)", t_hfmap, None),
            ("check-jsonschema --schemafile, same file (schema only)", t_cj, None),
            ("hfmap --version", t_version, 0.150),
            ("hfmap lint, 30 entries", t_small, 0.300),
        ]
        for label, seconds, target in rows:
            verdict = (
                ""
                if target is None
                else f"  (target < {target * 1000:.0f} ms: {'ok' if seconds < target else 'MISSED'})"
            )
            print(f"{label:<58} {seconds * 1000:8.0f} ms{verdict}")
        _breakdown(big)
        verdict = "ok" if ratio <= 1.0 else "MISSED"
        print(f"{'ratio hfmap lint / check-jsonschema':<58} {ratio:8.2f}   (target <= 1.00: {verdict})")


if __name__ == "__main__":
    main()
