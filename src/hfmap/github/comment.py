"""Where approvals live: hfmap's own pull request comment, or (with `comment: false`) its own check run.

Only what the Action's own identity wrote counts, and only a body that starts with a marker for these
paths, whose visible text is what hfmap wrote (and whose signature verifies, with `approval-key`). hfmap
never edits a comment it cannot verify as its own: a bot that echoes a pull request's description, or a
comment edited by hand, is left untouched.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.approval import ApprovalClaim, seal, verify
from hfmap.github.env import ActionEnv
from hfmap.github.workflow import annotate

REVIEWED = "\n\n---\n\n#### The plan as reviewed\n\n"
COMMENT_LIMIT = 65_536  # characters GitHub accepts in a comment body (and a check run's summary)


def own_login(client: GitHubClient, env: ActionEnv) -> str | None:
    return client.own_login(job_token=bool(env.job_token) and env.job_token == env.github_token)


def check_name(paths: list[str]) -> str:
    return "hfmap approval" if paths == ["mappings"] else f"hfmap approval ({', '.join(paths)})"


def find_approvals(
    client: GitHubClient, env: ActionEnv, number: int, login: str, head_sha: str, *, require_head: bool = True
) -> list[ApprovalClaim]:
    """Every approval of `number` for these paths written by `login` (comments, then check runs on
    `head_sha`), each with its problem; `require_head`: an approval of another commit does not verify."""

    def check(body: str | None, source: dict[str, Any]) -> ApprovalClaim | None:
        verdict = verify(
            body,
            repo=env.repository,
            pr=number,
            paths=env.paths,
            key=env.approval_key,
            head_sha=head_sha if require_head else None,
        )
        return None if verdict is None else replace(verdict, source=source)

    out: list[ApprovalClaim] = []
    for comment in client.issue_comments(number):
        if (comment.get("user") or {}).get("login") == login and (v := check(comment.get("body"), comment)):
            out.append(v)
    if head_sha and login.endswith("[bot]"):
        slug = login.removesuffix("[bot]")
        for run in _check_runs(client, head_sha, env.paths):
            if (run.get("app") or {}).get("slug") == slug:
                verdict = check((run.get("output") or {}).get("summary"), {**run, "_check_run": True})
                if verdict is not None:
                    out.append(verdict)
    return out


def _check_runs(client: GitHubClient, head_sha: str, paths: list[str]) -> list[dict[str, Any]]:
    """The approval check runs on `head_sha`; none, with a warning, when the token may not read checks
    (a workflow whose `permissions:` leaves out `checks: read` still applies comment approvals)."""
    try:
        return client.check_runs(head_sha, check_name(paths))
    except GitHubError as exc:
        if exc.status != 403:
            raise
        annotate(
            "warning",
            f"could not read check runs ({exc.message}): approvals recorded as check runs (comment: false) "
            "are not seen; give the workflow `checks: read`",
        )
        return []


def fit(data: dict[str, Any], status: str, reviewed: str, key: bytes | None) -> str:
    """The sealed body: `status` above the reviewed plan, cut so the whole stays under GitHub's limit."""
    room = COMMENT_LIMIT - len(seal(data, "", key)) - 512
    if not status:
        return seal(data, reviewed[:room], key)
    note = "\n\n… (cut to fit the comment; the full plan is in the pull request run's job summary)"
    if len(status) + len(REVIEWED) + len(reviewed) > room:
        keep = max(0, room - len(status) - len(REVIEWED) - len(note))
        cut = reviewed[:keep]
        reviewed = (cut[: cut.rfind("\n")] if "\n" in cut else cut) + note
    return seal(data, status + REVIEWED + reviewed, key)


def reviewed_part(visible: str) -> str:
    """The reviewed plan inside a visible text (all of it while the comment is still `planned`)."""
    return visible.split(REVIEWED, 1)[1] if REVIEWED in visible else visible


def status_part(visible: str) -> str:
    """The status above the reviewed plan (empty while the comment is still `planned`)."""
    return visible.split(REVIEWED, 1)[0] if REVIEWED in visible else ""


def write(client: GitHubClient, number: int, body: str, existing: dict[str, Any] | None) -> dict[str, Any]:
    """Edit our own verified comment, or add one (check-run approvals go through `record_check_run`)."""
    if existing is not None:
        return client.update_comment(int(existing["id"]), body)
    return client.create_comment(number, body)


def record_check_run(
    client: GitHubClient, env: ActionEnv, head_sha: str, body: str, existing: dict[str, Any] | None
) -> dict[str, Any]:
    """With `comment: false`: the approval as a check run on the head commit (only App tokens can)."""
    fields: dict[str, Any] = {"output": {"title": "hfmap plan", "summary": body}}
    if existing is None:
        fields.update(name=check_name(env.paths), head_sha=head_sha, status="completed", conclusion="neutral")
        return client.write_check_run(None, **fields)
    return client.write_check_run(int(existing["id"]), **fields)
