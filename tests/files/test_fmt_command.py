"""`hfmap fmt` through the CLI: exit codes, messages, writes (and non-writes) as a user sees them."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

# Not `from conftest import ...`: with several conftest.py files that name is ambiguous.
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "mappings"
FIXTURES = REPO / "tests" / "fixtures" / "fmt"
BROKEN = "provider: replicate\nmappings:\n  - hfModel: a/b\n    task: [text-to-image\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A mappings/ folder with one file needing fmt and one already canonical."""
    folder = tmp_path / "mappings"
    folder.mkdir()
    shutil.copy(FIXTURES / "unsorted.yaml", folder / "replicate.yaml")
    shutil.copy(FIXTURES / "canonical.yaml", folder / "ok.yml")
    return folder


def test_check_lists_files_changes_nothing_and_exits_1(run_cli, tree: Path) -> None:
    before = (tree / "replicate.yaml").read_bytes()
    result = run_cli("fmt", "--check", tree)
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {tree / 'replicate.yaml'}\n"
    assert "1 file would be reformatted, 1 file left unchanged" in result.stderr
    assert (tree / "replicate.yaml").read_bytes() == before


def test_check_on_canonical_files_exits_0_silently(run_cli) -> None:
    result = run_cli("fmt", "--check", EXAMPLES)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 files would be reformatted, 2 files left unchanged" in result.stderr


def test_fmt_rewrites_reports_and_exits_1_then_0(run_cli, tree: Path) -> None:
    ok_before = (tree / "ok.yml").stat()
    result = run_cli("fmt", tree)
    assert result.exit_code == 1  # pre-commit fixer convention: files changed, stop the commit
    assert result.stdout == f"reformatted {tree / 'replicate.yaml'}\n"
    assert (tree / "replicate.yaml").read_text() == (FIXTURES / "canonical.yaml").read_text()
    assert (tree / "ok.yml").stat().st_mtime_ns == ok_before.st_mtime_ns  # canonical file not rewritten
    again = run_cli("fmt", tree)
    assert again.exit_code == 0
    assert again.stdout == ""
    assert not list(tree.glob(".*.tmp")), "no temporary file left behind"


def test_quiet_drops_the_summary(run_cli, tree: Path) -> None:
    result = run_cli("-q", "fmt", "--check", tree)
    assert result.exit_code == 1
    assert result.stderr == ""


def test_diff_prints_a_unified_diff_and_writes_nothing(run_cli, tree: Path) -> None:
    before = (tree / "replicate.yaml").read_text()
    result = run_cli("fmt", "--diff", tree / "replicate.yaml")
    assert result.exit_code == 1
    path = tree / "replicate.yaml"
    assert result.stdout.startswith(f"--- {path}\n+++ {path}\n@@ -1,24 +1,24 @@\n")
    assert "\n-mappings:\n" in result.stdout
    assert "\n+mappings:\n" in result.stdout
    assert "\n provider: replicate\n" in result.stdout
    assert (tree / "replicate.yaml").read_text() == before


def test_broken_file_is_reported_and_left_alone_others_still_formatted(run_cli, tree: Path) -> None:
    (tree / "broken.yaml").write_text(BROKEN)
    result = run_cli("fmt", tree)
    assert result.exit_code == 1
    assert f"{tree / 'broken.yaml'}:5:1: error [syntax] YAML syntax error" in result.stdout
    assert f"reformatted {tree / 'replicate.yaml'}" in result.stdout
    assert "1 file with errors" in result.stderr
    assert (tree / "broken.yaml").read_text() == BROKEN
    assert "Traceback" not in result.output


def test_broken_file_in_github_format_is_an_annotation(run_cli, tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN)
    result = run_cli("fmt", "--format", "github", "--check", tmp_path / "broken.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=")
    assert "title=hfmap [syntax]::YAML syntax error" in result.stdout


def test_layout_fmt_cannot_reorder_is_an_error_not_a_crash(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    text = "provider: together\nmappings: [{hfModel: z/z, task: chat}, {hfModel: a/a, task: chat}]\n"
    path.write_text(text)
    result = run_cli("fmt", path)
    assert result.exit_code == 1
    assert f"{path}:2:11: error [syntax] `mappings` is a flow list" in result.stdout
    assert path.read_text() == text


def test_write_keeps_mode_and_follows_symlinks(run_cli, tree: Path) -> None:
    target = tree / "replicate.yaml"
    target.chmod(0o640)
    link = tree / "link.yaml"
    link.symlink_to("replicate.yaml")
    result = run_cli("fmt", link)
    assert result.exit_code == 1
    assert link.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == (FIXTURES / "canonical.yaml").read_text()


def test_utf8_bom_and_crlf_survive_a_rewrite(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfmappings: []\r\nprovider: together\r\n")
    assert run_cli("fmt", path).exit_code == 1
    assert path.read_bytes() == b"\xef\xbb\xbfprovider: together\r\nmappings: []\r\n"


def test_no_mapping_files_is_an_error_and_missing_path_a_usage_error(run_cli, tmp_path: Path) -> None:
    empty = run_cli("fmt", tmp_path)
    assert empty.exit_code == 1
    assert "no mapping files" in empty.stderr
    missing = run_cli("fmt", tmp_path / "nope")
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr


def test_default_path_is_mappings_and_relative_diffs_use_git_prefixes(
    run_cli, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree.parent)
    result = run_cli("fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout == "would reformat mappings/replicate.yaml\n"
    diff = run_cli("fmt", "--diff")
    assert diff.stdout.startswith("--- a/mappings/replicate.yaml\n+++ b/mappings/replicate.yaml\n")


def test_help_documents_the_exit_codes(run_cli) -> None:
    result = run_cli("fmt", "--help")
    assert result.exit_code == 0
    assert "pre-commit convention" in " ".join(result.stdout.split())
    assert "--check" in result.stdout and "--diff" in result.stdout


def test_fmt_does_not_import_the_http_stack(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import sys, hfmap.cli.fmt; print(bool({'httpx', 'aiohttp'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert out.stdout.strip() == "False"


def test_an_unwritable_file_is_reported_and_the_others_are_still_written() -> None:
    from unprivileged import run_hfmap, shared_dir

    unsorted = (FIXTURES / "unsorted.yaml").read_text()
    with shared_dir() as root:
        for name in ("a-readonly", "b-writable"):
            (root / "mappings" / name).mkdir(parents=True)
            (root / "mappings" / name / "m.yaml").write_text(unsorted)
        (root / "mappings" / "b-writable").chmod(0o777)
        (root / "mappings" / "b-writable" / "m.yaml").chmod(0o666)
        (root / "mappings" / "a-readonly").chmod(0o555)
        result = run_hfmap("fmt", "mappings", cwd=root)
        assert result.returncode == 1
        assert (
            "mappings/a-readonly/m.yaml:1:1: error [syntax] cannot write file: Permission denied"
            in result.stdout
        )
        assert "reformatted mappings/b-writable/m.yaml" in result.stdout
        assert "1 file reformatted, 0 files left unchanged, 1 file with errors" in result.stderr
        assert "Traceback" not in result.stderr
        assert (root / "mappings" / "a-readonly" / "m.yaml").read_text() == unsorted
        assert (root / "mappings" / "b-writable" / "m.yaml").read_text() != unsorted
