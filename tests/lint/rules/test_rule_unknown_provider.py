"""`unknown-provider`: not in the clients' list, or without Hub mappings; `--allow-provider` accepts one."""

from __future__ import annotations

from lint_rule_helpers import lint_text

FILE = """
provider: {name}
mappings:
  - hfModel: a/b
    providerModel: a/b
    task: conversational
"""


def test_known_provider_is_fine():
    assert lint_text(FILE.format(name="together"), "unknown-provider") == []


def test_misspelt_provider_gets_closest_and_the_allow_hint():
    (finding,) = lint_text(FILE.format(name="replicat"), "unknown-provider")
    assert (finding.line, finding.column, finding.level) == (1, 11, "error")
    assert "unknown provider 'replicat'; did you mean 'replicate'?" in finding.message
    assert "--allow-provider replicat" in finding.message


def test_allow_provider_accepts_a_new_one_and_skips_its_task_check():
    assert lint_text(FILE.format(name="brand-new-ai"), allow=("brand-new-ai",)) == []


def test_client_side_only_provider_is_reported():
    (finding,) = lint_text(FILE.format(name="openai"), "unknown-provider")
    assert "served client-side only" in finding.message
    assert lint_text(FILE.format(name="openai"), "unknown-provider", allow=("openai",)) == []


def test_can_be_disabled_since_it_uses_shipped_data():
    assert lint_text(FILE.format(name="nope-ai"), disabled=frozenset({"unknown-provider"})) == []
