"""A small GitHub REST client: the calls the Action needs, pagination, and patience with rate limits.

The base URL comes from `GITHUB_API_URL` so GitHub Enterprise Server works; every request sends the
documented `Accept` and `X-GitHub-Api-Version` headers. Secondary rate limits (403/429 with `retry-after`,
or `x-ratelimit-remaining: 0`) are waited out a few times; any other error becomes a `GitHubError` value the
flows decide about (a 403 on a fork's read-only token is expected, not fatal).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from itertools import islice
from typing import Any, TypeVar

from hfmap import __version__
from hfmap.clients.answer import Answer, parse_json
from hfmap.clients.http import HttpClient, HttpUnavailable, RetryPolicy
from hfmap.secrets import redact, register_secret

API_VERSION = "2022-11-28"
DEFAULT_API_URL = "https://api.github.com"
ACTIONS_BOT = "github-actions[bot]"
TIMEOUT = 30.0  # seconds per attempt, connect to last byte
_T = TypeVar("_T")


class GitHubError(Exception):
    """A GitHub answer that is not a success (after retries); `status` 0 means no answer at all."""

    def __init__(self, status: int, message: str, method: str = "", path: str = "") -> None:
        self.status, self.method, self.path = status, method, path
        self.message = redact(message)
        super().__init__(f"GitHub {method} {path}: {status} {self.message}".strip())


# Backoff 2 s, 4 s, 8 s (no jitter: one client per job); never a single wait over two minutes.
DEFAULT_POLICY = RetryPolicy(attempts=4, base=2.0, cap=120.0, jitter=0.0, max_wait=120.0)


class GitHubClient:
    """The REST calls the Action makes, for one repository (`owner/name`).

    Requests go through hfmap's one HTTP client and policy (`hfmap.clients.http`: aiohttp, the retry rule,
    `Retry-After` and rate-limit handling, the `Link` parser, the body caps). The Action makes a few calls
    per run, so the surface stays synchronous: each call runs on this client's own event loop.
    """

    def __init__(
        self,
        token: str | None,
        repository: str,
        api_url: str | None = None,
        *,
        graphql_url: str | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        register_secret(token)
        self.repository = repository
        self.policy = policy or DEFAULT_POLICY
        self._headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"hfmap-action/{__version__}",
        }
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self.base = (api_url or DEFAULT_API_URL).rstrip("/")
        self._loop = asyncio.new_event_loop()
        self._http = HttpClient(timeout=TIMEOUT, concurrency=4, retry=self.policy)
        # GitHub sets GITHUB_GRAPHQL_URL (on GHES `/api/graphql` beside `/api/v3`); api.github.com/graphql
        self._own: tuple[str | None] | None = None
        base = self.base
        self.graphql_url = (
            graphql_url or (base[: -len("/v3")] if base.endswith("/api/v3") else base) + "/graphql"
        )

    def close(self) -> None:
        if not self._loop.is_closed():
            self._loop.run_until_complete(self._http.aclose())
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())  # pages a caller left unread
            self._loop.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, work: Coroutine[Any, Any, _T]) -> _T:
        return self._loop.run_until_complete(work)

    # -- plumbing ------------------------------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict | None = None,
        landed: Callable[[], Awaitable[bool]] | None = None,
        idempotent: bool | None = None,
    ) -> Answer:
        """One call under the HTTP policy; raises GitHubError on anything but 2xx.

        A POST is sent again after a lost answer only when `landed` (a read of GitHub's state) shows it
        did not take effect; without `landed` it is sent once (a rate limit aside: GitHub did not act)."""
        url = path if path.startswith(("http://", "https://")) else self.base + path

        async def read_back(_status: int | None, _why: str) -> bool:
            return await landed() if landed is not None else True

        try:
            answer = await self._http.request(
                method,
                url,
                headers=self._headers,
                params=params,
                json=json,
                idempotent=idempotent,
                landed=read_back,
            )
        except HttpUnavailable as exc:
            raise GitHubError(0, exc.detail, method, path) from None
        if 200 <= answer.status_code < 300:
            return answer
        raise GitHubError(answer.status_code, _message(answer), method, path)

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict | None = None,
        idempotent: bool | None = None,
    ) -> dict:
        """One call and the answer's JSON object; any other answer is a `GitHubError`, never a crash."""
        work = self._request(method, path, json=json, params=params, idempotent=idempotent)
        return _decoded(self._run(work), dict, method, path)

    async def _created(
        self, path: str, body: dict[str, Any], listing: str, params: dict | None = None
    ) -> dict:
        """POST `body` to create a comment or an issue, never twice: after a lost answer, GitHub's list
        (`listing`) is read back and the POST is sent again only when no item there holds the same body
        (hfmap's comments and issues start with a marker that names their plan or drift)."""
        found: list[dict] = []

        async def landed() -> bool:
            found[:] = [item async for item in self._items(listing, params) if _same(item, body)]
            return bool(found)

        try:
            answer = await self._request("POST", path, json=body, landed=landed)
        except GitHubError:
            if found:
                return found[-1]
            raise
        return _decoded(answer, dict, "POST", path)

    async def _items(self, path: str, params: dict | None = None) -> Any:
        """Every item of a list endpoint, following `Link: rel="next"` (100 per page)."""
        url: str | None = path
        query: dict | None = {"per_page": 100, **(params or {})}
        while url:
            answer = await self._request("GET", url, params=query)
            items = _decoded(answer, list, "GET", url)
            if not all(isinstance(item, dict) for item in items):
                raise GitHubError(
                    answer.status_code, "GitHub's list held something else than objects", "GET", url
                )
            for item in items:
                yield item
            url, query = answer.links.get("next", {}).get("url"), None

    def paginate(self, path: str, params: dict | None = None) -> Iterator[dict]:
        """Every item of a list endpoint, page by page as they are consumed."""
        pages = self._items(path, params).__aiter__()
        while True:
            try:
                yield self._run(pages.__anext__())
            except StopAsyncIteration:
                return

    # -- calls ---------------------------------------------------------------------------------------------

    def viewer_login(self) -> str | None:
        """Who the token is, asked of GitHub: GraphQL `viewer` answers for the workflow's token, an App
        installation token (`<slug>[bot]`) and a personal token alike; `GET /user` answers only a personal
        token (the fallback where GraphQL is unavailable). None when neither answers."""
        try:
            query = {"query": "query { viewer { login } }"}
            data = self.call("POST", self.graphql_url, json=query, idempotent=True)  # a read
            login = ((data.get("data") or {}).get("viewer") or {}).get("login")
            if isinstance(login, str) and login:
                return login
        except (GitHubError, AttributeError):  # call() gives a dict; its "data" may still be anything
            pass
        try:
            login = self.call("GET", "/user").get("login")
            return str(login) if login else None
        except GitHubError:
            return None

    def own_login(self, *, job_token: bool) -> str | None:
        """The login this token writes as (asked once): GraphQL `viewer`, else `GET /user`, else — only
        for the workflow's own `github.token` — `github-actions[bot]`; None when it cannot be known."""
        if self._own is None:
            self._own = (self.viewer_login() or (ACTIONS_BOT if job_token else None),)
        return self._own[0]

    def issue_comments(self, number: int) -> Iterator[dict]:
        return self.paginate(f"/repos/{self.repository}/issues/{number}/comments")

    def create_comment(self, number: int, body: str) -> dict:
        path = f"/repos/{self.repository}/issues/{number}/comments"
        return self._run(self._created(path, {"body": body}, path))

    def update_comment(self, comment_id: int, body: str) -> dict:
        path = f"/repos/{self.repository}/issues/comments/{comment_id}"
        return self.call("PATCH", path, json={"body": body})

    def pulls_for_commit(self, sha: str) -> list[dict]:
        return list(self.paginate(f"/repos/{self.repository}/commits/{sha}/pulls"))

    def pull(self, number: int) -> dict:
        return self.call("GET", f"/repos/{self.repository}/pulls/{number}")

    def compare_commits(self, base: str, head: str) -> list[str]:
        """The commits in `head` but not in `base`, oldest first (GitHub lists at most 250)."""
        data = self.call("GET", f"/repos/{self.repository}/compare/{base}...{head}")
        return [str(c.get("sha")) for c in data.get("commits") or [] if c.get("sha")]

    def branch_commits(self, branch: str, limit: int) -> list[str]:
        """The newest `limit` commits of `branch`, newest first (the first is its tip)."""
        commits = islice(self.paginate(f"/repos/{self.repository}/commits", {"sha": branch}), limit)
        return [str(c.get("sha")) for c in commits if c.get("sha")]

    def pull_files(self, number: int) -> list[str]:
        """The paths a pull request changes (GitHub lists at most 3,000)."""
        files = self.paginate(f"/repos/{self.repository}/pulls/{number}/files")
        return [str(f.get("filename")) for f in files if f.get("filename")]

    def pull_reviews(self, number: int) -> list[dict]:
        return list(self.paginate(f"/repos/{self.repository}/pulls/{number}/reviews"))

    def check_runs(self, sha: str, name: str) -> list[dict]:
        path = f"/repos/{self.repository}/commits/{sha}/check-runs"
        data = self.call("GET", path, params={"check_name": name, "per_page": 100})
        return list(data.get("check_runs") or [])

    def write_check_run(self, existing: int | None, **fields: Any) -> dict:
        if existing is not None:
            return self.call("PATCH", f"/repos/{self.repository}/check-runs/{existing}", json=fields)
        return self.call("POST", f"/repos/{self.repository}/check-runs", json=fields)

    def open_pulls(self, head: str) -> list[dict]:
        """Open pull requests from `owner:branch` (how a fork's pull request is found from the base repo)."""
        return list(self.paginate(f"/repos/{self.repository}/pulls", {"state": "open", "head": head}))

    def open_issues(self) -> Iterator[dict]:
        """Open issues (pull requests excluded: the issues API lists them too)."""
        for issue in self.paginate(f"/repos/{self.repository}/issues", {"state": "open"}):
            if "pull_request" not in issue:
                yield issue

    def create_issue(self, title: str, body: str) -> dict:
        path = f"/repos/{self.repository}/issues"
        return self._run(self._created(path, {"title": title, "body": body}, path, {"state": "open"}))

    def update_issue(self, number: int, **fields: Any) -> dict:
        return self.call("PATCH", f"/repos/{self.repository}/issues/{number}", json=fields)


def _same(item: dict, sent: dict[str, Any]) -> bool:
    """Whether a listed comment or issue is the one `sent` (GitHub may store the body with CRLF)."""
    return all(
        str(item.get(k) or "").replace("\r\n", "\n") == v.replace("\r\n", "\n") for k, v in sent.items()
    )


def _decoded(answer: Answer, shape: type, method: str, path: str) -> Any:
    """The answer's JSON when it has the expected shape (nested too deeply or not JSON: a GitHubError)."""
    try:
        data = parse_json(answer.content)
    except ValueError as exc:
        raise GitHubError(answer.status_code, f"GitHub's answer was not JSON ({exc})", method, path) from None
    if not isinstance(data, shape):
        kind = "an object" if shape is dict else "a list"
        raise GitHubError(answer.status_code, f"GitHub's answer was not {kind}", method, path)
    return data


def _message(answer: Answer) -> str:
    try:
        data = parse_json(answer.content)
    except ValueError:
        return answer.text[:200]
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])
    return answer.text[:200]
