"""`ignored-entry`: an entry its provider's `ignore` patterns cover, in any case for repo ids."""

from __future__ import annotations

from lint_rule_helpers import lint_files, lint_text

TEXT = """
provider: replicate
ignore: ["zeke/*", "tag-filter=*"]
mappings:
  - hfModel: black-forest-labs/FLUX.1-schnell
    providerModel: black-forest-labs/flux-schnell
    task: text-to-image
  - hfModel: Zeke/experiment
    providerModel: zeke/experiment
    task: text-to-image
  - hfFilter: [lora, "base_model:adapter:x/y"]
    adapterType: lora
    providerModel: x/lora
    task: text-to-image
"""


def test_entries_covered_by_ignore_are_flagged_at_their_id():
    findings = lint_text(TEXT, "ignored-entry")
    assert [(f.line, f.column, f.level.value) for f in findings] == [(7, 14, "warning"), (10, 15, "warning")]
    assert (
        "'Zeke/experiment' is declared here but also matches ignore pattern 'zeke/*'" in findings[0].message
    )
    assert "ignore pattern 'tag-filter=*'" in findings[1].message


def test_across_the_files_of_one_provider_and_not_for_other_providers():
    settings = "provider: replicate\nignore: ['zeke/*']\nmappings: []\n"
    entry = (
        "provider: replicate\nignore: ['zeke/*']\n"
        "mappings:\n  - {hfModel: zeke/a, providerModel: z/a, task: text-to-image}\n"
    )
    other = (
        "provider: fal-ai\nmappings:\n  - {hfModel: zeke/a, providerModel: fal-ai/a, task: text-to-image}\n"
    )
    result = lint_files({"a.yaml": settings, "b.yaml": entry, "c.yaml": other})
    assert [(f.path, f.line) for f in result.findings if f.rule == "ignored-entry"] == [("b.yaml", 4)]
