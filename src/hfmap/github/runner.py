"""Run hfmap's own commands through the command line, as a user would, and read their JSON.

Keeping the Action on the command-line contract (argv in; exit code, JSON and annotations out; not internal
APIs) means it breaks exactly when the contract does. Each command runs through the console script's entry
point in this process, not in a second Python: the same parsing, defaults, config file, errors and exit
codes, without a fresh interpreter and HTTP stack per command (about 0.15 s of CPU each). Annotations
(`--format github`) go straight to the job log, where the runner reads them.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
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


@dataclass(frozen=True)
class _Finished:
    exit_code: int
    stdout: str
    stderr: str


def _stream() -> io.TextIOWrapper:
    """A stream as a pipe gives one: UTF-8, a binary `buffer` beneath, no terminal, newlines as written."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="replace", newline="\n")


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", "replace")


Entry = Callable[[list[str]], None]
_ENTRY: dict[str, Entry] = {}


def use_entry_point(main: Entry) -> None:
    """Hand over the console script's entry point (`hfmap.cli.main`): `hfmap action` does, before any
    flow runs, so that nothing under github/ imports the command line above it."""
    _ENTRY["hfmap"] = main


def _invoke(args: list[str]) -> int:
    """`hfmap ARGS` through the console script's entry point; its exit code, as the process would end."""
    if "hfmap" not in _ENTRY:
        raise RuntimeError("use_entry_point() was not called: the Action runs under `hfmap action`")
    try:
        _ENTRY["hfmap"](args)
    except SystemExit as exit_:
        return _status(exit_.code)
    except Exception:  # what would end a separate process with a traceback, and status 1
        traceback.print_exc()
        return 1
    return 0


def _status(code: object) -> int:
    """The status of a process ended by `SystemExit(code)`; a message is printed first, as Python does."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _run(args: list[str]) -> _Finished:
    """Run `hfmap ARGS`; its stderr is echoed to the job log (redacted) and kept."""
    out, err = _stream(), _stream()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = _invoke(args)
    finished = _Finished(code, _text(out), _text(err))
    if finished.stderr:
        sys.stderr.write(redact(finished.stderr))
        sys.stderr.flush()
    return finished


def run_json(args: list[str]) -> Run:
    """Run `hfmap ARGS` capturing stdout as JSON; stderr is echoed to the log (redacted) and kept."""
    proc = _run(args)
    data = None
    try:
        loaded = json.loads(proc.stdout) if proc.stdout.strip() else None
        data = loaded if isinstance(loaded, dict) else None
    except ValueError:
        data = None
    return Run(args, proc.exit_code, data, proc.stderr)


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
    proc = _run(args)
    try:
        loaded = json.loads(proc.stdout)
    except ValueError:
        return []
    return [item for item in loaded if isinstance(item, dict)] if isinstance(loaded, list) else []


def run_passthrough(args: list[str]) -> Run:
    """Run `hfmap ARGS` and copy its stdout (annotations) and stderr to the job log, redacted."""
    proc = _run(args)
    if proc.stdout:
        sys.stdout.write(redact(proc.stdout))
        sys.stdout.flush()
    return Run(args, proc.exit_code, None, proc.stderr)
