"""`hfmap verify` of 5,000 declared mappings, and `hfmap plan` of 1,000 `status: auto` entries.

Run: `.venv/bin/python benchmarks/verify_bench.py`. The Hub emulator (tests/emulator) answers on loopback
with 5 ms added to every request (a nearby Hub); hfmap runs as a fresh subprocess with `-v`, whose `http:`
line gives the requests sent (for `plan`, the emulator's log counts them).

- verify: the paged `GET /api/models?inference_provider=...` (1,000 models a page) answers the live
  mappings; only the few that are not live (here 50 in `error`) cost one model-info request each. Beside
  it, the same verify with the listing failing (HTTP 500): hfmap falls back on one request per model.
- verify of chat mappings: the same count as `conversational` mappings, 50 of them served in `error` by the
  router: one more request (the router's model list, read once), whatever the number of chat mappings.
- plan with `auto`: one request per distinct provider model to Replicate's status page, 8 at a time (the
  plan's `--concurrency`), next to the same plan with explicit statuses (no status request at all).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from measure import user_env  # noqa: E402

from emulator import Fault, HubEmulator  # noqa: E402

N_VERIFY = 5_000
N_ERROR = 50
N_AUTO = 1_000
LATENCY = 0.005
HFMAP = str(Path(sys.executable).parent / "hfmap")


def run(args: list[str], env: dict[str, str]) -> tuple[float, str, int]:
    start = time.perf_counter()
    proc = subprocess.run([HFMAP, "-v", *args], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"hfmap {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    http = next((line for line in proc.stderr.splitlines() if line.startswith("http:")), "http: ?")
    return wall, http, proc.returncode


def verify_world(emu: HubEmulator, path: Path) -> None:
    lines = ["provider: replicate", "defaults: {status: live}", "mappings:"]
    for i in range(N_VERIFY):
        status = "error" if i < N_ERROR else "live"
        emu.add_model(f"org/model-{i:05d}", pipeline_tag="text-to-image")
        emu.seed_mapping("replicate", "text-to-image", f"org/model-{i:05d}", f"o/m{i}", status=status)
        lines.append(f"  - {{hfModel: org/model-{i:05d}, providerModel: o/m{i}, task: text-to-image}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def chat_world(emu: HubEmulator, path: Path) -> None:
    lines = ["provider: together", "defaults: {status: live}", "mappings:"]
    for i in range(N_VERIFY):
        model = f"org/chat-{i:05d}"
        emu.add_model(model, pipeline_tag="text-generation", tags=("conversational",))
        emu.seed_mapping("together", "conversational", model, f"t/c{i}")
        if i < N_ERROR:
            emu.set_router_provider(model, "together", status="error")
        lines.append(f"  - {{hfModel: {model}, providerModel: t/c{i}, task: conversational}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def auto_world(emu: HubEmulator, path: Path, status: str) -> None:
    lines = ["provider: replicate", f"defaults: {{status: {status}}}", "mappings:"]
    for i in range(N_AUTO):
        emu.set_web_status(f"o/a{i}", "online")
        lines.append(f"  - {{hfModel: org/auto-{i:04d}, providerModel: o/a{i}, task: text-to-image}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    base_env = {k: v for k, v in user_env().items() if k != "HF_TOKEN"}
    with HubEmulator() as emu, tempfile.TemporaryDirectory() as tmp:
        emu.set_latency(LATENCY)
        env = {**base_env, **emu.env(), "NO_COLOR": "1"}
        path = Path(tmp) / "verify.yaml"
        verify_world(emu, path)
        print(f"verify: {N_VERIFY:,} declared, {N_ERROR} in error; {LATENCY * 1000:.0f} ms per request")
        for label in ("listing first", "model info only"):
            if label == "model info only":
                emu.inject(Fault(method="GET", path="/api/models", kind="status", status=500, times=None))
            wall, http, code = run(["verify", "--format", "json", str(path)], env)
            print(f"  {label:<16} wall {wall:6.2f} s   exit {code}   {http}")
    with HubEmulator() as emu, tempfile.TemporaryDirectory() as tmp:
        emu.set_latency(LATENCY)
        env = {**base_env, **emu.env(), "NO_COLOR": "1"}
        path = Path(tmp) / "chat.yaml"
        chat_world(emu, path)
        wall, http, code = run(["verify", "--format", "json", str(path)], env)
        routed = len([r for r in emu.requests if r.origin == "router"])
        print(f"verify: {N_VERIFY:,} chat mappings, {N_ERROR} in error on the router")
        print(f"  {'with the router':<16} wall {wall:6.2f} s   exit {code}   {http} ({routed} to the router)")
    with HubEmulator() as emu, tempfile.TemporaryDirectory() as tmp:
        emu.set_latency(LATENCY)
        env = {**base_env, **emu.env(), "NO_COLOR": "1"}
        print(f"plan: {N_AUTO:,} new mappings; {LATENCY * 1000:.0f} ms per request")
        for status in ("live", "auto"):
            path = Path(tmp) / f"{status}.yaml"
            auto_world(emu, path, status)
            wall, _http, _ = run(["plan", "--format", "json", str(path)], env)
            asked = len([r for r in emu.requests if r.path.startswith("/web/")])
            total = len(emu.requests)
            emu.clear_log()
            print(f"  status: {status:<5} wall {wall:6.2f} s   {total:>5} requests ({asked} to status pages)")


if __name__ == "__main__":
    main()
