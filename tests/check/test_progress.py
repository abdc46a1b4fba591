"""The progress bar: only on a terminal, only for text output, never in CI, only after a second."""

from __future__ import annotations

import io

from hfmap.cli.check import Progress
from hfmap.cli.context import RunContext


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert Progress.wanted(RunContext(), Terminal())
    assert not Progress.wanted(RunContext(), io.StringIO())
    assert not Progress.wanted(RunContext(format="json"), Terminal())
    assert not Progress.wanted(RunContext(quiet=True), Terminal())
    monkeypatch.setenv("CI", "true")
    assert not Progress.wanted(RunContext(), Terminal())


def test_drawn_after_the_delay_and_cleared_at_the_end(monkeypatch):
    stream = Terminal()
    quick = Progress(10, stream, enabled=True)
    quick.advance(5)
    quick.close()
    assert stream.getvalue() == ""  # a fast run shows nothing
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    slow = Progress(10, stream, enabled=True)
    slow.advance(4)
    assert stream.getvalue() == "\rchecking [############------------------] 4/10"
    slow.close()
    assert stream.getvalue().endswith("\r" + " " * 60 + "\r")
