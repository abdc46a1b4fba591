"""Step outputs, job summary and annotations are written the way the runner reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from github import events
from github.harness import parse_output_file
from hfmap.errors import UsageError
from hfmap.github.env import check_event_shape, load_env, parse_paths
from hfmap.github.workflow import SUMMARY_LIMIT, annotate, set_outputs, write_summary


def test_outputs_survive_multiline_values_and_fake_delimiters(tmp_path: Path) -> None:
    out = tmp_path / "output"
    hostile = "line1\nEOF\nplan-hash=sha256:forged\nghadelimiter_x"
    set_outputs(out, {"comment-url": hostile, "applied": "true"})
    assert parse_output_file(out.read_text()) == {"comment-url": hostile, "applied": "true"}


def test_summary_is_cut_under_one_mebibyte_with_a_note(tmp_path: Path) -> None:
    summary = tmp_path / "summary"
    write_summary(summary, "| row |\n" * 300_000)
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode()) < SUMMARY_LIMIT
    assert "**Truncated:**" in text and text.count("| row |") > 100_000


def test_annotations_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    annotate("warning", "50% done\n::error::forged", title="a:b,c")
    assert capsys.readouterr().out == "::warning title=a%3Ab%2Cc::50%25 done%0A::error::forged\n"


def test_inputs_are_read_from_the_environment(tmp_path: Path) -> None:
    env = load_env({"INPUT_PATHS": "mappings\nmore/one.yaml 'with space'", "INPUT_FORCE": "TRUE"})
    assert env.paths == ["mappings", "more/one.yaml", "with space"]
    assert env.allow_unsafe and env.allow_unreviewed and env.force_used  # the deprecated alias of both
    only = load_env({"INPUT_ALLOW_UNSAFE": "true"})
    assert only.allow_unsafe and not only.allow_unreviewed and not only.force_used
    with pytest.raises(UsageError, match="approval-key"):
        load_env({"INPUT_APPROVAL_KEY": "short"})
    assert parse_paths("") == ["mappings"]
    with pytest.raises(UsageError, match="input 'mode'"):
        load_env({"INPUT_MODE": "yolo"})
    with pytest.raises(UsageError, match="input 'comment' must be true or false"):
        load_env({"INPUT_COMMENT": "maybe"})


def test_a_paths_input_with_an_unbalanced_quote_is_a_usage_error_naming_it() -> None:
    with pytest.raises(UsageError, match="input 'paths'"):
        load_env({"INPUT_PATHS": "teams/o'brien.yaml"})


def test_paths_are_normalised_so_the_plan_and_apply_workflows_find_the_same_comment() -> None:
    """pr.yml saying `mappings/` and apply.yml saying `mappings` must name the same reviewed comment."""
    assert load_env({"INPUT_PATHS": "./mappings/"}).paths == load_env({"INPUT_PATHS": "mappings"}).paths
    assert parse_paths("mappings//team-a/ extra/../more") == ["mappings/team-a", "more"]


def test_every_event_payload_github_sends_passes_the_shape_check() -> None:
    for payload in (
        events.pull_request(7, "1" * 40),
        events.pull_request(7, "1" * 40, action="synchronize", fork_of="someone/fork"),
        events.push("3" * 40),
        events.schedule(),
        events.workflow_run("1" * 40, fork_of="someone/fork"),
        events.merge_group("4" * 40),
        events.workflow_dispatch("7"),
        {"after": "0" * 40, "head_commit": None, "commits": []},  # a branch deleted: no head commit
    ):
        check_event_shape(payload, "event")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"pull_request": {"number": "abc"}}, "pull_request.number"),
        ({"pull_request": {"number": float("inf")}}, "pull_request.number"),  # 1e999 in the JSON
        ({"pull_request": {"number": True}}, "pull_request.number"),
        ({"pull_request": {"number": 7, "head": "main"}}, "pull_request.head"),
        ({"pull_request": []}, "pull_request"),
        ({"after": 5, "commits": "x"}, "after"),
        ({"commits": "x"}, "commits"),
        ({"commits": ["x"]}, "commits.*"),
        ({"repository": {"default_branch": ["main"]}}, "repository.default_branch"),
        ({"workflow_run": {"pull_requests": [{"head": 1}]}}, "workflow_run.pull_requests.*.head"),
    ],
)
def test_a_forged_event_payload_is_a_usage_error_naming_the_field(
    tmp_path: Path, run_cli, payload: dict, field: str
) -> None:
    """A hand-written GITHUB_EVENT_PATH once ended in `internal error` (int('abc'), 'str'.get)."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload).replace("Infinity", "1e999"))
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "push", "GITHUB_STEP_SUMMARY": ""}
    result = run_cli("action", "run", env=env)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"event field '{field}' must be" in result.stderr
    assert "internal error" not in result.stdout + result.stderr


def _run_action(tmp_path: Path, run_cli, event_name: str, payload_text: str):
    event = tmp_path / "event.json"
    event.write_text(payload_text, encoding="utf-8")
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": event_name, "GITHUB_STEP_SUMMARY": ""}
    result = run_cli("action", "run", env=env)
    assert "internal error" not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"workflow_run": {"pull_requests": [{"number": "x"}]}},
            "'workflow_run.pull_requests.*.number' must be",
        ),
        (
            {"workflow_run": {"pull_requests": [{"head": {"sha": "1" * 40}}]}},
            "pull_requests.*.number' is missing",
        ),
        (
            {"workflow_run": {"pull_requests": [{"number": 0}]}},
            "pull_requests.*.number' must be a pull request",
        ),
        ({"pull_request": {"number": -3}}, "'pull_request.number' must be a pull request number"),
        ({"pull_request": {"number": 10**12}}, "'pull_request.number' must be a pull request number"),
        ({"number": 0}, "event field 'number' must be a pull request number"),
    ],
)
def test_forged_pull_request_numbers_are_a_usage_error_naming_the_field(
    tmp_path: Path, run_cli, payload: dict, message: str
) -> None:
    """`workflow_run.pull_requests[].number` as "x", or missing, once raised int('x') or KeyError."""
    result = _run_action(tmp_path, run_cli, "workflow_run", json.dumps(payload))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    "raw", ["²", "٣", "7" * 5000, "0", "-1", "+7", "1e3", "7 8", "x", 7.0, -7, True, [7]]
)
def test_a_dispatch_pull_request_input_that_is_not_a_number_is_a_usage_error(
    tmp_path: Path, run_cli, raw: object
) -> None:
    """ "²" passed isdigit() and then failed in int(); 5,000 digits hit Python's int-conversion limit."""
    payload = {**events.workflow_dispatch(), "inputs": {"pull-request": raw}}
    result = _run_action(tmp_path, run_cli, "workflow_dispatch", json.dumps(payload, ensure_ascii=False))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        "input 'pull-request' must be" in result.stderr
        or "event field 'inputs.pull-request'" in result.stderr
    )
    assert len(result.stderr) < 500  # a forged value is shown cut short, not 5,000 digits


@pytest.mark.parametrize(("raw", "number"), [("7", 7), (" #7 ", 7), (7, 7), ("", None), ("  ", None)])
def test_a_dispatch_pull_request_input_github_sends_is_read(
    raw: object, number: int | None, tmp_path: Path
) -> None:
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({**events.workflow_dispatch(), "inputs": {"pull-request": raw}}), encoding="utf-8"
    )
    env = load_env({"GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "workflow_dispatch"})
    assert env.dispatch_pull == number
