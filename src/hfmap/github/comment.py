"""The pull request comment that carries a plan: its hidden marker, finding it again, writing it."""

from __future__ import annotations

from typing import Any

from hfmap import __version__
from hfmap.github.api import ACTIONS_BOT, GitHubClient
from hfmap.github.env import ActionEnv
from hfmap.github.marker import marker, read_marker


def plan_marker(env: ActionEnv, plan: dict[str, Any] | None, head_sha: str, **extra: Any) -> str:
    data = {
        "tool": "hfmap",
        "version": __version__,
        "paths": env.paths,
        "hash": (plan or {}).get("hash"),
        "head_sha": head_sha,
        "summary": (plan or {}).get("summary"),
        "state": "planned",
    }
    data.update(extra)
    return marker("hfmap-plan", data)


def find_plan_comment(client: GitHubClient, number: int, paths: list[str]) -> dict[str, Any] | None:
    """Our comment for this path set: its marker matches and its author is the token's user."""
    authors = {client.login(), ACTIONS_BOT}
    for comment in client.issue_comments(number):
        data = read_marker(comment.get("body"))
        if data is None or data.get("paths") != paths:
            continue
        if (comment.get("user") or {}).get("login") in authors:
            return comment
    return None


def post_comment(
    client: GitHubClient, number: int, body: str, existing: dict[str, Any] | None
) -> dict[str, Any]:
    if existing is not None:
        return client.update_comment(int(existing["id"]), body)
    return client.create_comment(number, body)
