"""`hfmap check` as a user types it: options after the command, tokens as pasted, --list-rules for scripts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.providers.base import Exists, Missing
from hfmap.providers.registry import make_plugin
from httpx_transport import mock

FILE = """
provider: replicate
mappings:
  - hfModel: org/image
    providerModel: owner/image
    task: text-to-image
  - hfModel: org/absent
    providerModel: owner/absent
    task: text-to-image
"""


def cache_files(env: dict[str, str]) -> list[Path]:
    return sorted(Path(env["HFMAP_CACHE_DIR"]).rglob("seg-*.json"))


def test_offline_after_the_command_works_like_the_global_option(world, run_cli, env_for, write):
    """docs/commands.md: "`--offline` answers from it alone", under `hfmap check`: `hfmap check --offline`."""
    path = write(FILE)
    env = env_for(world)
    online = run_cli("check", path, env=env)
    world.clear_log()
    warm = run_cli("check", "--offline", path, env=env)
    assert warm.exit_code == online.exit_code, warm.output
    assert warm.stdout == online.stdout
    assert world.requests == []
    for segment in cache_files(env):
        segment.unlink()
    cold = run_cli("check", "--offline", path, env=env)
    assert cold.exit_code == 0, cold.output
    assert world.requests == []
    assert "notice [hub-check-skipped] hfModel 'org/image' not checked" in cold.stdout


def test_list_rules_in_json_lists_lint_and_check_rules(run_cli):
    """`hfmap lint --list-rules --format json` is a JSON list; `check`'s must be too (it adds its rules)."""
    result = run_cli("check", "--list-rules", "--format", "json")
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    lint_rows = json.loads(run_cli("lint", "--list-rules", "--format", "json").stdout)
    assert all(rows[row["id"]] == row for row in lint_rows)
    assert rows["hf-model-missing"] == {
        "id": "hf-model-missing",
        "level": "error",
        "description": "hfModel does not exist on the Hub (or is private, without a token)",
        "can_disable": True,
    }
    assert rows["provider-check-skipped"]["level"] == "notice"


def test_a_token_with_a_non_ascii_character_is_one_clear_line_never_printed(world, run_cli, env_for, write):
    """A token pasted with a stray character (a curly quote, an accent) cannot go into an HTTP header."""
    path = write(FILE)
    token = "hf_pastedTokenWith\u2019Quote"
    result = run_cli("check", path, env=env_for(world, HF_TOKEN=token))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "hfmap: error: the Hub token (HF_TOKEN or --token) cannot be sent: it contains the non-ASCII "
        "character U+2019 at position 19; copy the token again\n"
    )
    assert "pastedToken" not in result.output


def test_a_provider_token_with_a_non_ascii_character_skips_that_provider(world, run_cli, env_for, write):
    path = write(FILE)
    token = "r8_pasted\u00e9token0123456789"
    result = run_cli("check", path, env=env_for(world, REPLICATE_API_TOKEN=token))
    assert result.exit_code == 1  # org/absent is still missing on the Hub
    assert "internal error" not in result.output and "pasted" not in result.output
    assert (
        f"{path}:4:20: notice [provider-check-skipped] providerModel 'owner/image' not checked (and 1 more "
        "entry in this file): the replicate token (HFMAP_REPLICATE_TOKEN or REPLICATE_API_TOKEN) cannot be "
        "sent: it contains the non-ASCII character U+00E9 at position 10; copy the token again"
    ) in result.stdout
    assert "error [hf-model-missing] hfModel 'org/absent'" in result.stdout


def test_fal_answer_with_odd_endpoint_ids_is_read_not_a_crash():
    """One malformed model object in fal's list (an id that is a list or an object) must not end the run."""

    def handler(request: httpx.Request) -> httpx.Response:
        models = [{"endpoint_id": ["fal-ai/x"]}, {"endpoint_id": {"id": 1}}, {"endpoint_id": "fal-ai/y"}]
        return httpx.Response(200, json={"models": models})

    async def go():
        async with HttpClient(transport=mock(handler), retry=RetryPolicy(attempts=1)) as http:
            return await make_plugin("fal-ai", http, {}).exists(["fal-ai/x", "fal-ai/y"])

    assert asyncio.run(go()) == {"fal-ai/x": Missing("not found on fal"), "fal-ai/y": Exists()}


@pytest.mark.parametrize("endpoint", ["127.0.0.1:8080", "huggingface.co", "ftp://example.org", "http://[::1"])
def test_an_endpoint_that_is_not_an_http_url_is_a_usage_error(run_cli, write, endpoint: str) -> None:
    """Not a warning per model and exit 0 (CI would pass), not an internal error: one line, exit 2."""
    path = write(FILE)
    result = run_cli("--endpoint", endpoint, "check", path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"hfmap: error: the Hub endpoint '{endpoint}' (--endpoint / HF_ENDPOINT) is not an http(s) URL; "
        "write it like https://huggingface.co\n"
    )
