"""Every path under PATHS is accounted for: what cannot be read is a `syntax` finding, never skipped."""

from __future__ import annotations

import os
from pathlib import Path

from hfmap.files.load import load_declared
from unprivileged import run_hfmap, shared_dir

GOOD = "provider: replicate\nmappings:\n  - hfModel: a/b\n    providerModel: a/b\n    task: text-to-image\n"


def _messages(result) -> dict[str, str]:
    return {Path(f.path).name: f.message for f in result.findings}


def test_a_dangling_symlink_is_a_syntax_finding(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").symlink_to("../submodule/b.yaml")  # a submodule that was not checked out
    (tmp_path / "vendor").symlink_to("../submodule/vendor")  # a folder of files, just as absent
    (tmp_path / "notes.txt").symlink_to("nowhere.txt")  # not a mapping file by name: not hfmap's
    result = load_declared([tmp_path])[1]
    assert [Path(f.path).name for f in result.files] == ["a.yaml"]
    messages = _messages(result)
    assert set(messages) == {"b.yaml", "vendor"}
    assert "symbolic link to '../submodule/b.yaml', which does not exist" in messages["b.yaml"]
    assert all(f.rule == "syntax" and f.level.value == "error" for f in result.findings)
    assert len(result.paths) == 3  # counted in "N files"


def test_a_named_pipe_is_reported_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # reading it would block forever
    result = load_declared([tmp_path])[1]
    assert _messages(result) == {"pipe.yaml": "cannot read file: it is a named pipe, not a file"}


def test_a_symlinked_folder_is_read_once_even_in_a_cycle(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.yaml").write_text(GOOD)
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "linked").symlink_to(real)
    (real / "loop").symlink_to(tmp_path / "m")
    result = load_declared([tmp_path / "m"])[1]
    assert [Path(f.path).name for f in result.files] == ["a.yaml"] and result.findings == []


def test_lint_reports_a_folder_it_cannot_list() -> None:
    with shared_dir() as root:
        (root / "mappings" / "secret").mkdir(parents=True)
        (root / "mappings" / "a.yaml").write_text(GOOD)
        (root / "mappings" / "secret" / "b.yaml").write_text(GOOD.replace("a/b", "c/d"))
        (root / "mappings" / "secret").chmod(0o000)
        result = run_hfmap("lint", "mappings", cwd=root)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(
        "mappings/secret:1:1: error [syntax] cannot read folder: Permission denied; "
        "the mapping files in it were not read\n"
    )
    assert "1 error, 0 warnings in 2 files" in result.stdout + result.stderr


def test_lint_reports_a_file_it_cannot_read() -> None:
    with shared_dir() as root:
        (root / "mappings").mkdir()
        (root / "mappings" / "a.yaml").write_text(GOOD)
        (root / "mappings" / "a.yaml").chmod(0o000)
        result = run_hfmap("lint", "mappings", cwd=root)
    assert result.returncode == 1
    assert "mappings/a.yaml:1:1: error [syntax] cannot read file: Permission denied" in result.stdout


def test_a_device_or_pipe_named_directly_is_reported_not_read(tmp_path: Path, run_cli) -> None:
    """pre-commit names files one by one: a changed `evil.yaml` that links to /dev/zero is refused as the
    walk of its folder would refuse it, not read until memory runs out."""
    (tmp_path / "evil.yaml").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "a.yaml").write_text(GOOD)
    for command in ("lint", "fmt"):
        result = run_cli(
            command, str(tmp_path / "evil.yaml"), str(tmp_path / "pipe.yaml"), str(tmp_path / "a.yaml")
        )
        assert result.exit_code == 1, (command, result.stdout, result.stderr)
        out = result.stdout + result.stderr
        device = "error [syntax] cannot read file: it is a character device, not a file"
        assert f"{tmp_path / 'evil.yaml'}:1:1: {device}" in out
        assert (
            f"{tmp_path / 'pipe.yaml'}:1:1: error [syntax] cannot read file: it is a named pipe, not a file"
            in out
        )
        assert "internal error" not in out
