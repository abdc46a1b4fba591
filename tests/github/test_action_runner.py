"""The Action runs hfmap's commands through the command line's entry point in its own process: what a
separate process would give (exit code, stdout, stderr) must come back the same, and nothing may leak
between the command and the Action (streams, secrets)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hfmap.cli import main
from hfmap.github import runner
from hfmap.secrets import register_secret

SECRET = "hf_runnersecret0123456789abcdef"


@pytest.fixture(autouse=True)
def _entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(runner._ENTRY, "hfmap", main)


def test_a_plan_comes_back_as_json_with_its_exit_code(hub, tmp_path: Path) -> None:
    hub.add_model("org/a", pipeline_tag="text-to-image")
    path = tmp_path / "m.yaml"
    entry = "{hfModel: org/a, providerModel: o/a, task: text-to-image}"
    path.write_text(f"provider: replicate\nmappings:\n  - {entry}\n")
    run = runner.run_json(["--endpoint", hub.url, "plan", "--format", "json", str(path)])
    assert run.exit_code == 0, run.stderr
    assert run.data is not None and run.data["summary"]["create"] == 1


def test_a_usage_error_is_exit_2_with_clicks_words(capsys: pytest.CaptureFixture[str]) -> None:
    run = runner.run_json(["plan", "--no-such-option"])
    assert (run.exit_code, run.data) == (2, None)
    assert run.error == "Error: No such option '--no-such-option'."
    assert "Try 'hfmap plan --help' for help." in capsys.readouterr().err  # echoed to the job log too


def test_findings_are_exit_1_and_annotations_reach_the_log(tmp_path: Path, capsys) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("provider: replicate\nmappings:\n  - {hfModel: org/a, task: text-to-image}\n")
    run = runner.run_passthrough(["--format", "github", "lint", str(path)])
    assert run.exit_code == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=") and "providerModel" in out


def test_the_streams_are_the_actions_again_after_a_command_even_one_that_raises(monkeypatch) -> None:
    before = (sys.stdout, sys.stderr)

    def broken(args: list[str]) -> None:
        print("half a line", end="")
        raise RuntimeError(f"boom with {SECRET}")

    register_secret(SECRET)
    monkeypatch.setitem(runner._ENTRY, "hfmap", broken)
    run = runner.run_json(["plan"])
    assert (sys.stdout, sys.stderr) == before
    # as a separate process would end: status 1, the traceback on stderr, stdout not JSON
    assert (run.exit_code, run.data) == (1, None)
    assert "RuntimeError: boom with" in run.stderr and SECRET not in run.error


def test_the_secret_in_a_commands_stderr_is_redacted_in_the_log(monkeypatch, capsys) -> None:
    def noisy(args: list[str]) -> None:
        sys.stderr.write(f"hfmap: error: token {SECRET} refused\n")
        raise SystemExit(3)

    register_secret(SECRET)
    monkeypatch.setitem(runner._ENTRY, "hfmap", noisy)
    run = runner.run_json(["apply"])
    assert run.exit_code == 3
    assert SECRET not in capsys.readouterr().err
    assert SECRET not in run.error and run.error.startswith("token ")


def test_bytes_and_text_written_by_a_command_both_come_back_in_order(monkeypatch) -> None:
    def mixed(args: list[str]) -> None:
        sys.stdout.write('{"a": ')
        sys.stdout.flush()
        sys.stdout.buffer.write('"é"'.encode())
        sys.stdout.write("}")

    monkeypatch.setitem(runner._ENTRY, "hfmap", mixed)
    assert runner.run_json(["x"]).data == {"a": "é"}


@pytest.mark.parametrize(("code", "expected"), [(None, 0), (0, 0), (4, 4), ("a message", 1)])
def test_exit_codes_as_a_process_would_end(monkeypatch, code: object, expected: int) -> None:
    def ends(args: list[str]) -> None:
        raise SystemExit(code)

    monkeypatch.setitem(runner._ENTRY, "hfmap", ends)
    run = runner.run_json(["x"])
    assert run.exit_code == expected
    if isinstance(code, str):
        assert run.error == code  # Python prints the message of sys.exit("...") on stderr


def test_without_the_entry_point_nothing_runs(monkeypatch) -> None:
    monkeypatch.delitem(runner._ENTRY, "hfmap")
    with pytest.raises(RuntimeError, match="hfmap action"):
        runner.run_json(["plan"])
