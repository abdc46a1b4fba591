"""The CLI frame: version, help without imports, one-line errors, tokens never printed."""

from __future__ import annotations

import subprocess
import sys
import types

import click
import pytest

from hfmap import __version__, cli
from hfmap.errors import HfmapError
from hfmap.secrets import redact, register_secret

TOKEN = "hf_abcdefghijklmnopqrstuvwxyz012345"


def _install(monkeypatch: pytest.MonkeyPatch, name: str, command: click.Command) -> None:
    module = types.ModuleType(f"hfmap_test_{name}")
    setattr(module, name, command)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(cli.COMMANDS, name, (module.__name__, "test command"))


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"hfmap, version {__version__}"


def test_help_lists_every_public_command_without_importing_them() -> None:
    """`action` is action.yml's, not a person's: it runs (`hfmap action --help`) but is not listed."""
    code = (
        "import sys; from hfmap.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "names = ('lint', 'fmt', 'check', 'plan', 'apply', 'import_', 'action')\n"
        "commands = {'hfmap.cli.' + name for name in names}\n"
        "print('LOADED', sorted(m for m in sys.modules if m in commands or m in ('httpx', 'aiohttp')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in ("lint", "fmt", "check", "plan", "apply", "import", "verify"):
        assert f"  {name} " in out
    assert "  action " not in out
    assert out.strip().endswith("LOADED []")


def test_hfmap_error_is_one_line_with_its_exit_code(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    @click.command("boom")
    def boom() -> None:
        raise HfmapError(f"refused: token {TOKEN} lacks write access", exit_code=3)

    _install(monkeypatch, "boom", boom)
    result = run_cli("--token", TOKEN, "boom")
    assert result.exit_code == 3
    assert result.stderr == "hfmap: error: refused: token *** lacks write access\n"
    assert TOKEN not in result.output


def test_internal_error_is_one_line_unless_verbose(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    @click.command("crash")
    def crash() -> None:
        raise ValueError(f"bad state near {TOKEN}")

    _install(monkeypatch, "crash", crash)
    quiet = run_cli("--token", TOKEN, "crash")
    assert quiet.exit_code == 1
    assert quiet.stderr.count("\n") == 1
    assert "Traceback" not in quiet.stderr and "run with -v" in quiet.stderr
    loud = run_cli("--token", TOKEN, "-v", "crash")
    assert loud.exit_code == 1 and "Traceback" in loud.stderr
    assert TOKEN not in quiet.output + loud.output


def test_usage_errors_exit_2(run_cli) -> None:
    assert run_cli("no-such-command").exit_code == 2
    assert run_cli("--format", "yaml", "lint").exit_code == 2


def test_redact_masks_registered_secrets_only() -> None:
    register_secret("s3cr3t-value")
    assert redact("a s3cr3t-value b") == "a *** b"
    assert redact(f"Authorization: Bearer {TOKEN}") == f"Authorization: Bearer {TOKEN}"  # not held: data
    register_secret(TOKEN)
    assert redact(f"Authorization: Bearer {TOKEN}") == "Authorization: Bearer ***"
    assert str(HfmapError("x", 4)) == "x" and HfmapError("x", 4).exit_code == 4


def test_a_closed_pipe_ends_quietly(tmp_path) -> None:
    """`hfmap lint | head -1`: no 'internal error' when the reader goes away."""
    bad = tmp_path / "m.yaml"
    bad.write_text("provider: replicate\nmappings:\n" + "  - hfModel: a\n    task: nope\n" * 2000)
    script = f"{sys.executable} -m hfmap lint {bad} | head -1 >/dev/null; exit ${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("value", "offline"), [("1", True), ("true", True), ("no", False), ("0", False), ("", False)]
)
def test_hfmap_offline_reads_like_a_boolean(
    value: str, offline: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfmap.cli.context import get_run

    seen: list[bool] = []

    @click.command("probe")
    def probe() -> None:
        seen.append(get_run().offline)

    _install(monkeypatch, "probe", probe)
    monkeypatch.setenv("HFMAP_OFFLINE", value)
    from click.testing import CliRunner

    assert CliRunner().invoke(cli.cli, ["probe"]).exit_code == 0
    assert seen == [offline]
