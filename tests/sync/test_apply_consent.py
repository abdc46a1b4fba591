"""Consent before writing, as Terraform asks it: a terminal question answered `yes`, or --yes, a reviewed
hash or a saved plan; without a terminal and without any of them, apply refuses and writes nothing."""

from __future__ import annotations

import json

import pytest

from terminal import run_on_terminal

QUESTION = b"Only 'yes' is accepted:"
FILE = """
    provider: replicate
    mappings:
      - {hfModel: org/a, providerModel: o/a, task: text-to-image, status: live}
      - {hfModel: org/b, providerModel: o/b, task: text-to-image, status: live}
"""


@pytest.fixture
def two_creates(world):
    world.model("org/a")
    world.model("org/b")
    world.file("r.yaml", FILE)
    return world


def test_without_a_terminal_apply_refuses_naming_yes_and_expect_hash(two_creates, token):
    world = two_creates
    result = world.hfmap("apply", str(world.dir), token=token)
    assert result.exit_code == 3
    refusal = [line for line in result.stderr.splitlines() if line.startswith("hfmap:")]
    assert len(refusal) == 1 and "--yes" in refusal[0] and "--expect-hash" in refusal[0]
    assert world.hub.writes == []
    as_json = world.hfmap("apply", "--format", "json", str(world.dir), token=token)
    assert as_json.exit_code == 3 and json.loads(as_json.stdout)["refused"]["code"] == "not-confirmed"
    assert world.hub.writes == []


def test_without_a_terminal_nothing_to_do_needs_no_consent(world, token):
    world.live("replicate", "org/a", "o/a")
    world.file(
        "r.yaml",
        "provider: replicate\nmappings:\n  - {hfModel: org/a, providerModel: o/a, "
        "task: text-to-image, status: live}\n",
    )
    result = world.hfmap("apply", str(world.dir), token=token)
    assert result.exit_code == 0, result.stderr


def test_expect_hash_is_consent_without_a_terminal(two_creates, token):
    world = two_creates
    plan_hash = world.plan_json()["hash"]
    result = world.hfmap("apply", "--expect-hash", plan_hash, str(world.dir), token=token)
    assert result.exit_code == 0, result.stderr
    assert set(world.records("replicate")) == {"org/a", "org/b"}


def _terminal(world, token, answer):
    args = ["--endpoint", world.hub.url, "--token", token, "apply", str(world.dir)]
    return run_on_terminal(args, answer, QUESTION)


def test_on_a_terminal_yes_applies_after_showing_the_plan(two_creates, token):
    world = two_creates
    code, shown = _terminal(world, token, "yes")
    assert code == 0, shown
    assert shown.index("Plan: 2 to create") < shown.index(
        "Apply these 2 changes to the Hub? Only 'yes' is accepted:"
    )
    assert shown.index("accepted:") < shown.index("[replicate] + org/a: created")
    assert "Verified: the live mapping now matches the files." in shown
    assert set(world.records("replicate")) == {"org/a", "org/b"}


@pytest.mark.parametrize("answer", ["no", "YES", "yes please"])
def test_on_a_terminal_any_other_answer_writes_nothing(two_creates, token, answer):
    world = two_creates
    code, shown = _terminal(world, token, answer)
    assert code == 3, shown
    assert "the answer was not 'yes'; nothing was written" in shown
    assert world.hub.writes == []


def test_on_a_terminal_yes_flag_skips_the_question(two_creates, token):
    world = two_creates
    args = ["--endpoint", world.hub.url, "--token", token, "apply", "-y", str(world.dir)]
    code, shown = run_on_terminal(args, None, QUESTION)
    assert code == 0, shown
    assert "accepted:" not in shown and set(world.records("replicate")) == {"org/a", "org/b"}


def test_an_unsafe_plan_is_refused_before_the_question(world, token):
    for name in "abcd":
        world.live("replicate", f"org/{name}", f"o/{name}")
    world.file("r.yaml", "provider: replicate\nmappings: []\n")
    args = ["--endpoint", world.hub.url, "--token", token, "apply", str(world.dir)]
    code, shown = run_on_terminal(args, None, QUESTION)
    assert code == 3, shown
    assert "accepted:" not in shown and "all 4 live mappings would be deleted" in shown
    assert world.hub.writes == []


def test_quiet_still_shows_the_plan_it_asks_about(two_creates, token):
    world = two_creates
    args = ["-q", "--endpoint", world.hub.url, "--token", token, "apply", str(world.dir)]
    code, shown = run_on_terminal(args, "no", QUESTION)
    assert code == 3, shown
    assert shown.index("Plan: 2 to create") < shown.index("Apply these 2 changes")
    assert world.hub.writes == []
