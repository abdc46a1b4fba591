"""Apply on merge cannot be fooled or stranded: each flow as an attacker or a busy team would run it,
action.yml's steps against the Hub and GitHub emulators, with the installed hfmap."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from emulator import Fault
from github import events
from github.events import REPO
from github.world import GH_TOKEN, World
from hfmap.github.approval import new_approval, seal
from hfmap.github.marker import read_marker, split_marker
from hfmap.mapping.plan import Plan
from hfmap.report.escape import code, escape_text

HEAD1, HEAD2, HEAD3 = "1" * 40, "2" * 40, "4" * 40
MERGE, MERGE2 = "3" * 40, "5" * 40
KEY = "approval-key-0123456789abcdef"
BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
QWEN = "    providerModel: qwen/qwen-image-edit-plus\n    task: image-to-image\n    status: staging"
HUNYUAN = "    providerModel: tencent/hunyuan-image-2.1\n    task: text-to-image\n    status: staging"


def _promote(world: World, block: str) -> None:
    world.edit("replicate.yaml", block, block.replace("staging", "live"))


def _unpromote(world: World, block: str) -> None:
    world.edit("replicate.yaml", block.replace("staging", "live"), block)


def _pull_request(world: World, number: int = 7, head: str = HEAD1) -> None:
    """A pull request that promotes Qwen; a live mapping nobody declares is deleted too."""
    _promote(world, QWEN)
    world.hub.seed_mapping(
        "replicate", task="text-to-image", hf_model="zeke/old-experiment", provider_model="z/o"
    )
    world.gh.add_pull(REPO, number, head)


def _comments(world: World, number: int = 7) -> list[dict]:
    return world.gh.comments(REPO, number)


def _ours(world: World, number: int = 7, login: str = "github-actions[bot]") -> dict:
    mine = [c for c in _comments(world, number) if c["user"]["login"] == login and split_marker(c["body"])]
    assert len(mine) == 1, [c["body"][:100] for c in _comments(world, number)]
    return mine[0]


def _plan_json(world: World) -> dict:
    """What anyone can compute: `hfmap plan --format json` of the files (an attacker's starting point)."""
    env = {**os.environ, **world.hub.env()}
    env.pop("HF_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "hfmap", "plan", "--format", "json", "mappings"],
        cwd=world.workspace,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def _forged(world: World, head: str = HEAD1, key: bytes | None = None) -> str:
    """A comment body exactly as hfmap would write it for the real plan, but showing a harmless text."""
    plan = Plan.from_json(_plan_json(world))
    data = new_approval(repo=REPO, pr=7, paths=["mappings"], head_sha=head, plan=plan, key=None)
    return seal(data, "**hfmap plan:** ✅ only a typo fixed, nothing to review.", key)


def test_a_forged_marker_echoed_by_another_workflow_is_refused_and_left_untouched(world: World) -> None:
    _pull_request(world)
    # a welcome bot (same identity: every workflow comments as github-actions[bot]) quotes the PR text
    echo = "Thanks for your first pull request! You wrote:\n\n" + _forged(world)
    world.gh.add_comment(REPO, 7, echo, BOT)
    world.gh.merge_pull(REPO, 7, MERGE)

    run = world.run("push", events.push(MERGE))

    assert run.conclusion == "failure"
    assert world.hub.writes == []
    assert world.hub.mapping("replicate", "zeke/old-experiment") is not None
    bodies = [c["body"] for c in _comments(world)]
    assert bodies[0] == echo  # never edited
    assert len(bodies) == 2 and "a merged pull request without its own approval" in bodies[1]
    assert f"#7: no hfmap approval by {code('github-actions[bot]')}" in bodies[1]
    assert "<code>zeke/old-experiment</code>" in bodies[1]  # the plan now, under the refusal
    assert run.outputs["failure-reason"] == "not-approved"


def test_an_exact_forgery_is_refused_when_approvals_are_signed(world: World) -> None:
    _pull_request(world)
    forged = _forged(world)  # even the body digest is right: only the approval-key is missing
    world.gh.add_comment(REPO, 7, forged, BOT)
    world.gh.merge_pull(REPO, 7, MERGE)

    run = world.run("push", events.push(MERGE), approval_key=KEY)

    assert run.conclusion == "failure" and world.hub.writes == []
    assert _comments(world)[0]["body"] == forged
    refusal = _comments(world)[1]["body"]
    assert "#7: an approval was refused because it is not signed, but this run has an approval-key" in refusal
    assert "approval-key" not in run.log.replace("approval-key input", "") or KEY not in run.log
    assert KEY not in run.log and KEY not in run.summary and KEY not in refusal


def test_signed_approval_applies_and_a_hand_edited_plan_is_refused(world: World) -> None:
    _pull_request(world)
    review = world.run("pull_request", events.pull_request(7, HEAD1), approval_key=KEY)
    body = _ours(world)["body"]
    assert read_marker(body)["sig"].startswith("hmac-sha256:")
    assert "Signed with the repository's approval-key" in body
    # a maintainer "tidies" the visible plan (removes the delete row) in the web UI
    edited = "\n".join(line for line in body.splitlines() if "zeke/old-experiment" not in line)
    world.gh.edit_comment(REPO, _ours(world)["id"], edited)
    world.gh.merge_pull(REPO, 7, MERGE)

    refused = world.run("push", events.push(MERGE), approval_key=KEY)

    assert refused.conclusion == "failure" and world.hub.writes == []
    assert "its visible plan was edited after hfmap wrote it" in refused.summary
    assert review.outputs["plan-hash"].startswith("sha256:")


def test_a_deleted_approval_is_refused_and_the_refusal_says_so(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.delete_comment(REPO, _ours(world)["id"])
    world.gh.merge_pull(REPO, 7, MERGE)

    run = world.run("push", events.push(MERGE))

    assert run.conclusion == "failure" and world.hub.writes == []
    (notice,) = _comments(world)
    assert "its plan comment is missing or deleted" in notice["body"]
    assert "its plan comment is missing or deleted" in run.summary


def test_an_app_token_keeps_one_comment_across_pushes_and_applies(world: World) -> None:
    world.gh.add_token("ghs_apptoken_0123456789abcdef", kind="app", login="acme-mapper")
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1), github_token="ghs_apptoken_0123456789abcdef")
    _promote(world, HUNYUAN)
    world.gh.push_pull(REPO, 7, HEAD2)
    world.run(
        "pull_request",
        events.pull_request(7, HEAD2, action="synchronize"),
        github_token="ghs_apptoken_0123456789abcdef",
    )
    comment = _ours(world, login="acme-mapper[bot]")
    assert len(_comments(world)) == 1 and read_marker(comment["body"])["head_sha"] == HEAD2
    world.gh.merge_pull(REPO, 7, MERGE)

    run = world.run("push", events.push(MERGE), github_token="ghs_apptoken_0123456789abcdef")

    assert run.conclusion == "success", run.log + run.summary
    assert read_marker(_ours(world, login="acme-mapper[bot]")["body"])["state"] == "applied"
    assert world.hub.mapping("replicate", "tencent/HunyuanImage-2.1")["status"] == "live"


def test_the_merge_queue_plans_into_the_summary_and_writes_nothing(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    before = _ours(world)["body"]
    world.gh.requests.clear()
    world.hub.clear_log()

    run = world.run("merge_group", events.merge_group("6" * 40), sha="6" * 40)

    assert run.conclusion == "success", run.log
    assert "hfmap plan of the merge queue" in run.summary and "zeke/old-experiment" in run.summary
    assert run.outputs["has-changes"] == "true" and run.outputs["plan-hash"].startswith("sha256:")
    assert world.hub.writes == [] and world.gh.writes == [] and world.gh.issues(REPO) == []
    assert _ours(world)["body"] == before


def _two_pull_requests(world: World, *, review_second: bool) -> None:
    """#7 promotes Qwen, #8 promotes Hunyuan; each reviewed on its own branch, merged in one push."""
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    _unpromote(world, QWEN)
    _promote(world, HUNYUAN)
    world.gh.add_pull(REPO, 8, HEAD3)
    if review_second:
        world.run("pull_request", events.pull_request(8, HEAD3))
    _promote(world, QWEN)  # main after both merges
    world.gh.merge_pull(REPO, 7, MERGE)
    world.gh.merge_pull(REPO, 8, MERGE2)


def test_two_reviewed_pull_requests_in_one_push_are_applied(world: World) -> None:
    _two_pull_requests(world, review_second=True)

    run = world.run("push", events.push(MERGE2))

    assert run.conclusion == "success", run.log + run.summary
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "live"
    assert world.hub.mapping("replicate", "tencent/HunyuanImage-2.1")["status"] == "live"
    for number in (7, 8):
        assert read_marker(_ours(world, number)["body"])["state"] == "applied"


def test_a_push_with_an_unreviewed_pull_request_is_refused_naming_its_action(world: World) -> None:
    _two_pull_requests(world, review_second=False)

    run = world.run("push", events.push(MERGE2))

    # #7's approval covers the plan's actions only with #8's, but #8 changed the files with no approval
    assert run.conclusion == "failure" and world.hub.writes == []
    assert "a merged pull request without its own approval" in run.summary
    assert "- #8: no hfmap approval" in run.summary and "#7:" not in run.summary
    assert run.outputs["failure-reason"] == "not-approved"
    assert read_marker(_ours(world, 7)["body"])["state"] == "refused"
    assert "a merged pull request without its own approval" in _comments(world, 8)[0]["body"]


def test_a_merged_pull_request_that_changed_no_mapping_needs_no_approval(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.add_pull(REPO, 8, HEAD3, files=("README.md",))  # merged in the same push, no plan run
    world.gh.merge_pull(REPO, 7, MERGE)
    world.gh.merge_pull(REPO, 8, MERGE2)

    run = world.run("push", events.push(MERGE2))

    assert run.conclusion == "success", run.log + run.summary
    assert run.outputs["failure-reason"] == ""
    assert read_marker(_ours(world, 7)["body"])["state"] == "applied" and _comments(world, 8) == []


def test_a_partial_apply_is_finished_by_a_rerun_without_any_override(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1), approval_key=KEY)
    world.gh.merge_pull(REPO, 7, MERGE)
    world.hub.inject(Fault(method="DELETE", path="/api/partners/*", kind="status", status=503, times=40))

    first = world.run("push", events.push(MERGE), approval_key=KEY)
    assert first.conclusion == "failure"
    body = _ours(world)["body"]
    assert read_marker(body)["state"] == "partly-applied" and "**Partly applied (1 of 2).**" in body
    assert "#### The plan as reviewed" in body and "zeke/old-experiment" in body.split("#### The plan")[1]
    world.hub.clear_faults()

    rerun = world.run("push", events.push(MERGE), approval_key=KEY)

    assert rerun.conclusion == "success", rerun.log + rerun.summary
    assert world.hub.mapping("replicate", "zeke/old-experiment") is None
    assert read_marker(_ours(world)["body"])["state"] == "applied"
    world.hub.clear_log()
    again = world.run("push", events.push(MERGE), approval_key=KEY)  # after success: nothing changes
    assert again.conclusion == "success" and world.hub.writes == []
    assert again.outputs["failure-reason"] == "superseded" and "already applied" in again.summary


def test_dispatch_with_a_pull_request_number_reapplies_its_approved_plan(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)
    world.hub.inject(Fault(method="*", path="/api/partners/*", kind="status", status=503, times=200))
    outage = world.run("push", events.push(MERGE))
    assert outage.conclusion == "failure"
    world.hub.clear_faults()

    elsewhere = world.run(
        "workflow_dispatch", events.workflow_dispatch("7", ref="refs/heads/topic"), sha=MERGE
    )
    assert elsewhere.conclusion == "failure" and "only from the default branch" in elsewhere.summary
    run = world.run("workflow_dispatch", events.workflow_dispatch("7"), sha=MERGE)

    assert run.conclusion == "success", run.log + run.summary
    assert world.hub.mapping("replicate", "zeke/old-experiment") is None
    assert read_marker(_ours(world)["body"])["state"] == "applied"


def test_a_reviewed_pull_request_further_back_than_the_walk_is_named_and_a_dispatch_applies_it(
    world: World,
) -> None:
    """Before: after more than 50 commits (say, docs merged while #7's apply stopped as stale), the next
    apply refused #7's change without saying why it was not counted, and a dispatch naming #7 answered
    `superseded: already applied` though nothing had applied it."""
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)
    others = [f"{n:040x}" for n in range(1, 51)]
    world.gh.push_commits(REPO, *others)  # no mapping changed: no apply run
    _unpromote(world, QWEN)
    _promote(world, HUNYUAN)
    world.gh.add_pull(REPO, 8, HEAD3)
    world.run("pull_request", events.pull_request(8, HEAD3))
    _promote(world, QWEN)  # main: both
    world.gh.merge_pull(REPO, 8, MERGE2)

    push = world.run("push", events.push(MERGE2, before=others[-1], message="Merge pull request #8"))

    assert push.conclusion == "failure" and world.hub.writes == []
    assert push.outputs["failure-reason"] == "unreviewed"
    assert "looked back 50 commits of <code>main</code> without reaching the last applied" in push.summary
    assert "with its number as `pull-request`" in push.summary

    dispatch = world.run("workflow_dispatch", events.workflow_dispatch("7"), sha=MERGE2)

    assert dispatch.conclusion == "success", dispatch.log + dispatch.summary
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "live"
    assert world.hub.mapping("replicate", "tencent/HunyuanImage-2.1")["status"] == "live"
    assert world.hub.mapping("replicate", "zeke/old-experiment") is None
    for number in (7, 8):
        assert read_marker(_ours(world, number)["body"])["state"] == "applied"


def test_mode_apply_never_applies_a_merged_pull_request_without_its_approval(world: World) -> None:
    _pull_request(world)
    world.gh.merge_pull(REPO, 7, MERGE)  # merged with no plan run at all

    run = world.run("push", events.push(MERGE), mode="apply")

    assert run.conclusion == "failure" and world.hub.writes == []
    assert "a merged pull request without its own approval" in run.summary


def test_a_lagging_pull_request_lookup_is_retried(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)
    world.gh.lag_pull_lookups(2)

    # a rebase merge's message names no pull request: the index is asked until it knows the commit
    run = world.run("push", events.push(MERGE, message="Promote Qwen"), mode="apply")

    assert run.conclusion == "success", run.log + run.summary
    lookups = [p for m, p, s in world.gh.requests if p.startswith(f"/repos/{REPO}/commits/{MERGE}/pulls")]
    assert len(lookups) == 3
    assert read_marker(_ours(world)["body"])["state"] == "applied"


def test_a_message_naming_a_pull_request_is_only_a_hint(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)
    world.gh.add_pull(REPO, 9, "9" * 40)
    world.gh.lag_pull_lookups(10)  # the index never answers in time

    # the squash message names #7 (found by number, its merge_commit_sha is this push) and #9 (not merged)
    run = world.run("push", events.push(MERGE, message="Promote Qwen (#7)\n\nSee also (#9)"))

    assert run.conclusion == "success", run.log + run.summary
    assert ("GET", f"/repos/{REPO}/pulls/7", 200) in world.gh.requests
    assert read_marker(_ours(world)["body"])["state"] == "applied"
    assert _comments(world, 9) == []


def test_comment_false_still_records_the_approval_and_the_merge_applies(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1), comment="false", approval_key=KEY)
    world.gh.merge_pull(REPO, 7, MERGE)

    run = world.run("push", events.push(MERGE), comment="false", approval_key=KEY)

    assert run.conclusion == "success", run.log + run.summary
    assert run.outputs["applied"] == "true" and _comments(world) == []
    assert world.hub.mapping("replicate", "zeke/old-experiment") is None


def test_a_personal_token_signs_in_as_its_user_and_ignores_the_bots_comments(world: World) -> None:
    world.gh.add_token("ghp_personal_0123456789abcdef", kind="user", login="mapper-bot")
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))  # as github-actions[bot]
    world.gh.merge_pull(REPO, 7, MERGE)

    run = world.run("push", events.push(MERGE), github_token="ghp_personal_0123456789abcdef")

    assert run.conclusion == "failure" and world.hub.writes == []
    assert f"no hfmap approval by {code('mapper-bot')}" in run.summary
    assert read_marker(_ours(world)["body"])["state"] == "planned"  # not its comment: never edited
    assert GH_TOKEN not in run.log


def test_a_signed_approval_written_after_the_merge_is_refused_even_through_dispatch(world: World) -> None:
    """A plan run still in flight when the pull request merges (it holds the key) writes its comment after
    `merged_at`: that approval was seen by nobody before the merge."""
    _pull_request(world)
    world.gh.merge_pull(REPO, 7, MERGE)  # merged at a head whose plan nobody had seen
    plan = Plan.from_json(_plan_json(world))
    data = new_approval(repo=REPO, pr=7, paths=["mappings"], head_sha=HEAD1, plan=plan, key=KEY.encode())
    late = world.gh.add_comment(REPO, 7, seal(data, "late plan", KEY.encode()), BOT)

    pushed = world.run("push", events.push(MERGE), approval_key=KEY)
    dispatched = world.run("workflow_dispatch", events.workflow_dispatch("7"), sha=MERGE, approval_key=KEY)

    for run in (pushed, dispatched):
        assert run.conclusion == "failure" and world.hub.writes == []
        assert run.outputs["failure-reason"] == "not-approved"
        merged_at = world.gh.repos[REPO].issues[7]["merged_at"]
        assert escape_text(f"after the merge at {merged_at}, so nobody reviewed it") in run.summary
    assert _comments(world)[0]["body"] == late["body"]  # not ours to mark: it never counted


def test_require_review_needs_an_approving_review_at_the_merged_head_by_someone_else(world: World) -> None:
    _pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.add_review(REPO, 7, "contributor", HEAD1)  # the author approving their own change
    world.gh.add_review(REPO, 7, "maintainer", "9" * 40)  # another person, at an older head
    world.gh.merge_pull(REPO, 7, MERGE)

    refused = world.run("push", events.push(MERGE), require_review="true")

    assert refused.conclusion == "failure" and world.hub.writes == []
    assert refused.outputs["failure-reason"] == "not-approved"
    assert "require-review is set, and nobody but its author approved" in refused.summary

    world.gh.add_review(REPO, 7, "maintainer", HEAD1)
    applied = world.run("push", events.push(MERGE), require_review="true")

    assert applied.conclusion == "success", applied.log + applied.summary
    assert applied.outputs["failure-reason"] == "" and applied.outputs["applied"] == "true"
