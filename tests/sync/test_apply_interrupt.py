"""Ctrl-C in the middle of `hfmap apply`: it says exactly which writes finished, and a rerun converges."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

ENTRIES = 30


def test_ctrl_c_mid_apply_lists_what_finished_and_a_rerun_converges(world, token):
    rows = ["provider: replicate", "mappings:"]
    for i in range(ENTRIES):
        world.model(f"org/m{i:02d}")
        rows.append(
            f"  - {{hfModel: org/m{i:02d}, providerModel: o/m{i:02d}, task: text-to-image, status: live}}"
        )
    (world.dir / "r.yaml").write_text("\n".join(rows) + "\n", encoding="utf-8")
    world.hub.set_latency(0.15, methods=("POST",))

    command = [sys.executable, "-m", "hfmap", "--endpoint", world.hub.url, "--token", token]
    proc = subprocess.Popen(
        [*command, "apply", "--yes", "--concurrency", "2", str(world.dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while len(world.hub.mappings("replicate")) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)

    assert proc.returncode == 130, err
    assert "Traceback" not in err and token not in err
    listed = set(re.findall(r"^\[replicate\] \+ (org/m\d\d): created$", err, flags=re.MULTILINE))
    live = {record["hfModel"] for record in world.hub.mappings("replicate")}
    assert len(listed) >= 4 and listed <= live  # every write reported as done really is on the Hub
    assert len(live - listed) <= 2  # at most the two writes in flight went unreported
    assert f"apply interrupted; {len(listed)} action(s) had finished" in err
    assert "`hfmap apply` again" in err

    world.hub.set_latency(0)
    result, report = world.apply()
    assert result.exit_code == 0 and report["verified"]
    records = world.hub.mappings("replicate")
    assert len(records) == ENTRIES and len({r["hfModel"] for r in records}) == ENTRIES  # no duplicate
