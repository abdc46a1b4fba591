"""What every renderer may be told besides its data: colour, the file count, quietness."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    color: bool = False
    files: int = 0  # mapping files read, for the closing line of findings
    quiet: bool = False  # findings without the closing line
    streamed: bool = False  # an apply report whose result lines were printed as each action finished
    apply_args: tuple[str, ...] | None = None  # a text plan ends with `hfmap apply --expect-hash H ARGS`
