"""Hostile and broken input: each gets one `path:line:col` line, the right exit code, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

ONE_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): error \[(?P<rule>[a-z-]+)\] (?P<msg>.+)$")


def _lint(run_cli, path: Path, *extra: str):
    result = run_cli("lint", *extra, path)
    assert "Traceback" not in result.output
    return result


def _single(run_cli, path: Path) -> re.Match:
    result = _lint(run_cli, path)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout  # the finding and the summary
    match = ONE_LINE.match(lines[0])
    assert match, lines[0]
    assert match["path"] == str(path)
    return match


def test_invalid_yaml_at_a_known_position(run_cli, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("provider: replicate\nmappings:\n  - hfModel: a/b\n    providerModel: [x\n    task: y\n")
    match = _single(run_cli, path)
    assert match["rule"] == "syntax"
    assert (int(match["line"]), int(match["col"])) >= (4, 1)
    assert match["msg"].startswith("YAML syntax error")


def test_tab_indented_file(run_cli, tmp_path):
    path = tmp_path / "tabs.yaml"
    path.write_text("provider: replicate\nmappings:\n\t- hfModel: a/b\n")
    match = _single(run_cli, path)
    assert match["rule"] == "syntax"
    assert match["line"] == "3"
    assert "tab" in match["msg"]


def test_duplicate_keys_name_both_places(run_cli, tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(
        "provider: replicate\nmappings:\n  - hfModel: a/b\n    task: text-to-image\n    task: x\n"
    )
    match = _single(run_cli, path)
    assert (match["rule"], match["line"], match["col"]) == ("syntax", "5", "5")
    assert "duplicate key 'task' (first defined at line 4, column 5)" in match["msg"]


def test_twenty_megabyte_file_is_refused_quickly(run_cli, tmp_path):
    path = tmp_path / "huge.yaml"
    entry = "  - {hfModel: a/b, providerModel: a/b, task: text-to-image}\n"
    with path.open("w") as out:
        out.write("provider: replicate\nmappings:\n")
        out.write(entry * (20 * 1024 * 1024 // len(entry) + 1))
    assert path.stat().st_size > 20 * 1024 * 1024
    match = _single(run_cli, path)
    assert (match["rule"], match["line"], match["col"]) == ("syntax", "1", "1")
    assert "over the 16 MiB limit" in match["msg"]


def test_alias_bomb_stops_without_expanding(run_cli, tmp_path):
    path = tmp_path / "bomb.yaml"
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path.write_text("\n".join(levels) + "\n")
    match = _single(run_cli, path)
    assert match["rule"] == "syntax"
    assert "alias bomb" in match["msg"]


def test_binary_garbage(run_cli, tmp_path):
    path = tmp_path / "garbage.yaml"
    path.write_bytes(bytes(range(256)) * 8)
    match = _single(run_cli, path)
    assert match["rule"] == "syntax"
    assert "not a text file" in match["msg"]


def test_non_utf8_file(run_cli, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("provider: replicate\n# café\nmappings: []\n".encode("latin-1"))
    match = _single(run_cli, path)
    assert (match["line"], match["col"]) == ("2", "6")
    assert "not valid UTF-8 (byte 0xe9)" in match["msg"]


def test_empty_file(run_cli, tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("")
    match = _single(run_cli, path)
    assert (match["rule"], match["line"], match["col"]) == ("syntax", "1", "1")
    assert "empty file" in match["msg"]


def test_directory_without_mapping_files(run_cli, tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here")
    result = _lint(run_cli, tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"hfmap: error: no mapping files (*.yaml, *.yml) found in '{tmp_path}'"


def test_path_that_does_not_exist(run_cli, tmp_path):
    result = _lint(run_cli, tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"hfmap: error: path '{tmp_path / 'nope.yaml'}' does not exist"


def test_file_that_is_a_list(run_cli, tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- hfModel: a/b\n  providerModel: a/b\n")
    match = _single(run_cli, path)
    assert (match["rule"], match["line"], match["col"]) == ("syntax", "1", "1")
    assert "the top level is a list" in match["msg"]


def test_hf_model_123(run_cli, tmp_path):
    path = tmp_path / "int.yaml"
    path.write_text(
        "provider: replicate\nmappings:\n  - hfModel: 123\n    providerModel: a/b\n    task: text-to-image\n"
    )
    match = _single(run_cli, path)
    assert (match["rule"], match["line"], match["col"]) == ("schema", "3", "14")
    assert match["msg"] == "`hfModel` must be a string, got integer 123"


def test_unicode_lookalikes_in_ids(run_cli, tmp_path):
    path = tmp_path / "spoof.yaml"
    path.write_text(
        "provider: replicate\nmappings:\n"
        "  - hfModel: black-forest-lаbs/FLUX.1-schnell\n"  # Cyrillic а
        "    providerModel: black-forest-labs／flux-schnell\n"  # fullwidth solidus
        "    task: text-to-image\n",
        encoding="utf-8",
    )
    result = _lint(run_cli, path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{path}:3:14: error [hf-model-id] ")
    assert "U+0430 CYRILLIC SMALL LETTER A" in lines[0]
    assert lines[1].startswith(f"{path}:4:20: error [provider-model-id] ")
    assert "U+FF0F FULLWIDTH SOLIDUS" in lines[1]


def test_one_broken_file_does_not_hide_the_others(run_cli, tmp_path):
    (tmp_path / "a.yaml").write_text("provider: [\n")
    (tmp_path / "b.yaml").write_text(
        "provider: replicate\nmappings:\n  - {hfModel: gpt2, providerModel: a/b, task: text-to-image}\n"
    )
    result = _lint(run_cli, tmp_path)
    assert result.exit_code == 1
    assert "a.yaml:" in result.stdout and "[syntax]" in result.stdout
    assert "b.yaml:3:15: error [hf-model-id]" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 errors, 0 warnings in 2 files"
