"""`hffilter-adapter`: hfFilter needs adapterType: lora; adapterType needs hfFilter."""

from __future__ import annotations

from lint_rule_helpers import lint_text


def test_hffilter_without_adapter_type():
    text = """
    provider: replicate
    mappings:
      - hfFilter: [lora, "base_model:adapter:black-forest-labs/FLUX.1-dev"]
        providerModel: black-forest-labs/flux-dev-lora
        task: text-to-image
    """
    (finding,) = lint_text(text)
    assert (finding.rule, finding.line, finding.column) == ("hffilter-adapter", 3, 5)
    assert "needs `adapterType: lora`" in finding.message


def test_adapter_type_without_hffilter():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        providerModel: a/b
        task: text-to-image
        adapterType: lora
    """
    (finding,) = lint_text(text)
    assert (finding.rule, finding.line, finding.column) == ("hffilter-adapter", 6, 5)
    assert "goes only with `hfFilter`" in finding.message


def test_wrong_adapter_value_is_a_schema_enum():
    text = """
    provider: replicate
    mappings:
      - hfFilter: [lora]
        adapterType: LoRA
        providerModel: a/b
        task: text-to-image
    """
    (finding,) = lint_text(text)
    assert (finding.rule, finding.line, finding.column) == ("schema", 4, 18)
    assert "`adapterType` must be one of lora, got 'LoRA'" in finding.message
