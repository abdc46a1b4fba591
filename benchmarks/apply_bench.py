"""`hfmap apply` of 1,000 creates against the Hub emulator with 20 ms latency per write and a rate limit
of 200 writes per 2 s window.

Run: `/work/venv/bin/python benchmarks/apply_bench.py`. hfmap runs as a fresh subprocess with `-v`, so
its HTTP statistics (requests, retries, seconds waited for rate limits and backoff) are printed too.
Target: all 1,000 live, no duplicate, under 10 s plus the time the rate limit forces.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from emulator import HubEmulator  # noqa: E402

N = 1_000
LATENCY = 0.020
QUOTA, WINDOW = 200, 2.0
TOKEN = "hf_benchmarkwritetoken"


def run(concurrency: str, limited: bool) -> tuple[float, dict, list[dict], Counter, str]:
    with HubEmulator() as emu, tempfile.TemporaryDirectory() as tmp:
        emu.add_token(TOKEN, user="bench", write_orgs=("replicate",))
        lines = ["provider: replicate", "mappings:"]
        for i in range(N):
            emu.add_model(f"org/model-{i:04d}", pipeline_tag="text-to-image")
            lines += [
                f"  - hfModel: org/model-{i:04d}",
                f"    providerModel: owner/model-{i:04d}",
                "    task: text-to-image",
                "    status: live",
            ]
        path = Path(tmp) / "replicate.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        emu.set_latency(LATENCY, methods=("POST", "PUT", "DELETE"))
        if limited:
            emu.rate_limit("partner-write", quota=QUOTA, window=WINDOW)
        env = {**os.environ, "HF_ENDPOINT": emu.url, "HF_TOKEN": TOKEN, "NO_COLOR": "1"}
        command = [str(Path(sys.executable).parent / "hfmap"), "-v", "apply", "--format", "json"]
        command += ["--concurrency", concurrency, str(path)]
        start = time.perf_counter()
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"hfmap apply failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        http = next((line for line in proc.stderr.splitlines() if line.startswith("http:")), "http: ?")
        posts = Counter(status for method, _, status in emu.writes if method == "POST")
        return wall, json.loads(proc.stdout), emu.mappings("replicate"), posts, http


def main() -> None:
    concurrency = sys.argv[1] if len(sys.argv) > 1 else "16"
    free_wall, *_ = run(concurrency, limited=False)
    wall, report, records, posts, http = run(concurrency, limited=True)
    keys = Counter(r["hfModel"] for r in records)
    # The window opens at the first write; N writes need ceil(N / QUOTA) windows, so at least
    # (windows - 1) * WINDOW seconds pass however fast the client is.
    forced = (math.ceil(N / QUOTA) - 1) * WINDOW
    print(
        f"apply: {N:,} creates, {LATENCY * 1000:.0f} ms per write, rate limit {QUOTA} writes / {WINDOW:g} s"
    )
    print(f"concurrency {concurrency}, fresh subprocess, incl. plan and verification:")
    print(f"  without the rate limit: {free_wall:.2f} s wall")
    print(
        f"  with the rate limit:    {wall:.2f} s wall; the limit forces >= {forced:.1f} s "
        f"(measured extra: {wall - free_wall:.2f} s)"
    )
    print(f"  {http} (waits summed over concurrent requests)")
    print(f"POST answers: {dict(posts)}; report summary: {report['summary']}, verified: {report['verified']}")
    live = sum(1 for r in records if r["status"] == "live")
    print(
        f"live mappings: {live:,} of {len(records):,}; duplicates: {sum(1 for c in keys.values() if c > 1)}"
    )
    ok = live == N and len(records) == N and report["verified"] and wall < 10 + forced
    print(f"target: all {N:,} live, no duplicate, < 10 s + {forced:.0f} s forced:", "OK" if ok else "MISSED")


if __name__ == "__main__":
    main()
