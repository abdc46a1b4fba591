"""Talking to the runner: step outputs, the job summary and workflow-command annotations.

Outputs use the heredoc form with a random delimiter so no value (a multi-line message, a crafted model
id) can end it early and set other outputs. The job summary is capped under GitHub's 1 MiB per step.
"""

from __future__ import annotations

import secrets as _random
import sys
from pathlib import Path

from hfmap.report.escape import annotation
from hfmap.secrets import redact

SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts per step summary
SUMMARY_BUDGET = SUMMARY_LIMIT - 16 * 1024  # room for what other steps of the job may add


def set_outputs(path: Path | None, values: dict[str, str]) -> None:
    """Append `name<<delimiter` blocks to $GITHUB_OUTPUT (or print them when run outside Actions)."""
    if path is None:  # outside Actions: show them plainly
        sys.stderr.write("".join(f"{name}: {redact(value)}\n" for name, value in values.items()))
        return
    lines: list[str] = []
    for name, value in values.items():
        value = redact(value)
        delimiter = f"ghadelimiter_{_random.token_hex(16)}"
        while delimiter in value:  # pragma: no cover - 128 random bits
            delimiter = f"ghadelimiter_{_random.token_hex(16)}"
        lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    text = "".join(lines)
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


def truncate_utf8(text: str, limit: int, note: str) -> str:
    """`text` if it fits in `limit` bytes, else cut at a line boundary with `note` appended."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = limit - len(note.encode("utf-8")) - 2
    cut = data[:room].decode("utf-8", errors="ignore")
    cut = cut[: cut.rfind("\n") + 1] if "\n" in cut else cut
    return cut + "\n" + note + "\n"


def write_summary(path: Path | None, markdown: str) -> None:
    """Append to $GITHUB_STEP_SUMMARY, kept under the 1 MiB limit (cut with a note that says so)."""
    note = (
        "> **Truncated:** the plan is longer than the job summary can hold; the full plan is in `plan.json`."
    )
    text = truncate_utf8(redact(markdown), SUMMARY_BUDGET, note)
    if path is None:
        sys.stdout.write(text)
        return
    with path.open("a", encoding="utf-8") as out:
        out.write(text if text.endswith("\n") else text + "\n")


def annotate(level: str, message: str, title: str = "hfmap") -> None:
    """A `::warning::`/`::error::`/`::notice::` line on stdout, escaped as the runner expects."""
    sys.stdout.write(annotation(level, message, title=title) + "\n")
    sys.stdout.flush()
