"""The Hub token where huggingface_hub keeps it: `--token`, `HF_TOKEN`, the file at `HF_TOKEN_PATH`, then
`$HF_HOME/token` (default `~/.cache/huggingface/token`). Used for real against the emulator; never printed,
and `-v` names the source only."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfmap.cli.token import find_token, token_file

OTHER = "hf_someoneelsesreadtoken"


@pytest.fixture
def change(world):
    """A staging mapping the files promote: applying it needs a token the Hub accepts for replicate."""
    world.live("replicate", "acme/model", "acme/model", status="staging")
    world.file(
        "r.yaml",
        """
        provider: replicate
        mappings:
          - {hfModel: acme/model, providerModel: acme/model, task: text-to-image, status: live}
        """,
    )
    return world


def _apply(world, env: dict[str, str], *extra: str):
    """`apply -v` with the reviewed plan's hash (consent without a terminal), the token from env or files."""
    approved = world.plan_json()["hash"]
    return world._run(
        "--endpoint", world.hub.url, "-v", "apply", "--expect-hash", approved, "--format", "json",
        str(world.dir), *extra, env=env,
    )  # fmt: skip


def _saved(folder: Path, token: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "token").write_text(f"  {token}\n")  # `hf auth login` writes a newline; stray spaces too
    return folder / "token"


@pytest.mark.parametrize("where", ["HF_HOME", "HF_TOKEN_PATH", "default home"])
def test_the_saved_token_is_used_and_never_printed(change, token, tmp_path, monkeypatch, where):
    """It was ignored: apply said 'no Hub token' to a user who had run `hf auth login`."""
    if where == "HF_HOME":
        path = _saved(tmp_path / "hf", token)
        env = {"HF_HOME": str(tmp_path / "hf")}
    elif where == "HF_TOKEN_PATH":
        path = _saved(tmp_path / "elsewhere", token)
        env = {"HF_TOKEN_PATH": str(path)}
    else:
        monkeypatch.delenv("HF_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        path = _saved(tmp_path / "home" / ".cache" / "huggingface", token)
        env = {}
    result = _apply(change, env)
    assert result.exit_code == 0, result.stderr
    assert change.records("replicate")["acme/model"]["status"] == "live"
    assert f"hfmap: token: the token file {path}" in result.stderr
    assert token not in result.stdout + result.stderr


def test_order_flag_then_environment_then_file(change, token, tmp_path, monkeypatch):
    """Each earlier source wins: a rejected token in front proves the later good one was not used."""
    change.hub.add_token(OTHER, user="reader", write_orgs=())
    _saved(tmp_path / "hf", token)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    by_env = _apply(change, {"HF_TOKEN": OTHER})
    assert by_env.exit_code != 0
    assert "hfmap: token: the HF_TOKEN environment variable" in by_env.stderr
    by_flag = _apply(change, {"HF_TOKEN": OTHER}, "--token", token)  # --token after the command, too
    assert by_flag.exit_code == 0, by_flag.stderr
    assert "hfmap: token: --token" in by_flag.stderr
    for text in (by_env.stdout + by_env.stderr, by_flag.stdout + by_flag.stderr):
        assert token not in text and OTHER not in text


def test_a_blank_source_falls_through_and_none_is_refused(change, token, tmp_path, monkeypatch):
    """huggingface_hub treats an empty HF_TOKEN or a blank file as no token and looks further."""
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    _saved(tmp_path / "hf", "   ")
    refused = _apply(change, {"HF_TOKEN": "  "})
    assert refused.exit_code == 3
    assert "hf auth login" in refused.stdout + refused.stderr
    assert "hfmap: token: none" in refused.stderr
    _saved(tmp_path / "hf", token)
    assert _apply(change, {"HF_TOKEN": ""}).exit_code == 0


def test_find_token_unit(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "missing"))
    assert find_token(None).value is None
    assert token_file() == tmp_path / "missing" / "token"
    monkeypatch.delenv("HF_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert token_file() == tmp_path / "xdg" / "huggingface" / "token"
    (tmp_path / "xdg" / "huggingface").mkdir(parents=True)
    (tmp_path / "xdg" / "huggingface" / "token").write_bytes(b"\xff\xfe not text")
    assert find_token(None).value is None  # unreadable: no token, never a crash
    found = find_token(" hf_flag\n")
    assert (found.value, found.source) == ("hf_flag", "--token")
    assert "hf_flag" not in repr(found)
