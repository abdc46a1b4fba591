"""Hostile or absurd input to `hfmap fmt` and `hfmap lint`: one `syntax` finding, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

DEPTH = 5_000  # far past Python's recursion limit; a mapping file needs four levels


@pytest.mark.parametrize("command", [("fmt",), ("fmt", "--check"), ("lint",)])
def test_absurdly_deep_nesting_is_a_syntax_finding(run_cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(
        "provider: replicate\nmappings:\n  - task: text-to-image\n    hfModel: a/b\n    providerModel: x/y\n"
        "    extra: " + "[" * DEPTH + "]" * DEPTH + "\n"
    )
    before = path.read_bytes()
    result = run_cli(*command, path)
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert result.stdout.startswith(f"{path}:6:")
    assert "error [syntax] YAML nesting is too deep" in result.stdout
    assert path.read_bytes() == before


def test_nesting_built_from_a_chain_of_aliases_is_refused_too(run_cli, tmp_path: Path) -> None:
    """Each alias adds a level without a `[` in the text: `x1: &x1 [*x0]`, `x2: &x2 [*x1]`, ..."""
    chain = "".join(f"x{i}: &x{i} [*x{i - 1}]\n" for i in range(1, 2000))
    path = tmp_path / "chain.yaml"
    path.write_text("x0: &x0 []\n" + chain + "provider: replicate\nmappings: []\n")
    result = run_cli("fmt", path)
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert "error [syntax] YAML nesting is too deep" in result.stdout
