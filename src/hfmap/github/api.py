"""A small GitHub REST client: the calls the Action needs, pagination, and patience with rate limits.

The base URL comes from `GITHUB_API_URL` so GitHub Enterprise Server works; every request sends the
documented `Accept` and `X-GitHub-Api-Version` headers. Secondary rate limits (403/429 with `retry-after`,
or `x-ratelimit-remaining: 0`) are waited out a few times; any other error becomes a `GitHubError` value the
flows decide about (a 403 on a fork's read-only token is expected, not fatal).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from hfmap import __version__
from hfmap.clients.answer import parse_json
from hfmap.clients.http import RetryPolicy, parse_retry_after
from hfmap.secrets import redact, register_secret

API_VERSION = "2022-11-28"
DEFAULT_API_URL = "https://api.github.com"
ACTIONS_BOT = "github-actions[bot]"
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class GitHubError(Exception):
    """A GitHub answer that is not a success (after retries); `status` 0 means no answer at all."""

    def __init__(self, status: int, message: str, method: str = "", path: str = "") -> None:
        self.status, self.method, self.path = status, method, path
        self.message = redact(message)
        super().__init__(f"GitHub {method} {path}: {status} {self.message}".strip())


# GitHub's default: "wait at least one minute" when a rate-limit answer says nothing about how long.
DEFAULT_WAIT = 60.0
# Backoff 2 s, 4 s, 8 s (no jitter: one client per job); never a single wait over two minutes.
DEFAULT_POLICY = RetryPolicy(attempts=4, base=2.0, cap=120.0, jitter=0.0, max_wait=120.0)


def _rate_limit_wait(response: httpx.Response, now: float) -> float | None:
    """Seconds to wait when the response is a (primary or secondary) rate limit, else None."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    if headers.get("retry-after") is not None:
        wait = parse_retry_after(headers["retry-after"], now)
        return DEFAULT_WAIT if wait is None else wait
    if headers.get("x-ratelimit-remaining") == "0":
        try:
            return max(0.0, float(headers.get("x-ratelimit-reset", "0")) - now) + 1.0
        except ValueError:
            return DEFAULT_WAIT
    if response.status_code == 429 or "rate limit" in response.text.lower():
        return DEFAULT_WAIT
    return None


class GitHubClient:
    """The REST calls the Action makes, for one repository (`owner/name`)."""

    def __init__(
        self,
        token: str | None,
        repository: str,
        api_url: str | None = None,
        *,
        graphql_url: str | None = None,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        register_secret(token)
        self.repository = repository
        self.policy = policy or DEFAULT_POLICY
        self._sleep = sleep
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"hfmap-action/{__version__}",
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        base = (api_url or DEFAULT_API_URL).rstrip("/")
        self._http = httpx.Client(
            base_url=base,
            headers=headers,
            timeout=httpx.Timeout(30.0, connect=10.0),
            transport=transport,
        )
        # GitHub sets GITHUB_GRAPHQL_URL (on GHES `/api/graphql` beside `/api/v3`); api.github.com/graphql
        self._own: tuple[str | None] | None = None
        self.graphql_url = (
            graphql_url or (base[: -len("/v3")] if base.endswith("/api/v3") else base) + "/graphql"
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ------------------------------------------------------------------------------------------

    def request(
        self, method: str, path: str, *, json: Any = None, params: dict | None = None
    ) -> httpx.Response:
        """One call with rate-limit retries; raises GitHubError on anything but 2xx."""
        tries = self.policy.attempts
        for attempt in range(1, tries + 1):
            try:
                response = self._http.request(method, path, json=json, params=params)
            except httpx.HTTPError as exc:
                if attempt == tries:
                    raise GitHubError(0, f"{type(exc).__name__}: {exc}", method, path) from None
                self._sleep(self.policy.backoff(attempt))
                continue
            if response.is_success:
                return response
            wait = _rate_limit_wait(response, time.time())
            if wait is not None and attempt < tries and wait <= self.policy.max_wait:
                self._sleep(wait)
                continue
            if response.status_code >= 500 and attempt < tries:
                self._sleep(self.policy.backoff(attempt))
                continue
            raise GitHubError(response.status_code, _message(response), method, path)
        raise AssertionError("unreachable")  # pragma: no cover

    def call(self, method: str, path: str, *, json: Any = None, params: dict | None = None) -> dict:
        """`request`, and the answer's JSON object; any other answer is a `GitHubError`, never a crash."""
        return _decoded(self.request(method, path, json=json, params=params), dict, method, path)

    def paginate(self, path: str, params: dict | None = None) -> Iterator[dict]:
        """Every item of a list endpoint, following `Link: rel="next"` (100 per page)."""
        url: str | None = path
        query: dict | None = {"per_page": 100, **(params or {})}
        while url:
            response = self.request("GET", url, params=query)
            items = _decoded(response, list, "GET", url)
            if not all(isinstance(item, dict) for item in items):
                raise GitHubError(
                    response.status_code, "GitHub's list held something else than objects", "GET", url
                )
            yield from items
            match = _NEXT_LINK.search(response.headers.get("link", ""))
            url, query = (match.group(1), None) if match else (None, None)

    # -- calls ---------------------------------------------------------------------------------------------

    def viewer_login(self) -> str | None:
        """Who the token is, asked of GitHub: GraphQL `viewer` answers for the workflow's token, an App
        installation token (`<slug>[bot]`) and a personal token alike; `GET /user` answers only a personal
        token (the fallback where GraphQL is unavailable). None when neither answers."""
        try:
            data = self.call("POST", self.graphql_url, json={"query": "query { viewer { login } }"})
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
        return self.call("POST", path, json={"body": body})

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
        path = f"/repos/{self.repository}/commits"
        data = self.request("GET", path, params={"sha": branch, "per_page": min(limit, 100)})
        items = _decoded(data, list, "GET", path)
        return [str(c.get("sha")) for c in items if isinstance(c, dict) and c.get("sha")][:limit]

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
        return self.call("POST", f"/repos/{self.repository}/issues", json={"title": title, "body": body})

    def update_issue(self, number: int, **fields: Any) -> dict:
        return self.call("PATCH", f"/repos/{self.repository}/issues/{number}", json=fields)


def _decoded(response: httpx.Response, shape: type, method: str, path: str) -> Any:
    """The answer's JSON when it has the expected shape (nested too deeply or not JSON: a GitHubError)."""
    try:
        data = parse_json(response.content)
    except ValueError as exc:
        raise GitHubError(
            response.status_code, f"GitHub's answer was not JSON ({exc})", method, path
        ) from None
    if not isinstance(data, shape):
        kind = "an object" if shape is dict else "a list"
        raise GitHubError(response.status_code, f"GitHub's answer was not {kind}", method, path)
    return data


def _message(response: httpx.Response) -> str:
    try:
        data = parse_json(response.content)
    except ValueError:
        return response.text[:200]
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])
    return response.text[:200]
