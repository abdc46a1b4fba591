"""The one exception of reading a file: a problem that stops it, with the place to report."""

from __future__ import annotations

from hfmap.files.model import Position


class LoadProblem(Exception):
    """A problem that stops reading one file; becomes a `syntax` finding at `pos`."""

    def __init__(self, message: str, pos: Position | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos or Position(1, 1)
