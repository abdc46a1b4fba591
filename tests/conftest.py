"""Shared test setup: no internet, a clean environment, the CLI runner and the Hub emulator."""

from __future__ import annotations

import ipaddress
import os
import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hfmap.cli import cli
from hfmap.secrets import clear_secrets

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "mappings"

_ENV_TO_CLEAR = (
    "HF_TOKEN",
    "HF_TOKEN_PATH",
    "XDG_CACHE_HOME",
    "HF_ENDPOINT",
    "HFMAP_OFFLINE",
    "NO_COLOR",
    "REPLICATE_API_TOKEN",
    "FAL_KEY",
    "TOGETHER_API_KEY",
    "FIREWORKS_API_KEY",
    "COHERE_API_KEY",
    "GITHUB_TOKEN",
    "GITHUB_EVENT_PATH",
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_ACTIONS",
    # CI=true (set by CI services, and by .ci/run) turns progress off; a test that wants it sets it.
    "CI",
)


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to a non-loopback address fails the test loudly (emulators live on 127.0.0.1)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def _guard(address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if not _is_local(host):
            raise OSError(f"tests must not reach the internet (tried {address!r})")

    def connect(self: socket.socket, address: object) -> None:
        _guard(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        _guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No token or endpoint leaks in from the developer's shell; a private cache per test."""
    for name in _ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    # Anything that forgets to use an emulator fails fast on a closed local port, never the real Hub.
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("HFMAP_ROUTER_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("HFMAP_CACHE_DIR", str(tmp_path_factory.mktemp("hfmap-cache")))
    # Backoff between retries starts at 10 ms, not 1 s: retries are tested for what they send and decide;
    # a test of the waits themselves sets its own (tests/clients/test_http.py).
    monkeypatch.setenv("HFMAP_HTTP_BACKOFF", "0.01")
    # The token `hf auth login` saved on this machine is never a test's token.
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf-home")))
    clear_secrets()
    yield
    clear_secrets()


@pytest.fixture
def run_cli() -> object:
    """Invoke `hfmap ARGS...` in-process; returns click's Result (stdout and stderr kept apart)."""

    def _run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, [str(a) for a in args], env=env, input=input, catch_exceptions=False)

    return _run


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name="m.yaml") -> path of a dedented mapping file under tmp_path/mappings."""

    def _write(text: str, name: str = "m.yaml") -> Path:
        folder = tmp_path / "mappings"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A running Hub + providers emulator on 127.0.0.1 (see tests/emulator); `HFMAP_ROUTER_URL` points
    at its router origin (the endpoint is given per command)."""
    from emulator import HubEmulator

    with HubEmulator() as emu:
        monkeypatch.setenv("HFMAP_ROUTER_URL", emu.router_url)
        yield emu


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The order for `-n`: pytest-xdist first hands each worker a run of consecutive tests, a quarter of
    its share, and then the rest in collection order as workers finish. So each module of `slow` tests
    (pip installs that wait on the registry) goes to the front of a different worker's first run: they
    start at once, side by side, not one after another on one worker. The Action's flows go last: they all
    wait for the one shared install (tests/github/installed.py), which is made by then."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    slow: dict[str, list[pytest.Item]] = {}
    rest: list[pytest.Item] = []
    for item in items:
        if item.get_closest_marker("slow") is not None:
            slow.setdefault(item.nodeid.split("::")[0], []).append(item)
        else:
            rest.append(item)
    rest.sort(key=lambda item: item.nodeid.startswith("tests/github/"))  # stable: otherwise as collected
    heads: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for index, group in enumerate(slow.values()):
        heads[index % workers].extend(group)
    chunk = max(len(items) // workers // 4, 2)  # xdist's LoadScheduling: its first run per worker
    ordered: list[pytest.Item] = []
    for head in heads:
        ordered += head
        take = max(0, chunk - len(head))
        ordered += rest[:take]
        del rest[:take]
    items[:] = ordered + rest


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: half again as many workers as CPUs. A third of the suite's time is waiting, not
    computing (rate-limit windows, deadlines, pip and pre-commit on the registry), and a worker that
    waits leaves its CPU to a third one. Measured on 2 CPUs, a fresh Action install included: 2 workers
    84 s, 3 workers 78 s, 4 workers 78 s. `PYTEST_XDIST_AUTO_NUM_WORKERS` still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(2, round(cpus * 1.5))
