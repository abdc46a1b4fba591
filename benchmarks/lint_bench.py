"""Lint speed, side by side: `hfmap lint` vs `check-jsonschema` on a 10,000-entry file, plus start-up figures.

Run: `.venv/bin/python benchmarks/lint_bench.py [--baseline REF]` (needs the test extra: check-jsonschema;
default baseline: 0.1.0 (`a6f39b5`, before issue 12's optimisations), in a temporary git worktree; `''` skips
it). Each figure is the best of 3 runs of a fresh subprocess, as a user or pre-commit runs it; CPU time (the
child's user + system) beside wall time, since a shared machine inflates the latter. Reference: hfmap lint
(schema + all rules + positions) at most 0.4x the time of check-jsonschema (schema only, no positions);
`hfmap --version` < 150 ms; `hfmap lint` of a 30-entry file < 300 ms. The in-process breakdown times the
schema rule with and without its compiled check (without it, every file goes through jsonschema).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "schemas" / "mapping-file.schema.json"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "benchmarks"))

from measure import BEFORE, baseline, best_of, hfmap_command  # noqa: E402

RATIO = 0.4  # hfmap lint / check-jsonschema, the reference

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


def _breakdown(path: Path) -> None:
    """Where hfmap's time goes on the big file, in this process (imports excluded), best of 3."""
    from hfmap.files.load import load_declared
    from hfmap.lint.engine import RuleOptions
    from hfmap.lint.rules import RULES, schema

    schema._validator(), schema._quick_check()  # compile (and import jsonschema) outside the timing
    others = [rule for rule in RULES if rule is not schema]
    parts: dict[str, float] = {}
    for _ in range(3):
        start = time.process_time()
        declared = load_declared([path])[0]
        loaded = time.process_time()
        list(schema.check(declared, RuleOptions()))
        checked = time.process_time()
        for file in declared.files:  # the optimisation off: every file through jsonschema
            list(schema._validator().iter_errors(file.data))
        validated = time.process_time()
        for rule in others:
            list(rule.check(declared, RuleOptions()))
        done = time.process_time()
        for name, seconds in (
            ("load (YAML events, positions, model)", loaded - start),
            ("schema, compiled check", checked - loaded),
            ("schema, jsonschema only (no check)", validated - checked),
            ("the other rules", done - validated),
        ):
            parts[name] = min(parts.get(name, float("inf")), seconds)
    print("in-process CPU: " + ", ".join(f"{name} {sec * 1000:.0f} ms" for name, sec in parts.items()))


def _row(label: str, wall: float, cpu: float, note: str) -> None:
    print(f"{label:<58} {wall * 1000:6.0f}ms {cpu * 1000:6.0f}ms  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline",
        default=BEFORE,
        help="git ref to compare with (default: 0.1.0, before issue 12; '' for none)",
    )
    args = parser.parse_args()
    check_jsonschema = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if not check_jsonschema:
        raise SystemExit("check-jsonschema not found: pip install -e '.[test]'")
    with tempfile.TemporaryDirectory(prefix="hfmap-bench-") as tmp, baseline(args.baseline) as base_src:
        big = Path(tmp) / "big" / "replicate.yaml"
        small = Path(tmp) / "small" / "replicate.yaml"
        big.parent.mkdir()
        small.parent.mkdir()
        make_file(big, 10_000)
        make_file(small, 30)
        size = big.stat().st_size / 1024 / 1024
        print(f"generated {big.name}: 10,000 entries, {size:.2f} MiB; best of 3 fresh subprocesses\n")
        hfmap, env = hfmap_command(None)
        reference = best_of([check_jsonschema, "--schemafile", str(SCHEMA), str(big)], env)
        rows = [
            (
                "hfmap lint, 10,000 entries (schema + rules + positions)",
                best_of([*hfmap, "-q", "lint", str(big)], env),
            )
        ]
        if base_src is not None:
            base, base_env = hfmap_command(base_src)
            rows.append(
                (
                    f"hfmap lint, same file, baseline {args.baseline}",
                    best_of([*base, "-q", "lint", str(big)], base_env),
                )
            )
        rows.append(("check-jsonschema --schemafile, same file (reference)", reference))
        print(f"{'':<58} {'wall':>8} {'CPU':>8}  ratio (CPU)")
        for label, timing in rows:
            _row(label, timing.wall, timing.cpu, f"{timing.cpu / reference.cpu:5.2f}")
        version = best_of([*hfmap, "--version"], env)
        small_run = best_of([*hfmap, "lint", str(small)], env)
        for label, timing, target in (
            ("hfmap --version", version, 0.150),
            ("hfmap lint, 30 entries", small_run, 0.300),
        ):
            verdict = "ok" if timing.wall < target else ("ok by CPU" if timing.cpu < target else "MISSED")
            _row(label, timing.wall, timing.cpu, f"(target < {target * 1000:.0f} ms: {verdict})")
        _breakdown(big)
        ratio = rows[0][1].cpu / reference.cpu
        wall_ratio = rows[0][1].wall / reference.wall
        verdict = "ok" if ratio <= RATIO else "MISSED"
        print(f"ratio hfmap lint / check-jsonschema: {ratio:.2f} CPU, {wall_ratio:.2f} wall", end="")
        print(f" (target <= {RATIO}: {verdict})")


if __name__ == "__main__":
    main()
