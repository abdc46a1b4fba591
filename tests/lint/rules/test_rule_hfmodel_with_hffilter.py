"""`hfmodel-with-hffilter`: an entry is one model or one tag filter, never both."""

from __future__ import annotations

from lint_rule_helpers import lint_text


def test_both_set_is_reported_once_at_hffilter():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        hfFilter: [lora]
        adapterType: lora
        providerModel: a/b
        task: text-to-image
    """
    findings = lint_text(text)
    assert [(f.rule, f.line, f.column) for f in findings] == [("hfmodel-with-hffilter", 4, 5)]
    assert "both `hfFilter` and `hfModel` (line 3)" in findings[0].message


def test_either_alone_is_fine():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        providerModel: a/b
        task: text-to-image
      - hfFilter: [lora]
        adapterType: lora
        providerModel: a/c
        task: text-to-image
    """
    assert lint_text(text) == []
