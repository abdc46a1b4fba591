"""`# hfmap: disable=RULE[,RULE]` as people write it: with a reason after the ids, spaces after commas."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfmap.files.load import load_text

CHAT = "  - hfModel: org/Model-7B-Instruct  {comment}\n    providerModel: org/m\n    task: text-generation\n"


@pytest.mark.parametrize(
    ("comment", "rules"),
    [
        ("# hfmap: disable=conversational-task", {"conversational-task"}),
        ("# hfmap: disable=conversational-task because it is a base model", {"conversational-task"}),
        ("# hfmap: disable=conversational-task -- base model, not chat", {"conversational-task"}),
        (
            "# hfmap: disable=task-invalid, conversational-task  reason",
            {"task-invalid", "conversational-task"},
        ),
        ("# hfmap: disable=all (legacy entry)", {"all"}),
        ("# hfmap: disable=conversational-task not all of them", {"conversational-task"}),
    ],
)
def test_ids_are_read_up_to_the_first_word_that_follows_a_space(comment: str, rules: set[str]) -> None:
    mapping_file, findings = load_text(
        "provider: together\nmappings:\n" + CHAT.format(comment=comment), "m.yaml"
    )
    assert findings == [] and mapping_file is not None
    assert mapping_file.entries[0].disabled_rules == frozenset(rules)


def test_a_reason_after_the_rule_still_silences_the_warning(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    comment = "# hfmap: disable=conversational-task because this is a base model"
    path.write_text("provider: together\nmappings:\n" + CHAT.format(comment=comment))
    result = run_cli("lint", path)
    assert result.exit_code == 0
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"
