"""`hfmap fmt --format json`: stdout is one JSON document a script can parse, whatever happened."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "fmt"
BROKEN = "provider: replicate\nmappings:\n  - hfModel: a/b\n    task: [text-to-image\n"


def _tree(tmp_path: Path) -> Path:
    folder = tmp_path / "mappings"
    folder.mkdir()
    shutil.copy(FIXTURES / "unsorted.yaml", folder / "replicate.yaml")
    shutil.copy(FIXTURES / "canonical.yaml", folder / "ok.yml")
    (folder / "broken.yaml").write_text(BROKEN)
    return folder


def test_json_with_a_fixed_and_a_broken_file_is_valid_json(run_cli, tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    result = run_cli("fmt", "--format", "json", tree)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(f["path"], f["rule"]) for f in findings] == [(str(tree / "broken.yaml"), "syntax")]
    assert f"reformatted {tree / 'replicate.yaml'}" in result.stderr  # still said, out of the JSON's way
    assert (tree / "replicate.yaml").read_text() != (FIXTURES / "unsorted.yaml").read_text()


def test_json_check_lists_would_reformat_on_stderr(run_cli, tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    result = run_cli("--format", "json", "fmt", "--check", tree)
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 1
    assert f"would reformat {tree / 'replicate.yaml'}" in result.stderr


def test_json_when_everything_is_canonical_is_an_empty_list(run_cli) -> None:
    result = run_cli("fmt", "--check", "--format", "json", REPO / "examples" / "mappings")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
