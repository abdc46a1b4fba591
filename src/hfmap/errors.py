"""Exceptions that end a command with a one-line message and a contract exit code.

Problems *in the data* are findings (values), not exceptions; these are for the cases where
a command cannot go on at all (bad invocation, unreachable Hub, refused apply).
"""

from __future__ import annotations


class HfmapError(Exception):
    """A fatal, user-facing problem: printed as one line, exits with `exit_code`."""

    exit_code: int = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(HfmapError):
    """The invocation itself is wrong (exit 2, like click's own usage errors)."""

    exit_code = 2
