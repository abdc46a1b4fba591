"""Which pull requests a push merged: every commit between the push's `before` and `after`, and for each
the pull request whose `merge_commit_sha` is exactly that commit (merge, squash and rebase merges all set
it; a pull request that merely *contains* a commit does not count).

GitHub's commit → pull request index lags a few seconds behind a merge, so an empty answer is asked
again a few times; commit messages that name a pull request ("Merge pull request #7", "Title (#7)") are
hints only: they make the look-up retry and ask for that pull request by number, and are never trusted
without its `merge_commit_sha`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from typing import Any

from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.env import ActionEnv

MAX_COMMITS = 250  # what one compare answer lists
_HINT = re.compile(r"(?:^Merge pull request #(\d+)\b|\(#(\d+)\)\s*$)", re.M)
_ZERO = "0" * 40


def push_commits(client: GitHubClient, env: ActionEnv) -> list[str]:
    """The commits the push added to the branch, oldest first (always ending with `after`)."""
    before, after = str(env.event.get("before") or ""), env.sha
    shas: list[str] = []
    if before and before != _ZERO and after:
        try:
            shas = client.compare_commits(before, after)[-MAX_COMMITS:]
        except GitHubError:
            shas = []
    if not shas:  # a new branch, a force push, or compare unavailable: the payload's list
        shas = [str(c.get("id")) for c in env.event.get("commits") or [] if c.get("id")]
    if after and after not in shas:
        shas.append(after)
    return shas


def _hints(env: ActionEnv) -> set[int]:
    messages = [str(c.get("message") or "") for c in env.event.get("commits") or []]
    messages.append(str((env.event.get("head_commit") or {}).get("message") or ""))
    return {int(a or b) for text in messages for a, b in _HINT.findall(text)}


def _wait_base() -> float:
    try:
        return max(0.0, float(os.environ.get("HFMAP_PR_LOOKUP_WAIT", "2")))
    except ValueError:
        return 2.0


def merged_pulls(
    client: GitHubClient, env: ActionEnv, *, tries: int = 4, sleep: Callable[[float], None] = time.sleep
) -> list[dict[str, Any]]:
    """Every pull request merged by this push, by exact `merge_commit_sha`, oldest first."""
    commits = push_commits(client, env)
    wanted = set(commits)
    hints = _hints(env)
    found: dict[int, dict[str, Any]] = {}
    for attempt in range(tries):
        for sha in commits:
            for pull in client.pulls_for_commit(sha):
                if pull.get("merged_at") and pull.get("merge_commit_sha") == sha:
                    found[int(pull["number"])] = pull
        for number in sorted(hints - set(found)):
            try:
                pull = client.pull(number)
            except GitHubError:
                continue
            if pull.get("merged_at") and pull.get("merge_commit_sha") in wanted:
                found[number] = pull
        if found and hints <= set(found):
            break
        if attempt + 1 < tries:
            sleep(_wait_base() * 2**attempt)
    order = {sha: index for index, sha in enumerate(commits)}
    return sorted(found.values(), key=lambda p: order.get(str(p.get("merge_commit_sha")), 0))
