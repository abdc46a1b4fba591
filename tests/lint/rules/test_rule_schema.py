"""`schema`: one plain message per problem, at the key or value at fault."""

from __future__ import annotations

import json
from pathlib import Path

from lint_rule_helpers import lint_text

from hfmap.lint.rules.schema import _validator, inline_local_refs, schema_text

REPO = Path(__file__).resolve().parents[3]


def test_clean_file_has_no_findings():
    text = """
    provider: replicate
    defaults:
      status: live
    prune: false
    ignore: ["zeke/*"]
    mappings:
      - hfModel: black-forest-labs/FLUX.1-schnell
        providerModel: black-forest-labs/flux-schnell
        task: text-to-image
    """
    assert lint_text(text) == []


def test_unknown_key_in_entry_at_the_key_with_suggestion_and_no_missing_task():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        providerModel: a/b
        taks: text-to-image
    """
    (finding,) = lint_text(text)
    assert (finding.rule, finding.line, finding.column) == ("schema", 5, 5)
    assert finding.message == "unknown key 'taks' in a mapping entry; did you mean 'task'?"


def test_entry_key_at_top_level_says_where_it_belongs():
    text = """
    provider: replicate
    hfModel: a/b
    mappings: []
    """
    (finding,) = lint_text(text, "schema")
    assert (finding.line, finding.column) == (2, 1)
    assert "unknown key 'hfModel' at the top level" in finding.message
    assert "under `mappings:`" in finding.message


def test_wrong_type_at_the_value():
    text = """
    provider: replicate
    mappings:
      - hfModel: 123
        providerModel: a/b
        task: text-to-image
    """
    (finding,) = lint_text(text)
    assert (finding.rule, finding.line, finding.column) == ("schema", 3, 14)
    assert finding.message == "`hfModel` must be a string, got integer 123"


def test_prune_must_be_boolean():
    (finding,) = lint_text("provider: replicate\nprune: 'yes'\nmappings: []\n")
    assert (finding.line, finding.column) == (2, 8)
    assert finding.message == "`prune` must be true or false, got string 'yes'"


def test_missing_required_at_the_parent():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        task: text-to-image
    """
    (finding,) = lint_text(text)
    assert (finding.line, finding.column) == (3, 5)
    assert "this entry is missing `providerModel`" in finding.message


def test_task_may_come_from_defaults():
    text = """
    provider: replicate
    defaults: {task: text-to-image}
    mappings:
      - hfModel: a/b
        providerModel: a/b
    """
    assert lint_text(text) == []


def test_missing_task_without_defaults():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        providerModel: a/b
    """
    (finding,) = lint_text(text)
    assert "missing `task` (set it on the entry or once in `defaults:`)" in finding.message


def test_missing_provider_and_mappings_at_the_document():
    findings = lint_text("prune: true\n")
    assert [(f.line, f.column) for f in findings] == [(1, 1), (1, 1)]
    assert {f.message.split(" (")[0] for f in findings} == {
        "the file is missing `provider`",
        "the file is missing `mappings`",
    }


def test_bad_enum_names_the_choices_and_the_case_slip():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        providerModel: a/b
        task: text-to-image
        status: Live
    """
    (finding,) = lint_text(text)
    assert (finding.line, finding.column) == (6, 13)
    assert finding.message.startswith("`status` must be one of live, staging, auto, got 'Live'")
    assert "did you mean 'live'?" in finding.message


def test_entry_that_is_not_a_mapping():
    (finding,) = lint_text("provider: replicate\nmappings:\n  - just-a-string\n")
    assert (finding.line, finding.column) == (3, 5)
    assert (
        finding.message
        == "entry 1 of `mappings` must be a mapping (key: value pairs), got string 'just-a-string'"
    )


def test_entry_without_hfmodel_or_hffilter():
    text = """
    provider: replicate
    mappings:
      - providerModel: a/b
        task: text-to-image
    """
    (finding,) = lint_text(text)
    assert finding.rule == "schema"
    assert "needs `hfModel`" in finding.message and "or `hfFilter`" in finding.message


def test_errors_left_to_dedicated_rules_are_not_reported_twice():
    text = """
    provider: replicate
    mappings:
      - hfModel: a/b
        hfFilter: [lora, lora, ""]
        providerModel: "x y"
        task: text-to-image
      - hfModel: bad--id
        providerModel: a/b
        task: text-to-image
        adapterType: lora
    """
    rules = sorted(f.rule for f in lint_text(text))
    assert "schema" not in rules
    assert rules == sorted(
        [
            "hfmodel-with-hffilter",
            "hffilter-adapter",
            "hffilter-tags",
            "hffilter-tags",
            "provider-model-id",
            "hf-model-id",
            "hffilter-adapter",
        ]
    )


def test_shipped_schema_is_identical_to_the_repository_copy():
    shipped = REPO / "src" / "hfmap" / "schemas" / "mapping-file.schema.json"
    assert shipped.read_bytes() == (REPO / "schemas" / "mapping-file.schema.json").read_bytes()
    assert schema_text() == shipped.read_text(encoding="utf-8")


def test_schema_is_valid_2020_12_with_help_on_every_property():
    from jsonschema import Draft202012Validator

    schema = json.loads(schema_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def walk(node, path):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "$ref" not in sub or "title" in sub:
                    assert sub.get("title") and sub.get("description"), (
                        f"{path}.{name} lacks title/description"
                    )
            for key, value in node.items():
                if key not in ("enum", "examples", "default", "if", "then", "else", "not", "anyOf"):
                    walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, path)

    walk(schema, "$")
    assert "enum" not in schema["$defs"]["task"] and "enum" not in schema["properties"]["provider"]


def test_inlined_refs_give_the_same_errors_as_the_schema_itself():
    """The speed-up must not change a verdict: compare with the plain schema on good and bad documents."""
    from jsonschema import Draft202012Validator

    plain = Draft202012Validator(json.loads(schema_text()))
    assert "$ref" not in json.dumps(inline_local_refs(json.loads(schema_text()))["properties"])
    documents = [
        {"provider": "r", "mappings": [{"hfModel": "a/b", "providerModel": "x", "task": "t"}]},
        {"provider": "r", "defaults": {"status": "Live", "task": 3}, "mappings": [{"hfModel": "a/b"}]},
        {
            "provider": "",
            "mappings": [{"hfFilter": [], "providerModel": "x y", "task": "", "status": 1}, "s"],
        },
        {
            "provider": "r",
            "mappings": [{"hfModel": "a/b", "hfFilter": ["x"], "adapterType": "lorax", "z": 1}],
        },
        {"mappings": {}, "prune": "yes", "ignore": [1, ""]},
        {"provider": "r", "mappings": ["s", {"hfFilter": ["a", "a", ""], "adapterType": "LoRA"}]},
    ]
    for document in documents:

        def key(e):
            return (list(e.absolute_path), e.validator, e.message)

        assert sorted(map(key, plain.iter_errors(document))) == sorted(
            map(key, _validator().iter_errors(document))
        )


def test_an_integer_over_pythons_digit_limit_is_a_schema_finding(run_cli, tmp_path):
    """`prune: <5000 digits>` once ended lint and fmt in an internal error (int max str digits)."""
    path = tmp_path / "m.yaml"
    path.write_text(f"provider: replicate\nprune: {'9' * 5000}\nmappings: []\n")
    result = run_cli("lint", path)
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{path}:2:8: error [schema] `prune` must be true or false, got an integer of 5,000 digits\n"
    )
    assert run_cli("fmt", "--check", path).exit_code == 0
