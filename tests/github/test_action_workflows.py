"""The example workflows end to end, as GitHub Actions runs them (tests/github/workflows.py): their triggers,
`if:` conditions, concurrency groups, secrets, artifacts and the `vars` gates, with the installed hfmap
against the Hub and GitHub emulators."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from github.events import REPO
from github.test_action_rendered import assert_inert
from github.workflows import EXAMPLE_WORKFLOWS, OWN_WORKFLOWS, Actions, WorkflowRun
from github.world import EXAMPLES, HF_TOKEN, World
from hfmap.github.marker import read_marker

KEY = "approval-key-0123456789abcdef"
FORK = "stranger/mappings"
HEAD1, HEAD2, MERGE = "1" * 40, "2" * 40, "3" * 40
QWEN = "    providerModel: qwen/qwen-image-edit-plus\n    task: image-to-image\n    status: staging"
KOKORO = "    task: text-to-speech\n    status: staging"
TYPO = "text-to-speach<img src=x onerror=alert(1)>@octocat"  # a typo, and what an attacker would add


def _actions(world: World, folder: Path = EXAMPLE_WORKFLOWS, **options: str) -> Actions:
    """The repository as docs/security.md sets it up: HF_TOKEN and the approval key only in `huggingface`,
    an environment restricted to the default branch."""
    return Actions(
        world,
        folder,
        environments={"huggingface": {"HF_TOKEN": HF_TOKEN, "HFMAP_APPROVAL_KEY": KEY}},
        **options,
    )


def _promote(world: World, *blocks: str) -> None:
    """The mapping files as main has them, with these staging entries promoted to live."""
    shutil.rmtree(world.workspace / "mappings", ignore_errors=True)
    shutil.copytree(EXAMPLES, world.workspace / "mappings")
    for block in blocks:
        world.edit("replicate.yaml", block, block.replace("status: staging", "status: live"))


def _only_comment(world: World, number: int = 7) -> dict:
    comments = world.gh.comments(REPO, number)
    assert len(comments) == 1, [c["body"][:80] for c in comments]
    assert comments[0]["user"]["login"] == "github-actions[bot]"
    return comments[0]


def _only_plan_comment(world: World, number: int) -> dict:
    (comment,) = [c for c in world.gh.comments(REPO, number) if read_marker(c["body"])]
    return comment


def _no_secret_in(*texts: str) -> None:
    for text in texts:
        assert HF_TOKEN not in text and KEY not in text


def test_a_pull_request_through_review_merge_queue_and_merge(world: World) -> None:
    world.gh.repos[REPO].private = True  # every read needs its `permissions:` scope
    actions = _actions(world)
    _promote(world, QWEN)
    actions.commit(HEAD1)

    (plan,) = actions.pull_request(7, HEAD1)
    actions.drain()

    job = plan.jobs["plan"]
    assert plan.conclusion == "success", job.log
    assert plan.group == "hfmap-plan-7"
    assert "Qwen/Qwen-Image-Edit-2509" in job.summary  # the branch's own run: the plan, no writes
    assert [w for w in world.gh.writes if w[1] != "/graphql"][:1] == [
        ("POST", f"/repos/{REPO}/issues/7/comments", 201)
    ]
    stored = json.loads(actions.artifacts.files(plan.id, "hfmap-plan")["plan.json"])
    assert stored["hash"] == job.step("hfmap").outputs["plan-hash"] and len(stored["actions"]) == 1
    # the default branch's approval workflow, started by the plan run, read HEAD1's files and signed
    (approval,) = actions.runs_of("hfmap approval")
    assert approval.conclusion == "success", approval.jobs["approval"].log
    assert approval.jobs["approval"].step("hfmap").outputs["plan-hash"] == stored["hash"]
    marker = read_marker(_only_comment(world)["body"])
    assert marker["state"] == "planned" and marker["keyed"] and marker["hash"] == stored["hash"]
    assert marker["head_sha"] == HEAD1

    # the merge queue tests the pull request on top of main: the same workflow, nothing written
    comment_before = _only_comment(world)
    (queued,) = actions.merge_group(HEAD1, 7)
    actions.drain()
    assert queued.conclusion == "success", queued.jobs["plan"].log
    assert queued.jobs["plan"].step("hfmap").outputs["has-changes"] == "true"
    assert "Qwen/Qwen-Image-Edit-2509" in queued.jobs["plan"].summary
    assert _only_comment(world) == comment_before and world.gh.issues(REPO) == []

    actions.commit(MERGE)
    (apply,) = actions.merge(7, MERGE)
    actions.drain()

    job = apply.jobs["apply"]
    assert apply.conclusion == "success", job.log
    assert apply.group == "hfmap-apply" and job.step("hfmap").outputs["applied"] == "true"
    assert "could not read check runs" not in job.log  # apply.yml grants checks: read
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "live"
    marker = read_marker(_only_comment(world)["body"])
    assert marker["state"] == "applied" and marker["applied_sha"] == MERGE
    for run in actions.runs:
        for ran in run.jobs.values():
            _no_secret_in(ran.log, ran.summary)


def test_the_drift_workflow_runs_on_its_schedule_in_its_own_group(world: World) -> None:
    actions = _actions(world)
    world.hub.seed_mapping("replicate", task="text-to-image", hf_model="zeke/by-hand", provider_model="z/h")

    (drift,) = actions.schedule("17 6 * * *")
    actions.drain()

    assert drift.conclusion == "success", drift.jobs["drift"].log
    assert drift.group == "hfmap-drift"
    (issue,) = world.gh.issues(REPO)
    assert issue["state"] == "open" and "<code>zeke/by-hand</code>" in issue["body"]
    assert world.hub.writes == []


def test_the_sync_workflow_follows_the_providers_hourly_and_queues_behind_applies(world: World) -> None:
    actions = _actions(world)
    block = "    providerModel: qwen/qwen-image-edit-plus\n    task: image-to-image\n    status: staging"
    world.edit("replicate.yaml", block, block.replace("staging", "auto"))
    world.hub.set_web_status("qwen/qwen-image-edit-plus", "online")
    actions.commit(actions.default_head)

    (sync,) = actions.schedule("23 * * * *")
    actions.drain()

    assert sync.conclusion == "success", sync.jobs["sync"].log
    assert sync.group == "hfmap-apply"  # one writer at a time, behind any pending apply
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "live"
    assert [w[0] for w in world.hub.writes] == ["PUT"]
    assert world.gh.issues(REPO) == []
    for ran in sync.jobs.values():
        _no_secret_in(ran.log, ran.summary)


@pytest.mark.parametrize(
    ("folder", "at"),
    [(EXAMPLE_WORKFLOWS, "mappings"), (OWN_WORKFLOWS, "examples/mappings")],
    ids=["examples", "own"],
)
def test_a_fork_pull_request_with_a_lint_error_gets_its_comment_through_the_approval_workflow(
    world: World, folder: Path, at: str
) -> None:
    actions = _actions(world, folder, mappings_at=at)
    world.edit("replicate.yaml", KOKORO, KOKORO.replace("text-to-speech", TYPO))
    actions.commit(HEAD1)

    (plan,) = actions.pull_request(7, HEAD1, fork_of=FORK)
    actions.drain()

    # the fork's run: lint fails with an annotation; it has no token to write with, and tries nothing
    job = plan.jobs["plan"]
    assert plan.conclusion == "failure" and job.step("hfmap").outcome == "failure"
    assert f"::error file={at}/replicate.yaml,line=89,col=11,title=hfmap [task-invalid]" in job.log
    assert job.step("Keep the plan as an artifact").outcome == "skipped"  # no plan was made

    # the default branch's approval workflow read the fork's head commit as data and comments
    (approval,) = actions.runs_of("hfmap approval")
    event = approval.payload["workflow_run"]
    assert event["id"] == plan.id and event["conclusion"] == "failure" and event["pull_requests"] == []
    approval_job = approval.jobs["approval"]
    assert approval.conclusion == "success", approval_job.log  # the failure is the fork's, and is shown
    assert approval_job.step("Take only the mapping files").outcome == "success"
    body = _only_comment(world)["body"]
    marker = read_marker(body)
    assert marker["state"] == "failed" and marker["head_sha"] == HEAD1 and marker["keyed"]
    assert "### ❌ hfmap could not make a plan at" in body
    assert "`hfmap lint` found 1 error(s) in the pull request's files:" in body
    page = assert_inert(body)  # as GitHub renders it: the file's text stays text, inside <code>
    assert f"{at}/replicate.yaml:89:11 task-invalid unknown task '{TYPO}'" in "".join(page.all_text)

    # the fork fixes it: the same comment now carries the plan, still one comment
    comment_id = _only_comment(world)["id"]
    _promote(world, QWEN)
    actions.commit(HEAD2)
    (fixed,) = actions.pull_request(7, HEAD2, fork_of=FORK, action="synchronize")
    actions.drain()
    assert fixed.conclusion == "success", fixed.jobs["plan"].log
    comment = _only_comment(world)
    assert comment["id"] == comment_id
    assert read_marker(comment["body"])["state"] == "planned"
    assert read_marker(comment["body"])["head_sha"] == HEAD2
    assert "hfmap lint" not in comment["body"] and "could not make a plan" not in comment["body"]


_GREEDY_JOB = """
  greedy:
    runs-on: ubuntu-latest
    ENVIRONMENT
    permissions:
      contents: read
    steps:
      - env:
          KEY: ${{ secrets.HFMAP_APPROVAL_KEY }}
          TOKEN: ${{ secrets.HF_TOKEN }}
        run: echo "key=$KEY token=$TOKEN" | rev
"""


@pytest.mark.parametrize("environment", ["", "environment: huggingface"], ids=["repository", "environment"])
def test_a_branch_that_edits_its_workflow_gets_neither_the_key_nor_hf_token(
    world: World, tmp_path: Path, environment: str
) -> None:
    """A same-repository branch changes pr.yml (its `pull_request` run is the branch's copy) to print the
    secrets: the repository holds none, and the environment that does serves the default branch only."""
    folder = tmp_path / "workflows"
    shutil.copytree(EXAMPLE_WORKFLOWS, folder)
    pr = folder / "pr.yml"
    pr.write_text(pr.read_text(encoding="utf-8") + _GREEDY_JOB.replace("ENVIRONMENT", environment))
    actions = _actions(world, folder)
    _promote(world, QWEN)
    actions.commit(HEAD1)

    (plan,) = actions.pull_request(7, HEAD1)
    actions.drain()

    greedy = plan.jobs["greedy"]
    if environment:
        assert greedy.conclusion == "failure" and greedy.steps == []  # not allowed to deploy there
    else:
        assert greedy.conclusion == "success" and "=nekot =yek" in greedy.log  # both empty, reversed
    for run in actions.runs:
        for ran in run.jobs.values():
            assert KEY[::-1] not in ran.log and HF_TOKEN[::-1] not in ran.log
            _no_secret_in(ran.log, ran.summary)
    assert read_marker(_only_comment(world)["body"])["keyed"]  # the approval workflow still signed


def test_the_repositorys_own_workflows_apply_and_check_drift_only_where_turned_on(world: World) -> None:
    """.github/workflows: the action as `./` from a checkout, the mappings in examples/mappings, and the
    apply and drift jobs behind `vars.HFMAP_APPLY` / `vars.HFMAP_DRIFT`."""
    actions = _actions(world, OWN_WORKFLOWS, mappings_at="examples/mappings")
    _promote(world, QWEN)
    actions.commit(HEAD1)
    actions.pull_request(7, HEAD1)
    actions.drain()  # reviewed before the merge: a plan written after it is no approval
    actions.commit(MERGE)
    (apply,) = actions.merge(7, MERGE)
    (drift,) = actions.schedule("17 6 * * *")
    actions.drain()

    assert read_marker(_only_comment(world)["body"])["paths"] == ["examples/mappings"]
    assert apply.jobs["apply"].conclusion == "skipped" and drift.jobs["drift"].conclusion == "skipped"
    assert world.hub.writes == [] and world.gh.issues(REPO) == []
    assert read_marker(_only_comment(world)["body"])["state"] == "planned"

    actions.vars.update(HFMAP_APPLY="true", HFMAP_DRIFT="true")
    recovery = actions.dispatch("hfmap-apply.yml", {"pull-request": "7"})  # the README's recovery step
    (drift,) = actions.schedule("17 6 * * *")
    actions.drain()

    assert recovery.conclusion == "success", recovery.jobs["apply"].log
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "live"
    assert read_marker(_only_comment(world)["body"])["state"] == "applied"
    assert drift.conclusion == "success" and world.gh.issues(REPO) == []  # no drift after the apply


# -- a pending apply is never cancelled ------------------------------------------------------------------

STAGED = {  # pull request -> (the staging entry it promotes, the Hub model)
    6: (
        "    providerModel: tencent/hunyuan-image-2.1\n    task: text-to-image\n    status: staging",
        "tencent/HunyuanImage-2.1",
    ),
    7: (KOKORO, "hexgrad/Kokoro-82M"),
    8: (
        "    providerModel: wan-video/wan-2.2-5b-fast\n    task: text-to-video\n    status: staging",
        "Wan-AI/Wan2.2-TI2V-5B",
    ),
}


def _three_quick_merges(world: World, folder: Path) -> tuple[Actions, dict[int, WorkflowRun]]:
    """Pull requests 6, 7 and 8, each reviewed on its own branch from main; 6 is merged and its apply
    starts; 7 and 8 are merged in quick succession while it is still running."""
    actions = _actions(world, folder)
    for number, (block, _model) in STAGED.items():
        _promote(world, block)
        actions.commit(str(number) * 40)
        actions.pull_request(number, str(number) * 40)
    actions.drain()
    applies: dict[int, WorkflowRun] = {}
    merged: list[str] = []
    for number, (block, _model) in STAGED.items():
        merged.append(block)
        _promote(world, *merged)  # main after this merge: every change merged so far
        actions.commit(f"{number}0" * 20)
        (applies[number],) = actions.merge(number, f"{number}0" * 20)
    return actions, applies


def test_two_quick_merges_while_an_apply_runs_are_each_applied_exactly_once(world: World) -> None:
    """7 and 8 merge while 6's apply runs. 7's run starts after main moved on to 8: it is stale, writes
    nothing and says so; 8's run, at the tip, applies 7's reviewed change with its own."""
    actions, applies = _three_quick_merges(world, EXAMPLE_WORKFLOWS)
    assert [applies[n].status for n in (6, 7, 8)] == ["in_progress", "pending", "pending"]  # queue: max

    actions.drain()

    assert applies[6].started < applies[7].started < applies[8].started
    for number, (_block, model) in STAGED.items():
        assert applies[number].conclusion == "success", applies[number].jobs["apply"].log
        assert world.hub.mapping("replicate", model)["status"] == "live"
    assert [w[0] for w in world.hub.writes] == ["PUT"] * 3  # one status change each: applied once
    for number in (6, 7):  # each started after main had moved on to 8's merge
        stale = applies[number].jobs["apply"]
        assert stale.step("hfmap").outputs["failure-reason"] == "stale"
        assert stale.step("hfmap").outputs["applied"] == "false"
        assert f"main has moved on to [<code>{'80' * 3}8</code>]" in stale.summary
    assert applies[8].jobs["apply"].step("hfmap").outputs["failure-reason"] == ""
    for number in STAGED:  # all carried out by 8's run, at the tip, and each comment says so
        body = _only_comment(world, number)["body"]
        marker = read_marker(body)
        assert marker["state"] == "applied" and marker["applied_sha"] == "80" * 20
        assert "### ✅ Applied at" in body


def test_even_when_github_cancels_a_pending_apply_its_reviewed_change_is_not_stranded(
    world: World, tmp_path: Path
) -> None:
    """The same merges with `queue` left out of apply.yml: GitHub cancels 7's pending run, and 8's run,
    which takes every pull request merged since the last apply, still applies 7's reviewed change."""
    folder = tmp_path / "workflows"
    shutil.copytree(EXAMPLE_WORKFLOWS, folder)
    apply = folder / "apply.yml"
    text = apply.read_text(encoding="utf-8")
    assert "  queue: max" in text
    apply.write_text("\n".join(line for line in text.splitlines() if "queue: max" not in line) + "\n")

    actions, applies = _three_quick_merges(world, folder)
    assert applies[7].conclusion == "cancelled"  # pending, then replaced by 8's run

    actions.drain()

    assert applies[6].conclusion == "success" and applies[8].conclusion == "success"
    for _block, model in STAGED.values():
        assert world.hub.mapping("replicate", model)["status"] == "live"
    assert [w[0] for w in world.hub.writes] == ["PUT"] * 3
    assert read_marker(_only_comment(world, 7)["body"])["applied_sha"] == "80" * 20


# -- stale, re-run and rewound applies ------------------------------------------------------------------

M7, M8 = "70" * 20, "80" * 20


def _promote_then_demote(world: World) -> tuple[Actions, WorkflowRun, WorkflowRun]:
    """#7 promotes Qwen and is applied; #8 demotes it again and is applied."""
    actions = _actions(world)
    main = actions.default_head
    _promote(world, QWEN)
    actions.commit(HEAD1)
    actions.pull_request(7, HEAD1)
    actions.drain()
    actions.commit(M7)
    (apply7,) = actions.merge(7, M7)
    actions.drain()
    _promote(world)  # #8: the files as they were before #7
    actions.trees[HEAD2] = actions.trees[main]
    actions.pull_request(8, HEAD2)
    actions.drain()
    actions.trees[M8] = actions.trees[main]
    (apply8,) = actions.merge(8, M8)
    actions.drain()
    assert apply7.conclusion == apply8.conclusion == "success", apply8.jobs["apply"].log
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "staging"
    world.hub.clear_log()
    return actions, apply7, apply8


def test_a_rerun_of_an_old_apply_after_a_later_merge_writes_nothing_and_says_superseded(world: World) -> None:
    actions, apply7, _apply8 = _promote_then_demote(world)

    rerun = actions.rerun(apply7)  # "Re-run all jobs" on #7's old apply run
    actions.drain()

    job = rerun.jobs["apply"]
    assert rerun.conclusion == "success", job.log
    assert world.hub.writes == []  # #8 is not undone
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "staging"
    assert job.step("hfmap").outputs["failure-reason"] == "superseded"
    assert "#7 were already applied" in job.summary
    body = _only_comment(world, 7)["body"]
    assert read_marker(body)["state"] == "applied"
    assert "ℹ️ A re-run at [<code>7070707</code>]" in body and "#7 were already applied" in body


def test_a_forced_push_back_to_an_old_merge_commit_is_refused(world: World) -> None:
    actions, _apply7, _apply8 = _promote_then_demote(world)

    (rewound,) = actions.push(M7, before=M8, forced=True)  # git push --force origin <#7's merge>:main
    actions.drain()

    job = rewound.jobs["apply"]
    assert rewound.conclusion == "failure"
    assert world.hub.writes == []
    assert job.step("hfmap").outputs["failure-reason"] == "unreviewed"
    assert "Refused at [<code>7070707</code>]" in job.summary and ": a forced push" in job.summary
    refusal = world.gh.comments(REPO, 7)[-1]["body"]
    assert (
        "a forced push" in refusal and read_marker(_only_plan_comment(world, 7)["body"])["state"] == "applied"
    )


def test_a_plan_written_after_the_merge_is_no_approval_even_through_dispatch(world: World) -> None:
    """#7 is reviewed at HEAD1, pushed to HEAD2 and merged before HEAD2's plan run ran; that run then finds
    the pull request merged and records nothing, and neither the push nor a dispatch applies HEAD2."""
    actions = _actions(world)
    _promote(world, QWEN)
    actions.commit(HEAD1)
    actions.pull_request(7, HEAD1)
    actions.drain()
    _promote(world, QWEN, KOKORO)
    actions.commit(HEAD2)
    (late,) = actions.pull_request(7, HEAD2, action="synchronize")
    actions.commit(MERGE)
    (apply,) = actions.merge(7, MERGE)
    actions.drain()

    assert late.conclusion == "success"
    late_approval = actions.runs_of("hfmap approval")[-1]  # the default branch's run for HEAD2, too late
    assert late_approval.payload["workflow_run"]["head_sha"] == HEAD2
    assert "No approval was recorded: pull request #7 was merged" in late_approval.jobs["approval"].summary
    assert apply.conclusion == "failure" and world.hub.writes == []
    assert apply.jobs["apply"].step("hfmap").outputs["failure-reason"] == "not-approved"
    marker = read_marker(_only_plan_comment(world, 7)["body"])
    assert marker["head_sha"] == HEAD1 and marker["state"] == "planned"  # not its head's: never edited
    refusal = world.gh.comments(REPO, 7)[-1]["body"]
    assert "shows the plan of commit 1111111, but the pull request was merged at 2222222" in refusal

    recovery = actions.dispatch("apply.yml", {"pull-request": "7"})
    actions.drain()
    assert recovery.conclusion == "failure" and world.hub.writes == []
    assert recovery.jobs["apply"].step("hfmap").outputs["failure-reason"] == "not-approved"
