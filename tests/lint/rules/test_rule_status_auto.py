"""`status-auto`: `status: auto` only where a status source resolves it (one model of a provider with one)."""

from __future__ import annotations

from lint_rule_helpers import lint_text


def test_auto_on_a_replicate_model_is_fine_also_from_defaults():
    text = """
    provider: replicate
    defaults: {status: auto}
    mappings:
      - hfModel: a/b
        providerModel: o/b
        task: text-to-image
      - hfModel: a/c
        providerModel: o/c:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        task: text-to-image
        status: auto
    """
    assert lint_text(text) == []


def test_auto_on_a_provider_without_a_status_source_is_an_error_at_the_status():
    text = """
    provider: together
    mappings:
      - hfModel: a/b
        providerModel: a/b
        task: conversational
        status: auto
    """
    (finding,) = lint_text(text)
    assert (finding.rule, finding.level, finding.line, finding.column) == ("status-auto", "error", 6, 13)
    assert "'together'" in finding.message and "replicate" in finding.message
    assert finding.message.endswith("use live or staging")


def test_auto_on_a_tag_filter_is_an_error_and_defaults_are_named():
    text = """
    provider: replicate
    defaults: {status: auto}
    mappings:
      - hfFilter: [lora, "base_model:adapter:x/y"]
        providerModel: o/lora
        task: text-to-image
        adapterType: lora
      - hfModel: a/b
        providerModel: o/b
        task: text-to-image
    """
    (finding,) = lint_text(text)
    assert (finding.rule, finding.line, finding.column) == ("status-auto", 4, 5)
    assert "(from `defaults`)" in finding.message and "tag filter" in finding.message
    assert "set `status: live` or `staging` on this entry" in finding.message


def test_an_explicit_status_on_a_tag_filter_overrides_auto_defaults():
    text = """
    provider: replicate
    defaults: {status: auto}
    mappings:
      - hfFilter: [lora, "base_model:adapter:x/y"]
        providerModel: o/lora
        task: text-to-image
        adapterType: lora
        status: live
    """
    assert lint_text(text) == []


def test_the_rule_can_be_disabled_on_the_entry():
    text = """
    provider: together
    mappings:
      - hfModel: a/b  # hfmap: disable=status-auto
        providerModel: a/b
        task: conversational
        status: auto
    """
    assert lint_text(text) == []


def test_auto_is_a_valid_schema_value_but_other_words_are_not():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        providerModel: o/b
        task: text-to-image
        status: automatic
    """
    (finding,) = lint_text(text)
    assert finding.rule == "schema" and "live, staging, auto" in finding.message
