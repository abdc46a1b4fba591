"""Usage that forgives order and refuses nonsense: global options anywhere, formats a command can print,
unknown providers, standard input, and each command's help saying its exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfmap.cli.context import formats_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mappings"
REPLICATE = EXAMPLES / "replicate.yaml"


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "-v", str(EXAMPLES)],
        ["lint", str(EXAMPLES), "-v"],
        ["lint", "--disable", "schema", "-vq", str(EXAMPLES)],
        ["lint", "--color=never", str(EXAMPLES), "--verbose"],
    ],
)
def test_global_options_after_the_command(run_cli, args):
    """`hfmap lint -v` was "No such option: -v"."""
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert "hfmap: token: none" in result.stderr  # -v took effect


def test_a_command_option_value_is_never_taken_for_a_global_option(run_cli, tmp_path):
    """`--disable -v`-like values belong to the option before them: click reports the unknown rule."""
    result = run_cli("lint", "--disable", "-q", str(EXAMPLES))
    assert result.exit_code == 2
    assert "unknown rule '-q'" in result.stderr


def test_a_global_option_after_an_option_whose_value_binds_only_with_equals(run_cli):
    """`apply --wait -v`: `--wait` takes no next word, so `-v` is the global option, not a duration."""
    result = run_cli("apply", "--wait", "-v", str(EXAMPLES))
    assert "hfmap: token: none" in result.stderr
    assert result.exit_code == 3  # refused: no token (and never a usage error about -v)


def test_a_global_option_after_double_dash_is_a_path(run_cli):
    result = run_cli("lint", "--", "-v")
    assert result.exit_code == 2
    assert "path '-v' does not exist" in result.stderr


def test_format_after_a_command_without_its_own_format_option(run_cli):
    """`import` writes YAML: `--format json` after it is refused, not ignored."""
    result = run_cli("import", "--provider", "replicate", "--format", "json")
    assert result.exit_code == 2
    assert "`hfmap import` cannot print --format json (it prints: text)" in result.stderr


@pytest.mark.parametrize(
    ("command", "fmt"),
    [("lint", "markdown"), ("fmt", "markdown"), ("check", "markdown"), ("plan", "github"),
     ("apply", "markdown"), ("apply", "github"), ("import", "json"), ("suggest", "markdown")],
)  # fmt: skip
def test_a_format_a_command_cannot_produce_is_a_usage_error(run_cli, command, fmt):
    args = ["--provider", "x"] if command in ("import", "suggest") else [str(EXAMPLES)]
    for argv in (["--format", fmt, command, *args], [command, *args, "--format", fmt]):
        result = run_cli(*argv)
        assert result.exit_code == 2, (argv, result.stdout, result.stderr)
        assert result.stdout == ""
        assert fmt in result.stderr


def test_every_format_offered_is_one_the_renderer_table_draws():
    assert formats_of("lint") == ("text", "json", "github")
    assert formats_of("plan") == ("text", "json", "markdown")
    assert formats_of("apply") == ("text", "json")
    assert formats_of("verify") == ("text", "json", "github", "markdown")
    assert formats_of("import") == ("text",)


def test_list_rules_in_a_format_rules_cannot_be_printed_in(run_cli):
    result = run_cli("lint", "--list-rules", "--format", "github")
    assert result.exit_code == 2
    assert "printed as text, json only" in result.stderr


@pytest.mark.parametrize("name", ["nosuch", "Replicate", "openai"])
def test_import_of_an_unknown_provider_is_a_usage_error(run_cli, tmp_path, name):
    """It exited 0 and wrote `mappings: []` for a typo."""
    out = tmp_path / "x.yaml"
    result = run_cli("import", "--provider", name, "-o", out)
    assert result.exit_code == 2
    assert not out.exists()
    if name == "Replicate":
        assert "did you mean 'replicate'?" in result.stderr
    if name == "openai":
        assert "client-side only" in result.stderr


def test_import_of_a_new_provider_with_allow_provider(hub, run_cli, tmp_path):
    hub.seed_mapping("newco", "text-to-image", "a/b", "newco/b")
    out = tmp_path / "newco.yaml"
    refused = run_cli("--endpoint", hub.url, "import", "--provider", "newco", "-o", out)
    assert refused.exit_code == 2 and "--allow-provider newco" in refused.stderr
    result = run_cli(
        "--endpoint", hub.url, "import", "--provider", "newco", "--allow-provider", "newco", "-o", out
    )
    assert result.exit_code == 0, result.stderr
    assert "providerModel: newco/b" in out.read_text()


@pytest.mark.parametrize("command", ["lint", "fmt", "check", "plan", "apply", "import", "verify"])
def test_every_command_help_lists_its_exit_codes(run_cli, command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Exit codes" in text or "Exit 0" in text
    assert "2 usage" in text or "2 on usage" in text or "2 usage error" in text


@pytest.mark.parametrize(
    "command",
    [(), *((name,) for name in ("lint", "fmt", "check", "plan", "apply", "import", "suggest", "verify"))],
)
def test_help_fits_an_80_column_terminal(run_cli, command):
    lines = run_cli(*command, "--help").stdout.splitlines()
    assert [line for line in lines if len(line) > 80] == []


def test_apply_help_names_exit_3(run_cli):
    text = " ".join(run_cli("apply", "--help").stdout.split())
    assert "3 refused before any write" in text


def test_the_hidden_action_command_still_runs(run_cli):
    assert run_cli("action", "--help").exit_code == 0


# -- standard input -----------------------------------------------------------------------------------------


def test_lint_reads_stdin_and_names_it(run_cli):
    text = "provider: replicat\nmappings: []\n"
    result = run_cli("lint", "-", input=text)
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:1:11: error [unknown-provider]")
    assert "in 1 file" in result.stdout
    named = run_cli("lint", "-", "--stdin-filename", "mappings/r.yaml", input=text)
    assert named.stdout.startswith("mappings/r.yaml:1:11: error [unknown-provider]")


def test_lint_stdin_sees_the_sibling_files_of_its_filename(run_cli, tmp_path):
    """An editor linting a buffer gets the cross-file rules: a duplicate of a sibling's entry is caught, and
    the file on disk the buffer replaces is not compared with itself."""
    folder = tmp_path / "mappings"
    folder.mkdir()
    body = "provider: replicate\nmappings:\n  - {hfModel: a/b, providerModel: o/b, task: text-to-image}\n"
    (folder / "one.yaml").write_text(body)
    (folder / "two.yaml").write_text("provider: replicate\nmappings: []\n")
    itself = run_cli("lint", "-", "--stdin-filename", folder / "one.yaml", input=body)
    assert itself.exit_code == 0, itself.stdout
    other = run_cli("lint", "-", "--stdin-filename", folder / "two.yaml", input=body)
    assert other.exit_code == 1
    assert "[duplicate-mapping]" in other.stdout and str(folder / "two.yaml") in other.stdout


@pytest.mark.parametrize("command", ["lint", "fmt"])
def test_stdin_refuses_nonsense(run_cli, command):
    both = run_cli(command, "-", str(EXAMPLES), input="")
    assert both.exit_code == 2 and "cannot be combined" in both.stderr
    alone = run_cli(command, "--stdin-filename", "x.yaml", str(EXAMPLES))
    assert alone.exit_code == 2 and "PATHS must be `-`" in alone.stderr


@pytest.mark.parametrize("command", ["lint", "fmt"])
def test_stdin_that_is_not_a_mapping_file(run_cli, command):
    for raw in (b"\xff\xfe\x00", b"a: [\n", b""):
        result = run_cli(command, "-", input=raw)
        assert result.exit_code == 1, raw
        assert "<stdin>:" in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


def test_fmt_stdin_writes_the_formatted_file_to_stdout(run_cli):
    messy = (
        "mappings:\n  - task: text-to-image  # keep\n    hfModel: a/b\n    providerModel: o/b\n"
        "provider: replicate\n"
    )
    result = run_cli("fmt", "-", input=messy)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "provider: replicate\nmappings:\n  - hfModel: a/b\n    providerModel: o/b\n"
        "    task: text-to-image  # keep\n"
    )
    again = run_cli("fmt", "-", input=result.stdout)
    assert again.stdout == result.stdout  # unchanged input comes back as it was
    check = run_cli("fmt", "--check", "-", "--stdin-filename", "m.yaml", input=messy)
    assert check.exit_code == 1 and "would reformat m.yaml" in check.stdout


def test_lint_stdin_through_a_real_pipe(tmp_path):
    """The error this replaced: `/dev/stdin:1:1: error [syntax] cannot read file: it is a named pipe`."""
    source = REPLICATE.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "hfmap", "lint", "-", "--stdin-filename", str(REPLICATE)],
        input=source,
        capture_output=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"0 errors, 0 warnings in 1 file\n"


GLOBAL_WORDS = [
    ["-v"],
    ["-q"],
    ["--color", "never"],
    ["--color=always"],
    ["--offline"],
    ["--endpoint", "http://x"],
]
COMMAND_WORDS = [["--disable", "-v"], ["--strict"], ["mappings/a.yaml"], ["--allow-provider=-q"], ["-"]]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(GLOBAL_WORDS + COMMAND_WORDS), max_size=8))
def test_hoisting_moves_exactly_the_global_options_keeping_every_order(groups):
    """Whatever the order: the global options (with their values) end up before the command in the order
    given, the command's words stay after it in the order given, and nothing is lost or invented."""
    import click

    from hfmap.cli import cli
    from hfmap.cli.order import hoist_global_options

    ctx = click.Context(cli)
    args = [word for group in groups for word in group]
    hoisted = hoist_global_options(["lint", *args], cli, lambda name: cli.get_command(ctx, name))
    position = hoisted.args.index("lint")
    expected_front = [w for g in groups if g in GLOBAL_WORDS for w in g]
    expected_back = [w for g in groups if g in COMMAND_WORDS for w in g]
    assert hoisted.args[:position] == expected_front
    assert hoisted.args[position + 1 :] == expected_back
    assert hoisted.command == "lint"


@pytest.mark.parametrize(
    "args",
    [
        ["plan", str(EXAMPLES)],
        ["apply", "--yes", str(EXAMPLES)],
        ["verify", str(EXAMPLES)],
        ["import", "--provider", "replicate"],
        ["suggest", "--provider", "replicate", str(EXAMPLES)],
    ],
    ids=lambda args: args[0],
)
@pytest.mark.parametrize("how", ["flag", "env"])
def test_a_command_that_needs_the_hub_refuses_offline_instead_of_going_online(hub, run_cli, args, how):
    """Before: `--offline` (check's: answers from its cache only) was ignored by plan, apply, verify and
    import, which went to the Hub anyway; only suggest refused it."""
    env = {**hub.env(), "HF_TOKEN": "hf_" + "w" * 34, **({"HFMAP_OFFLINE": "1"} if how == "env" else {})}
    result = run_cli(*(["--offline"] if how == "flag" else []), *args, env=env)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"hfmap: error: {args[0]} ")
    assert result.stderr.rstrip().endswith("; it cannot run offline (--offline, HFMAP_OFFLINE)")
    assert hub.requests == []  # no request at all
