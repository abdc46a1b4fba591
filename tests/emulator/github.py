"""A local GitHub REST API for the Action's tests: the calls hfmap makes, with GitHub's own shapes and rules.

    from emulator.github import GitHubEmulator

    with GitHubEmulator() as gh:
        gh.add_repo("acme/mappings")
        gh.add_token("ghs_actions", kind="actions")          # the workflow's GITHUB_TOKEN
        gh.add_pull("acme/mappings", 7, head_sha="abc...")
        ...  # GITHUB_API_URL=gh.url
        gh.comments("acme/mappings", 7)                      # what a reviewer would see
        gh.revoke_token("ghs_actions")                       # it expires when its job ends

What it reproduces: comment and issue lists paginated with a `Link` header (`per_page` up to 100), the token
kinds and who they are: the workflow's `GITHUB_TOKEN` (an installation token of the `github-actions` app,
comments as `github-actions[bot]`), a GitHub App installation token (`<slug>[bot]`) and a personal token (its
user); GraphQL `viewer { login }` answers all three, `GET /user` only a personal token (403 "Resource not
accessible by integration" for installation tokens), `GET /installation/repositories` only installation
tokens; a token given `permissions` (a job's GITHUB_TOKEN) gets that 403 on a route whose scope it lacks
(reads of a public repository need none: `Repo.private`). Fork tokens can read but get 403 on writes; check
runs can be written only by installation tokens. Secondary rate limits (403 or 429 with `retry-after`) and
`x-ratelimit-*` headers, 400 for an unsupported `X-GitHub-Api-Version`, 422 for bodies over 65,536 characters,
the pull requests a commit belongs to (`/commits/{sha}/pulls`, with optional lag: the first calls after a
merge answer `[]`, as GitHub's index does for a few seconds), open pull requests by `head=owner:branch`, a
pull request by number, the default branch's history (`/compare/{base}...{head}`, and `/commits?sha=main`
newest first, so apply can tell the tip and walk back), a pull request's changed files and reviews. Every
write is stamped by one clock that moves a second per write, so "written before the merge" can be told.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .server import EmulatorServer, Reply, Request, Response, json_response

SUPPORTED_API_VERSIONS = ("2022-11-28", "2026-03-10")
BODY_LIMIT = 65_536
ACTIONS_BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
_EPOCH = 1_795_345_200  # 2026-11-22T11:00:00Z: the clock's start


TOKEN_KINDS = ("actions", "app", "user", "readonly")


@dataclass
class Token:
    """`actions` (GITHUB_TOKEN), `app` (a GitHub App installation token; `login` is the app's slug),
    `user` (a personal token; `login` is the user), `readonly` (a fork PR's GITHUB_TOKEN)."""

    kind: str
    login: str
    # An installation token's `permissions` (scope -> none | read | write), as a job's `permissions:` sets
    # its GITHUB_TOKEN; None: whatever the routes need.
    permissions: dict[str, str] | None = None

    def may(self, method: str, rest: str, *, private: bool) -> bool:
        """Whether the permissions cover this repository route: the scope its REST reference names; reading a
        public repository needs none ("or pull access to a public repository")."""
        if self.permissions is None or (method == "GET" and not private):
            return True
        scopes = _scopes(rest)
        level = 1 if method == "GET" else 2
        return not scopes or any(_LEVELS[self.permissions.get(scope, "none")] >= level for scope in scopes)

    @property
    def installation(self) -> bool:
        return self.kind in ("actions", "app", "readonly")

    def user(self) -> dict:
        """Who this token acts as, as GitHub shows it in `user` / `app` fields."""
        if self.kind == "user":
            return {"login": self.login, "id": 1, "type": "User"}
        if self.kind == "app":
            return {"login": f"{self.login}[bot]", "id": 4242, "type": "Bot"}
        return dict(ACTIONS_BOT)

    @property
    def app_slug(self) -> str:
        return self.login if self.kind == "app" else "github-actions"


_LEVELS = {"none": 0, "read": 1, "write": 2}


def _scopes(rest: str) -> tuple[str, ...]:
    """The permission scopes (any one suffices) a repository route needs."""
    if rest.startswith("/issues/comments/") or re.fullmatch(r"/issues/\d+/comments", rest):
        return ("issues", "pull-requests")  # comments on a pull request: either scope
    if rest.startswith("/issues"):
        return ("issues",)
    if "/check-runs" in rest:
        return ("checks",)
    if re.fullmatch(r"/commits/\w+/pulls", rest):
        return ("pull-requests", "contents")
    if rest.startswith("/pulls"):
        return ("pull-requests",)
    if rest.startswith("/compare/") or rest == "/commits":
        return ("contents",)
    return ()


@dataclass
class Repo:
    full_name: str
    private: bool = False
    issues: dict[int, dict] = field(default_factory=dict)  # issues and pull requests share numbers
    comments: dict[int, dict] = field(default_factory=dict)
    commit_pulls: dict[str, list[int]] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # the default branch's commits, oldest first
    check_runs: dict[int, dict] = field(default_factory=dict)
    reviews: dict[int, list[dict]] = field(default_factory=dict)  # pull request -> its reviews


@dataclass
class RateLimit:
    status: int = 403
    retry_after: float | None = 1.0
    remaining: int = 1  # how many more requests get it
    primary: bool = False  # the hourly quota (x-ratelimit-remaining: 0) rather than a secondary limit


@dataclass
class AfterFault:
    """The next `count` requests of `method` to a path matching `path` (a regex) are carried out, and then
    their answer is lost (`status` None: the connection closes) or replaced by `status` (GitHub's 502 after a
    write it did)."""

    method: str
    path: str
    status: int | None
    count: int = 1


class GitHubEmulator:
    """Thread-safe in-memory GitHub; `start()` serves it on 127.0.0.1 at a random port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._address = (host, port)
        self._server: EmulatorServer | None = None
        self.lock = threading.RLock()
        self.repos: dict[str, Repo] = {}
        self.tokens: dict[str, Token] = {}
        self.requests: list[tuple[str, str, int]] = []  # (method, path with query, status)
        self.request_headers: list[dict[str, str]] = []
        self._ids = itertools.count(1_000_001)
        self._limits: list[RateLimit] = []
        self.page_size_cap = 100
        self.graphql_enabled = True  # False: /graphql answers 404 (e.g. an old GitHub Enterprise Server)
        self._pull_lag = 0  # the next N `/commits/{sha}/pulls` calls answer [] (GitHub's index lags)
        self.prefix = ""  # a path prefix every route sits under (GitHub Enterprise Server: "/api/v3")
        self._after: list[AfterFault] = []
        self._canned: list[Response] = []
        self._clock = itertools.count(_EPOCH)

    def now(self) -> str:
        """The emulator's clock as GitHub writes times; each call is a second later than the last."""
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(next(self._clock)))

    # -- lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> str:
        if self._server is None:
            self._server = EmulatorServer(self._address, self)
            self._server.serve_in_background("github-emulator")
        return self.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def __enter__(self) -> GitHubEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- the world ----------------------------------------------------------------------------------------

    def add_repo(self, full_name: str) -> Repo:
        with self.lock:
            return self.repos.setdefault(full_name, Repo(full_name))

    def add_token(
        self,
        token: str,
        kind: str = "actions",
        login: str = "octocat",
        permissions: dict[str, str] | None = None,
    ) -> None:
        """`login` is the user of a personal token, or the app's slug for an `app` token; `permissions`
        limits an installation token (a job's GITHUB_TOKEN) to those scopes."""
        assert kind in TOKEN_KINDS
        with self.lock:
            self.tokens[token] = Token(kind, login, permissions)

    def revoke_token(self, token: str) -> None:
        """The token stops working (a job's GITHUB_TOKEN expires when the job ends)."""
        with self.lock:
            self.tokens.pop(token, None)

    def push_commits(self, repo: str, *shas: str) -> None:
        """Commits land on the default branch (a direct push, or the start of the history)."""
        with self.lock:
            self.add_repo(repo).history.extend(shas)

    def lag_pull_lookups(self, calls: int) -> None:
        """The next `calls` look-ups of a commit's pull requests answer [] (the index is behind)."""
        with self.lock:
            self._pull_lag = calls

    def edit_comment(self, repo: str, comment_id: int, body: str) -> None:
        """A maintainer edits a comment in the web UI (GitHub stores what the browser sent: CRLF)."""
        with self.lock:
            comment = self.repos[repo].comments[comment_id]
            comment.update(body=body.replace("\n", "\r\n"), updated_at=self.now())

    def delete_comment(self, repo: str, comment_id: int) -> None:
        with self.lock:
            del self.repos[repo].comments[comment_id]

    def check_runs(self, repo: str, head_sha: str | None = None) -> list[dict]:
        with self.lock:
            runs = self.repos[repo].check_runs.values()
            return [dict(r) for r in runs if head_sha is None or r["head_sha"] == head_sha]

    def add_pull(
        self,
        repo: str,
        number: int,
        head_sha: str,
        *,
        title: str = "Change mappings",
        head_repo: str | None = None,
        head_ref: str = "change",
        files: tuple[str, ...] = ("mappings/replicate.yaml",),
        author: str = "contributor",
    ) -> dict:
        """A pull request at `head_sha` changing `files` (what `/pulls/{n}/files` lists)."""
        with self.lock:
            pull = {
                "number": number,
                "title": title,
                "state": "open",
                "user": {"login": author, "type": "User"},
                "body": "",
                "html_url": f"https://github.example/{repo}/pull/{number}",
                "head": {
                    "sha": head_sha,
                    "ref": head_ref,
                    "label": f"{(head_repo or repo).split('/')[0]}:{head_ref}",
                    "repo": {"full_name": head_repo or repo, "fork": head_repo not in (None, repo)},
                },
                "base": {"ref": "main", "repo": {"full_name": repo}},
                "merged_at": None,
                "merge_commit_sha": None,
                "pull_request": {"url": f"{repo}/pulls/{number}"},
                "_files": list(files),
            }
            self.add_repo(repo).issues[number] = pull
            return pull

    def push_pull(self, repo: str, number: int, head_sha: str, files: tuple[str, ...] | None = None) -> None:
        """A new commit on the pull request's branch (`files`: what the pull request now changes)."""
        with self.lock:
            pull = self.repos[repo].issues[number]
            pull["head"]["sha"] = head_sha
            if files is not None:
                pull["_files"] = list(files)

    def add_review(self, repo: str, number: int, login: str, commit_id: str, state: str = "APPROVED") -> None:
        """`login` reviews the pull request at `commit_id` (APPROVED, CHANGES_REQUESTED, COMMENTED)."""
        with self.lock:
            review = {
                "id": next(self._ids),
                "user": {"login": login, "type": "User"},
                "state": state,
                "commit_id": commit_id,
                "submitted_at": self.now(),
            }
            self.repos[repo].reviews.setdefault(number, []).append(review)

    def merge_pull(self, repo: str, number: int, merge_sha: str, *, land: bool = True) -> None:
        """Merge (any method: GitHub sets `merge_commit_sha` for merge, squash and rebase alike).

        `land=False` leaves the commit off the default branch's history, as for a merge queue batch
        that lands later with `push_commits`.
        """
        with self.lock:
            pull = self.repos[repo].issues[number]
            pull.update(state="closed", merged_at=self.now(), merge_commit_sha=merge_sha)
            self.repos[repo].commit_pulls.setdefault(merge_sha, []).append(number)
            if land:
                self.repos[repo].history.append(merge_sha)

    def add_comment(self, repo: str, number: int, body: str, user: dict | None = None) -> dict:
        with self.lock:
            return self._new_comment(
                self.repos[repo], number, body, user or {"login": "someone", "type": "User"}
            )

    def rate_limit_next(
        self, count: int = 1, *, status: int = 403, retry_after: float | None = 1.0, primary: bool = False
    ) -> None:
        """The next `count` API calls get a secondary rate limit (or, `primary`, an exhausted quota that
        resets `retry_after` seconds from now, told only by `x-ratelimit-*` headers)."""
        with self.lock:
            self._limits.append(RateLimit(status, retry_after, count, primary))

    def lose_answer_next(self, method: str, path: str, status: int | None = None, count: int = 1) -> None:
        """The next `count` `method` calls on a path matching `path` act, then lose their answer (`status`
        None) or answer `status` instead."""
        with self.lock:
            self._after.append(AfterFault(method, path, status, count))

    def answer_next(self, status: int, body: bytes) -> None:
        """The next API call gets this raw answer (JSON content type), whatever it asked."""
        with self.lock:
            self._canned.append(Response(status, body))

    def comments(self, repo: str, number: int) -> list[dict]:
        with self.lock:
            return [dict(c) for c in self.repos[repo].comments.values() if c["_issue"] == number]

    def issues(self, repo: str) -> list[dict]:
        with self.lock:
            return [dict(i) for i in self.repos[repo].issues.values() if "pull_request" not in i]

    @property
    def writes(self) -> list[tuple[str, str, int]]:
        return [r for r in self.requests if r[0] in ("POST", "PATCH", "PUT", "DELETE")]

    # -- HTTP ---------------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        with self.lock:
            if self.prefix and request.path.startswith(self.prefix + "/"):
                request.path = request.path[len(self.prefix) :]
            elif self.prefix:
                request.path = "/not-under-the-prefix" + request.path
            response = self._canned.pop(0) if self._canned else self._handle(request)
            path = request.path + (f"?{request.raw_query}" if request.raw_query else "")
            self.requests.append((request.method, path, response.status))
            self.request_headers.append(dict(request.headers))
            fault = next(
                (f for f in self._after if f.method == request.method and re.search(f.path, request.path)),
                None,
            )
            if fault is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self._after.remove(fault)
                if fault.status is None:
                    return Reply(None, drop="no_response")
                response = _error(fault.status, "Server Error")
        defaults = [
            ("x-ratelimit-limit", "5000"),
            ("x-ratelimit-remaining", "4999"),
            ("x-ratelimit-reset", str(int(time.time()) + 3600)),
            ("x-ratelimit-used", "1"),
            ("x-ratelimit-resource", "core"),
            ("x-github-api-version-selected", request.header("x-github-api-version") or "2022-11-28"),
        ]
        present = {name.lower() for name, _value in response.headers}
        response.headers.extend((name, value) for name, value in defaults if name not in present)
        return Reply(response)

    def _handle(self, request: Request) -> Response:
        version = request.header("x-github-api-version")
        if version is not None and version not in SUPPORTED_API_VERSIONS:
            return _error(400, f"API version {version} is not supported.")
        if self._limits:
            limit = self._limits[0]
            limit.remaining -= 1
            if limit.remaining <= 0:
                self._limits.pop(0)
            if limit.primary:
                reset = str(int(time.time() + (limit.retry_after or 0)))
                headers = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset)]
                return _error(limit.status, "API rate limit exceeded for installation ID 1.", headers)
            headers = [("retry-after", f"{limit.retry_after:g}")] if limit.retry_after is not None else []
            message = (
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
            )
            return _error(limit.status, message, headers)
        token = self._token(request)
        if token is False:
            return _error(401, "Bad credentials")
        if request.path == "/user":
            if token is None:
                return _error(401, "Requires authentication")
            if token.kind != "user":
                return _error(403, "Resource not accessible by integration")
            return json_response(200, token.user())
        if request.path == "/graphql" and request.method == "POST":
            return self._graphql(request, token)
        if request.path == "/installation/repositories":
            if token is None:
                return _error(401, "Requires authentication")
            if not token.installation:
                return _error(403, "You must authenticate with an installation access token.")
            repos = [{"full_name": name} for name in sorted(self.repos)]
            return json_response(200, {"total_count": len(repos), "repositories": repos})
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)", request.path)
        if not match or match.group(1) not in self.repos:
            return _error(404, "Not Found")
        repo, rest = self.repos[match.group(1)], match.group(2)
        if token is not None and not token.may(request.method, rest, private=repo.private):
            return _error(403, "Resource not accessible by integration")
        if request.method != "GET":
            if token is None:
                return _error(401, "Requires authentication")
            if token.kind == "readonly":
                return _error(403, "Resource not accessible by integration")
        return self._route(request, repo, rest, token)

    def _graphql(self, request: Request, token: Token | None) -> Response:
        if not self.graphql_enabled:
            return _error(404, "Not Found")
        if token is None:
            return _error(401, "This endpoint requires you to be authenticated.")
        try:
            query = str(request.json().get("query", ""))
        except (ValueError, AttributeError):
            return _error(400, "Problems parsing JSON")
        if re.fullmatch(r"\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*", query):
            return json_response(200, {"data": {"viewer": {"login": token.user()["login"]}}})
        return json_response(200, {"errors": [{"message": "the emulator answers only `viewer { login }`"}]})

    def _route(self, request: Request, repo: Repo, rest: str, token: Token | None) -> Response:
        method = request.method
        routed = self._route_more(request, repo, rest, token)
        if routed is not None:
            return routed
        if m := re.fullmatch(r"/issues/(\d+)/comments", rest):
            number = int(m.group(1))
            if number not in repo.issues:
                return _error(404, "Not Found")
            if method == "GET":
                items = [_public(c) for c in repo.comments.values() if c["_issue"] == number]
                return self._page(request, items)
            if method == "POST":
                body, problem = _body(request)
                if problem:
                    return problem
                comment = self._new_comment(repo, number, body, _author(token))
                return json_response(201, _public(comment))
        if m := re.fullmatch(r"/issues/comments/(\d+)", rest):
            comment = repo.comments.get(int(m.group(1)))
            if comment is None:
                return _error(404, "Not Found")
            if method == "GET":
                return json_response(200, _public(comment))
            if method == "PATCH":
                body, problem = _body(request)
                if problem:
                    return problem
                if token is None or comment["user"]["login"] != _author(token)["login"]:
                    return _error(403, "Resource not accessible by integration")
                comment.update(body=body, updated_at=self.now())
                return json_response(200, _public(comment))
        if (m := re.fullmatch(r"/commits/([0-9a-fA-F]{7,40})/pulls", rest)) and method == "GET":
            numbers = repo.commit_pulls.get(m.group(1), [])
            if self._pull_lag > 0:
                self._pull_lag -= 1
                numbers = []
            return self._page(request, [_pull(repo.issues[n]) for n in numbers])
        if rest == "/pulls" and method == "GET":
            state, head = request.arg("state", "open"), request.arg("head")
            pulls = [
                _pull(i)
                for i in repo.issues.values()
                if "pull_request" in i
                and (state == "all" or i["state"] == state)
                and (head is None or i["head"]["label"] == head)
            ]
            return self._page(request, pulls)
        if rest == "/issues":
            if method == "GET":
                state = request.arg("state", "open")
                items = [i for i in repo.issues.values() if state == "all" or i["state"] == state]
                return self._page(request, [_public(i) for i in sorted(items, key=lambda i: -i["number"])])
            if method == "POST":
                data = request.json()
                if not data.get("title"):
                    return _error(422, "Validation Failed")
                body, problem = _body(request)
                if problem:
                    return problem
                number = max(repo.issues, default=0) + 1
                repo.issues[number] = {
                    "number": number,
                    "title": data["title"],
                    "body": body,
                    "state": "open",
                    "state_reason": None,
                    "user": _author(token),
                    "html_url": f"https://github.example/{repo.full_name}/issues/{number}",
                }
                return json_response(201, _public(repo.issues[number]))
        if (m := re.fullmatch(r"/issues/(\d+)", rest)) and method == "PATCH":
            issue = repo.issues.get(int(m.group(1)))
            if issue is None:
                return _error(404, "Not Found")
            data = request.json()
            if "body" in data and len(data["body"] or "") > BODY_LIMIT:
                return _error(422, "Validation Failed: body is too long (maximum is 65536 characters)")
            for key in ("title", "body", "state", "state_reason"):
                if key in data:
                    issue[key] = data[key]
            return json_response(200, _public(issue))
        return _error(404, "Not Found")

    def _route_more(self, request: Request, repo: Repo, rest: str, token: Token | None) -> Response | None:
        """Pull requests by number, the history (compare) and check runs."""
        method = request.method
        if (m := re.fullmatch(r"/pulls/(\d+)", rest)) and method == "GET":
            issue = repo.issues.get(int(m.group(1)))
            if issue is None or "pull_request" not in issue:
                return _error(404, "Not Found")
            return json_response(200, _pull(issue))
        if (m := re.fullmatch(r"/pulls/(\d+)/(files|reviews)", rest)) and method == "GET":
            issue = repo.issues.get(int(m.group(1)))
            if issue is None or "pull_request" not in issue:
                return _error(404, "Not Found")
            if m.group(2) == "reviews":
                return self._page(request, list(repo.reviews.get(int(m.group(1)), [])))
            files = [{"filename": name, "status": "modified"} for name in issue.get("_files") or []]
            return self._page(request, files)
        if rest == "/commits" and method == "GET":
            if request.arg("sha", "main") != "main":
                return _error(404, "Not Found")
            newest_first = [{"sha": sha, "commit": {"message": f"commit {sha[:7]}"}} for sha in repo.history]
            return self._page(request, newest_first[::-1])
        if (
            m := re.fullmatch(r"/compare/([0-9a-fA-F]{7,40})\.\.\.([0-9a-fA-F]{7,40})", rest)
        ) and method == "GET":
            base, head = m.group(1), m.group(2)
            if base not in repo.history or head not in repo.history:
                return _error(404, "Not Found")
            start, end = repo.history.index(base), repo.history.index(head)
            shas = repo.history[start + 1 : end + 1] if end >= start else []
            status = "identical" if start == end else ("ahead" if end > start else "behind")
            commits = [{"sha": sha, "commit": {"message": f"commit {sha[:7]}"}} for sha in shas]
            return json_response(
                200, {"status": status, "ahead_by": len(shas), "total_commits": len(shas), "commits": commits}
            )
        if (m := re.fullmatch(r"/commits/([0-9a-fA-F]{7,40})/check-runs", rest)) and method == "GET":
            name = request.arg("check_name")
            runs = [
                r
                for r in repo.check_runs.values()
                if r["head_sha"] == m.group(1) and name in (None, r["name"])
            ]
            return json_response(200, {"total_count": len(runs), "check_runs": runs})
        if rest == "/check-runs" and method == "POST":
            if token is None or not token.installation:
                return _error(403, "You must authenticate via a GitHub App.")
            data = request.json()
            summary = ((data.get("output") or {}).get("summary")) or ""
            if len(summary) > BODY_LIMIT:
                return _error(
                    422, "Validation Failed: output.summary is too long (maximum is 65535 characters)"
                )
            run_id = next(self._ids)
            repo.check_runs[run_id] = {
                "id": run_id,
                "name": data.get("name"),
                "head_sha": data.get("head_sha"),
                "status": data.get("status", "completed"),
                "conclusion": data.get("conclusion"),
                "output": data.get("output") or {},
                "completed_at": self.now(),
                "app": {"slug": token.app_slug, "owner": {"login": "github"}},
                "html_url": f"https://github.example/{repo.full_name}/runs/{run_id}",
            }
            return json_response(201, repo.check_runs[run_id])
        if (m := re.fullmatch(r"/check-runs/(\d+)", rest)) and method == "PATCH":
            run = repo.check_runs.get(int(m.group(1)))
            if run is None:
                return _error(404, "Not Found")
            if token is None or token.app_slug != run["app"]["slug"]:
                return _error(403, "Resource not accessible by integration")
            data = request.json()
            for key in ("status", "conclusion", "output"):
                if key in data:
                    run[key] = data[key]
            run["completed_at"] = self.now()
            return json_response(200, run)
        return None

    def _token(self, request: Request) -> Token | bool | None:
        header = request.header("authorization")
        if not header:
            return None
        scheme, _, value = header.partition(" ")
        if scheme.lower() not in ("bearer", "token"):
            return False
        return self.tokens.get(value.strip(), False)

    def _new_comment(self, repo: Repo, number: int, body: str, user: dict) -> dict:
        comment_id = next(self._ids)
        comment = {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "_issue": number,
            "body": body,
            "user": dict(user),
            "html_url": f"https://github.example/{repo.full_name}/pull/{number}#issuecomment-{comment_id}",
            "created_at": (now := self.now()),
            "updated_at": now,
        }
        repo.comments[comment_id] = comment
        return comment

    def _page(self, request: Request, items: list[Any]) -> Response:
        try:
            per_page = min(int(request.arg("per_page", "30")), self.page_size_cap)
            page = max(int(request.arg("page", "1")), 1)
        except ValueError:
            return _error(422, "Validation Failed")
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []
        base = f"{self.url}{self.prefix}{request.path}"
        query = {k: v[0] for k, v in request.query.items() if k != "page"}
        wanted = {"prev": page - 1, "next": page + 1} if page > 1 else {"next": page + 1}
        if page > 1:
            wanted["first"] = 1
        if page < last:
            wanted["last"] = last
        for rel, target in wanted.items():
            if 1 <= target <= last:
                links.append(f'<{base}?{urlencode({**query, "page": target})}>; rel="{rel}"')
        return json_response(200, chunk, [("link", ", ".join(links))] if links else [])


def _error(status: int, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
    payload = {"message": message, "documentation_url": "https://docs.github.com/rest", "status": str(status)}
    return json_response(status, payload, headers)


def _body(request: Request) -> tuple[str, Response | None]:
    try:
        data = request.json()
    except ValueError:
        return "", _error(400, "Problems parsing JSON")
    body = data.get("body") if isinstance(data, dict) else None
    if not isinstance(body, str):
        return "", _error(422, "Validation Failed: body is missing")
    if len(body) > BODY_LIMIT:
        return "", _error(422, "Validation Failed: body is too long (maximum is 65536 characters)")
    return body, None


def _author(token: Token | None) -> dict:
    return token.user() if token is not None else dict(ACTIONS_BOT)


def _public(item: dict) -> dict:
    return {k: v for k, v in item.items() if not k.startswith("_")}


def _pull(issue: dict) -> dict:
    return {k: v for k, v in _public(issue).items() if k != "pull_request"}
