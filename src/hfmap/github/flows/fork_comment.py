"""On `workflow_run` after a fork's pull request was planned: write its comment with a token that can."""

from __future__ import annotations

from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.env import ActionEnv, PullRequest
from hfmap.github.flows.common import FlowResult, step_outputs
from hfmap.github.flows.pr import pr_flow
from hfmap.github.workflow import annotate


def comment_flow(env: ActionEnv, client: GitHubClient | None) -> FlowResult:
    """On `workflow_run` after a fork's plan: plan its files (from an artifact) with a token that can comment.

    Nothing of the fork is executed here: hfmap only reads the mapping files. The pull request is looked up
    through the API (never taken from the artifact) and must still be at the commit the run planned.
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
