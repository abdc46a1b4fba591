"""What every flow shares: the step outputs, running lint/check and plan, saving plan.json, the job summary.

Flows run hfmap's own commands through the command line (`hfmap.github.runner`), so the Action depends only
on the command-line contract.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from typing import Any

from hfmap.github import report
from hfmap.github.env import ActionEnv
from hfmap.github.report import Commit
from hfmap.github.runner import Run, read_as, run_findings, run_json, run_passthrough
from hfmap.github.workflow import SUMMARY_BUDGET, annotate, write_summary
from hfmap.mapping.plan import Plan


def plan_failed(env: ActionEnv, error: str, commit: Commit, extra: str = "") -> FlowResult:
    """A plan that could not be made: an error annotation, the reason in the job summary, exit 1."""
    annotate("error", f"hfmap plan failed: {error}")
    write_summary(env.summary_path, report.failure_markdown("make a plan", error, commit) + extra)
    return FlowResult(1, step_outputs(None))


def commit_of(env: ActionEnv, sha: str | None = None) -> Commit:
    """A commit of this repository (the pushed one by default), linked when the repository is known."""
    sha = env.sha if sha is None else sha
    return Commit(sha, f"{env.server_url}/{env.repository}/commit/{sha}" if env.repository else "")


@dataclass
class FlowResult:
    exit_code: int = 0
    outputs: dict[str, str] = field(default_factory=dict)


def step_outputs(plan: Plan | None, **extra: str) -> dict[str, str]:
    values = {
        "has-changes": "true" if plan is not None and plan.has_changes else "false",
        "plan-hash": plan.hash if plan is not None else "",
        "needs-force": "true" if plan is not None and plan.needs_force else "false",
        "applied": "false",
        "comment-url": "",
        "plan-file": "",
        "failure-reason": "",  # one word when the run did not do its job (apply: see flows/apply.py)
    }
    values.update(extra)
    return values


def lint_and_check(env: ActionEnv, *, changed_only: bool = False) -> Run:
    """`hfmap check` (or `lint` when online checks are off) with annotations on the changed lines.

    With `changed_only` (pull requests and merge queues) the online checks cover only the entries that
    differ from the base commit (`--changed-since`), so a pull request touching five entries of a large
    catalog costs a handful of Hub requests, not one per entry; lint still reads every file. Without the
    base commit in the checkout (a shallow clone of one commit) the whole catalog is checked, and a
    notice says how to avoid it.
    """
    if not env.check:
        return run_passthrough(["--format", "github", "lint", *env.paths])
    scope: list[str] = []
    if changed_only:
        base = base_commit(env)
        if base is not None:
            scope = ["--changed-since", base]
        else:
            annotate(
                "notice",
                "hfmap: the base commit is not in the checkout, so every entry is checked; "
                "`fetch-depth: 2` on actions/checkout lets the check cover only what changed",
            )
    return run_passthrough(["--format", "github", "check", *scope, *env.paths])


def base_commit(env: ActionEnv) -> str | None:
    """The commit a pull request or a merge-queue group is compared with, when the checkout has it:
    the event's base SHA, else the first parent of the checked-out merge commit (`fetch-depth: 2`)."""
    event_base = (env.event.get("pull_request") or {}).get("base", {}).get("sha") or (
        env.event.get("merge_group") or {}
    ).get("base_sha")
    for candidate in (event_base, "HEAD^1"):
        if candidate and _has_commit(str(candidate)):
            return str(candidate)
    return None


def _has_commit(ref: str) -> bool:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            capture_output=True,
            check=False,
        )
    except OSError:  # no git on the runner
        return False
    return found.returncode == 0


def lint_errors(env: ActionEnv) -> list[dict[str, Any]]:
    """`hfmap lint`'s errors as data, without annotations (for a run whose annotations would land on
    another commit than the files', such as the fork-comment run)."""
    findings = run_findings(["--format", "json", "lint", *env.paths])
    return [finding for finding in findings if finding.get("level") == "error"]


def problems_note(env: ActionEnv, checked: Run | None) -> str:
    """The line under a plan that says lint or check found problems (empty when they did not)."""
    if checked is None or checked.exit_code == 0:
        return ""
    return f"\n> ❌ `hfmap {'check' if env.check else 'lint'}` found problems: see the annotations.\n"


@dataclass
class Planned:
    """`hfmap plan --format json` read back: the plan, or None and why not."""

    plan: Plan | None
    error: str


def make_plan(env: ActionEnv) -> Planned:
    run = run_json(["plan", "--format", "json", *env.paths])
    plan = read_as(run.data, Plan.from_json) if run.exit_code == 0 else None
    return Planned(plan, run.error)


def save_plan(env: ActionEnv, plan: Plan) -> str:
    """plan.json for an `actions/upload-artifact` step; returns its path."""
    env.workdir.mkdir(parents=True, exist_ok=True)
    path = env.workdir / "plan.json"
    path.write_text(json.dumps(plan.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return str(path)


def job_summary(env: ActionEnv, plan: Plan, commit: Commit, title: str = "hfmap plan") -> str:
    return report.plan_markdown(
        plan,
        commit=commit,
        paths=env.paths,
        budget=SUMMARY_BUDGET - 4096,
        more_note="The full plan is in the `plan.json` artifact.",
        title=title,
        measure=report.utf8_len,
    )


def run_link(env: ActionEnv) -> str:
    return f", [run]({env.run_url})" if env.run_url else ""
