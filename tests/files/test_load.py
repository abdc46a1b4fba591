"""The loader: data, positions, and every kind of unreadable file becoming one `syntax` finding."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from hfmap.files.load import MAX_BYTES, load_declared, load_file, load_text
from hfmap.files.model import Position
from hfmap.mapping.key import Identity

GOOD = """\
# yaml-language-server: $schema=../schemas/mapping-file.schema.json
provider: replicate
defaults:
  status: live
mappings:
  - hfModel: black-forest-labs/FLUX.1-schnell
    providerModel: black-forest-labs/flux-schnell
    task: text-to-image
  - hfModel: hexgrad/Kokoro-82M  # hfmap: disable=provider-model-id, task-unsupported
    providerModel: jaaari/kokoro-82m
    task: text-to-speech
    status: staging
  - hfFilter: [lora, "base_model:adapter:black-forest-labs/FLUX.1-dev"]
    providerModel: black-forest-labs/flux-dev-lora
    task: text-to-image
    adapterType: lora
"""


def test_entries_carry_values_defaults_and_exact_positions() -> None:
    file, findings = load_text(GOOD, "m.yaml")
    assert findings == []
    assert file is not None and file.provider == "replicate"
    first, second, third = file.entries
    assert first.status == "live"  # from defaults
    assert second.status == "staging"
    assert first.where("task") == Position(8, 11)
    assert first.where("task", value=False) == Position(8, 5)
    assert first.pos == Position(6, 5)
    assert second.disabled_rules == {"provider-model-id", "task-unsupported"}
    assert third.identity == Identity(
        "replicate", tags=("base_model:adapter:black-forest-labs/FLUX.1-dev", "lora")
    )
    assert third.identity.key == "tag-filter=base_model:adapter:black-forest-labs/FLUX.1-dev,lora"
    assert file.where(("mappings", 2, "hfFilter", 1)) == Position(13, 22)


def test_status_defaults_to_staging_like_the_hub() -> None:
    file, _ = load_text("provider: p\nmappings:\n  - hfModel: a/b\n    task: t\n", "m.yaml")
    assert file is not None and file.entries[0].status == "staging"


@pytest.mark.parametrize(
    ("text", "where", "needle"),
    [
        (
            "provider: a\nprovider: b\n",
            (2, 1),
            "duplicate key 'provider' (first defined at line 1, column 1)",
        ),
        ("provider: a\nmappings:\n\t- hfModel: x/y\n", (3, 1), "tabs"),
        ("provider: a\nmappings: [\n", (3, 1), "YAML syntax error"),
        ("- a\n- b\n", (1, 1), "the top level is a list"),
        ("# only a comment\n", (1, 1), "empty file"),
        ("a: 1\n---\nb: 2\n", (2, 1), "more than one YAML document"),
        ("provider: a\nx: *nowhere\n", (2, 4), "refers to no anchor"),
        ("provider: a\nx: !!python/object:os.system ls\n", (2, 4), "unsupported YAML tag"),
        ("provider: a\nx: &r [*r]\n", (2, 8), "recursive alias"),
        ("? [a, b]\n: c\n", (1, 3), "mapping key must be a plain value"),
    ],
)
def test_unreadable_text_is_one_syntax_finding_at_the_right_place(
    text: str, where: tuple[int, int], needle: str
) -> None:
    file, findings = load_text(text, "bad.yaml")
    assert file is None
    [finding] = findings
    assert (finding.rule, finding.level.value) == ("syntax", "error")
    assert (finding.line, finding.column) == where
    assert needle in finding.message


def test_alias_bomb_is_refused_fast_without_expanding() -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    started = time.perf_counter()
    file, [finding] = load_text("\n".join(rows) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 2
    assert file is None and "alias bomb" in finding.message


def test_small_aliases_and_merge_keys_still_work() -> None:
    text = "provider: p\nbase: &b {task: text-to-image}\nmappings:\n  - <<: *b\n    hfModel: a/b\n"
    file, findings = load_text(text, "m.yaml")
    assert findings == [] and file is not None
    assert file.entries[0].task == "text-to-image"


def test_plain_scalars_resolve_like_yaml_1_2() -> None:
    text = (
        "provider: p\nmappings:\n"
        "  - hfModel: 123\n    task: '123'\n    status: yes\n    x: [true, null, 1.5, 0x1f]\n"
    )
    file, _ = load_text(text, "m.yaml")
    assert file is not None
    item = file.data["mappings"][0]
    assert item["hfModel"] == 123 and item["task"] == "123" and item["status"] == "yes"
    assert item["x"] == [True, None, 1.5, 31]
    assert file.entries[0].hf_model is None  # wrong type: left to the schema check


def test_binary_non_utf8_and_huge_files(tmp_path: Path) -> None:
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"provider: a\n\x00\x01\x02")
    _, [finding] = load_file(binary)
    assert "NUL" in finding.message and (finding.line, finding.column) == (2, 1)

    latin = tmp_path / "latin.yaml"
    latin.write_bytes("provider: caf\xe9\n".encode("latin-1"))
    _, [finding] = load_file(latin)
    assert "UTF-8" in finding.message and (finding.line, finding.column) == (1, 14)

    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    _, [finding] = load_file(huge)
    assert "MiB limit" in finding.message


def test_directories_expand_to_yaml_files_only(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_text("provider: a\nmappings: []\n")
    (tmp_path / "sub" / "b.yml").write_text("provider: b\nmappings: []\n")
    (tmp_path / "notes.txt").write_text("not yaml")
    result = load_declared([tmp_path])[1]
    assert [Path(f.path).name for f in result.files] == ["a.yaml", "b.yml"]
    assert result.findings == []


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_an_invisible_line_break_in_a_comment_is_named_at_its_place(char: str) -> None:
    text = f"provider: replicate # note{char}more words\nmappings: []\n"
    _, [finding] = load_text(text, "m.yaml")
    assert (finding.line, finding.column) == (1, 27)
    assert finding.message.startswith(f"YAML syntax error: the file has an invisible U+{ord(char):04X} ")
    assert "which YAML reads as a line break" in finding.message


@pytest.mark.parametrize(
    ("encoding", "name"), [("utf-32", "UTF-32"), ("utf-32-be", None), ("utf-16", "UTF-16")]
)
def test_utf32_and_utf16_files_are_named_right(tmp_path: Path, encoding: str, name: str | None) -> None:
    path = tmp_path / "m.yaml"
    raw = "provider: a\n".encode(encoding)
    path.write_bytes(codecs.BOM_UTF32_BE + raw if name is None else raw)
    _, [finding] = load_file(path)
    assert finding.message.startswith(f"the file is {name or 'UTF-32'} (it starts with a ")


def test_a_parser_assertion_without_a_message_still_says_what_is_wrong(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ruamel's pure parser asserts on some malformed input; a bare `assert` printed "YAML syntax error: "."""
    from hfmap.files import parse

    def asserting(text: str, *, pure: bool):
        raise AssertionError
        yield  # a generator, as the real one is

    monkeypatch.setattr(parse, "_events", asserting)
    file, findings = load_text("provider: x\n", "m.yaml")
    assert file is None and [f.message for f in findings] == ["YAML syntax error: malformed document"]
