"""The answer cache and --offline, through the CLI and directly: what is stored, for how long, and
that a broken cache never breaks a run."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from hfmap.check.cache import FORMAT, MAX_SEGMENTS, NEGATIVE_TTL, POSITIVE_TTL, Cache, default_cache_dir

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
    return sorted(Path(env["HFMAP_CACHE_DIR"]).rglob("seg-*.json"))


def cached_values(env: dict[str, str]) -> list[dict]:
    entries = {}
    for file in cache_files(env):
        entries.update(json.loads(file.read_text(encoding="utf-8"))["entries"])
    return [entry["v"] for entry in entries.values()]


def test_second_run_answers_from_the_cache(world, run_cli, env_for, write):
    path = write(FILE)
    env = env_for(world)
    first = run_cli("check", path, env=env)
    assert first.exit_code == 1 and first.stdout.count("error [") == 2
    assert len(cache_files(env)) == 1  # one segment per run
    # 2 Hub models, 1 tag filter, 2 provider models (each asked once)
    assert sorted(v["t"] for v in cached_values(env)) == ["exists", "filter", "missing", "missing", "model"]
    world.clear_log()
    second = run_cli("check", path, env=env)
    assert second.stdout == first.stdout
    assert world.requests == []
    assert len(cache_files(env)) == 1  # nothing new learned: nothing written


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
    nested = b'{"entries": {"d": {"k": "x", "e": 1e12, "v": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_003
    for garbage in (b"{not json", b"", b"\xff\xfe", b'{"entries": 1}', b"[]", b"[" * 100_000, nested):
        for file in cache_files(env):
            file.write_bytes(garbage)
        offline = run_cli("--offline", "check", path, env=env)
        assert offline.exit_code == 0 and "hub-check-skipped" in offline.stdout  # unreadable = not cached
        again = run_cli("check", path, env=env)
        assert again.stdout == first.stdout
        files = cache_files(env)
        assert len(files) == 1  # the broken segment was merged away, a whole one written instead
        assert len(cached_values(env)) == 5
    assert not [p for p in Path(env["HFMAP_CACHE_DIR"]).rglob(".tmp-*")]


def _edit_cached(env: dict[str, str], edit) -> None:
    for file in cache_files(env):
        segment = json.loads(file.read_text(encoding="utf-8"))
        for entry in segment["entries"].values():
            edit(entry)
        file.write_text(json.dumps(segment), encoding="utf-8")


def test_a_cached_value_of_the_wrong_type_is_a_miss_never_a_wrong_answer(world, run_cli, env_for, write):
    """`"disabled": "no"` once read as disabled, `"private": "false"` as private."""
    path = write(FILE)
    env = env_for(world)
    first = run_cli("check", path, env=env)

    def lie(entry: dict) -> None:
        if entry["v"]["t"] == "model":
            entry["v"].update(disabled="no", private="false")
        if entry["v"]["t"] == "missing" and "maybe_private" in entry["v"]:
            entry["v"]["maybe_private"] = "false"

    _edit_cached(env, lie)
    offline = run_cli("--offline", "check", path, env=env)
    assert offline.exit_code == 1, offline.stdout + offline.stderr
    assert "hub-check-skipped" in offline.stdout and "disabled" not in offline.stdout
    assert "private" not in offline.stdout
    again = run_cli("check", path, env=env)
    assert again.stdout == first.stdout


def test_an_expiry_that_cannot_expire_is_a_miss(world, run_cli, env_for, write):
    """A NaN or Infinity expiry was never compared as past, so the answer was kept for ever."""
    path = write(FILE)
    env = env_for(world)
    first = run_cli("check", path, env=env)
    for expiry in (float("nan"), float("inf"), 1e300, "9999999999", True):
        _edit_cached(env, lambda entry, expiry=expiry: entry.update(e=expiry))
        offline = run_cli("--offline", "check", path, env=env)
        assert "hub-check-skipped" in offline.stdout, expiry
        assert run_cli("check", path, env=env).stdout == first.stdout
        assert len(cache_files(env)) == 1


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
    cache.close()
    assert POSITIVE_TTL == 86400 and 60 <= NEGATIVE_TTL <= 3600
    now[0] += NEGATIVE_TTL + 1
    later = Cache(tmp_path, clock=lambda: now[0])
    assert later.get("https://hub/api/models/a") == {"t": "model"}
    assert later.get("https://hub/api/models/b") is None
    now[0] += POSITIVE_TTL
    assert Cache(tmp_path, clock=lambda: now[0]).get("https://hub/api/models/a") is None


def test_segments_are_merged_when_they_pile_up(tmp_path):
    for n in range(MAX_SEGMENTS + 3):
        cache = Cache(tmp_path)
        cache.put(f"https://hub/api/models/m{n}", {"t": "model", "n": n}, 60)
        cache.close()
    assert len(list(tmp_path.rglob("seg-*.json"))) <= MAX_SEGMENTS
    final = Cache(tmp_path)
    assert [final.get(f"https://hub/api/models/m{n}")["n"] for n in range(MAX_SEGMENTS + 3)] == list(
        range(MAX_SEGMENTS + 3)
    )


def test_cache_directory_resolution(tmp_path):
    assert default_cache_dir({"HFMAP_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert default_cache_dir({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache/hfmap")
    assert default_cache_dir({}) == Path.home() / ".cache" / "hfmap"


def test_an_unwritable_cache_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = Cache(blocker)
    cache.put("k", {"t": "exists"}, 60)
    cache.close()
    assert cache.write_problem == f"cannot write the answer cache in '{cache.directory}': Not a directory"
    assert Cache(blocker).get("k") is None


def _writer(directory: str, worker: int) -> None:
    for round_ in range(15):
        cache = Cache(Path(directory))
        for n in range(20):
            cache.put(f"https://hub/api/models/w{worker}-r{round_}-{n}", {"t": "model", "w": worker}, 60)
        cache.close()


def test_parallel_processes_never_tear_or_lose_an_answer(tmp_path):
    """pre-commit may run several checks at once: readers see whole segments, merges lose nothing."""
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(str(tmp_path), n)) for n in range(4)]
    for process in workers:
        process.start()
    reads = 0
    while any(p.is_alive() for p in workers):
        reader = Cache(tmp_path)
        reader.get("https://hub/api/models/w0-r0-0")
        assert not reader._broken  # never a half-written segment
        reads += 1
    for process in workers:
        process.join()
        assert process.exitcode == 0
    final = Cache(tmp_path)
    for worker in range(4):
        for round_ in range(15):
            for n in range(20):
                assert final.get(f"https://hub/api/models/w{worker}-r{round_}-{n}") == {
                    "t": "model",
                    "w": worker,
                }
    assert reads > 0
    assert [p.name for p in tmp_path.rglob(".tmp-*")] == []


def test_a_cache_that_cannot_be_written_is_said_once_not_skipped_silently(
    world, run_cli, env_for, write, tmp_path
):
    """HFMAP_CACHE_DIR naming a file: the check still runs (exit as without a cache) and says, in one line,
    that its answers were not saved."""
    path = write(FILE)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    env = env_for(world, HFMAP_CACHE_DIR=str(blocker))
    result = run_cli("check", path, env=env)
    expected = run_cli("--format", "json", "check", "--no-cache", path, env=env)
    assert result.exit_code == expected.exit_code
    warnings = [line for line in result.stderr.splitlines() if "answer cache" in line]
    assert warnings == [
        f"hfmap: warning: cannot write the answer cache in '{blocker / FORMAT}': Not a directory; "
        "the next run asks again"
    ]
