"""What an apply may carry out: the reviewed pull requests merged since the last successful apply.

An apply acts on the tip of the default branch only. It takes its own push's pull requests (or the one a
dispatch names) and walks back from the tip, commit by commit, collecting every merged pull request whose
approval was not yet carried out, until it reaches one that was (at most `WALK` commits). So when an
older run finds main moved on and stops as stale, the newer run applies its pull requests too: nothing
reviewed is stranded, and an approval already carried out is never used again.

Each approval is also checked against the pull request itself: written before `merged_at` (GitHub's own
time: the comment's, copied into the marker as `approved_at` by the first apply that reads it), for the
merged head (`hfmap.github.comment.find_approvals`), and with `require-review`, backed by an approving
review at that head from someone other than the author.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from hfmap.github.api import GitHubClient, GitHubError
from hfmap.github.approval import ApprovalClaim
from hfmap.github.comment import find_approvals, own_login
from hfmap.github.env import ActionEnv
from hfmap.github.merged import merged_pulls

WALK = 50  # commits of the default branch looked at, newest first


@dataclass
class Pull:
    """A merged pull request and what its approvals say."""

    data: dict[str, Any]
    own: bool  # merged by this run's push, or named by the dispatch
    verdicts: list[ApprovalClaim] = field(default_factory=list)

    @property
    def number(self) -> int:
        return int(self.data["number"])

    @property
    def approved(self) -> list[ApprovalClaim]:
        return [v for v in self.verdicts if v.ok]

    @property
    def done(self) -> bool:
        """Its approval was carried out in full by an earlier apply."""
        return any(v.data.get("state") == "applied" for v in self.approved)


@dataclass
class Review:
    """The pull requests behind this run, the tip of the default branch, and how far back the walk went."""

    login: str | None = None
    pulls: list[Pull] = field(default_factory=list)
    tip: str = ""
    reached: bool = True  # the walk from the tip reached this run's own pull requests
    exhausted: bool = False  # the walk looked at WALK commits without meeting an applied pull request

    @property
    def own(self) -> list[Pull]:
        return [p for p in self.pulls if p.own]

    @property
    def pending(self) -> list[Pull]:
        """The pull requests whose approvals this apply may use."""
        return [p for p in self.pulls if not p.done]

    @property
    def approved(self) -> list[ApprovalClaim]:
        return [v for p in self.pending for v in p.approved]


def gather(env: ActionEnv, client: GitHubClient) -> Review:
    """This run's pull requests with their checked approvals, the tip, and (at the tip) every pull request
    merged since the last successful apply."""
    review = Review(login=own_login(client, env))
    number = env.dispatch_pull
    if number is not None:
        pull = client.pull(number)
        if not pull.get("merged_at"):
            raise GitHubError(0, f"pull request #{number} is not merged; only a merged one can be re-applied")
        own = [pull]
    else:
        own = merged_pulls(client, env)
    review.pulls = [_checked(env, client, review.login, Pull(p, own=True)) for p in own]
    history = client.branch_commits(env.default_branch, WALK)
    review.tip = history[0] if history else ""
    if review.tip == env.sha and not (review.own and all(p.done for p in review.own)):
        review.reached = _walk(env, client, review, history)
    return review


def _walk(env: ActionEnv, client: GitHubClient, review: Review, history: list[str]) -> bool:
    """Add the pull requests merged since the last applied one; True when the walk met every own one.

    A walk that used up its WALK commits without meeting an applied pull request says so (`exhausted`):
    an own pull request further back (a dispatch naming an old one) is then not superseded, only unseen,
    and one merged further back is not counted, which the refusal names."""
    known = {p.number: p for p in review.pulls}
    unmet = {str(p.data.get("merge_commit_sha")) for p in review.own}
    own = {str(p.data.get("merge_commit_sha")): p for p in review.own}
    for sha in history:
        unmet.discard(sha)
        if sha in own:  # known already: not asked again
            pulls = [own[sha]]
        else:
            merged = [
                p
                for p in client.pulls_for_commit(sha)
                if p.get("merged_at") and p.get("merge_commit_sha") == sha
            ]
            pulls = [
                known.get(int(p["number"])) or _checked(env, client, review.login, Pull(p, own=False))
                for p in merged
            ]
        for pull in pulls:
            if pull.number not in known:
                known[pull.number] = pull
                review.pulls.append(pull)
            if pull.done:
                return not unmet
    if len(history) >= WALK:
        review.exhausted = True
        return True
    return not unmet


def _checked(env: ActionEnv, client: GitHubClient, login: str | None, pull: Pull) -> Pull:
    head = str((pull.data.get("head") or {}).get("sha") or "")
    if not login:
        return pull
    verdicts = [_in_time(v, pull.data) for v in find_approvals(client, env, pull.number, login, head)]
    if env.require_review and any(v.ok for v in verdicts):
        missing = _review_problem(client, pull.data, head)
        if missing:
            verdicts = [replace(v, problem=missing) if v.ok else v for v in verdicts]
    pull.verdicts = verdicts
    return pull


def approved_at(verdict: ApprovalClaim) -> str:
    """When the approval was written: recorded by an earlier apply, else GitHub's time of the comment
    (or check run), which no apply has edited yet."""
    source = verdict.source or {}
    return str(
        verdict.data.get("approved_at") or source.get("updated_at") or source.get("completed_at") or ""
    )


def _time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _in_time(verdict: ApprovalClaim, pull: dict[str, Any]) -> ApprovalClaim:
    """An approval counts only when written before the merge."""
    if not verdict.ok:
        return verdict
    written, merged = _time(approved_at(verdict)), _time(str(pull.get("merged_at") or ""))
    if written is None or merged is None:
        return replace(verdict, problem="it does not say when it was written, so it may postdate the merge")
    if written > merged:
        return replace(
            verdict,
            problem=f"it was written at {approved_at(verdict)}, after the merge at {pull.get('merged_at')}, "
            "so nobody reviewed it before merging",
        )
    return verdict


def _review_problem(client: GitHubClient, pull: dict[str, Any], head: str) -> str:
    """Why `require-review` is not met (empty when an approving review at `head` by another person exists)."""
    author = str((pull.get("user") or {}).get("login") or "")
    latest: dict[str, dict[str, Any]] = {}
    for review in client.pull_reviews(int(pull["number"])):
        who = str((review.get("user") or {}).get("login") or "")
        if review.get("state") in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[who] = review
    approving = [
        who
        for who, review in latest.items()
        if review.get("state") == "APPROVED" and review.get("commit_id") == head and who and who != author
    ]
    if approving:
        return ""
    return (
        f"require-review is set, and nobody but its author approved the pull request at its merged head "
        f"{head[:7]}"
    )
