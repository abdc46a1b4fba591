"""Terminal escapes and bidi controls from files or the Hub are shown escaped everywhere hfmap prints them."""

from __future__ import annotations

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from hfmap.findings import Finding, Level
from hfmap.report.escape import code, escape_text, one_line
from hfmap.report.findings import format_github
from hostile_text import ESCAPES, INVISIBLE, RAW, REVERSED


@pytest.mark.parametrize("char", INVISIBLE)
def test_each_invisible_character_is_written_as_a_visible_escape(char: str) -> None:
    shown = f"\\u{ord(char):04x}"
    assert one_line(f"a{char}b") == f"a{shown}b"
    assert escape_text(f"a{char}b") == f"a&#92;u{ord(char):04x}b"
    html = cmarkgfm.github_flavored_markdown_to_html(
        f"| x |\n|---|\n| {code('a' + char)} |", Options.CMARK_OPT_UNSAFE
    )
    assert char not in html and f"a{shown}" in html


def test_annotations_carry_no_raw_controls() -> None:
    finding = Finding("m.yaml", 1, 1, Level.ERROR, "hf-model-id", f"'{REVERSED}' {ESCAPES}")
    assert not RAW.search(format_github(finding))


def test_verbose_suppression_lines_escape_the_path(run_cli, tmp_path) -> None:
    path = tmp_path / "evil\u202elmay.yaml"
    path.write_text(
        "provider: replicate\nmappings:\n  - hfModel: bad id  # hfmap: disable=hf-model-id\n"
        "    providerModel: a/b\n    task: text-to-image\n"
    )
    result = run_cli("-v", "lint", str(path))
    assert "suppressed by comment at" in result.stderr
    assert not RAW.search(result.output) and "evil\\u202elmay.yaml" in result.stderr


def test_every_verbose_and_info_line_is_one_escaped_line(capsys) -> None:
    from hfmap.cli.context import RunContext

    run = RunContext(verbose=1)
    run.debug(f"GET /api/models/{ESCAPES} (429, waiting 1 s)")
    run.info(f"note: {REVERSED}")
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and not RAW.search(err)
    assert "\\x1b]8;;http://evil.test\\x07click" in err and "acme/\\u202eetacilpuder" in err
