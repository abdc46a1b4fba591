"""`hfmap plan` against the Hub emulator: what a user sees, and exit codes."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from hfmap.clients.http import HttpClient, RetryPolicy
from hfmap.clients.partner import PartnerApi
from hfmap.errors import HfmapError
from httpx_transport import mock

REPLICATE = """
    provider: replicate
    defaults:
      status: live
    mappings:
      - hfModel: org/keep
        providerModel: o/keep
        task: text-to-image
      - hfModel: org/new
        providerModel: o/new
        task: text-to-image
      - hfModel: org/fixed
        providerModel: right/owner
        task: text-to-image
      - hfModel: org/promote
        providerModel: o/p
        task: text-to-image
"""


KEEP_ONLY = """
    provider: replicate
    mappings:
      - {hfModel: org/keep, providerModel: o/keep, task: text-to-image, status: live}
"""


def seed_mixed(world) -> None:
    world.live("replicate", "org/keep", "o/keep")
    world.live("replicate", "org/fixed", "wrong/owner")
    world.live("replicate", "org/promote", "o/p", status="staging")
    world.live("replicate", "org/removed", "o/removed")


def test_plan_text_for_a_mixed_change(world):
    seed_mixed(world)
    world.file("replicate.yaml", REPLICATE)
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "replicate (4 live mappings): 4 changes" in out
    assert "+ org/new" in out and "~ org/promote  # update (promote)" in out
    assert "-/+ org/fixed" in out and "providerModel: wrong/owner -> right/owner" in out
    assert "- org/removed  # delete" in out
    assert "org/keep" not in out
    assert "Plan: 1 to create, 1 to update, 1 to replace, 1 to delete." in out
    plan_hash = world.plan_json()["hash"]
    assert out.rstrip().endswith(
        f"To apply exactly this plan: hfmap apply --expect-hash {plan_hash} {world.dir}"
    )
    # read-only and anonymous
    assert world.hub.writes == []
    assert all(r.headers.get("authorization") is None for r in world.hub.requests)


def test_plan_sends_no_token_even_when_given(world):
    world.file("replicate.yaml", REPLICATE)
    result = world.hfmap("plan", str(world.dir), token="hf_plantestwritetoken")
    assert result.exit_code == 0
    assert all(r.headers.get("authorization") is None for r in world.hub.requests)


def test_detailed_exitcode_and_json_file(world, tmp_path):
    seed_mixed(world)
    world.file("replicate.yaml", REPLICATE)
    out = tmp_path / "plan.json"
    result = world.hfmap("plan", "--detailed-exitcode", "-o", str(out), str(world.dir))
    assert result.exit_code == 2
    saved = json.loads(out.read_text())
    assert saved["summary"] == {"create": 1, "update": 1, "replace": 1, "delete": 1}
    assert saved["hash"] == world.plan_json()["hash"]


def test_detailed_exitcode_zero_without_changes(world):
    world.live("replicate", "org/keep", "o/keep")
    world.file(
        "r.yaml",
        KEEP_ONLY,
    )
    result = world.hfmap("plan", "--detailed-exitcode", str(world.dir))
    assert result.exit_code == 0
    assert "No changes." in result.stdout


def test_markdown_format(world):
    seed_mixed(world)
    world.file("replicate.yaml", REPLICATE)
    result = world.hfmap("plan", "--format", "markdown", str(world.dir))
    assert result.exit_code == 0
    assert result.stdout.startswith("### hfmap plan: 1 to create")


def test_files_with_lint_errors_are_not_planned(world):
    world.file("bad.yaml", "provider: replicate\nmappings:\n  - hfModel: org/x\n    task: text-to-image\n")
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 1
    assert "bad.yaml:3:" in result.stderr and "fix them before planning" in result.stderr
    assert not [r for r in world.hub.requests if r.path.startswith("/api/partners/")]


def test_unknown_provider_and_unreachable_hub_fail_with_one_line(world, run_cli):
    world.file("x.yaml", "provider: no-such-provider\nmappings: []\n")
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 1 and "[unknown-provider]" in result.stderr  # the lint gate
    result = world.hfmap("plan", "--allow-provider", "no-such-provider", str(world.dir))
    assert result.exit_code == 1
    assert "cannot read the live mapping of 'no-such-provider'" in result.stderr
    assert "Provider no-such-provider not found" in result.stderr
    result = run_cli(
        "--endpoint", "http://127.0.0.1:9", "plan", "--allow-provider", "no-such-provider", str(world.dir)
    )
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>maintenance</html>", "is not valid JSON"),
        (b'["a list"]', "expected an object grouped by task"),
        (b'{"text-to-image": {"org/x": {"status": "live"}}}', "has no providerId"),
    ],
)
def test_garbage_from_the_hub_is_one_clear_error(body, message):
    transport = mock(lambda request: httpx.Response(200, content=body))

    async def fetch():
        async with HttpClient(transport=transport, retry=RetryPolicy(attempts=1)) as http:
            return await PartnerApi(http, "https://hub.test").fetch("replicate")

    with pytest.raises(HfmapError, match=message):
        asyncio.run(fetch())


def test_several_files_prune_off_and_ignore(world):
    world.live("together", "org/a", "a", task="conversational")
    world.live("together", "org/b", "b", task="conversational")
    world.live("together", "org/stray", "s", task="conversational")
    world.live("together", "togethercomputer/ft", "f", task="conversational")
    world.file(
        "together/chat.yaml",
        """
        provider: together
        prune: false
        ignore: ["togethercomputer/*"]
        mappings:
          - {hfModel: org/a, providerModel: a, task: conversational, status: live}
    """,
    )
    world.file(
        "together/more.yaml",
        """
        provider: together
        prune: false
        ignore: ["togethercomputer/*"]
        mappings:
          - {hfModel: org/b, providerModel: b, task: conversational, status: live}
    """,
    )
    plan = world.plan_json()
    assert plan["actions"] == []
    assert [u["key"] for u in plan["unmanaged"]] == ["org/stray"]
    text = world.hfmap("plan", str(world.dir)).stdout
    assert "1 unmanaged (prune: false, left alone): org/stray" in text
    assert "together (4 live mappings, 1 ignored): no changes" in text
    assert plan["providers"]["together"] == {"live": 4, "ignored": 1}


def test_error_status_is_shown_not_crashed_on(world):
    mapping_id = world.live("replicate", "org/keep", "o/keep")
    world.hub.set_mapping_status(mapping_id, "error")
    world.file(
        "r.yaml",
        KEEP_ONLY,
    )
    result = world.hfmap("plan", str(world.dir))
    assert result.exit_code == 0
    assert "! org/keep: status 'error' on the Hub (declared live)" in result.stdout
    assert "No changes." in result.stdout


def test_json_file_into_a_folder_that_does_not_exist_yet(world, tmp_path):
    """`-o build/plans/plan.json` in a fresh CI checkout: the folder is made, as `import -o` does."""
    seed_mixed(world)
    world.file("replicate.yaml", REPLICATE)
    out = tmp_path / "build" / "plans" / "plan.json"
    result = world.hfmap("plan", "--format", "json", "-o", str(out), str(world.dir))
    assert result.exit_code == 0, result.stderr
    saved = json.loads(out.read_text())
    assert saved.pop("selection")["paths"] == [str(world.dir)]
    assert saved.pop("hfmap_version")
    assert saved == json.loads(result.stdout)


def test_an_output_file_that_cannot_be_written_is_one_line_for_plan_and_import(world, tmp_path, run_cli):
    """`-o` under a regular file: the folder cannot be made; one line naming the file, exit 1."""
    seed_mixed(world)
    world.file("replicate.yaml", REPLICATE)
    (tmp_path / "taken").write_text("a file, not a folder")
    out = tmp_path / "taken" / "plan.json"
    result = world.hfmap("plan", "--format", "json", "-o", str(out), str(world.dir))
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"hfmap: error: cannot write the plan to '{out}': ")
    assert "Traceback" not in result.stderr
    result = run_cli("--endpoint", world.hub.url, "import", "--provider", "replicate", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"hfmap: error: cannot write '{out}': ")
    assert "Traceback" not in result.stderr


def test_a_plan_within_raised_safety_limits_says_they_were_raised(world):
    """A config file or an option that raises the limits moves a guard; the plan that passes it says so, in
    the text a terminal shows and in the Markdown a pull request shows, so a reviewer sees the move."""
    for n in range(4):
        world.live("replicate", f"org/old{n}", f"o/old{n}")
    world.live("replicate", "org/kept", "o/kept")
    world.file(
        "r.yaml",
        "provider: replicate\nmappings:\n"
        "  - {hfModel: org/kept, providerModel: o/kept, task: text-to-image, status: live}\n",
    )
    raised = "Safety limits raised to 90 % / 60 destructive actions per provider (defaults 30 % / 50)."

    default = world.hfmap("plan", str(world.dir))
    assert default.exit_code == 0, default.stderr
    assert "needs --force" in default.stdout and "limits raised" not in default.stdout  # 4 of 5: > 30 %

    text = world.hfmap("plan", "--max-destructive-percent", "90", "--max-destructive", "60", str(world.dir))
    assert "needs --force" not in text.stdout and raised in text.stdout

    markdown = world.hfmap(
        "plan",
        "--format",
        "markdown",
        "--max-destructive-percent",
        "90",
        "--max-destructive",
        "60",
        str(world.dir),
    )
    assert f"**Safety:** ✅ within the safety limits. {raised}" in markdown.stdout

    tighter = world.hfmap(
        "plan", "--max-destructive-percent", "95", "--max-destructive", "10", str(world.dir)
    )
    assert "limits raised to 95 % / 10" in tighter.stdout  # one of the two raised is enough to say so
    entries = "".join(
        f"  - {{hfModel: org/old{n}, providerModel: o/old{n}, task: text-to-image, status: live}}\n"
        for n in range(4)
    )
    world.file("more.yaml", f"provider: replicate\nmappings:\n{entries}")
    nothing = world.hfmap("plan", "--max-destructive-percent", "90", str(world.dir))
    assert nothing.exit_code == 0 and "No changes." in nothing.stdout
    assert "limits raised" not in nothing.stdout  # no destructive action: nothing to say about the guard
