"""`hfmap check` against two emulators on separate origins (the Hub, and Replicate's API), 50 ms latency.

Run: `.venv/bin/python benchmarks/check_bench.py [--repeat 3] [--latency 0.05] [--quick]`.

Each emulator runs in its own process (its threads do not compete with hfmap for the GIL), so the Hub and
Replicate are separate origins as in reality: connections, concurrency and rate limits are per origin.
hfmap runs as a fresh subprocess per run, as a user runs it: every figure includes start-up and lint.
Every scenario runs `--repeat` times and prints the range: the machine is shared.

Printed side by side for each scenario: this branch, the same run WITHOUT the optimisations of issue 12
(every request through httpx, no namespace listings: how hfmap worked before), and the issue's figures
("now" as measured when it was filed, and the goal), with requests by host and hfmap's CPU seconds beside
the wall times. Scenarios:

- 1,000 entries over 100 namespaces (10 declared of 50 models each), all `staging` (so the provider's
  live listing cannot help), cold cache: the issue's target row; default concurrency (64 per host) and 32
- the same entries all `live` (the provider's listing answers them), warm cache, and 20 % of URLs
  answering 503 once (findings must not change)
- `--changed-since`: a 10,000-entry catalog in a git repository, a change touching 5 entries
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from measure import user_env  # the script's folder is on sys.path

REPO = Path(__file__).resolve().parent.parent
TOKEN = "r8_benchmarktoken0123456789"
# How hfmap worked before issue 12: every request through httpx, and no namespace listings.
WITHOUT = (
    f"import sys; sys.path.insert(0, {str(REPO / 'tests')!r}); import httpx, hfmap.clients.aio as a; "
    "import hfmap.check.lookups as l; from httpx_transport import HttpxTransport; "
    "a.AiohttpTransport = lambda per_host: HttpxTransport(httpx.AsyncHTTPTransport()); "
    "l.NAMESPACE_MIN = 10**9; "
    "from hfmap.cli import main; sys.argv[0] = 'hfmap'; main()"
)


def write_mappings(folder: Path, entries: int, namespaces: int, status: str) -> Path:
    """One Replicate file: `entries` Hub models spread over `namespaces`, and as many Replicate models."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["provider: replicate", "defaults:", f"  status: {status}", "mappings:"]
    for i in range(entries):
        lines += [
            f"  - hfModel: ns{i % namespaces:03d}/model-{i:05d}",
            f"    providerModel: owner/model-{i:05d}",
            "    task: text-to-image",
        ]
    path = folder / "replicate.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def serve(args: argparse.Namespace) -> None:
    """Child process: a seeded emulator (latency, first-time 503s, extra models per namespace); prints its
    URL, serves until its stdin closes."""
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

        def handle(self, request):
            key = request.path + "?" + request.raw_query
            digest = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
            if self.share and digest % 1000 < self.share * 1000:
                with self.lock:
                    first = key not in self.seen
                    self.seen.add(key)
                if first:
                    self._stopping.wait(self._latency[0])
                    return Reply(error_response(503, "Service Unavailable"))
            return super().handle(request)

    emu = FlakyOnce(args.fail_once)
    emu.seed_from_yaml(args.serve)
    namespaces = {line.split("/")[0].split()[-1] for line in Path(args.serve).read_text().splitlines()
                  if "hfModel:" in line}  # fmt: skip
    for namespace in sorted(namespaces):
        for i in range(args.extra):
            emu.add_model(f"{namespace}/other-{i:03d}", pipeline_tag="text-to-image")
    emu.set_latency(args.latency)
    emu.start()
    print(emu.url, flush=True)
    sys.stdin.read()  # the parent closes stdin to stop us
    emu.stop()


class Emulator:
    """An emulator child process."""

    def __init__(self, mappings: Path, latency: float, fail_once: float = 0.0, extra: int = 40) -> None:
        command = [sys.executable, __file__, "--serve", str(mappings), "--latency", str(latency)]
        command += ["--fail-once", str(fail_once), "--extra", str(extra)]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise SystemExit(f"emulator did not start: {self.url!r}")

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


class Origins:
    """The Hub and Replicate on two emulators (two processes, two ports)."""

    def __init__(self, mappings: Path, latency: float, fail_once: float = 0.0) -> None:
        self.hub = Emulator(mappings, latency, fail_once)
        self.replicate = Emulator(mappings, latency, fail_once, extra=0)

    def env(self, cache: Path) -> dict[str, str]:
        env = {
            **user_env(),
            "HF_ENDPOINT": self.hub.url,
            "HFMAP_REPLICATE_API_URL": f"{self.replicate.url}/providers/replicate",
            "REPLICATE_API_TOKEN": TOKEN,
            "HFMAP_CACHE_DIR": str(cache),
            "NO_COLOR": "1",
            "CI": "1",
        }
        env.pop("HF_TOKEN", None)
        return env

    def host(self, name: str) -> str:
        return getattr(self, name).url.removeprefix("http://")

    def __enter__(self) -> Origins:
        return self

    def __exit__(self, *exc: object) -> None:
        self.hub.stop()
        self.replicate.stop()


class Run:
    """One hfmap run: wall and CPU seconds, requests by host, the findings."""

    def __init__(
        self, env: dict[str, str], args: list[str], *, without: bool, cwd: Path | None = None
    ) -> None:
        prefix = [sys.executable, "-c", WITHOUT] if without else [sys.executable, "-m", "hfmap"]
        command = [*prefix, "--format", "json", "check", "--stats", *args]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=cwd)
        self.wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"hfmap check failed ({proc.returncode}): {proc.stderr[-2000:]}")
        self.findings = proc.stdout
        self.stats = json.loads(proc.stderr.strip().splitlines()[-1])["stats"]


def span(values: list[float], unit: str = "s") -> str:
    low, high = min(values), max(values)
    return f"{low:.2f} {unit}" if high - low < 0.005 else f"{low:.2f}-{high:.2f} {unit}"


def hosts(runs: list[Run], origins: Origins) -> str:
    def counts(name: str) -> str:
        found = sorted({r.stats["by_host"].get(origins.host(name), 0) for r in runs})
        return "/".join(f"{n:,}" for n in found)

    return f"Hub {counts('hub')}, Replicate {counts('replicate')}"


def measure(
    origins: Origins, cache: Path, args: list[str], repeat: int, *, without: bool, warm: bool = False
):
    runs = []
    for i in range(repeat):
        folder = cache / f"{'without' if without else 'with'}-{i}"
        if warm:  # fill the cache first, then time the second run
            Run(origins.env(folder), args, without=without)
        runs.append(Run(origins.env(folder), args, without=without))
    return runs


def row(name: str, runs: list[Run], origins: Origins, reference: str = "") -> tuple[str, ...]:
    wall = span([r.wall for r in runs])
    cpu = span([r.cpu for r in runs])
    return (name, wall, cpu, hosts(runs, origins), reference)


def changed_since(tmp: Path, latency: float, repeat: int) -> list[tuple[str, ...]]:
    """A 10,000-entry catalog in git; a change touching 5 entries, checked with --changed-since HEAD."""
    root = tmp / "git-catalog"
    path = write_mappings(root / "mappings", 10_000, 100, "live")
    git = ["git", "-c", "user.name=b", "-c", "user.email=b@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "catalog"], cwd=root, check=True)
    rows = []
    with Origins(path, latency) as origins:
        text = path.read_text()
        for i in (10, 2000, 4000, 6000, 8000):
            text = text.replace(f"owner/model-{i:05d}\n", f"owner/changed-{i:05d}\n")
        path.write_text(text)
        for without in (False, True):
            runs = []
            for i in range(repeat):
                env = origins.env(tmp / f"cache-git-{without}-{i}")
                args = ["--changed-since", "HEAD", "mappings"] if not without else ["mappings"]
                runs.append(Run(env, args, without=without, cwd=root))
            label = "--changed-since HEAD" if not without else "WITHOUT (every entry, as before)"
            rows.append(row(f"PR touching 5 of 10,000 entries: {label}", runs, origins,
                            "now 10,000 Hub requests; goal <= 10" if not without else ""))  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--namespaces", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="only the target row (this branch and without)")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--fail-once", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--extra", type=int, default=40, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return

    n, ms, repeat = args.entries, int(args.latency * 1000), args.repeat
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        staging = write_mappings(tmp / "staging", n, args.namespaces, "staging")
        with Origins(staging, args.latency) as origins:
            fast = measure(origins, tmp / "a", [str(staging)], repeat, without=False)
            slow = measure(origins, tmp / "b", [str(staging)], repeat, without=True)
            assert {r.findings for r in fast} == {r.findings for r in slow}, "the runs disagree"
            goal = "now 1,001 Hub req., 6.7-7.0 s, 4.5 s CPU; goal <= 200 Hub req., < 1.5 s, < 1 s CPU"
            rows.append(row("cold, staging, default concurrency (64 per host)", fast, origins, goal))
            rows.append(row("  WITHOUT (httpx, no namespace listings), same concurrency", slow, origins))
            if not args.quick:
                older = [str(staging), "--concurrency", "32"]  # the default before (then for all hosts)
                runs = measure(origins, tmp / "c", older, repeat, without=False)
                rows.append(row("cold, staging, --concurrency 32", runs, origins))
                runs = measure(origins, tmp / "d", older, repeat, without=True)
                rows.append(row("  WITHOUT, --concurrency 32 (how the issue measured 'now')", runs, origins))
                warm = measure(origins, tmp / "e", [str(staging)], repeat, without=False, warm=True)
                rows.append(row("warm cache", warm, origins, "issue 3: < 0.5 s"))
        if not args.quick:
            live = write_mappings(tmp / "live", n, args.namespaces, "live")
            with Origins(live, args.latency) as origins:
                runs = measure(origins, tmp / "f", [str(live)], repeat, without=False)
                rows.append(row("cold, every entry live (the provider's listing)", runs, origins))
                runs = measure(origins, tmp / "g", [str(live)], repeat, without=True)
                rows.append(row("  WITHOUT", runs, origins))
            with Origins(staging, args.latency, fail_once=0.2) as origins:
                runs = measure(origins, tmp / "h", [str(staging)], 1, without=False)
                same = "same findings" if runs[0].findings == fast[0].findings else "DIFFERENT FINDINGS"
                rows.append(row(f"20 % of URLs 503 once: {same}", runs, origins, "issue 3: < 6 s"))
            rows += changed_since(tmp, args.latency, repeat)

    print(
        f"hfmap check: {n:,} entries over {args.namespaces} namespaces = {n:,} Hub models + {n:,} Replicate "
        f"models; the Hub and Replicate on separate origins (two emulator processes), {ms} ms per request; "
        f"hfmap as a subprocess (start-up and lint included); {repeat} runs each (ranges); "
        f"{os.cpu_count()} CPUs"
    )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    head = ("scenario", "wall", "hfmap CPU", "requests by host")
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + "  issue's figures")
    for name, wall, cpu, by_host, reference in rows:
        cells = (name.ljust(widths[0]), wall.rjust(widths[1]), cpu.rjust(widths[2]), by_host.ljust(widths[3]))
        print("  ".join(cells) + f"  {reference}")


if __name__ == "__main__":
    main()
