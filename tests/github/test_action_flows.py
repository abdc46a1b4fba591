"""The Action end to end: action.yml's steps run as GitHub would, against the Hub and GitHub emulators."""

from __future__ import annotations

import json
import re
from pathlib import Path

from emulator import Fault
from github import events
from github.events import REPO
from github.harness import REPO as ACTION_REPO
from github.world import FORK_TOKEN, GH_TOKEN, HF_TOKEN, World
from hfmap import __version__
from hfmap.github.marker import read_marker
from hfmap.github.report import trust_note

TRUST_NOTE = trust_note(keyed=False)

HEAD1 = "1" * 40
HEAD2 = "2" * 40
MERGE = "3" * 40
STAGING_EDIT = "    providerModel: qwen/qwen-image-edit-plus\n    task: image-to-image\n    status: staging"


def _open_pull_request(world: World) -> None:
    """The PR's edit promotes one staging model; a live mapping nobody declares is deleted too."""
    world.edit("replicate.yaml", STAGING_EDIT, STAGING_EDIT.replace("staging", "live"))
    world.hub.seed_mapping(
        "replicate", task="text-to-image", hf_model="zeke/old-experiment", provider_model="zeke/old"
    )
    world.gh.add_pull(REPO, 7, HEAD1)


def _plan_comment(world: World) -> dict:
    comments = world.gh.comments(REPO, 7)
    assert len(comments) == 1, [c["body"][:80] for c in comments]
    return comments[0]


def _no_secret_anywhere(run) -> None:
    for text in (run.log, run.summary, json.dumps(run.outputs)):
        assert HF_TOKEN not in text and GH_TOKEN not in text


def test_pr_opened_creates_the_plan_comment_summary_and_outputs(world: World) -> None:
    _open_pull_request(world)
    run = world.run("pull_request", events.pull_request(7, HEAD1), check="true")

    assert run.conclusion == "success", run.log
    comment = _plan_comment(world)
    body = comment["body"]
    assert comment["user"]["login"] == "github-actions[bot]"
    marker = read_marker(body)
    assert marker is not None
    assert marker["head_sha"] == HEAD1 and marker["paths"] == ["mappings"] and marker["tool"] == "hfmap"
    assert marker["hash"] == run.outputs["plan-hash"] and run.outputs["plan-hash"].startswith("sha256:")
    assert "### hfmap plan: 0 to create, 1 to update, 0 to replace, 1 to delete" in body
    assert "<code>Qwen/Qwen-Image-Edit-2509</code>" in body and "<code>zeke/old-experiment</code>" in body
    assert "<code>staging</code> → <code>live</code>" in body
    assert "within the safety limits" in body
    assert "[<code>1111111</code>](https://github.com/acme/mappings/commit/" + HEAD1 + ")" in body
    assert run.outputs["has-changes"] == "true" and run.outputs["needs-force"] == "false"
    assert run.outputs["applied"] == "false"
    assert run.outputs["comment-url"] == comment["html_url"]
    # the job summary carries the whole plan; plan.json is there for an artifact step
    assert "zeke/old-experiment" in run.summary and "Qwen/Qwen-Image-Edit-2509" in run.summary
    plan = json.loads(Path(run.outputs["plan-file"]).read_text())
    assert plan["hash"] == run.outputs["plan-hash"] and len(plan["actions"]) == 2
    # lint/check annotations went to the log; nothing was written to the Hub
    assert "::notice file=mappings/replicate.yaml" in run.log
    assert world.hub.writes == []
    _no_secret_anywhere(run)
    # hfmap ran from the installed venv (action/install.py), not from the checkout
    python = run.step("install").outputs["python"]
    assert python.endswith("hfmap-venv/bin/python") and not python.startswith(str(ACTION_REPO))
    assert run.step("hfmap").env["HFMAP_PYTHON"] == python
    # pip's downloads are cached per OS, Python and lock file; check's answers on a rolling key
    cache = next(step for step in run.steps if step.name == "Cache hfmap's downloads")
    assert re.fullmatch(r"hfmap-pip-Linux-X64-py3\.\d+\.\d+-[0-9a-f]{16}", cache.env["key"])
    assert cache.env["path"] == str(run.temp / "hfmap-pip-cache")
    answers = next(step for step in run.steps if step.name.startswith("Cache hfmap check's answers"))
    assert answers.env["key"].startswith(answers.env["restore-keys"])
    version = re.escape(__version__)
    assert re.fullmatch(rf"hfmap-answers-Linux-{version}-[0-9a-f]{{8}}-", answers.env["restore-keys"])
    assert run.step("hfmap").env["HFMAP_CACHE_DIR"] == answers.env["path"] == str(run.temp / "hfmap-answers")


def test_second_push_edits_the_same_comment(world: World) -> None:
    _open_pull_request(world)
    first = world.run("pull_request", events.pull_request(7, HEAD1))
    comment_id = _plan_comment(world)["id"]

    world.edit(
        "replicate.yaml",
        "    providerModel: tencent/hunyuan-image-2.1\n    task: text-to-image\n    status: staging",
        "    providerModel: tencent/hunyuan-image-2.1\n    task: text-to-image\n    status: live",
    )
    world.gh.push_pull(REPO, 7, HEAD2)
    second = world.run("pull_request", events.pull_request(7, HEAD2, action="synchronize"))

    assert second.conclusion == "success", second.log
    comment = _plan_comment(world)
    assert comment["id"] == comment_id
    marker = read_marker(comment["body"])
    assert marker["head_sha"] == HEAD2 and marker["hash"] == second.outputs["plan-hash"]
    assert second.outputs["plan-hash"] != first.outputs["plan-hash"]
    assert "2 to update" in comment["body"] and "tencent/hunyuan-image-2.1" in comment["body"]
    posts = [w for w in world.gh.writes if w[0] == "POST" and w[1] != "/graphql"]  # graphql: who am I
    patches = [w for w in world.gh.writes if w[0] == "PATCH"]
    assert len(posts) == 1 and len(patches) == 1


def test_comment_of_someone_else_with_a_copied_marker_is_left_alone(world: World) -> None:
    _open_pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    ours = _plan_comment(world)
    world.gh.add_comment(
        REPO, 7, ours["body"].replace("sha256:", "sha256:0"), {"login": "mallory", "type": "User"}
    )

    world.gh.push_pull(REPO, 7, HEAD2)
    world.run("pull_request", events.pull_request(7, HEAD2, action="synchronize"))

    bodies = {c["user"]["login"]: c["body"] for c in world.gh.comments(REPO, 7)}
    assert read_marker(bodies["github-actions[bot]"])["head_sha"] == HEAD2
    assert "sha256:0" in bodies["mallory"]


def test_no_changes_is_one_line(world: World) -> None:
    world.gh.add_pull(REPO, 7, HEAD1)
    run = world.run("pull_request", events.pull_request(7, HEAD1))

    assert run.conclusion == "success"
    body = _plan_comment(world)["body"]
    visible = [line for line in body.splitlines() if line.strip() and not line.startswith("<!--")]
    assert visible[0] == "**hfmap plan:** ✅ no changes — the Hub already matches <code>mappings</code>."
    # the one other line says how approvals are protected (no approval-key here)
    assert visible[1:] == [line for line in TRUST_NOTE.splitlines() if line.strip()]
    assert run.outputs["has-changes"] == "false"


def test_merge_applies_the_reviewed_plan_and_marks_the_comment(world: World) -> None:
    _open_pull_request(world)
    review = world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)

    run = world.run("push", events.push(MERGE))

    assert run.conclusion == "success", run.log
    assert run.outputs["applied"] == "true" and run.outputs["plan-hash"] == review.outputs["plan-hash"]
    assert world.hub.mapping("replicate", "zeke/old-experiment") is None
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "live"
    comment = _plan_comment(world)
    marker = read_marker(comment["body"])
    assert marker["state"] == "applied" and marker["applied_sha"] == MERGE
    assert "### ✅ Applied at [<code>3333333</code>]" in comment["body"]
    assert (
        "| update | <code>replicate</code> | <code>Qwen/Qwen-Image-Edit-2509</code> | ✅ done |"
        in comment["body"]
    )
    assert "verified: the Hub matches the files" in comment["body"]
    assert (
        f"reviewed at [<code>1111111</code>](https://github.com/acme/mappings/commit/{HEAD1})"
        in comment["body"]
    )
    assert "Applied at" in run.summary
    assert run.outputs["comment-url"] == comment["html_url"]
    _no_secret_anywhere(run)


def test_an_unreviewed_change_on_the_hub_after_review_is_refused_by_name(world: World) -> None:
    _open_pull_request(world)
    review = world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)
    # someone changes the live mapping by hand after the review
    world.hub.seed_mapping(
        "replicate", task="text-to-image", hf_model="zeke/hotfix", provider_model="zeke/hot"
    )
    world.hub.clear_log()

    run = world.run("push", events.push(MERGE))

    assert run.conclusion == "failure"
    assert world.hub.writes == []
    assert run.outputs["applied"] == "false"
    assert run.outputs["plan-hash"] != review.outputs["plan-hash"]
    body = _plan_comment(world)["body"]
    assert "### ⛔ Refused at [<code>3333333</code>]" in body and "changes nobody reviewed" in body
    # the one action nobody reviewed is named; the reviewed ones are not
    assert "1 of 3 action(s) of the fresh plan are in no verified approval" in body
    assert "- delete <code>replicate</code> <code>zeke/hotfix</code>" in body
    assert "<code>zeke/hotfix</code>" in body.split("#### The plan as reviewed")[0]  # the new plan
    assert read_marker(body)["state"] == "refused"
    assert "::error title=hfmap::hfmap: not applied: changes nobody reviewed" in run.log


def test_unsafe_plan_needs_allow_unsafe_on_merge_and_force_is_a_deprecated_alias(world: World) -> None:
    world.gh.add_pull(REPO, 7, HEAD1)
    for index in range(60):
        world.hub.seed_mapping(
            "replicate", task="text-to-image", hf_model=f"old/m{index}", provider_model="x/y"
        )
    review = world.run("pull_request", events.pull_request(7, HEAD1))
    assert review.outputs["needs-force"] == "true"
    assert "needs force" in _plan_comment(world)["body"]
    world.gh.merge_pull(REPO, 7, MERGE)
    world.hub.clear_log()

    refused = world.run("push", events.push(MERGE))
    assert refused.conclusion == "failure" and world.hub.writes == []
    body = _plan_comment(world)["body"]
    assert "the plan exceeds the safety limits" in body and "`allow-unsafe: true`" in body

    forced = world.run("push", events.push(MERGE), force="true")
    assert forced.conclusion == "success", forced.log
    assert forced.outputs["applied"] == "true"
    assert "::warning title=hfmap::input 'force' is deprecated" in forced.log
    assert not any(m["hfModel"].startswith("old/") for m in world.hub.mappings("replicate") if "hfModel" in m)


def test_direct_push_without_pull_request_applies_only_when_asked(world: World) -> None:
    world.edit("replicate.yaml", STAGING_EDIT, STAGING_EDIT.replace("staging", "live"))

    run = world.run("push", events.push(MERGE))
    assert run.conclusion == "failure"
    assert world.hub.writes == []
    assert "direct push without a pull request" in run.summary
    assert run.outputs["has-changes"] == "true" and run.outputs["applied"] == "false"

    run = world.run("push", events.push(MERGE), mode="apply")
    assert run.conclusion == "success", run.log
    assert run.outputs["applied"] == "true"
    assert world.hub.mapping("replicate", "Qwen/Qwen-Image-Edit-2509")["status"] == "live"


def test_fork_pull_request_gets_the_plan_in_the_summary_and_stays_green(world: World) -> None:
    _open_pull_request(world)
    run = world.run(
        "pull_request",
        events.pull_request(7, HEAD1, fork_of="stranger/mappings"),
        token=FORK_TOKEN,
        hf_token="",
    )

    assert run.conclusion == "success", run.log
    assert world.gh.comments(REPO, 7) == []
    assert ("POST", f"/repos/{REPO}/issues/7/comments", 403) in world.gh.requests
    assert "::warning title=hfmap::could not write the PR comment (a pull request from a fork" in run.log
    assert "comment could not be written" in run.summary
    assert "<code>zeke/old-experiment</code>" in run.summary
    assert run.outputs["has-changes"] == "true" and run.outputs["comment-url"] == ""


def test_drift_opens_updates_and_closes_one_issue(world: World) -> None:
    world.hub.seed_mapping(
        "replicate", task="text-to-image", hf_model="zeke/by-hand", provider_model="zeke/h"
    )

    first = world.run("schedule", events.schedule(), mode="plan")
    assert first.conclusion == "success", first.log
    issues = world.gh.issues(REPO)
    assert len(issues) == 1 and issues[0]["state"] == "open"
    assert issues[0]["title"] == "hfmap: live mappings drifted from the repository"
    assert "<code>zeke/by-hand</code>" in issues[0]["body"]
    assert first.outputs["has-changes"] == "true" and first.outputs["comment-url"] == issues[0]["html_url"]
    assert "hfmap drift check" in first.summary

    world.hub.seed_mapping(
        "replicate", task="text-to-image", hf_model="zeke/by-hand-2", provider_model="zeke/h"
    )
    world.run("schedule", events.schedule(), mode="plan")
    issues = world.gh.issues(REPO)
    assert len(issues) == 1 and "<code>zeke/by-hand-2</code>" in issues[0]["body"]

    fix = world.run("push", events.push(MERGE), mode="apply")  # the drift is undone by applying the files
    assert fix.conclusion == "success", fix.log + fix.summary
    last = world.run("schedule", events.schedule(), mode="plan")
    assert last.outputs["has-changes"] == "false"
    issue = world.gh.issues(REPO)[0]
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"


def test_a_plan_of_5000_changes_fits_the_comment_and_the_summary_has_it_all(world: World) -> None:
    world.gh.add_pull(REPO, 7, HEAD1)
    for index in range(5000):
        world.hub.seed_mapping(
            "replicate",
            task="text-to-image",
            hf_model=f"bulk-org/model-{index:04d}",
            provider_model=f"bulk/model-{index:04d}",
        )

    run = world.run("pull_request", events.pull_request(7, HEAD1), check="false")

    assert run.conclusion == "success", run.log
    body = _plan_comment(world)["body"]
    assert len(body) < 65_536
    assert "### hfmap plan: 0 to create, 0 to update, 0 to replace, 5000 to delete" in body
    assert "more not shown. The full plan is in the job summary and the `plan.json` artifact." in body
    assert "needs force" in body
    summary_bytes = len(run.summary.encode("utf-8"))
    assert summary_bytes < 1024 * 1024
    assert all(f"<code>bulk-org/model-{index:04d}</code>" in run.summary for index in range(5000))
    assert "more not shown" not in run.summary

    # only the rows the comment shows are approved, and it says so; apply refuses the rest
    marker = read_marker(body)
    shown = sum(f"<code>bulk-org/model-{index:04d}</code>" in body for index in range(5000))
    assert marker["total"] == 5000 and marker["shown"] == shown and 0 < shown < 5000
    assert f"**Only the {shown} change(s) shown are approved**" in body and "split this pull request" in body
    world.gh.merge_pull(REPO, 7, MERGE)
    world.hub.clear_log()

    apply = world.run("push", events.push(MERGE), allow_unsafe="true")

    assert apply.conclusion == "failure" and world.hub.writes == []
    assert apply.outputs["failure-reason"] == "unreviewed"
    assert f"{5000 - shown} of 5000 action(s) of the fresh plan are in no verified approval" in apply.summary
    assert "split a large one so that every change is shown" in apply.summary


def test_rerunning_the_apply_job_is_superseded_writes_nothing_and_keeps_the_applied_report(
    world: World,
) -> None:
    _open_pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)
    world.run("push", events.push(MERGE))
    applied_body = _plan_comment(world)["body"]
    world.hub.clear_log()

    world.hub.seed_mapping(  # even when the Hub drifted back since: the approval was used
        "replicate", task="text-to-image", hf_model="zeke/old-experiment", provider_model="z/o"
    )
    world.hub.clear_log()

    for _attempt in range(2):
        rerun = world.run("push", events.push(MERGE))

        assert rerun.conclusion == "success", rerun.log
        assert world.hub.writes == []
        assert rerun.outputs["failure-reason"] == "superseded" and rerun.outputs["applied"] == "false"
        assert "were already applied" in rerun.summary
        body = _plan_comment(world)["body"]
        assert read_marker(body)["state"] == "applied"
        note, report = body.split("\n", 1)[1].split("\n\n", 1)
        assert note.startswith("ℹ️ A re-run at") and "were already applied" in note
        assert report == applied_body.split("\n", 1)[1]  # the applied report below it, once


def test_a_failed_operation_fails_the_job_and_the_comment_says_which(world: World) -> None:
    _open_pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)
    world.hub.inject(Fault(method="DELETE", path="/api/partners/*", kind="status", status=400, times=10))

    run = world.run("push", events.push(MERGE))

    assert run.conclusion == "failure"
    body = _plan_comment(world)["body"]
    assert "### ❌ Apply at [<code>3333333</code>]" in body and "operations failed" in body
    assert "| delete | <code>replicate</code> | <code>zeke/old-experiment</code> | ❌ failed |" in body
    assert "| update | <code>replicate</code> | <code>Qwen/Qwen-Image-Edit-2509</code> | ✅ done |" in body
    assert read_marker(body)["state"] == "partly-applied"
    assert "**Partly applied (1 of 2).** 1 change(s) remain" in body
    assert run.outputs["applied"] == "true"


def test_broken_mapping_file_fails_the_check_with_annotations_and_says_so_in_the_comment(
    world: World,
) -> None:
    world.gh.add_pull(REPO, 7, HEAD1)
    world.edit(
        "replicate.yaml",
        "task: text-to-speech\n    status: staging",
        "task: text-to-speach\n    status: staging",
    )

    run = world.run("pull_request", events.pull_request(7, HEAD1), check="false")

    assert run.conclusion == "failure"
    assert "::error file=mappings/replicate.yaml,line=" in run.log
    body = _plan_comment(world)["body"]
    assert "`hfmap lint` found problems: see the annotations." in body


def test_a_broken_config_file_is_reported_in_the_comment_summary_and_failure_reason(world: World) -> None:
    """hfmap.toml is read by the commands the Action runs, not by the Action's driver: a broken one is told
    where people look (the comment, the job summary, `failure-reason`), never a bare failed job."""
    _open_pull_request(world)
    (world.workspace / "hfmap.toml").write_text("[apply\nmax-destructive = 3\n", encoding="utf-8")

    pr = world.run("pull_request", events.pull_request(7, HEAD1))
    assert pr.conclusion == "failure"
    assert "hfmap.toml&#58;1&#58;7&#58; invalid TOML" in pr.summary
    assert "invalid TOML" in _plan_comment(world)["body"]

    world.gh.merge_pull(REPO, 7, MERGE)
    push = world.run("push", events.push(MERGE))
    assert push.conclusion == "failure" and world.hub.writes == []
    assert push.outputs["failure-reason"] == "apply-failed"
    assert "could not make a plan" in push.summary and "invalid TOML" in push.summary


def test_fork_comment_through_workflow_run_then_merge_applies_it(world: World) -> None:
    _open_pull_request(world)
    world.gh.add_pull(REPO, 7, HEAD1, head_repo="stranger/mappings")  # the fork's, found by owner:branch
    fork_run = world.run(
        "pull_request",
        events.pull_request(7, HEAD1, fork_of="stranger/mappings"),
        token=FORK_TOKEN,
        hf_token="",
    )
    assert world.gh.comments(REPO, 7) == []

    # the trusted workflow_run job: the fork's files come from the plan run's artifact into the workspace
    run = world.run("workflow_run", events.workflow_run(HEAD1, fork_of="stranger/mappings"), hf_token="")

    assert run.conclusion == "success", run.log
    comment = _plan_comment(world)
    marker = read_marker(comment["body"])
    assert marker["head_sha"] == HEAD1 and marker["hash"] == fork_run.outputs["plan-hash"]
    assert "<code>zeke/old-experiment</code>" in comment["body"]
    assert "::error" not in run.log  # no lint annotations from this job: they belong to the PR's own run

    world.gh.merge_pull(REPO, 7, MERGE)
    merged = world.run("push", events.push(MERGE))
    assert merged.conclusion == "success", merged.log
    assert merged.outputs["applied"] == "true"


def test_workflow_run_for_a_superseded_commit_comments_nothing(world: World) -> None:
    world.gh.add_pull(REPO, 7, HEAD2, head_repo="stranger/mappings")

    run = world.run("workflow_run", events.workflow_run(HEAD1, fork_of="stranger/mappings"))

    assert run.conclusion == "success"
    assert world.gh.comments(REPO, 7) == []
    assert "no open pull request is at 1111111 any more" in run.log


def test_a_secondary_rate_limit_on_the_way_is_waited_out(world: World) -> None:
    _open_pull_request(world)
    world.gh.rate_limit_next(1, status=429, retry_after=1)

    run = world.run("pull_request", events.pull_request(7, HEAD1))

    assert run.conclusion == "success", run.log
    assert _plan_comment(world)["user"]["login"] == "github-actions[bot]"
    assert [status for _m, _p, status in world.gh.requests[:2]] == [429, 200]


def test_comment_false_records_a_check_run_and_mode_check_leaves_github_alone(world: World) -> None:
    _open_pull_request(world)

    quiet = world.run("pull_request", events.pull_request(7, HEAD1), comment="false")
    assert world.gh.comments(REPO, 7) == []
    (check_run,) = world.gh.check_runs(REPO, HEAD1)  # the approval, so that a merge still applies
    assert check_run["name"] == "hfmap approval" and check_run["app"]["slug"] == "github-actions"
    assert read_marker(check_run["output"]["summary"])["hash"] == quiet.outputs["plan-hash"]
    world.gh.requests.clear()
    checked = world.run("pull_request", events.pull_request(7, HEAD1), mode="check")

    assert quiet.conclusion == checked.conclusion == "success"
    assert world.gh.requests == []
    assert "<code>zeke/old-experiment</code>" in quiet.summary
    assert "**hfmap lint:** ✅ no problems in <code>mappings</code>" in checked.summary
    assert checked.outputs["has-changes"] == "false" and checked.outputs["plan-hash"] == ""


def test_mode_comment_as_the_readme_lists_it(world: World) -> None:
    _open_pull_request(world)
    world.gh.add_pull(REPO, 7, HEAD1, head_repo="stranger/mappings")

    run = world.run(
        "workflow_run", events.workflow_run(HEAD1, fork_of="stranger/mappings"), hf_token="", mode="comment"
    )

    assert run.conclusion == "success", run.log
    assert read_marker(_plan_comment(world)["body"])["head_sha"] == HEAD1


def test_the_fork_comment_run_fails_only_when_it_cannot_comment_or_the_plan_failed_for_another_reason(
    world: World,
) -> None:
    _open_pull_request(world)
    world.gh.add_pull(REPO, 7, HEAD1, head_repo="stranger/mappings")
    event = events.workflow_run(HEAD1, fork_of="stranger/mappings")

    # its whole job is the comment: a token that cannot write fails it
    unwritten = world.run("workflow_run", event, token=FORK_TOKEN, hf_token="")
    assert unwritten.conclusion == "failure" and world.gh.comments(REPO, 7) == []
    assert "::warning title=hfmap::could not write the PR comment" in unwritten.log

    # the Hub refuses to list mappings: no lint error of the fork explains it, so the run fails too
    world.hub.inject(Fault(method="GET", path="/api/partners/*", kind="status", status=400, times=100))
    down = world.run(
        "workflow_run", {**event, "workflow_run": {**event["workflow_run"], "conclusion": "failure"}}
    )
    assert down.conclusion == "failure"
    body = _plan_comment(world)["body"]
    assert "### ❌ hfmap could not make a plan at" in body and "hfmap lint" not in body


def test_a_token_that_may_not_read_checks_still_applies_comment_approvals_and_says_what_it_missed(
    world: World,
) -> None:
    _open_pull_request(world)
    world.run("pull_request", events.pull_request(7, HEAD1))
    world.gh.merge_pull(REPO, 7, MERGE)
    world.gh.repos[REPO].private = True  # a public repository's check runs can be read without checks: read
    limited = "ghs_nochecks0123456789abcdef0123"  # an apply.yml whose permissions leave out checks: read
    world.gh.add_token(limited, kind="actions", permissions={"contents": "read", "pull-requests": "write"})

    run = world.run("push", events.push(MERGE), token=limited)

    assert run.conclusion == "success", run.log
    assert run.outputs["applied"] == "true"
    assert any(
        path.endswith("/check-runs?check_name=hfmap+approval&per_page=100") and status == 403
        for _method, path, status in world.gh.requests
    )
    assert (
        "::warning title=hfmap::could not read check runs (Resource not accessible by integration)" in run.log
    )
