"""format_text / canonical_dump: what a user sees in the file after `hfmap fmt`."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfmap.files.dump import canonical_dump
from hfmap.files.load import load_text
from hfmap.files.reorder import FormatError, entry_sort_key, format_text

# Not `from conftest import ...`: with several conftest.py files that name is ambiguous.
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "mappings"
FIXTURES = REPO / "tests" / "fixtures" / "fmt"
KOKORO = "jaaari/kokoro-82m:f559560eb822dc509045f3921a1921234918b91739db4bf3daab2169b71c7a13"


def fmt(text: str) -> str:
    result = format_text(text)
    assert format_text(result) == result, "fmt must be idempotent"
    return result


def test_fixture_reaches_its_canonical_form_and_stays_there() -> None:
    unsorted = (FIXTURES / "unsorted.yaml").read_text()
    canonical = (FIXTURES / "canonical.yaml").read_text()
    assert fmt(unsorted) == canonical
    assert format_text(canonical) is canonical  # untouched, not merely equal


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_are_canonical(path: Path) -> None:
    text = path.read_text()
    assert format_text(text) == text


def test_top_level_keys_in_canonical_order_unknown_keys_after_untouched() -> None:
    text = (
        "x-owner: team-a\n"
        "mappings:\n"
        "  - hfModel: a/b\n"
        "    providerModel: c/d\n"
        "    task: text-to-image\n"
        "ignore: ['zeke/*']\n"
        "prune: false\n"
        "x-notes:\n"
        "  - keep me\n"
        "defaults: {status: live}\n"
        "provider: replicate\n"
    )
    assert fmt(text) == (
        "provider: replicate\n"
        "defaults: {status: live}\n"
        "prune: false\n"
        "ignore: ['zeke/*']\n"
        "mappings:\n"
        "  - hfModel: a/b\n"
        "    providerModel: c/d\n"
        "    task: text-to-image\n"
        "x-owner: team-a\n"
        "x-notes:\n"
        "  - keep me\n"
    )


def test_entry_keys_in_canonical_order_unknown_keys_after() -> None:
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "  - note: keep\n"
        "    adapterType: lora\n"
        "    status: staging\n"
        "    task: text-to-image\n"
        "    providerModel: o/m\n"
        "    hfFilter: [lora, 'base_model:adapter:a/b']\n"
    )
    assert fmt(text) == (
        "provider: replicate\n"
        "mappings:\n"
        "  - hfFilter: [lora, 'base_model:adapter:a/b']\n"
        "    providerModel: o/m\n"
        "    task: text-to-image\n"
        "    status: staging\n"
        "    adapterType: lora\n"
        "    note: keep\n"
    )


def _entries(*specs: tuple[str, str]) -> str:
    body = "".join(
        f"  - hfModel: {model}\n    providerModel: p/{i}\n    task: {task}\n"
        for i, (model, task) in enumerate(specs)
    )
    return "provider: together\nmappings:\n" + body


def _order(text: str) -> list[str]:
    mapping_file, findings = load_text(text, "t.yaml")
    assert mapping_file is not None, findings
    return [entry.identity.key for entry in mapping_file.entries]  # type: ignore[union-attr]


def test_entries_sorted_by_task_then_identity_case_insensitively() -> None:
    text = _entries(
        ("zeta/Z", "text-to-image"),
        ("Qwen/QwQ-32B", "conversational"),
        ("deepseek-ai/DeepSeek-R1", "conversational"),
        ("Qwen/Qwen3-8B", "conversational"),
        ("ByteDance/SDXL-Lightning", "text-to-image"),
        ("black-forest-labs/FLUX.1-dev", "text-to-image"),
    )
    assert _order(fmt(text)) == [
        "deepseek-ai/DeepSeek-R1",
        "Qwen/Qwen3-8B",
        "Qwen/QwQ-32B",
        "black-forest-labs/FLUX.1-dev",
        "ByteDance/SDXL-Lightning",
        "zeta/Z",
    ]


def test_tag_filters_sort_by_their_hub_key_and_defaults_task_counts() -> None:
    text = (
        "provider: replicate\n"
        "defaults:\n"
        "  task: text-to-image\n"
        "mappings:\n"
        "  - hfModel: zz/last\n"
        "    providerModel: p/1\n"
        "  - hfFilter: [lora, flux]\n"
        "    providerModel: p/2\n"
        "    adapterType: lora\n"
        "  - hfModel: aa/first\n"
        "    providerModel: p/3\n"
        "  - hfModel: mm/speech\n"
        "    providerModel: p/4\n"
        "    task: automatic-speech-recognition\n"
    )
    assert _order(fmt(text)) == ["mm/speech", "aa/first", "tag-filter=flux,lora", "zz/last"]


def test_sort_key_is_stable_for_broken_entries() -> None:
    assert entry_sort_key("not a mapping") == ("", "", "")
    assert entry_sort_key({"hfModel": 123, "task": ["x"]}) == ("", "", "")


def test_comment_above_an_entry_moves_with_it() -> None:
    # ruamel's round-trip loader would hang these comments on the *previous* entry's last key.
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "  - hfModel: b/second\n"
        "    providerModel: p/b\n"
        "    task: text-to-image\n"
        "  # about c/third\n"
        "  # (two lines)\n"
        "  - hfModel: c/third\n"
        "    providerModel: p/c\n"
        "    task: text-to-image\n"
        "  # about a/first\n"
        "  - hfModel: a/first\n"
        "    providerModel: p/a\n"
        "    task: text-to-image\n"
    )
    assert fmt(text) == (
        "provider: replicate\n"
        "mappings:\n"
        "  # about a/first\n"
        "  - hfModel: a/first\n"
        "    providerModel: p/a\n"
        "    task: text-to-image\n"
        "  - hfModel: b/second\n"
        "    providerModel: p/b\n"
        "    task: text-to-image\n"
        "  # about c/third\n"
        "  # (two lines)\n"
        "  - hfModel: c/third\n"
        "    providerModel: p/c\n"
        "    task: text-to-image\n"
    )


def test_comments_inside_and_after_an_entry_stay_with_it() -> None:
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "  - hfModel: b/b  # end-of-line comment\n"
        "    # above task, inside the entry\n"
        "    task: text-to-image\n"
        "    providerModel: p/b\n"
        "    # trailing note, indented like the entry's keys\n"
        "  - hfModel: a/a\n"
        "    providerModel: p/a\n"
        "    task: text-to-image\n"
    )
    assert fmt(text) == (
        "provider: replicate\n"
        "mappings:\n"
        "  - hfModel: a/a\n"
        "    providerModel: p/a\n"
        "    task: text-to-image\n"
        "  - hfModel: b/b  # end-of-line comment\n"
        "    providerModel: p/b\n"
        "    # above task, inside the entry\n"
        "    task: text-to-image\n"
        "    # trailing note, indented like the entry's keys\n"
    )


def test_blank_line_groups_keep_their_separators() -> None:
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "  # Video\n"
        "  - hfModel: v/v\n"
        "    providerModel: p/v\n"
        "    task: text-to-video\n"
        "\n"
        "  # Images\n"
        "  - hfModel: i/i\n"
        "    providerModel: p/i\n"
        "    task: text-to-image\n"
        "\n"
        "  # Speech\n"
        "  - hfModel: s/s\n"
        "    providerModel: p/s\n"
        "    task: automatic-speech-recognition\n"
    )
    assert fmt(text) == (
        "provider: replicate\n"
        "mappings:\n"
        "  # Speech\n"
        "  - hfModel: s/s\n"
        "    providerModel: p/s\n"
        "    task: automatic-speech-recognition\n"
        "\n"
        "  # Images\n"
        "  - hfModel: i/i\n"
        "    providerModel: p/i\n"
        "    task: text-to-image\n"
        "\n"
        "  # Video\n"
        "  - hfModel: v/v\n"
        "    providerModel: p/v\n"
        "    task: text-to-video\n"
    )


def test_header_comment_stays_on_top_when_keys_move() -> None:
    text = (
        "# yaml-language-server: $schema=../schemas/mapping-file.schema.json\n"
        "prune: true\n"
        "# the provider id, as in the partner API\n"
        "provider: replicate\n"
        "mappings: []\n"
    )
    assert fmt(text) == (
        "# yaml-language-server: $schema=../schemas/mapping-file.schema.json\n"
        "# the provider id, as in the partner API\n"
        "provider: replicate\n"
        "prune: true\n"
        "mappings: []\n"
    )


def test_disable_comment_stays_on_the_entrys_first_line() -> None:
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "  - task: text-to-image  # hfmap: disable=task-unsupported\n"
        "    hfModel: a/b\n"
        "    providerModel: p/q\n"
    )
    result = fmt(text)
    assert result == (
        "provider: replicate\n"
        "mappings:\n"
        "  - hfModel: a/b  # hfmap: disable=task-unsupported\n"
        "    providerModel: p/q\n"
        "    task: text-to-image\n"
    )
    mapping_file, _ = load_text(result, "t.yaml")
    assert mapping_file is not None
    assert mapping_file.entries[0].disabled_rules == frozenset({"task-unsupported"})


def test_indentation_quoting_and_flow_lists_are_kept() -> None:
    text = (
        "provider: 'replicate'\n"
        "mappings:\n"
        "- task:    text-to-image\n"
        '  hfModel:  "z/z"\n'
        "  providerModel: 'p/z'\n"
        '- hfFilter: [ lora ,  "base_model:adapter:a/b" ]\n'
        "  task: text-to-image\n"
        "  providerModel: p/lora\n"
        "  adapterType: lora\n"
    )
    assert fmt(text) == (
        "provider: 'replicate'\n"
        "mappings:\n"
        '- hfFilter: [ lora ,  "base_model:adapter:a/b" ]\n'
        "  providerModel: p/lora\n"
        "  task: text-to-image\n"
        "  adapterType: lora\n"
        '- hfModel:  "z/z"\n'
        "  providerModel: 'p/z'\n"
        "  task:    text-to-image\n"
    )


def test_four_space_indentation_and_dash_on_its_own_line() -> None:
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "    -\n"
        "        task: text-to-image\n"
        "        hfModel: b/b\n"
        "        providerModel: p/b\n"
        "    -   hfModel: a/a\n"
        "        providerModel: p/a\n"
        "        task: text-to-image\n"
    )
    assert fmt(text) == (
        "provider: replicate\n"
        "mappings:\n"
        "    -   hfModel: a/a\n"
        "        providerModel: p/a\n"
        "        task: text-to-image\n"
        "    -\n"
        "        hfModel: b/b\n"
        "        providerModel: p/b\n"
        "        task: text-to-image\n"
    )


def test_crlf_and_missing_final_newline_are_kept() -> None:
    text = "mappings: []\r\nprovider: together\r\n# last"
    assert fmt(text) == "provider: together\r\nmappings: []\r\n# last"


def test_flow_style_entries_are_sorted_but_keep_their_key_order() -> None:
    text = (
        "provider: together\n"
        "mappings:\n"
        "  - {task: conversational, hfModel: z/z, providerModel: p/z}\n"
        "  - {task: conversational, hfModel: a/a, providerModel: p/a}\n"
    )
    assert fmt(text) == (
        "provider: together\n"
        "mappings:\n"
        "  - {task: conversational, hfModel: a/a, providerModel: p/a}\n"
        "  - {task: conversational, hfModel: z/z, providerModel: p/z}\n"
    )


def test_a_flow_style_mappings_list_is_refused_with_the_reason() -> None:
    text = "provider: together\nmappings: [{hfModel: z/z, task: chat}, {hfModel: a/a, task: chat}]\n"
    with pytest.raises(FormatError, match=r"line 2, column 11: `mappings` is a flow list"):
        format_text(text)


def test_unloadable_text_raises_with_the_position() -> None:
    with pytest.raises(FormatError, match=r"line 4, column 1: YAML syntax error"):
        format_text("provider: x\nmappings:\n  - hfModel: [unclosed\n")
    with pytest.raises(FormatError, match="duplicate key 'provider'"):
        format_text("provider: x\nprovider: y\n")


def test_aliases_that_would_break_are_refused_not_written() -> None:
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "  - hfModel: z/z\n"
        "    providerModel: &shared p/shared\n"
        "    task: text-to-image\n"
        "  - hfModel: a/a\n"
        "    providerModel: *shared\n"
        "    task: text-to-image\n"
    )
    with pytest.raises(FormatError, match="reorder this file by hand"):
        format_text(text)


def test_canonical_dump_writes_a_canonical_file_that_reads_back() -> None:
    document = {
        "mappings": [
            {
                "task": "text-to-image",
                "providerModel": "black-forest-labs/flux-dev-lora",
                "adapterType": "lora",
                "hfFilter": ["lora", "base_model:adapter:black-forest-labs/FLUX.1-dev"],
                "status": "live",
            },
            {
                "hfModel": "black-forest-labs/FLUX.1-schnell",
                "providerModel": "black-forest-labs/flux-schnell",
                "task": "text-to-image",
                "status": "live",
            },
            {
                "hfModel": "hexgrad/Kokoro-82M",
                "task": "text-to-speech",
                "status": "staging",
                "providerModel": KOKORO,
            },
        ],
        "prune": True,
        "provider": "replicate",
        "ignore": ["zeke/*", "tag-filter=*"],
    }
    text = canonical_dump(
        document, header="yaml-language-server: $schema=../schemas/mapping-file.schema.json"
    )
    assert text == (
        "# yaml-language-server: $schema=../schemas/mapping-file.schema.json\n"
        "provider: replicate\n"
        "prune: true\n"
        "ignore:\n"
        '  - "zeke/*"\n'
        '  - "tag-filter=*"\n'
        "mappings:\n"
        "  - hfModel: black-forest-labs/FLUX.1-schnell\n"
        "    providerModel: black-forest-labs/flux-schnell\n"
        "    task: text-to-image\n"
        "    status: live\n"
        '  - hfFilter: [lora, "base_model:adapter:black-forest-labs/FLUX.1-dev"]\n'
        "    providerModel: black-forest-labs/flux-dev-lora\n"
        "    task: text-to-image\n"
        "    status: live\n"
        "    adapterType: lora\n"
        "  - hfModel: hexgrad/Kokoro-82M\n"
        f"    providerModel: {KOKORO}\n"
        "    task: text-to-speech\n"
        "    status: staging\n"
    )
    assert format_text(text) == text
    mapping_file, findings = load_text(text, "dump.yaml")
    assert findings == [] and mapping_file is not None
    assert mapping_file.data["ignore"] == ["zeke/*", "tag-filter=*"]


def test_canonical_dump_quotes_values_that_would_change_type() -> None:
    text = canonical_dump(
        {"provider": "p", "mappings": [{"hfModel": "a/b", "providerModel": "123", "task": "true"}]}
    )
    mapping_file, _ = load_text(text, "dump.yaml")
    assert mapping_file is not None
    assert mapping_file.data["mappings"][0] == {"hfModel": "a/b", "providerModel": "123", "task": "true"}


@pytest.mark.parametrize("seed", range(5))
def test_any_shuffle_of_an_example_comes_back_to_the_example(seed: int) -> None:
    """Shuffle entries and each entry's keys of the (comment-free) Replicate example: fmt restores it."""
    import random

    lines = [line for line in (EXAMPLES / "replicate.yaml").read_text().splitlines() if line.strip()]
    lines = [line for line in lines if not line.lstrip().startswith("#")]
    canonical = "\n".join(line.split(" # ")[0] for line in lines) + "\n"
    head_end = canonical.index("mappings:\n") + len("mappings:\n")
    entries = [block for block in canonical[head_end:].split("  - ") if block]
    rng = random.Random(seed)
    rng.shuffle(entries)
    shuffled = []
    for block in entries:
        keys = [line.strip() for line in block.splitlines()]
        rng.shuffle(keys)
        shuffled.append("  - " + "\n    ".join(keys) + "\n")
    assert canonical[:head_end] == "provider: replicate\ndefaults:\n  status: live\nprune: true\nmappings:\n"
    text = "mappings:\n" + "".join(shuffled) + "prune: true\ndefaults:\n  status: live\nprovider: replicate\n"
    assert text != canonical
    assert fmt(text) == canonical


def test_a_disable_comment_inside_a_value_is_not_moved_as_a_comment() -> None:
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "  - task: text-to-image\n"
        "    hfModel: 'a/b # hfmap: disable=all'\n"
        "    providerModel: p/q  # hfmap: disable=task-unsupported\n"
    )
    assert fmt(text) == (
        "provider: replicate\n"
        "mappings:\n"
        "  - hfModel: 'a/b # hfmap: disable=all'\n"
        "    providerModel: p/q  # hfmap: disable=task-unsupported\n"
        "    task: text-to-image\n"
    )


def test_a_disable_comment_on_a_lone_dash_stays_there() -> None:
    text = (
        "provider: replicate\n"
        "mappings:\n"
        "  -  # hfmap: disable=task-unsupported\n"
        "    task: text-to-image\n"
        "    hfModel: a/b\n"
        "    providerModel: p/q\n"
    )
    result = fmt(text)
    assert result.splitlines()[2:4] == ["  -  # hfmap: disable=task-unsupported", "    hfModel: a/b"]
    mapping_file, _ = load_text(result, "t.yaml")
    assert mapping_file is not None
    assert mapping_file.entries[0].disabled_rules == frozenset({"task-unsupported"})


UNSORTED_TWO = (
    "provider: replicate\nmappings:\n"
    "  - hfModel: b/b\n    providerModel: p/q\n    task: text-to-image\n"
    "  - hfModel: a/a\n    providerModel: p/q\n    task: text-to-image\n"
)
SORTED_TWO = (
    "provider: replicate\nmappings:\n"
    "  - hfModel: a/a\n    providerModel: p/q\n    task: text-to-image\n"
    "  - hfModel: b/b\n    providerModel: p/q\n    task: text-to-image\n"
)


@pytest.mark.parametrize("tail", ["...\n", "...", "... # end\n# after the document\n\n"])
def test_the_document_end_marker_stays_last(tail: str) -> None:
    assert fmt(UNSORTED_TWO + tail) == SORTED_TWO + tail
    assert fmt(SORTED_TWO + tail) == SORTED_TWO + tail


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_a_file_without_a_final_newline_keeps_its_line_ending(eol: str) -> None:
    result = fmt(UNSORTED_TWO.replace("\n", eol)[: -len(eol)])
    assert result == SORTED_TWO.replace("\n", eol)[: -len(eol)]


def test_a_disable_comment_that_does_not_apply_stays_out_of_effect() -> None:
    """Found by the fmt property test: on a key that becomes the first line it would start to apply."""
    text = (
        "provider: replicate\nmappings:\n"
        "  - providerModel: p/0\n    task: text-to-image\n    hfModel: org/b # hfmap: disable=all\n"
    )
    result = fmt(text)
    assert result == (
        "provider: replicate\nmappings:\n"
        "  - hfModel: org/b\n    providerModel: p/0  # hfmap: disable=all\n    task: text-to-image\n"
    )
    mapping_file, _ = load_text(result, "t.yaml")
    assert mapping_file is not None and mapping_file.entries[0].disabled_rules == frozenset()
