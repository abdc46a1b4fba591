"""What the workflow run tells the Action: inputs and GitHub's own variables, parsed once.

Inputs arrive as `INPUT_*` environment variables set by action.yml's `env:` (never by `${{ }}` in a
script); GitHub's context comes from `GITHUB_*` variables and the event payload at `GITHUB_EVENT_PATH`.
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hfmap.errors import UsageError

MODES = ("auto", "plan", "apply", "check", "comment", "sync")
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def parse_bool(name: str, value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise UsageError(f"input '{name}' must be true or false, not {value!r}")


def parse_paths(value: str | None) -> list[str]:
    """`paths` is whitespace- or newline-separated (YAML block scalars work); quotes allow spaces."""
    if not value or not value.strip():
        return ["mappings"]
    try:
        paths = shlex.split(value.replace("\n", " "))
    except ValueError as exc:  # an unbalanced quote
        raise UsageError(f"input 'paths' cannot be split into paths ({exc}): {value!r}") from None
    # Normalised, because the PR comment records them and the apply run looks the comment up by them:
    # `mappings/` in one workflow and `mappings` in the other must still match.
    return [os.path.normpath(path) for path in paths]


# The parts of an event payload hfmap reads, and the JSON type each has when present (null is absence).
# A payload GitHub would never send (a forged or hand-written GITHUB_EVENT_PATH) is a usage error naming
# the field, never an internal error deep in a flow. `*` is every item of a list.
_EVENT_SHAPE: dict[tuple[str, ...], type | tuple[type, ...]] = {
    ("number",): int,
    ("before",): str,
    ("after",): str,
    ("commits",): list,
    ("commits", "*"): dict,
    ("commits", "*", "id"): str,
    ("commits", "*", "message"): str,
    ("head_commit",): dict,
    ("head_commit", "message"): str,
    ("repository",): dict,
    ("repository", "default_branch"): str,
    ("inputs",): dict,
    ("inputs", "pull-request"): (str, int),
    ("merge_group",): dict,
    ("merge_group", "base_sha"): str,
    ("pull_request",): dict,
    ("pull_request", "number"): int,
    ("pull_request", "head"): dict,
    ("pull_request", "head", "sha"): str,
    ("pull_request", "head", "repo"): dict,
    ("pull_request", "head", "repo", "full_name"): str,
    ("pull_request", "base"): dict,
    ("pull_request", "base", "sha"): str,
    ("pull_request", "base", "repo"): dict,
    ("pull_request", "base", "repo", "full_name"): str,
    ("workflow_run",): dict,
    ("workflow_run", "event"): str,
    ("workflow_run", "head_sha"): str,
    ("workflow_run", "head_branch"): str,
    ("workflow_run", "head_repository"): dict,
    ("workflow_run", "head_repository", "full_name"): str,
    ("workflow_run", "pull_requests"): list,
    ("workflow_run", "pull_requests", "*"): dict,
    ("workflow_run", "pull_requests", "*", "head"): dict,
    ("workflow_run", "pull_requests", "*", "number"): int,
}
# Pull request numbers, wherever the event gives one, and whether each must be present.
_NUMBERS: dict[tuple[str, ...], bool] = {
    ("number",): False,
    ("pull_request", "number"): False,
    ("workflow_run", "pull_requests", "*", "number"): True,
}
MAX_DIGITS = 10  # GitHub's numbers are 32-bit; a longer one is forged (and 5,000 digits overflow int())
_JSON_NAMES = {dict: "an object", list: "a list", str: "a string", int: "a whole number"}


def check_event_shape(event: dict[str, Any], where: str) -> None:
    """Refuse a payload whose fields hfmap reads have the wrong JSON type (see `_EVENT_SHAPE`)."""

    def walk(value: Any, path: tuple[str, ...]) -> None:
        if path and value is not None:
            expected = _EVENT_SHAPE.get(path)
            if expected is None:
                return  # a part hfmap never reads
            # a bool is an int to Python, never to GitHub
            if isinstance(value, bool) or not isinstance(value, expected):
                kinds = expected if isinstance(expected, tuple) else (expected,)
                wanted = " or ".join(_JSON_NAMES[kind] for kind in kinds)
                raise UsageError(f"{where}: event field '{'.'.join(path)}' must be {wanted}")
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, str(key)))
        elif isinstance(value, list):
            for item in value:
                walk(item, (*path, "*"))

    walk(event, ())
    for path, required in _NUMBERS.items():
        for value in _values_at(event, path):
            if value is None and required:
                raise UsageError(f"{where}: event field '{'.'.join(path)}' is missing")
            if value is not None:
                parse_number(value, f"{where}: event field '{'.'.join(path)}'")


def dispatch_input(event: dict[str, Any]) -> int | None:
    """`workflow_dispatch`'s `pull-request` input (blank: none), the pull request whose approval to apply."""
    raw = (event.get("inputs") or {}).get("pull-request")
    if raw is None or str(raw).strip().lstrip("#") == "":
        return None
    return parse_number(raw, "workflow_dispatch input 'pull-request'")


def _values_at(value: Any, path: tuple[str, ...]) -> list[Any]:
    """The values at `path` (`*` is every item of a list); None where the last key is absent."""
    if not path:
        return [value]
    head, rest = path[0], path[1:]
    if head == "*":
        items = value if isinstance(value, list) else []
        return [found for item in items for found in _values_at(item, rest)]
    if not isinstance(value, dict) or (rest and head not in value):
        return []
    return _values_at(value.get(head), rest)


def parse_number(value: object, what: str) -> int:
    """A pull request number: a JSON whole number or 1 to MAX_DIGITS ASCII digits (`#7` allowed), above 0.

    `str.isdigit` is not enough: it accepts `²` and other digits `int()` refuses.
    """
    text = value.strip().lstrip("#") if isinstance(value, str) else value
    if isinstance(text, int) and not isinstance(text, bool) and 0 < text < 10**MAX_DIGITS:
        return text
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS and int(text):
        return int(text)
    shown = repr(value)
    if len(shown) > 40:
        shown = f"{shown[:40]}... ({len(shown)} characters)"
    raise UsageError(f"{what} must be a pull request number (1 to {MAX_DIGITS} digits), not {shown}")


@dataclass(frozen=True)
class PullRequest:
    number: int
    head_sha: str
    head_repo: str
    base_repo: str

    @property
    def from_fork(self) -> bool:
        return self.head_repo != self.base_repo


@dataclass(frozen=True)
class ActionEnv:
    """The inputs and context of one run of the Action."""

    mode: str = "auto"
    paths: list[str] = field(default_factory=lambda: ["mappings"])
    comment: bool = True
    allow_unsafe: bool = False  # lift the safety limits (`hfmap apply --force`)
    allow_unreviewed: bool = False  # apply without a verified approval
    force_used: bool = False  # the deprecated `force` input was set (= both of the above)
    check: bool = True
    require_review: bool = False  # apply needs an approving review at the merged head by someone else
    approval_key: bytes | None = field(default=None, repr=False)
    event_name: str = ""
    event: dict[str, Any] = field(default_factory=dict)
    repository: str = ""
    sha: str = ""
    ref: str = ""
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    run_id: str = ""
    github_token: str | None = field(default=None, repr=False)
    job_token: str | None = field(default=None, repr=False)  # the workflow's own `github.token`
    dispatch_pull: int | None = None  # `workflow_dispatch` naming a pull request whose approval to re-apply
    graphql_url: str | None = None
    output_path: Path | None = None
    summary_path: Path | None = None
    workdir: Path = Path(".")

    @property
    def pull_request(self) -> PullRequest | None:
        pr = self.event.get("pull_request")
        if not isinstance(pr, dict):
            return None
        head, base = pr.get("head") or {}, pr.get("base") or {}
        base_repo = (base.get("repo") or {}).get("full_name") or self.repository
        return PullRequest(
            number=int(pr.get("number") or self.event.get("number") or 0),
            head_sha=str(head.get("sha") or self.sha),
            head_repo=str((head.get("repo") or {}).get("full_name") or base_repo),
            base_repo=str(base_repo),
        )

    @property
    def run_url(self) -> str:
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}" if self.run_id else ""

    @property
    def forced(self) -> bool:
        """A push that rewrote the branch (`git push --force`): GitHub sets `forced: true`."""
        return self.event_name == "push" and self.event.get("forced") is True

    @property
    def default_branch(self) -> str:
        return str((self.event.get("repository") or {}).get("default_branch") or "main")

    def resolved_mode(self) -> str:
        """`auto`: plan on pull requests and merge queues, apply on pushes and on a dispatch naming a
        pull request, a drift report on anything else."""
        if self.mode != "auto":
            return self.mode
        if self.event_name == "push" or self.dispatch_pull is not None:
            return "apply"
        return "plan"


def load_env(environ: Mapping[str, str] | None = None) -> ActionEnv:
    """Read inputs and context from the environment; a bad input is a usage error naming it."""
    env = os.environ if environ is None else environ
    mode = (env.get("INPUT_MODE") or "auto").strip().lower()
    if mode not in MODES:
        raise UsageError(f"input 'mode' must be one of {', '.join(MODES)}, not {mode!r}")
    event: dict[str, Any] = {}
    event_path = env.get("GITHUB_EVENT_PATH")
    if event_path and Path(event_path).is_file():
        try:
            loaded = json.loads(Path(event_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"GITHUB_EVENT_PATH {event_path}: not a JSON event payload ({exc})") from None
        event = loaded if isinstance(loaded, dict) else {}
        check_event_shape(event, f"GITHUB_EVENT_PATH {event_path}")
    sha = env.get("GITHUB_SHA") or str(event.get("after") or "")
    force = parse_bool("force", env.get("INPUT_FORCE"), False)
    key = (env.get("INPUT_APPROVAL_KEY") or "").strip()
    if key and len(key) < 16:
        raise UsageError("input 'approval-key' is too short: use a random secret of at least 16 characters")
    return ActionEnv(
        mode=mode,
        paths=parse_paths(env.get("INPUT_PATHS")),
        comment=parse_bool("comment", env.get("INPUT_COMMENT"), True),
        allow_unsafe=force or parse_bool("allow-unsafe", env.get("INPUT_ALLOW_UNSAFE"), False),
        allow_unreviewed=force or parse_bool("allow-unreviewed", env.get("INPUT_ALLOW_UNREVIEWED"), False),
        force_used=force,
        check=parse_bool("check", env.get("INPUT_CHECK"), True),
        require_review=parse_bool("require-review", env.get("INPUT_REQUIRE_REVIEW"), False),
        approval_key=key.encode("utf-8") if key else None,
        event_name=env.get("GITHUB_EVENT_NAME", ""),
        event=event,
        dispatch_pull=dispatch_input(event) if env.get("GITHUB_EVENT_NAME") == "workflow_dispatch" else None,
        repository=env.get("GITHUB_REPOSITORY", ""),
        sha=sha,
        ref=env.get("GITHUB_REF", ""),
        api_url=(env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
        server_url=(env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/"),
        run_id=env.get("GITHUB_RUN_ID", ""),
        github_token=(env.get("INPUT_GITHUB_TOKEN") or env.get("GITHUB_TOKEN") or "").strip() or None,
        job_token=(env.get("HFMAP_JOB_TOKEN") or "").strip() or None,
        graphql_url=env.get("GITHUB_GRAPHQL_URL") or None,
        output_path=Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
        summary_path=Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None,
        workdir=Path(env.get("INPUT_WORKDIR") or env.get("RUNNER_TEMP") or ".") / "hfmap",
    )
