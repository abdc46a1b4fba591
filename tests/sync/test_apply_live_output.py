"""apply tells its user what is happening while it happens: each result as its action finishes, and what
`--wait` is waiting for, poll by poll, on a terminal."""

from __future__ import annotations

import subprocess
import sys

from terminal import run_on_terminal

COUNT = 6


def _creates(world) -> None:
    rows = ["provider: replicate", "mappings:"]
    for i in range(COUNT):
        world.model(f"org/m{i}")
        rows.append(f"  - {{hfModel: org/m{i}, providerModel: o/m{i}, task: text-to-image, status: live}}")
    (world.dir / "r.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_each_result_line_is_printed_as_its_action_finishes(world, token):
    _creates(world)
    world.hub.set_latency(0.15, methods=("POST",))
    command = [sys.executable, "-m", "hfmap", "--endpoint", world.hub.url, "--token", token]
    proc = subprocess.Popen(
        [*command, "apply", "--yes", "--concurrency", "1", str(world.dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = ""
    while not first.startswith("[replicate]"):
        first = proc.stdout.readline()
        assert first, proc.stderr.read() if proc.stderr else ""
    on_the_hub = len(world.hub.mappings("replicate"))
    rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert first.rstrip() == "[replicate] + org/m0: created"
    assert on_the_hub < COUNT  # printed while the other writes were still to come
    assert rest.count("[replicate] + ") == COUNT - 1  # each line once, not again in the closing report
    assert "Apply: 6 done, 0 failed, 0 skipped." in rest


def test_wait_on_a_terminal_reports_each_poll(world, token):
    world.model("org/a")
    entry = "{hfModel: org/a, providerModel: o/a, task: text-to-image, status: live}"
    world.file("r.yaml", f"provider: replicate\nmappings:\n  - {entry}\n")
    args = ["--endpoint", world.hub.url, "--token", token, "apply", "--yes", "--wait=1s", str(world.dir)]
    code, shown = run_on_terminal(args, None, b"")
    assert code == 0, shown
    assert "watching 1 written mapping(s) for 1 s while the Hub tests them: replicate:org/a" in shown
    assert "hfmap: poll 1: 1 mapping(s) not failed so far" in shown
    quiet = run_on_terminal(["-q", *args], None, b"")[1]
    assert "poll 1" not in quiet and "watching" not in quiet
