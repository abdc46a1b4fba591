"""Options from `hfmap.toml` or `pyproject.toml [tool.hfmap]`: found from the current folder up to the
repository root (or named by --config), keys checked against the option declarations, flags win."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

WARNING_FILE = (
    "provider: together\nmappings:\n"
    "  - {hfModel: a/Llama-3-Instruct, providerModel: a/b, task: text-generation}\n"
)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A repository whose mapping file has one warning (`conversational-task`); the cwd is a subfolder."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "catalog").mkdir()
    (root / "catalog" / "r.yaml").write_text(WARNING_FILE)
    (root / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(root / "sub" / "deeper")
    return root


def config(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def test_nearest_hfmap_toml_sets_paths_and_strict_relative_to_itself(repo, run_cli):
    config(repo / "hfmap.toml", 'paths = ["catalog"]\nstrict = true\n')
    result = run_cli("-v", "lint")
    assert result.exit_code == 1, result.stderr  # strict: the warning fails
    assert "[conversational-task]" in result.stdout
    assert f"hfmap: config: {repo / 'hfmap.toml'}" in result.stderr
    assert result.stdout.startswith(str(Path("..", "..", "catalog", "r.yaml")))


def test_command_line_flags_win_and_command_tables_override_the_top(repo, run_cli):
    config(
        repo / "hfmap.toml",
        """
        paths = ["catalog"]
        strict = true
        [lint]
        disable = ["schema"]
        """,
    )
    # the [lint] table adds to the top level; a rule from the file, a --disable from the flag replaces it
    assert run_cli("lint").exit_code == 1
    assert run_cli("lint", "--disable", "conversational-task").exit_code == 0
    # a path on the command line replaces `paths`
    (repo / "sub" / "deeper" / "clean.yaml").write_text("provider: replicate\nmappings: []\n")
    assert run_cli("lint", "clean.yaml").exit_code == 0


def test_pyproject_tool_table_and_a_pyproject_without_one(repo, run_cli):
    config(
        repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.hfmap]\npaths = ["catalog"]\nstrict = true\n'
    )
    config(repo / "sub" / "pyproject.toml", '[project]\nname = "not-hfmap"\n')  # no table: look further up
    result = run_cli("-v", "lint")
    assert result.exit_code == 1
    assert f"hfmap: config: {repo / 'pyproject.toml'}" in result.stderr


@pytest.mark.parametrize(
    "table",
    [
        '[tool]\nhfmap.paths = ["catalog"]\nhfmap.strict = true\n',  # dotted keys under [tool]
        'tool.hfmap = {paths = ["catalog"], strict = true}\n',  # an inline table at the top
    ],
)
def test_a_tool_hfmap_table_in_any_toml_spelling_is_found(repo, run_cli, table):
    config(repo / "pyproject.toml", table)
    result = run_cli("-v", "lint")
    assert result.exit_code == 1, result.stderr  # strict: the warning fails
    assert f"hfmap: config: {repo / 'pyproject.toml'}" in result.stderr


def test_a_pyproject_that_only_mentions_tool_hfmap_does_not_hide_the_hfmap_toml_above(repo, run_cli):
    config(repo / "hfmap.toml", 'paths = ["catalog"]\nstrict = true\n')
    config(repo / "sub" / "pyproject.toml", '[project]\nname = "x"  # settings: see [tool.hfmap] upstairs\n')
    result = run_cli("-v", "lint")
    assert result.exit_code == 1, result.stderr
    assert f"hfmap: config: {repo / 'hfmap.toml'}" in result.stderr


def test_the_search_stops_at_the_repository_root(repo, run_cli, tmp_path):
    config(tmp_path / "hfmap.toml", "strict = true\n")  # above the repository: someone else's
    result = run_cli("-v", "lint", str(repo / "catalog"))
    assert result.exit_code == 0
    assert "hfmap: config: none" in result.stderr


def test_explicit_config_after_the_command(repo, run_cli, tmp_path):
    named = config(tmp_path / "ci.toml", "[check]\ntimeout = 5\n[lint]\nstrict = true\n")
    result = run_cli("lint", str(repo / "catalog"), "--config", named)
    assert result.exit_code == 1
    missing = run_cli("lint", "--config", tmp_path / "nope.toml")
    assert missing.exit_code == 2 and "nope.toml" in missing.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("strcit = true\n", "unknown key 'strcit'; did you mean 'strict'?"),
        ("[lint]\nmax-destructive = 3\n", "unknown key 'max-destructive' in [lint]"),
        ("[lnit]\nstrict = true\n", "unknown key 'lnit' (a table must name a command); did you mean 'lint'?"),
        ("[lint]\ntoken = 'hf_x'\n", "'token' in [lint] cannot be set in a config file"),
        ("token = 'hf_secret_in_a_file'\n", "'token' cannot be set in a config file"),
        ("timeoutt = 3\n", "did you mean 'timeout'?"),
    ],
)
def test_an_unknown_key_is_a_usage_error_with_a_did_you_mean(repo, run_cli, text, message):
    config(repo / "hfmap.toml", text)
    result = run_cli("lint", str(repo / "catalog"))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "hfmap.toml" in result.stderr
    assert "hf_secret_in_a_file" not in result.stderr


def test_a_key_of_another_command_is_accepted_at_the_top(repo, run_cli):
    """`timeout` is check's and plan's, not lint's: at the top it is fine for lint to ignore."""
    config(repo / "hfmap.toml", 'paths = ["catalog"]\ntimeout = 5\nmax-destructive = 3\n')
    assert run_cli("lint").exit_code == 0


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[check]\nconcurrency = 0\n", "--concurrency"),
        ("[check]\ntimeout = nan\n", "--timeout"),
        ("[plan]\nmax-destructive-percent = 101\n", "--max-destructive-percent"),
        ("[check]\nretries = 'many'\n", "--retries"),
    ],
)
def test_values_are_checked_by_the_option_declarations(repo, run_cli, text, where):
    config(repo / "hfmap.toml", text)
    command = text.split("]")[0].lstrip("[")
    result = run_cli(command, str(repo / "catalog"))
    assert result.exit_code == 2, result.stderr
    assert where in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[lint]\nstrict = 3\n", "'strict' must be true or false, not 3"),  # was an internal error
        ('strict = "maybe"\n', "'strict' must be true or false"),
        ("disable = [1, true]\n", "'disable' must be a list of values"),
        ('format = ["json"]\n', "'format' must be a single value"),
        ("[lint]\nformat = 1979-05-27\n", "'format' must be a single value"),
    ],
)
def test_a_value_of_the_wrong_shape_is_a_usage_error_naming_the_file(repo, run_cli, text, message):
    config(repo / "hfmap.toml", text)
    result = run_cli("lint", str(repo / "catalog"))
    assert result.exit_code == 2, result.stderr
    assert f"{repo / 'hfmap.toml'}: {message}" in result.stderr
    assert "internal error" not in result.stderr


def test_a_single_string_for_a_repeatable_option_is_a_list_of_one(repo, run_cli):
    config(
        repo / "hfmap.toml",
        'paths = "catalog"\ndisable = "conversational-task"\nstrict = true\nverbose = true\n',
    )
    result = run_cli("lint")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "hfmap: config:" in result.stderr  # verbose = true is -v


def test_bad_toml_names_file_and_line(repo, run_cli):
    config(repo / "hfmap.toml", 'paths = ["catalog"]\nstrict = = true\n')
    result = run_cli("lint")
    assert result.exit_code == 2
    assert f"{repo / 'hfmap.toml'}:2:" in result.stderr and "invalid TOML" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["lint", "--help"], ["--version"], ["lint", "-h"]])
def test_help_and_version_work_beside_a_broken_config(repo, run_cli, args):
    config(repo / "hfmap.toml", "strict = = \n")
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert run_cli("lint").exit_code == 2  # anything else still says what is wrong


def test_config_drives_a_networked_command(repo, run_cli, hub):
    """`[plan]` settings reach the command: the saved plan lands where `out` (relative to the file) says."""
    config(
        repo / "hfmap.toml",
        'paths = ["catalog"]\n[plan]\nout = "plans/plan.json"\ndisable = ["conversational-task"]\n',
    )
    hub.add_model("a/Llama-3-Instruct", pipeline_tag="text-generation")
    result = run_cli("--endpoint", hub.url, "plan")
    assert result.exit_code == 0, result.stderr
    saved = json.loads((repo / "plans" / "plan.json").read_text())
    assert saved["summary"]["create"] == 1


def test_shell_completion_is_not_broken_by_a_bad_config(repo):
    """The documented completion line (`_HFMAP_COMPLETE=bash_source`) answers even beside a broken file."""
    config(repo / "hfmap.toml", "strict = = \n")
    env = {**os.environ, "_HFMAP_COMPLETE": "bash_complete", "COMP_WORDS": "hfmap li", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "hfmap"], env=env, capture_output=True, text=True)
    assert "plain,lint" in done.stdout, done.stderr
    source = {**os.environ, "_HFMAP_COMPLETE": "zsh_source"}
    script = subprocess.run([sys.executable, "-m", "hfmap"], env=source, capture_output=True, text=True)
    assert "_HFMAP_COMPLETE=zsh_complete" in script.stdout


def test_the_keys_of_the_commands_not_running_are_their_declarations():
    """config.COMMAND_KEYS spares `hfmap lint` importing every command to check a file's other tables."""
    import click

    from hfmap.cli import COMMANDS, cli
    from hfmap.cli.config import COMMAND_KEYS, option_keys

    ctx = click.Context(cli)
    declared = {name: frozenset(option_keys(cli.get_command(ctx, name))) for name in COMMANDS}
    assert declared == COMMAND_KEYS


@pytest.mark.parametrize("key", ["yes", "force", "expect-hash", "token", "endpoint"])
def test_consent_and_secrets_never_come_from_a_file(repo, run_cli, key):
    config(repo / "hfmap.toml", f"[apply]\n{key} = true\n")
    result = run_cli("apply", str(repo / "catalog"))
    assert result.exit_code == 2
    assert f"'{key}' in [apply] cannot be set in a config file" in result.stderr


@pytest.mark.parametrize("where", ["", "[apply]\n", "[plan]\n"])
@pytest.mark.parametrize("key", ["only-auto-status", "retest-errors", "retest"])
def test_what_one_plan_or_apply_covers_never_comes_from_a_file(repo, run_cli, key, where):
    """Before: `[apply] only-auto-status = true` made every apply cover less than the plan the pull request
    reviewed, and the Action refused each merge as `plan-changed`, a change nobody made."""
    value = '["org/m"]' if key == "retest" else "true"
    config(repo / "hfmap.toml", f"{where}{key} = {value}\n")
    for command in ("plan", "apply", "lint"):  # lint reads the file too, and refuses it the same way
        result = run_cli(command, str(repo / "catalog"))
        assert result.exit_code == 2, (command, result.output)
        assert (
            f"'{key}'" in result.stderr
            and "cannot be set in a config file: what one plan or apply covers" in (result.stderr)
        )


def test_a_file_cannot_send_the_token_to_another_host(repo, run_cli, hub, monkeypatch):
    """A pull request may change hfmap.toml without touching the mapping files; an `endpoint` there would
    send HF_TOKEN to whatever host it names on the next apply. It is refused before any request."""
    monkeypatch.setenv("HF_TOKEN", "hf_" + "x" * 34)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    config(repo / "hfmap.toml", f'endpoint = "{hub.url}"\n')
    before = len(hub.requests)
    result = run_cli("apply", "--yes", str(repo / "catalog"))
    assert result.exit_code == 2, result.output
    assert "'endpoint' cannot be set in a config file: the token and the host it is sent to" in result.stderr
    assert len(hub.requests) == before


def test_lint_with_a_config_for_other_commands_does_not_import_them(repo):
    config(
        repo / "hfmap.toml", 'paths = ["catalog"]\ntimeout = 5\n[check]\nretries = 2\n[apply]\nwait = "5m"\n'
    )
    code = (
        "import sys\nfrom hfmap.cli import main\ntry:\n    main(['lint'])\nexcept SystemExit as e:\n"
        "    print('EXIT', e.code)\n"
        "names = ('check', 'plan', 'apply', 'verify', 'import_')\n"
        "print('LOADED', sorted(m for m in sys.modules if m in {'hfmap.cli.' + n for n in names}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "EXIT 0" in done.stdout and "LOADED []" in done.stdout, done.stdout + done.stderr
