"""Event payloads in the shapes GitHub sends (trimmed to the fields that matter, same nesting and names)."""

from __future__ import annotations

from typing import Any

REPO = "acme/mappings"


def _repository(full_name: str = REPO) -> dict[str, Any]:
    owner = full_name.split("/")[0]
    return {
        "id": 123456,
        "name": full_name.split("/")[1],
        "full_name": full_name,
        "private": False,
        "owner": {"login": owner, "type": "Organization"},
        "html_url": f"https://github.com/{full_name}",
        "fork": owner != REPO.split("/")[0],
        "default_branch": "main",
    }


def pull_request(
    number: int,
    head_sha: str,
    *,
    action: str = "opened",
    fork_of: str | None = None,
    base_sha: str = "b" * 40,
    head_ref: str = "change",
) -> dict[str, Any]:
    """`pull_request` (opened / synchronize / reopened); `fork_of` names the fork the head lives in."""
    head_repo = _repository(fork_of or REPO)
    return {
        "action": action,
        "number": number,
        **({"before": "c" * 40, "after": head_sha} if action == "synchronize" else {}),
        "pull_request": {
            "url": f"https://api.github.com/repos/{REPO}/pulls/{number}",
            "id": 900000 + number,
            "number": number,
            "state": "open",
            "title": "Add and promote mappings",
            "user": {"login": "contributor", "type": "User"},
            "html_url": f"https://github.com/{REPO}/pull/{number}",
            "merged": False,
            "merge_commit_sha": None,
            "head": {
                "label": f"{head_repo['owner']['login']}:{head_ref}",
                "ref": head_ref,
                "sha": head_sha,
                "repo": head_repo,
            },
            "base": {"label": "acme:main", "ref": "main", "sha": base_sha, "repo": _repository()},
        },
        "repository": _repository(),
        "sender": {"login": "contributor", "type": "User"},
    }


def push(
    after: str, *, before: str = "b" * 40, message: str = "Merge pull request #7", forced: bool = False
) -> dict[str, Any]:
    return {
        "ref": "refs/heads/main",
        "before": before,
        "after": after,
        "created": False,
        "deleted": False,
        "forced": forced,
        "base_ref": None,
        "compare": f"https://github.com/{REPO}/compare/{before[:12]}...{after[:12]}",
        "commits": [{"id": after, "message": message, "distinct": True}],
        "head_commit": {"id": after, "message": message},
        "repository": _repository(),
        "pusher": {"name": "maintainer"},
        "sender": {"login": "maintainer", "type": "User"},
    }


def schedule(cron: str = "17 6 * * *") -> dict[str, Any]:
    return {"schedule": cron, "repository": _repository(), "workflow": ".github/workflows/drift.yml"}


def workflow_run(
    head_sha: str,
    *,
    fork_of: str,
    head_branch: str = "change",
    event: str = "pull_request",
    run_id: int = 99,
    conclusion: str = "success",
    workflow: str = "hfmap plan",
    path: str = ".github/workflows/pr.yml",
) -> dict[str, Any]:
    """`workflow_run` (completed) of the plan workflow; for a fork, `pull_requests` is empty, as on GitHub."""
    return {
        "action": "completed",
        "workflow_run": {
            "id": run_id,
            "name": workflow,
            "event": event,
            "status": "completed",
            "conclusion": conclusion,
            "head_sha": head_sha,
            "head_branch": head_branch,
            "head_repository": _repository(fork_of),
            "repository": _repository(),
            "pull_requests": [],
        },
        "workflow": {"name": workflow, "path": path},
        "repository": _repository(),
        "sender": {"login": "contributor", "type": "User"},
    }


def merge_group(head_sha: str, *, base_sha: str = "b" * 40, number: int = 7) -> dict[str, Any]:
    """`merge_group` (checks_requested): the queue's temporary branch with the pull request on top of main."""
    return {
        "action": "checks_requested",
        "merge_group": {
            "head_sha": head_sha,
            "head_ref": f"refs/heads/gh-readonly-queue/main/pr-{number}-{base_sha}",
            "base_sha": base_sha,
            "base_ref": "refs/heads/main",
            "head_commit": {"id": head_sha, "message": f"Merge pull request #{number}"},
        },
        "repository": _repository(),
        "sender": {"login": "maintainer", "type": "User"},
    }


def workflow_dispatch(pull_request: str = "", *, ref: str = "refs/heads/main") -> dict[str, Any]:
    """`workflow_dispatch` of the apply workflow, with its `pull-request` input."""
    return {
        "inputs": {"pull-request": pull_request},
        "ref": ref,
        "repository": _repository(),
        "sender": {"login": "maintainer", "type": "User"},
        "workflow": ".github/workflows/apply.yml",
    }
