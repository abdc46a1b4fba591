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
