"""The README and docs/ say what the code does: the option tables of docs/commands.md are the click
declarations, the README's first two commands are what CI runs, and the versions it names are the release."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from hfmap import __version__
from hfmap.cli import COMMANDS, HIDDEN, cli
from hfmap.cli.context import formats_of

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS_DOC = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")
OPTION = re.compile(r"`(--?[A-Za-z][\w-]*)")


def documented_options(heading: str) -> dict[str, str]:
    """The options table under `## heading`: each option string of a row's first cell -> the row's meaning."""
    section = COMMANDS_DOC.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    table = section[section.index("| option | meaning |") :]
    rows: dict[str, str] = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        first, meaning = line.strip("|").split(" | ", 1)
        for name in OPTION.findall(first.split(" / ")[0]) + OPTION.findall("".join(first.split(" / ")[1:])):
            rows[name] = meaning
    return rows


def declared_options(command: click.Command) -> dict[str, click.Option]:
    return {
        name: param
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
        for name in (*param.opts, *param.secondary_opts)
        if name not in ("-h", "--help")
    }


def public_commands() -> list[str]:
    return sorted(name for name in COMMANDS if name not in HIDDEN)


@pytest.mark.parametrize("name", ["Global options", *(f"hfmap {c}" for c in public_commands())])
def test_every_option_is_documented_and_none_is_invented(name):
    ctx = click.Context(cli)
    command = cli if name == "Global options" else cli.get_command(ctx, name.split()[1])
    declared = declared_options(command)
    documented = documented_options(name)
    assert set(documented) == set(declared), (
        f"docs/commands.md, {name}: undocumented {sorted(set(declared) - set(documented))}, "
        f"not an option {sorted(set(documented) - set(declared))}"
    )
    for option_name, param in declared.items():
        meaning = documented[option_name]
        if param.show_default and param.default not in (None, False) and not callable(param.default):
            shown = (f"Default {param.default}.", f"(default `{param.default}`)")
            assert any(text in meaning for text in shown), (name, option_name, meaning)
    if "--format" in declared and name != "Global options":
        listed = re.findall(r"`(\w+)`", documented["--format"].split("(default")[0])
        assert tuple(listed) == formats_of(name.split()[1]), (name, listed)


def test_every_public_command_has_a_section_and_the_hidden_one_none():
    for name in public_commands():
        assert f"\n## hfmap {name}\n" in COMMANDS_DOC
    assert "## hfmap action" not in COMMANDS_DOC


def test_the_readme_starts_with_the_two_commands_ci_runs():
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(block) == 2
    install, tests = block
    assert "[test]" not in install and "hfmap lint examples/mappings" in install  # runs hfmap, no test tools
    assert "[test]" in tests and "pytest" in tests
    ci_lines = [line.strip() for line in CI.splitlines()]
    assert install in ci_lines and tests in ci_lines
    assert CI.index(install) < CI.index(tests)
    assert "check_wheel.py" in CI and "twine check" in CI and "python -m build" in CI


def test_the_readme_names_this_release():
    assert f"rev: v{__version__}\n" in README
    assert f"hfmap@v{__version__}" in README
    assert "pipx install hfmap" in README and "pip install hfmap" in README
    assert 'pip install "hfmap @ git+https://github.com/<org>/hfmap@<commit>"' in README
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{__version__}]")


def test_the_readme_mapping_example_is_a_clean_file(tmp_path, run_cli):
    """A user copies it: it must lint clean (the schema comment aside, which is an editor's business)."""
    example = README.split("**2. Edit and lint.**", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "mappings" / "replicate.yaml"
    path.parent.mkdir()
    path.write_text(example)
    result = run_cli("lint", path)
    assert result.exit_code == 0, result.stdout


def test_the_documented_completion_lines_produce_scripts():
    lines = COMMANDS_DOC.split("## Shell completion", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    for shell in ("bash", "zsh", "fish"):
        assert f"_HFMAP_COMPLETE={shell}_source hfmap" in lines
        env = {**os.environ, "_HFMAP_COMPLETE": f"{shell}_source"}
        done = subprocess.run([sys.executable, "-m", "hfmap"], env=env, capture_output=True, text=True)
        assert done.returncode == 0 and "_HFMAP_COMPLETE" in done.stdout, (shell, done.stderr)
