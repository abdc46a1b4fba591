"""The harness itself: expressions, output files, and refusing what GitHub would not run the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from github.harness import condition, interpolate, parse_output_file, run_action

CONTEXTS = {
    "inputs": {"hf-token": "", "mode": "auto", "force": "false"},
    "github": {"event_name": "push", "action_path": "/a"},
    "steps": {"hfmap": {"outputs": {"plan-file": "/tmp/plan.json"}}},
}


def test_expressions() -> None:
    assert interpolate("${{ github.action_path }}/x", CONTEXTS) == "/a/x"
    assert interpolate("${{ steps.hfmap.outputs.plan-file }}", CONTEXTS) == "/tmp/plan.json"
    assert interpolate("${{ steps.missing.outputs.x }}", CONTEXTS) == ""
    assert interpolate(False, CONTEXTS) == "false"
    assert condition("${{ github.event_name == 'PUSH' && inputs.force != 'true' }}", CONTEXTS, True)
    assert not condition("inputs.mode == 'apply' || !(inputs.force == 'false')", CONTEXTS, True)
    assert not condition("github.event_name == 'push'", CONTEXTS, False)  # implicit success()
    assert condition("${{ always() && steps.hfmap.outputs.plan-file != '' }}", CONTEXTS, False)


def test_output_file_forms() -> None:
    text = "a=1\nb<<EOF_X\nline 1\nline=2\nEOF_X\nc=x=y\n"
    assert parse_output_file(text) == {"a": "1", "b": "line 1\nline=2", "c": "x=y"}


def test_an_expression_inside_run_is_refused(tmp_path: Path) -> None:
    action = tmp_path / "action"
    action.mkdir()
    (action / "action.yml").write_text(
        "name: bad\ndescription: d\nruns:\n  using: composite\n  steps:\n"
        "    - shell: bash\n      run: echo ${{ github.event_name }}\n"
    )
    with pytest.raises(AssertionError, match="inside run"):
        run_action(workspace=tmp_path, temp=tmp_path / "t", event_name="push", event={}, action_path=action)
