"""Hub keys holding terminal escapes or bidi controls reach plan text, markdown and import notes escaped."""

from __future__ import annotations

import cmarkgfm
from cmarkgfm.cmark import Options

from hostile_text import ESCAPES, RAW, REVERSED


def _seed_hostile(world) -> None:
    world.live("replicate", "org/kept", "org/kept")
    world.hub.seed_mapping("replicate", "text-to-image", REVERSED, "p/\u2066x\u2069", "live")
    world.hub.seed_mapping("replicate", "text-to-image", ESCAPES, "p/esc", "error")
    world.file(
        "replicate.yaml",
        "provider: replicate\nmappings:\n"
        "  - hfModel: org/kept\n    providerModel: org/kept\n    task: text-to-image\n    status: live\n",
    )


def test_plan_text_and_markdown_show_hub_keys_escaped(world) -> None:
    _seed_hostile(world)
    for fmt in ("text", "markdown"):
        result = world.hfmap("plan", "--format", fmt, str(world.dir))
        assert result.exit_code == 0, result.stderr
        assert not RAW.search(result.output), fmt
        assert "u202eetacilpuder" in result.stdout and "u2066x" in result.stdout
    markdown = world.hfmap("plan", "--format", "markdown", str(world.dir)).stdout
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, Options.CMARK_OPT_UNSAFE)
    assert not RAW.search(html) and "acme/\\u202eetacilpuder" in html


def test_import_notes_escape_hub_keys(world) -> None:
    _seed_hostile(world)
    result = world.hfmap("import", "--provider", "replicate")
    assert result.exit_code == 0, result.stderr
    assert "is in status 'error' on the Hub" in result.stderr
    assert not RAW.search(result.stderr)
    assert "org/\\x1b]8;;http://evil.test\\x07click" in result.stderr
