"""On `workflow_run` after a pull request was planned (from a fork or a branch): write its signed comment."""

from __future__ import annotations

from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.env import ActionEnv, PullRequest
from hfmap.github.flows.common import FlowResult, step_outputs
from hfmap.github.flows.pr import pr_flow
from hfmap.github.workflow import annotate


def comment_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    """On `workflow_run` after a pull request's plan run: plan its files and write the signed comment.

    The workflow (the default branch's own definition) has checked the pull request's files out at the
    planned head commit, by SHA, as data: nothing of the pull request is executed, hfmap only reads the
    mapping files. The pull request is looked up through the API and must still be at that commit; the
    comment is written only while it is open (`pr_flow`).
    """
    run = env.event.get("workflow_run") or {}
    head_sha = str(run.get("head_sha") or "")
    if run.get("event") not in ("pull_request", "pull_request_target") or client is None or not head_sha:
        annotate(
            "notice", "hfmap: this workflow_run was not triggered by a pull request; nothing to comment on"
        )
        return FlowResult(0, step_outputs(None))
    head_repo = str((run.get("head_repository") or {}).get("full_name") or "")
    try:
        candidates = [
            p for p in run.get("pull_requests") or [] if (p.get("head") or {}).get("sha") == head_sha
        ]
        if not candidates and head_repo and run.get("head_branch"):
            owner = head_repo.split("/")[0]
            candidates = client.open_pulls(head=f"{owner}:{run['head_branch']}")
        pull = next((p for p in candidates if (p.get("head") or {}).get("sha") == head_sha), None)
    except GitHubError as exc:
        annotate("error", f"could not find the pull request for {head_sha[:7]}: {exc.message}")
        return FlowResult(1, step_outputs(None))
    if pull is None:
        annotate(
            "notice", f"hfmap: no open pull request is at {head_sha[:7]} any more (a newer push replaced it)"
        )
        return FlowResult(0, step_outputs(None))
    pr = PullRequest(int(pull["number"]), head_sha, head_repo or env.repository, env.repository)
    return pr_flow(env, client, pr)
