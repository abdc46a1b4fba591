"""The answer cache and --offline, through the CLI and directly: what is stored, for how long, and
that a broken cache never breaks a run."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

from hfmap.cache import NEGATIVE_TTL, POSITIVE_TTL, Cache, default_cache_dir

FILE = """
provider: replicate
mappings:
  - hfModel: org/image
    providerModel: owner/image
    task: text-to-image
  - hfModel: org/absent
    providerModel: owner/absent
    task: text-to-image
  - hfFilter: [lora, "base_model:adapter:org/image"]
    providerModel: owner/image
    task: text-to-image
    adapterType: lora
"""


def cache_files(env: dict[str, str]) -> list[Path]:
    return sorted(p for p in Path(env["HFMAP_CACHE_DIR"]).rglob("*.json"))


def test_second_run_answers_from_the_cache(world, run_cli, env_for, write):
    path = write(FILE)
    env = env_for(world)
    first = run_cli("check", path, env=env)
    assert first.exit_code == 1 and first.stdout.count("error [") == 2
    assert len(cache_files(env)) == 5  # 2 Hub models, 1 tag filter, 2 provider models (asked once each)
    world.clear_log()
    second = run_cli("check", path, env=env)
    assert second.stdout == first.stdout
    assert world.requests == []


def test_offline_uses_only_the_cache(world, run_cli, env_for, write):
    path = write(FILE)
    env = env_for(world)
    online = run_cli("check", path, env=env)
    world.clear_log()
    offline = run_cli("--offline", "check", path, env=env)
    assert offline.stdout == online.stdout and offline.exit_code == online.exit_code
    assert world.requests == []
    also = run_cli("check", path, env={**env, "HFMAP_OFFLINE": "1"})
    assert also.stdout == online.stdout and world.requests == []


def test_offline_without_cached_answers_reports_skipped_checks(world, run_cli, env_for, write, tmp_path):
    path = write(FILE)
    env = env_for(world, HFMAP_CACHE_DIR=str(tmp_path / "empty-cache"))
    result = run_cli("--offline", "check", path, env=env)
    assert result.exit_code == 0
    assert world.requests == []
    assert result.stdout.splitlines() == [
        f"{path}:3:14: notice [hub-check-skipped] hfModel 'org/image' not checked "
        "(and 2 more entries in this file): offline, and the answer is not in the cache",
        f"{path}:4:20: notice [provider-check-skipped] providerModel 'owner/image' not checked "
        "(and 2 more entries in this file): offline, and the answer is not in the cache",
        "0 errors, 0 warnings, 2 notices in 1 file",
    ]
    strict = run_cli("--offline", "check", "--strict", path, env=env)
    assert strict.exit_code == 1
    assert "warning [hub-check-skipped]" in strict.stdout


def test_corrupt_cache_files_are_ignored_and_rewritten(world, run_cli, env_for, write):
    path = write(FILE)
    env = env_for(world)
    first = run_cli("check", path, env=env)
    files = cache_files(env)
    for number, file in enumerate(files):
        file.write_bytes([b"{not json", b"", b"\xff\xfe", b'{"key": 1}', b"[]"][number % 5])
    offline = run_cli("--offline", "check", path, env=env)
    assert offline.exit_code == 0 and "hub-check-skipped" in offline.stdout  # unreadable = not cached
    again = run_cli("check", path, env=env)
    assert again.stdout == first.stdout
    for file in cache_files(env):
        record = json.loads(file.read_text(encoding="utf-8"))
        assert record["value"]["t"] in ("model", "missing", "filter", "exists")
    assert not [p for p in Path(env["HFMAP_CACHE_DIR"]).rglob(".tmp-*")]


def test_no_cache_neither_reads_nor_writes(world, run_cli, env_for, write):
    path = write(FILE)
    env = env_for(world)
    result = run_cli("check", "--no-cache", path, env=env)
    assert result.exit_code == 1
    assert cache_files(env) == []
    # A negative answer is cached for minutes: a model pushed since is found with --no-cache at once.
    run_cli("check", path, env=env)
    world.add_model("org/absent", pipeline_tag="text-to-image")
    world.add_provider_model("replicate", "owner/absent")
    assert run_cli("check", path, env=env).exit_code == 1
    assert run_cli("check", "--no-cache", path, env=env).exit_code == 0


def test_ttls_positive_a_day_negative_minutes(tmp_path):
    now = [1000.0]
    cache = Cache(tmp_path, clock=lambda: now[0])
    cache.put("https://hub/api/models/a", {"t": "model"}, POSITIVE_TTL)
    cache.put("https://hub/api/models/b", {"t": "missing"}, NEGATIVE_TTL)
    assert POSITIVE_TTL == 86400 and 60 <= NEGATIVE_TTL <= 3600
    now[0] += NEGATIVE_TTL + 1
    assert cache.get("https://hub/api/models/a") == {"t": "model"}
    assert cache.get("https://hub/api/models/b") is None
    now[0] += POSITIVE_TTL
    assert cache.get("https://hub/api/models/a") is None


def test_cache_directory_resolution(tmp_path):
    assert default_cache_dir({"HFMAP_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert default_cache_dir({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache/hfmap")
    assert default_cache_dir({}) == Path.home() / ".cache" / "hfmap"


def test_an_unwritable_cache_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = Cache(blocker)
    cache.put("k", {"t": "exists"}, 60)
    assert cache.get("k") is None and cache.write_errors == 1


def _writer(directory: str, worker: int) -> None:
    cache = Cache(Path(directory))
    for round_ in range(100):
        cache.put("https://hub/api/models/shared", {"t": "model", "worker": worker, "round": round_}, 60)


def test_parallel_processes_never_leave_a_torn_file(tmp_path):
    """pre-commit may run several checks at once: every read sees a whole answer, never a mix."""
    context = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    workers = [context.Process(target=_writer, args=(str(tmp_path), n)) for n in range(4)]
    for process in workers:
        process.start()
    reader = Cache(tmp_path)
    seen = 0
    while any(p.is_alive() for p in workers):
        value = reader.get("https://hub/api/models/shared")
        if value is not None:
            assert value["t"] == "model" and 0 <= value["round"] < 100
            seen += 1
    for process in workers:
        process.join()
        assert process.exitcode == 0
    assert reader.get("https://hub/api/models/shared")["round"] == 99
    assert seen > 0
    assert [p.name for p in tmp_path.rglob(".tmp-*")] == []
