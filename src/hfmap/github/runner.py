"""Run hfmap's own commands as subprocesses, as a user would, and read their JSON.

Keeping the Action on the command-line contract (not on internal APIs) means it breaks exactly when the
contract does. Annotations (`--format github`) go straight to the job log, where the runner reads them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hfmap.secrets import redact

T = TypeVar("T")


@dataclass
class Run:
    """One finished hfmap command: its exit code, parsed JSON (if any) and the last stderr line."""

    args: list[str]
    exit_code: int
    data: dict[str, Any] | None = None
    stderr: str = field(default="", repr=False)

    @property
    def error(self) -> str:
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        message = lines[-1] if lines else f"exit code {self.exit_code}"
        return redact(message.removeprefix("hfmap: error: "))


def _command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "hfmap", *args]


def _run(args: list[str], env: dict[str, str] | None) -> subprocess.CompletedProcess[str]:
    """Run `hfmap ARGS`; its stderr is echoed to the job log (redacted) and kept."""
    proc = subprocess.run(
        _command(args), capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    if proc.stderr:
        sys.stderr.write(redact(proc.stderr))
        sys.stderr.flush()
    return proc


def run_json(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `hfmap ARGS` capturing stdout as JSON; stderr is echoed to the log (redacted) and kept."""
    proc = _run(args, env)
    data = None
    try:
        loaded = json.loads(proc.stdout) if proc.stdout.strip() else None
        data = loaded if isinstance(loaded, dict) else None
    except ValueError:
        data = None
    return Run(args, proc.returncode, data, proc.stderr)


def read_as(data: dict[str, Any] | None, from_json: Callable[[dict[str, Any]], T]) -> T | None:
    """A command's JSON as its core type; None when it is not that type's shape (say, a crash mid-print)."""
    if data is None:
        return None
    try:
        return from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def run_findings(args: list[str]) -> list[dict[str, Any]]:
    """Run `hfmap --format json lint|check ...` and return its findings (none when it printed no list)."""
    proc = _run(args, None)
    try:
        loaded = json.loads(proc.stdout)
    except ValueError:
        return []
    return [item for item in loaded if isinstance(item, dict)] if isinstance(loaded, list) else []


def run_passthrough(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `hfmap ARGS` and copy its stdout (annotations) and stderr to the job log, redacted."""
    proc = _run(args, env)
    if proc.stdout:
        sys.stdout.write(redact(proc.stdout))
        sys.stdout.flush()
    return Run(args, proc.returncode, None, proc.stderr)
