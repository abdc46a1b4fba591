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


BAD_ID = "provider: replicate\nmappings:\n{entry}    providerModel: a/b\n    task: text-to-image\n"


@pytest.mark.parametrize(
    "entry",
    [
        '  - hfModel: "acme/bad id # hfmap: disable=all"\n',
        "  - hfModel: 'acme/bad id  # hfmap: disable=all'\n",
        "  - hfModel: acme/x#hfmap:disable=all\n",
        "  - hfModel: acme/bad id #y\n    # hfmap: disable=all\n",  # not the first line
        "  - hfModel: >-\n      acme/bad id\n      # hfmap: disable=all\n",
    ],
)
def test_text_inside_a_value_never_disables_rules(entry: str, run_cli, tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(BAD_ID.format(entry=entry))
    mapping_file, _ = load_text(path.read_text(), "m.yaml")
    assert mapping_file is not None and mapping_file.entries[0].disabled_rules == frozenset()
    result = run_cli("lint", path)
    assert result.exit_code == 1 and "[hf-model-id]" in result.stdout


def test_a_real_comment_after_a_value_holding_the_same_text_applies() -> None:
    entry = "  - hfModel: 'acme/bad id # hfmap: disable=task-invalid'  # hfmap: disable=hf-model-id\n"
    mapping_file, _ = load_text(BAD_ID.format(entry=entry), "m.yaml")
    assert mapping_file is not None
    assert mapping_file.entries[0].disabled_rules == frozenset({"hf-model-id"})
    assert mapping_file.entries[0].disable_at == (3, 59)


def test_a_comment_on_a_lone_dash_line_applies_to_the_entry(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        BAD_ID.format(entry="  -   # hfmap: disable=hf-model-id, no-such-rule\n    hfModel: acme/bad id\n")
    )
    result = run_cli("-v", "lint", path)
    assert "[hf-model-id]" not in result.stdout
    assert f"suppressed by comment at {path}:3" in result.stderr
    assert f"{path}:3:7: warning [disable-comment] " in result.stdout  # the comment's own place
