"""The progress bar: only on a terminal, only for text output, never in CI, only after a second."""

from __future__ import annotations

import io

from hfmap.report.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert Progress.wanted("text", False, Terminal())
    assert not Progress.wanted("text", False, io.StringIO())
    assert not Progress.wanted("json", False, Terminal())
    assert not Progress.wanted("text", True, Terminal())
    monkeypatch.setenv("CI", "true")
    assert not Progress.wanted("text", False, Terminal())


def test_drawn_after_the_delay_and_finished_at_the_end(monkeypatch):
    stream = Terminal()
    quick = Progress(stream, enabled=True)
    quick.start(10)
    quick.advance(5)
    quick.close()
    assert stream.getvalue() == ""  # a fast run shows nothing
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    slow = Progress(stream, enabled=True)
    slow.start(10)
    slow.advance(4)
    drawn = stream.getvalue()
    assert drawn.startswith("\r") and "checking" in drawn
    assert drawn.endswith("[############------------------]  4/10")  # 4 of 10 = 12 of 30 cells
    slow.advance(6)
    slow.close()
    assert stream.getvalue().endswith("[##############################]  10/10\x1b[?25h\n")  # cursor back


def test_nothing_is_drawn_when_not_wanted(monkeypatch):
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    stream = Terminal()
    off = Progress(stream, enabled=False)
    off.start(10)
    off.advance(10)
    off.close()
    empty = Progress(stream, enabled=True)
    empty.start(0)
    empty.close()
    assert stream.getvalue() == ""
