"""Run hfmap as a subprocess on a real pseudo-terminal, answering its question as a person would."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time


def _read_until(master: int, marker: bytes | None, deadline: float) -> bytes:
    """What the terminal shows until `marker` appears (None: until the program closes it)."""
    out = b""
    while time.monotonic() < deadline and (marker is None or marker not in out):
        ready, _, _ = select.select([master], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every copy of the terminal's other end is closed
            break
        if not chunk:
            break
        out += chunk
    return out


def run_on_terminal(
    args: list[str], answer: str | None, question: bytes, timeout: float = 30
) -> tuple[int, str]:
    """`hfmap ARGS` with stdin, stdout and stderr on a pty; type `answer` once `question` is shown (None:
    expect no question). Returns the exit code and everything the terminal showed."""
    master, slave = os.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hfmap", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    deadline = time.monotonic() + timeout
    try:
        shown = b""
        if answer is not None:
            shown = _read_until(master, question, deadline)
            assert question in shown, shown.decode(errors="replace")
            os.write(master, answer.encode() + b"\n")
        shown += _read_until(master, None, deadline)
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return code, shown.decode("utf-8", errors="replace").replace("\r\n", "\n")
