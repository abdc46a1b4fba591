"""`hffilter-tags`: empty list, blank, padded or repeated tags, each at its own position."""

from __future__ import annotations

from lint_rule_helpers import lint_text


def _entry(tags: str) -> str:
    head = f"provider: replicate\nmappings:\n  - hfFilter: {tags}\n"
    return head + "    adapterType: lora\n    providerModel: a/b\n    task: text-to-image\n"


def test_good_tags_pass():
    assert lint_text(_entry('[lora, "base_model:adapter:x/y"]'), "hffilter-tags") == []


def test_empty_list():
    findings = lint_text(_entry("[]"), "hffilter-tags")
    assert [(f.line, f.column) for f in findings] == [(3, 15)]
    assert "`hfFilter` is empty" in findings[0].message


def test_blank_padded_and_duplicate_tags():
    findings = lint_text(_entry('[lora, "", " x ", lora]'), "hffilter-tags")
    assert [(f.line, f.column) for f in findings] == [(3, 22), (3, 26), (3, 33)]
    blank, padded, duplicate = (f.message for f in findings)
    assert blank == "tag 2 of `hfFilter` is blank; remove it"
    assert "has leading or trailing spaces" in padded and "write 'x'" in padded
    assert "tag 'lora' appears twice in `hfFilter` (first at line 3, column 16)" in duplicate


def test_block_list_positions():
    text = "provider: replicate\nmappings:\n  - hfFilter:\n      - lora\n      - lora\n"
    text += "    adapterType: lora\n    providerModel: a/b\n    task: text-to-image\n"
    (finding,) = lint_text(text)
    assert (finding.rule, finding.line, finding.column) == ("hffilter-tags", 5, 9)


def test_a_tag_holding_a_comma_is_an_error():
    """`["lora,x", "y"]` and `["lora", "x,y"]` would share the Hub key `tag-filter=lora,x,y`."""
    findings = lint_text(_entry('["lora,x", y]'), "hffilter-tags")
    assert [(f.line, f.column) for f in findings] == [(3, 16)]
    assert "tag 1 of `hfFilter` ('lora,x') contains ','" in findings[0].message
