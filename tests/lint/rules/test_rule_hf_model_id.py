"""`hf-model-id`: the Hub's repo-id rules, in ASCII, with the broken rule named."""

from __future__ import annotations

import pytest
from lint_rule_helpers import lint_files, lint_text

TEXT = """
provider: replicate
mappings:
  - hfModel: "{model}"
    providerModel: a/b
    task: text-to-image
"""


def _one(model: str):
    findings = lint_text(TEXT.format(model=model), "hf-model-id")
    assert len(findings) == 1, findings
    assert (findings[0].line, findings[0].column) == (3, 14)
    return findings[0].message


@pytest.mark.parametrize(
    "model",
    ["black-forest-labs/FLUX.1-schnell", "a/b", "user_1/model.v2", "_x/y_", "A" * 96 + "/" + "b" * 96],
)
def test_valid_ids_pass(model):
    assert lint_text(TEXT.format(model=model), "hf-model-id") == []


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt2", "has no namespace"),
        ("a/b/c", "has 2 '/'"),
        ("a/b--c", "the name contains '--'"),
        ("a..b/c", "the namespace contains '..'"),
        ("-a/b", "the namespace starts with '-'"),
        ("a/b.", "the name ends with '.'"),
        ("a/b.git", "the name ends with '.git'"),
        ("a/" + "b" * 97, "the name is 97 characters long (at most 96)"),
        ("a/b@c", "the name contains '@' (U+0040 COMMERCIAL AT)"),
        ("a/", "the name is empty"),
        ("", "`hfModel` is empty"),
        ("a/b c", "contains ' ' (U+0020 SPACE) at character 4"),
    ],
)
def test_each_broken_rule_is_named(model, expected):
    assert expected in _one(model)


def test_cyrillic_lookalike_is_named_with_its_code_point():
    message = _one("meta-llаma/Llama-3")  # the 'а' is U+0430
    assert "'а' (U+0430 CYRILLIC SMALL LETTER A) at character 8" in message
    assert "looks like 'a'" in message


def test_fullwidth_slash_is_named():
    message = _one("meta-llama／Llama-3")
    assert "U+FF0F FULLWIDTH SOLIDUS" in message and "looks like '/'" in message


def test_other_non_ascii_is_named():
    assert "non-ASCII character 'é' (U+00E9 LATIN SMALL LETTER E WITH ACUTE)" in _one("a/café")


def test_comment_disable_on_the_entry():
    text = "provider: replicate\nmappings:\n  - hfModel: gpt2  # hfmap: disable=hf-model-id\n"
    text += "    providerModel: a/b\n    task: text-to-image\n"
    result = lint_files({"m.yaml": text})
    assert result.findings == []
    assert [s.finding.rule for s in result.suppressed] == ["hf-model-id"]
    assert result.suppressed[0].describe() == "suppressed by comment at m.yaml:3"


AGREEMENT_CASES = ["a/b", "gpt2", "a/b/c", "a/b--c", "a..b/c", "-a/b", "a/b.", "a/b.git", "a/b.gitx", "a/.b"]
AGREEMENT_CASES += [
    "_x/y_",
    "a/b-",
    "a/" + "b" * 96,
    "a/" + "b" * 97,
    "a/b@c",
    "a/",
    "",
    "meta-llаma/x",
    "a b/c",
]


@pytest.mark.parametrize("model", AGREEMENT_CASES)
def test_schema_pattern_agrees_with_the_rule(model):
    """Editors validate with the schema's pattern alone: they must flag exactly what this rule flags."""
    import json
    import re

    from hfmap.lint.rules.hf_model_id import problems
    from hfmap.lint.rules.schema import schema_text

    pattern = json.loads(schema_text())["$defs"]["mapping"]["properties"]["hfModel"]["pattern"]
    assert bool(re.search(pattern, model)) == (not problems(model))
