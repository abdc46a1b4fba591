"""What users hit when they name files in their own way, or when values carry control characters."""

from __future__ import annotations

import os
from pathlib import Path

ENTRY = "  - hfModel: org/{name}\n    providerModel: org/{name}\n    task: conversational\n"


def _file(folder: Path, name: str, *models: str) -> Path:
    path = folder / name
    path.write_text("provider: together\nmappings:\n" + "".join(ENTRY.format(name=m) for m in models))
    return path


def test_one_file_named_twice_is_read_once(run_cli, tmp_path: Path, monkeypatch) -> None:
    """`hfmap lint mappings/ $PWD/mappings/a.yaml` (a shell glob, an editor, a script): not a duplicate."""
    (tmp_path / "mappings").mkdir()
    _file(tmp_path / "mappings", "a.yaml", "one", "two")
    monkeypatch.chdir(tmp_path)
    result = run_cli("lint", "mappings", tmp_path / "mappings" / "a.yaml", "mappings/../mappings/a.yaml")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"


def test_a_symlink_to_a_file_already_read_is_not_a_second_file(run_cli, tmp_path: Path) -> None:
    _file(tmp_path, "a.yaml", "one")
    os.symlink("a.yaml", tmp_path / "alias.yaml")
    result = run_cli("lint", tmp_path)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"


def test_a_real_duplicate_across_two_files_is_still_found(run_cli, tmp_path: Path) -> None:
    first = _file(tmp_path, "a.yaml", "one")
    second = _file(tmp_path, "b.yaml", "one")
    result = run_cli("lint", first, second)
    assert result.exit_code == 1
    assert f"{first}:3:14: error [duplicate-mapping] " in result.stdout
    assert f"{second}:3:14: error [duplicate-mapping] " in result.stdout


def test_a_value_with_a_line_break_stays_on_its_finding_line(run_cli, tmp_path: Path) -> None:
    """A pasted CR/LF (or an ANSI escape) in a value must not start a line of its own: in a CI log such a
    line could read as a workflow command (`::error ...`), and `path:line:col` parsers lose the finding."""
    path = tmp_path / "a.yaml"
    path.write_text(
        "provider: replicate\nmappings:\n  - hfModel: a/b\n    providerModel: a/b\n"
        '    task: "text-to-image\\r\\n::error file=x::boom\\u001b[2J"\n'
    )
    result = run_cli("lint", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert lines[0].startswith(f"{path}:5:11: error [task-invalid] unknown task 'text-to-image\\r\\n::error ")
    assert "\x1b" not in result.stdout
    assert lines[1] == "1 error, 0 warnings in 1 file"


def test_a_utf16_file_is_named_as_such_not_as_binary(run_cli, tmp_path: Path) -> None:
    """Windows PowerShell 5's `>` writes UTF-16 with a byte-order mark (`hfmap import ... > file.yaml`)."""
    text = "\ufeffprovider: together\r\nmappings: []\r\n"
    for name, encoding in (("le.yaml", "utf-16-le"), ("be.yaml", "utf-16-be")):
        (tmp_path / name).write_bytes(text.encode(encoding))
    result = run_cli("lint", tmp_path)
    assert result.exit_code == 1
    message = "error [syntax] the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
    assert result.stdout.splitlines()[:2] == [
        f"{tmp_path / 'be.yaml'}:1:1: {message}",
        f"{tmp_path / 'le.yaml'}:1:1: {message}",
    ]


CONTEXT_ENTRY = "  - hfModel: {model}\n    providerModel: a/b\n    task: text-to-image\n"


def _mapping(provider: str, *models: str, extra: str = "") -> str:
    return f"provider: {provider}\n{extra}mappings:\n" + "".join(
        CONTEXT_ENTRY.format(model=m) for m in models
    )


def test_a_named_file_is_linted_with_its_providers_other_files_as_context(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "mappings" / "team"
    folder.mkdir(parents=True)
    (tmp_path / "mappings" / "old.yaml").write_text(
        _mapping("replicate", "org/a", "org/b", extra="prune: false\n")
    )
    (folder / "new.yaml").write_text(_mapping("replicate", "org/a"))
    (tmp_path / "mappings" / "other.yaml").write_text(_mapping("together", "org/a"))  # another provider
    (tmp_path / "mappings" / "broken.yaml").write_text("provider: [\n")  # not named: not this run's finding
    result = run_cli("-v", "lint", "mappings/team/new.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "mappings/team/new.yaml:3:14: error [duplicate-mapping] 'org/a' is mapped more than once for "
        "provider 'replicate' (also at mappings/old.yaml:4); keep one entry\n"
        "1 error, 0 warnings in 1 file\n"
    )
    assert "context for the cross-file rules: mappings/old.yaml\n" in result.stderr


def test_without_a_clash_the_context_adds_nothing(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "old.yaml").write_text(_mapping("replicate", "org/a", "bad id"))
    (tmp_path / "mappings" / "new.yaml").write_text(_mapping("replicate", "org/c"))
    result = run_cli("lint", "mappings/new.yaml")
    assert (result.exit_code, result.stdout) == (0, "0 errors, 0 warnings in 1 file\n")


def test_the_mappings_root_of_a_file() -> None:
    from hfmap.files.paths import mappings_root

    assert mappings_root(Path("mappings/a/b.yaml")) == (Path("mappings"), True)
    assert mappings_root(Path("/repo/mappings/b.yaml")) == (Path("/repo/mappings"), True)
    assert mappings_root(Path("providers/x/b.yaml")) == (Path("providers"), True)
    assert mappings_root(Path("b.yaml")) == (Path("."), False)
    assert mappings_root(Path("/elsewhere/b.yaml")) == (Path("/elsewhere"), False)
