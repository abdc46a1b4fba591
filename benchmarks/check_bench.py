"""`hfmap check` of 1,000 entries (1,000 Hub models, 1,000 Replicate models) against a 50 ms-latency emulator.

Run: `/work/venv/bin/python benchmarks/check_bench.py [--entries 1000] [--latency 0.05]`.

The emulator (tests/emulator) runs in its own process, so its threads do not compete with hfmap for the
GIL; every request to it (Hub or Replicate) takes `--latency` seconds. hfmap runs as a fresh subprocess,
as a user runs it, so every figure includes interpreter start-up and imports. Printed side by side:

- cold: empty cache, the default concurrency (32), `--concurrency 16` and `--concurrency 64`; all
  mappings live, so one listing of the models Replicate serves answers the 1,000 Hub look-ups,
  and again with every entry `staging` (not listed: one Hub request per model, 2,000 requests)
- warm: the same run again, answered from the cache
- one at a time: the naive approach, one request per question, each waiting for the last (2 per entry),
  timed on all entries (or on `--sample N` and extrapolated, labelled so); and hfmap itself with
  `--concurrency 1 --no-cache`
- flaky: 20 % of the URLs answer 503 the first time they are asked (chosen by a hash of the path);
  the findings must equal the clean run's.

Targets (issue 3): cold < 3 s, warm < 0.5 s, one at a time > 100 s, flaky < 6 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOKEN = "r8_benchmarktoken0123456789"


def write_mappings(folder: Path, entries: int, status: str = "live") -> Path:
    """One Replicate file: `entries` distinct Hub models and Replicate models."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["provider: replicate", "defaults:", f"  status: {status}", "mappings:"]
    for i in range(entries):
        lines += [
            f"  - hfModel: bench-org/model-{i:05d}",
            f"    providerModel: bench-owner/model-{i:05d}",
            "    task: text-to-image",
        ]
    path = folder / "replicate.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def serve(args: argparse.Namespace) -> None:
    """Child process: a seeded emulator with latency (and first-time 503s); prints its URL, serves until
    its stdin closes."""
    sys.path.insert(0, str(REPO / "tests"))
    from emulator import HubEmulator
    from emulator.server import Reply, error_response

    class FlakyOnce(HubEmulator):
        """A share of URLs answer 503 the first time they are asked, then normally."""

        def __init__(self, share: float) -> None:
            super().__init__()
            self.share = share
            self.seen: set[str] = set()
            self.lock = threading.Lock()
            self.failed = 0

        def handle(self, request):
            key = request.path + "?" + request.raw_query
            digest = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
            if self.share and digest % 1000 < self.share * 1000:
                with self.lock:
                    first = key not in self.seen
                    self.seen.add(key)
                if first:
                    self._stopping.wait(self._latency[0])
                    with self.lock:
                        self.failed += 1
                    return Reply(error_response(503, "Service Unavailable"))
            return super().handle(request)

    emu = FlakyOnce(args.fail_once)
    emu.seed_from_yaml(args.serve)
    emu.set_latency(args.latency)
    emu.start()
    print(emu.url, flush=True)
    sys.stdin.read()  # the parent closes stdin to stop us
    print(f"failed-once {emu.failed}", flush=True)
    emu.stop()


class Emulator:
    """The emulator child process."""

    def __init__(self, mappings: Path, latency: float, fail_once: float = 0.0) -> None:
        command = [sys.executable, __file__, "--serve", str(mappings), "--latency", str(latency)]
        command += ["--fail-once", str(fail_once)]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise SystemExit(f"emulator did not start: {self.url!r}")

    def stop(self) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        tail = self.proc.stdout.read()
        self.proc.wait(timeout=30)
        failed = [line for line in tail.splitlines() if line.startswith("failed-once")]
        return int(failed[0].split()[1]) if failed else 0


def naive_one_at_a_time(url: str, path: Path) -> tuple[float, int]:
    """The approach hfmap replaces: every question its own request, each after the last one finished."""
    import asyncio

    from hfmap.clients.http import HttpClient
    from hfmap.clients.hub import HubClient
    from hfmap.providers import make_plugin

    count = sum(1 for line in path.read_text().splitlines() if "hfModel:" in line)
    env = {"REPLICATE_API_TOKEN": TOKEN, "HFMAP_REPLICATE_API_URL": f"{url}/providers/replicate"}

    async def go() -> tuple[float, int]:
        async with HttpClient(concurrency=1) as http:
            hub = HubClient(http, url)
            replicate = make_plugin("replicate", http, env, hub=hub)
            start = time.perf_counter()
            for i in range(count):
                await hub.model_info(f"bench-org/model-{i:05d}")
                await replicate.exists_one(f"bench-owner/model-{i:05d}")
            return time.perf_counter() - start, http.stats.requests

    return asyncio.run(go())


def run_check(url: str, path: Path, cache: Path, *extra: str) -> tuple[float, str, str]:
    env = {
        **os.environ,
        "HF_ENDPOINT": url,
        "HFMAP_REPLICATE_API_URL": f"{url}/providers/replicate",
        "REPLICATE_API_TOKEN": TOKEN,
        "HFMAP_CACHE_DIR": str(cache),
        "NO_COLOR": "1",
        "CI": "1",
    }
    env.pop("HF_TOKEN", None)
    command = [sys.executable, "-m", "hfmap", "-v", "check", *extra, str(path)]
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"hfmap check failed ({proc.returncode}): {proc.stderr}")
    stats = next((line for line in proc.stderr.splitlines() if line.startswith("checked ")), "")
    return wall, proc.stdout, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument(
        "--sample",
        type=int,
        default=None,
        help="entries for the naive one-at-a-time run (default: all, ~100 s; fewer are extrapolated)",
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--fail-once", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return

    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        full = write_mappings(tmp / "full", args.entries)
        args.sample = args.sample or args.entries
        sample = write_mappings(tmp / "sample", args.sample)
        n, ms = args.entries, int(args.latency * 1000)

        emu = Emulator(full, args.latency)
        try:
            cold, out_default, stats_default = run_check(emu.url, full, tmp / "cache-default")
            cold16, out16, stats16 = run_check(emu.url, full, tmp / "cache16", "--concurrency", "16")
            cold64, out64, stats64 = run_check(emu.url, full, tmp / "cache64", "--concurrency", "64")
            warm, out_warm, stats_warm = run_check(emu.url, full, tmp / "cache64", "--concurrency", "64")
        finally:
            emu.stop()
        assert out_default == out16 == out64 == out_warm, "runs disagree"
        rows += [
            ("cold, default concurrency (32)", f"{cold:.2f} s", "< 3 s", stats_default),
            # 1,000 Replicate look-ups x 50 ms / 16 in flight = 3.1 s at the least: why the default is 32.
            ("cold, --concurrency 16", f"{cold16:.2f} s", "", stats16),
            ("cold, --concurrency 64", f"{cold64:.2f} s", "< 3 s", stats64),
            ("warm cache", f"{warm:.2f} s", "< 0.5 s", stats_warm),
        ]

        staging = write_mappings(tmp / "staging", args.entries, status="staging")
        emu = Emulator(staging, args.latency)
        try:
            unlisted, out_unlisted, unlisted_stats = run_check(
                emu.url, staging, tmp / "cache-staging", "--concurrency", "64"
            )
        finally:
            emu.stop()
        assert out_unlisted == out64, "staging run disagrees"
        rows.append(
            (
                "cold, every entry staging (no listing), --concurrency 64",
                f"{unlisted:.2f} s",
                "",
                unlisted_stats,
            )
        )

        emu = Emulator(sample, args.latency)
        try:
            naive, naive_requests = naive_one_at_a_time(emu.url, sample)
        finally:
            emu.stop()
        measured_all = args.sample == n
        rows.append(
            (
                f"one at a time, naive (1 request per question), {args.sample} entries MEASURED",
                f"{naive:.2f} s",
                "> 100 s" if measured_all else "",
                f"{naive_requests} requests",
            )
        )
        if not measured_all:
            rows.append(
                (
                    f"  ... EXTRAPOLATED to {n} entries (x{n / args.sample:g})",
                    f"{naive * n / args.sample:.0f} s",
                    "> 100 s",
                    "",
                )
            )
        emu = Emulator(full, args.latency)
        try:
            serial, out_serial, serial_stats = run_check(
                emu.url, full, tmp / "unused", "--concurrency", "1", "--no-cache"
            )
        finally:
            emu.stop()
        assert out_serial == out64, "serial run disagrees"
        rows.append(("hfmap --concurrency 1 --no-cache, measured", f"{serial:.2f} s", "", serial_stats))

        flaky_rows = []
        for concurrency in ("16", "64"):
            emu = Emulator(full, args.latency, fail_once=0.2)
            try:
                flaky, out_flaky, flaky_stats = run_check(
                    emu.url, full, tmp / f"flaky{concurrency}", "--concurrency", concurrency
                )
            finally:
                failed = emu.stop()
            same = "same findings" if out_flaky == out64 else "DIFFERENT FINDINGS"
            flaky_rows.append(
                (
                    f"20 % of URLs 503 once ({failed} 503s), --concurrency {concurrency}: {same}",
                    f"{flaky:.2f} s",
                    "< 6 s",
                    flaky_stats,
                )
            )
        rows += flaky_rows

    print(
        f"hfmap check: {n:,} entries = {n:,} Hub models + {n:,} Replicate models; "
        f"emulator latency {ms} ms per request; hfmap as a subprocess (includes start-up); "
        f"{os.cpu_count()} CPUs"
    )
    print(f"result of every full run: {out64.strip().splitlines()[-1]}")
    width = max(len(r[0]) for r in rows)
    print(f"{'scenario':<{width}}  {'wall':>8}  {'target':<8}  hfmap -v")
    for name, wall_text, target, stats in rows:
        print(f"{name:<{width}}  {wall_text:>8}  {target:<8}  {stats}")


if __name__ == "__main__":
    main()
