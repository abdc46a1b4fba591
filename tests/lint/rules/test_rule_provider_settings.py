"""`provider-settings`: prune / ignore set differently in files of one provider, reported at each."""

from __future__ import annotations

from lint_rule_helpers import lint_files

BASE = "provider: replicate\n{extra}mappings: []\n"


def _settings(findings):
    return [(f.path, f.line, f.column, f.message) for f in findings if f.rule == "provider-settings"]


def test_prune_disagreement_reported_at_both_keys():
    files = {"a.yaml": BASE.format(extra="prune: true\n"), "b.yaml": BASE.format(extra="prune: false\n")}
    found = _settings(lint_files(files).findings)
    assert [(p, line, col) for p, line, col, _ in found] == [("a.yaml", 2, 1), ("b.yaml", 2, 1)]
    assert "`prune: true` here disagrees with `prune: false` in b.yaml:2" in found[0][3]
    assert "`prune: false` here disagrees with `prune: true` in a.yaml:2" in found[1][3]


def test_ignore_compared_as_sets():
    files = {
        "a.yaml": BASE.format(extra="ignore: ['zeke/*', 'x/*']\n"),
        "b.yaml": BASE.format(extra="ignore: ['x/*', 'zeke/*']\n"),
        "c.yaml": BASE.format(extra="ignore: ['x/*']\n"),
    }
    found = _settings(lint_files(files).findings)
    assert [p for p, *_ in found] == ["a.yaml", "b.yaml", "c.yaml"]
    assert "`ignore: [x/*]` here disagrees with `ignore: [x/*, zeke/*]` in a.yaml:2" in found[2][3]


def test_silent_files_and_other_providers_do_not_disagree():
    files = {
        "a.yaml": BASE.format(extra="prune: false\n"),
        "b.yaml": BASE.format(extra=""),
        "c.yaml": BASE.format(extra="prune: true\n").replace("replicate", "fal-ai"),
    }
    assert _settings(lint_files(files).findings) == []


def test_a_long_ignore_list_is_shown_shortened_so_output_stays_linear():
    long_list = "ignore: [" + ", ".join(f"'p{i}/*'" for i in range(2000)) + "]\n"
    files = {"big.yaml": BASE.format(extra=long_list)}
    files.update({f"f{i}.yaml": BASE.format(extra="ignore: ['x/*']\n") for i in range(50)})
    found = _settings(lint_files(files).findings)
    assert len(found) == 51 and max(len(message) for *_, message in found) < 300
    assert "`ignore: [x/*]` here disagrees with `ignore: [p0/*, p1/*, p10/*, ... 1997 more]`" in found[1][3]


def test_ignore_patterns_matched_together_mean_what_each_means_alone():
    """The patterns are matched as one regex (one pass per key, not one per pattern)."""
    from hfmap.files.model import first_ignoring_pattern, is_ignored

    patterns = ("zeke/*", "Org/[ab]?", "tag-filter=lora,*", "x|y", "a(b")
    for key, expected in [
        ("zeke/x", True),
        ("ZEKE/X", True),  # repo ids in any case
        ("org/ax", True),
        ("org/cx", False),
        ("tag-filter=lora,base", True),
        ("tag-filter=LORA,base", False),  # tags exactly
        ("x|y", True),
        ("x", False),
        ("a(b", True),
    ]:
        assert is_ignored(key, patterns) is expected, key
        assert any(is_ignored(key, (p,)) for p in patterns) is expected, key
        alone = [p for p in patterns if is_ignored(key, (p,))]
        assert first_ignoring_pattern(key, patterns) == (alone[0] if alone else None), key
