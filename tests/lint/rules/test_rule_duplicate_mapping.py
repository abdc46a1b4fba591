"""`duplicate-mapping`: one identity twice, reported at both places, each naming the other."""

from __future__ import annotations

from lint_rule_helpers import lint_files, lint_text

A = """
provider: replicate
mappings:
  - hfModel: black-forest-labs/FLUX.1-schnell
    providerModel: black-forest-labs/flux-schnell
    task: text-to-image
  - hfFilter: [lora, "base_model:adapter:x/y"]
    adapterType: lora
    providerModel: x/lora
    task: text-to-image
"""


def test_within_one_file_both_places():
    text = (
        A
        + "  - hfModel: black-forest-labs/FLUX.1-schnell\n    providerModel: a/b\n    task: image-to-image\n"
    )
    findings = lint_text(text, "duplicate-mapping")
    assert [(f.line, f.column) for f in findings] == [(3, 14), (10, 14)]
    assert "also at m.yaml:10" in findings[0].message
    assert "also at m.yaml:3" in findings[1].message
    assert (
        "'black-forest-labs/FLUX.1-schnell' is mapped more than once for provider 'replicate'"
        in findings[0].message
    )


def test_across_files_of_one_provider_and_tag_order_does_not_matter():
    b = """
    provider: replicate
    mappings:
      - hfFilter: ["base_model:adapter:x/y", lora]
        adapterType: lora
        providerModel: x/other
        task: text-to-image
    """
    findings = [f for f in lint_files({"a.yaml": A, "b.yaml": b}).findings if f.rule == "duplicate-mapping"]
    assert [(f.path, f.line, f.column) for f in findings] == [("a.yaml", 6, 15), ("b.yaml", 3, 15)]
    assert "tag filter tag-filter=base_model:adapter:x/y,lora" in findings[0].message
    assert "also at b.yaml:3" in findings[0].message and "also at a.yaml:6" in findings[1].message


def test_other_provider_or_other_tag_case_is_not_a_duplicate():
    other = A.replace("replicate", "fal-ai").replace("x/lora", "fal-ai/lora")
    tag_case = A.replace("FLUX.1-schnell", "FLUX.1-dev").replace("x/y", "X/Y")  # tags are case-sensitive
    result = lint_files({"a.yaml": A, "b.yaml": other, "c.yaml": tag_case})
    assert [f for f in result.findings if f.rule == "duplicate-mapping"] == []


def test_repo_ids_differing_only_in_case_are_one_repo():
    text = (
        A + "  - hfModel: Black-Forest-Labs/flux.1-schnell\n    providerModel: a/b\n    task: text-to-image\n"
    )
    findings = lint_text(text, "duplicate-mapping")
    assert [(f.line, f.column) for f in findings] == [(3, 14), (10, 14)]
    assert "one repo on the Hub" in findings[0].message and "also at m.yaml:10" in findings[0].message


def _copies(count: int, spell=lambda i: "org/model") -> str:
    entry = "  - hfModel: {}\n    providerModel: a/b\n    task: text-to-image\n"
    return "provider: replicate\nmappings:\n" + "".join(entry.format(spell(i)) for i in range(count))


def test_many_copies_name_the_first_place_and_a_count():
    findings = lint_text(_copies(5), "duplicate-mapping")
    assert len(findings) == 5
    assert findings[0].message == (
        "'org/model' is mapped 5 times for provider 'replicate' (also at m.yaml:6 and 3 more); keep one entry"
    )
    assert findings[4].message == (
        "'org/model' is mapped 5 times for provider 'replicate' (also at m.yaml:3, the first of 5); "
        "keep one entry"
    )


def test_output_grows_linearly_with_the_copies():
    """A 256 KB file of 4,000 identical entries printed 750 MB: every finding listed every other place."""
    spellings = lambda i: "Org/Model" if i % 2 else f"org/{'M' if i % 3 else 'm'}odel"  # noqa: E731
    sizes = {n: sum(len(f.message) for f in lint_text(_copies(n, spellings))) for n in (200, 800)}
    assert sizes[800] < 4.2 * sizes[200]
    assert max(len(f.message) for f in lint_text(_copies(800, spellings))) < 250
