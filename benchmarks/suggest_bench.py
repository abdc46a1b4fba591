"""`hfmap suggest` on 20,000 listed ids against two emulators on separate origins (the Hub, and Together's
API), side by side with `hfmap check` on the same ids, in one run.

Run: `/work/venv/bin/python benchmarks/suggest_bench.py [--ids 20000] [--latency 0.02] [--repeat 1]`.

The world: 20,000 ids in Together's list over 3,040 namespaces (40 organisations with 250 each, 1,000 with
8, 2,000 with one: a long tail, as Featherless's list has), a tenth decorated `-Turbo`, a twentieth
lower-cased, a tenth naming no Hub repo; the Hub holds the others plus 20 more models per namespace.
`check` reads one mapping file declaring every listed id that names a Hub repo (the Hub id, as a user
would declare it, `staging` so the provider's live listing cannot help). Each emulator runs in its own
process; hfmap runs as a fresh subprocess per run, so every figure includes start-up. Printed: Hub and
provider requests (from hfmap's `--stats`), wall and CPU seconds: suggest cold, suggest warm (the answer
cache filled by the run before), check cold.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import user_env  # the script's folder is on sys.path

REPO = Path(__file__).resolve().parent.parent
TOKEN = "together-benchmark-token"


def world(ids: int, seed: int = 7) -> list[dict]:
    """Listed ids and the Hub model each stands for (None: no Hub repo)."""
    rng = random.Random(seed)
    namespaces = [f"org{i:02d}" for i in range(40) for _ in range(250)]
    namespaces += [f"team{i:04d}" for i in range(1000) for _ in range(8)]
    namespaces += [f"user{i:04d}" for i in range(2000)]
    rows = []
    for number, namespace in enumerate(namespaces[:ids]):
        hub_id = f"{namespace}/Model-{number:05d}-Instruct"
        roll = rng.random()
        if roll < 0.1:
            rows.append({"listed": hub_id + "-Turbo", "hub": hub_id})
        elif roll < 0.15:
            rows.append({"listed": hub_id.lower(), "hub": hub_id})
        elif roll < 0.25:
            rows.append({"listed": f"{namespace}/served-only-{number:05d}", "hub": None})
        else:
            rows.append({"listed": hub_id, "hub": hub_id})
    return rows


def serve(role: str, seed_file: str, latency: float) -> None:
    """Child process: one emulator (the Hub, or Together's API) seeded from the world; prints its URL and
    serves until stdin closes."""
    sys.path.insert(0, str(REPO / "tests"))
    from emulator import HubEmulator

    rows = json.loads(Path(seed_file).read_text())
    emu = HubEmulator()
    if role == "hub":
        namespaces = sorted({r["listed"].split("/")[0] for r in rows})
        for row in rows:
            if row["hub"]:
                emu.add_model(row["hub"], "text-generation", tags=("conversational",))
        for namespace in namespaces:
            for i in range(20):
                emu.add_model(f"{namespace}/other-{i:02d}", "text-to-image")
    else:
        for row in rows:
            emu.add_provider_model("together", row["listed"])
    emu.set_latency(latency)
    emu.start()
    print(emu.url, flush=True)
    sys.stdin.read()
    emu.stop()


class Child:
    def __init__(self, role: str, seed_file: Path, latency: float) -> None:
        command = [sys.executable, __file__, "--serve", role, str(seed_file), "--latency", str(latency)]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise SystemExit(f"emulator did not start: {self.url!r}")

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=120)


def run(env: dict[str, str], args: list[str], cwd: Path) -> tuple[float, float, dict, str]:
    command = [sys.executable, "-m", "hfmap", "--format", "json", *args, "--stats"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"hfmap {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stats = json.loads(proc.stderr.strip().splitlines()[-1])["stats"]
    return wall, cpu, stats, proc.stdout


def mapping_file(rows: list[dict], folder: Path) -> Path:
    lines = ["provider: together", "defaults:", "  status: staging", "mappings:"]
    for row in rows:
        if row["hub"]:
            lines += [
                f"  - hfModel: {row['hub']}",
                f"    providerModel: {row['listed']}",
                "    task: conversational",
            ]
    path = folder / "mappings" / "together.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", nargs=2, metavar=("ROLE", "SEED"))
    parser.add_argument("--ids", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], args.serve[1], args.latency)
        return
    rows = world(args.ids)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed = folder / "world.json"
        seed.write_text(json.dumps(rows))
        started = time.perf_counter()
        hub, provider = Child("hub", seed, args.latency), Child("provider", seed, args.latency)
        print(
            f"emulators seeded in {time.perf_counter() - started:.1f} s; {args.latency * 1000:.0f} ms latency"
        )
        try:
            hosts = {"Hub": hub.url.removeprefix("http://"), "together": provider.url.removeprefix("http://")}

            def env(cache: str) -> dict[str, str]:
                return {
                    **user_env(),
                    "HF_ENDPOINT": hub.url,
                    "HFMAP_TOGETHER_API_URL": f"{provider.url}/providers/together",
                    "TOGETHER_API_KEY": TOKEN,
                    "HFMAP_CACHE_DIR": str(folder / cache),
                    "NO_COLOR": "1",
                    "CI": "1",
                }

            empty = folder / "empty"
            empty.mkdir()
            results = []
            for label, cache, argv, cwd in (
                ("suggest, cold cache", "s", ["suggest", "--provider", "together"], empty),
                ("suggest, warm cache", "s", ["suggest", "--provider", "together"], empty),
                ("check, cold cache", "c", ["check", str(mapping_file(rows, folder / "c-files"))], folder),
            ):
                wall, cpu, stats, out = run(env(cache), argv, cwd)
                if argv[0] == "suggest":
                    found = len(json.loads(out)["candidates"])
                    what = f"{found:,} suggestions"
                else:
                    what = f"{sum(1 for r in rows if r['hub']):,} entries"
                by_host = {name: stats["by_host"].get(host, 0) for name, host in hosts.items()}
                results.append((label, what, by_host, wall, cpu))
        finally:
            hub.stop()
            provider.stop()
    print(f"\n{args.ids:,} listed ids, {len({r['listed'].split('/')[0] for r in rows}):,} namespaces\n")
    print(f"{'run':<22} {'result':<20} {'Hub requests':>13} {'list requests':>14} {'wall':>8} {'CPU':>8}")
    for label, what, by_host, wall, cpu in results:
        counts = f"{by_host['Hub']:>13,} {by_host['together']:>14,}"
        print(f"{label:<22} {what:<20} {counts} {wall:>7.2f}s {cpu:>7.2f}s")


if __name__ == "__main__":
    main()
