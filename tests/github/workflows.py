"""GitHub Actions for the example workflows: events start workflows, concurrency groups order and cancel
their runs, and jobs run step by step on this machine against the Hub and GitHub emulators, the action
under test through `harness.run_action` (so with the installed hfmap).

    actions = Actions(world, EXAMPLE_WORKFLOWS, secrets={...}, environments={"huggingface": {...}})
    actions.commit(HEAD1)                   # the files at a commit: world.workspace's mappings now
    actions.pull_request(7, HEAD1)          # the pull request is opened; the workflows it starts are queued
    actions.drain()                         # GitHub runs what it would run, in its order
    (run,) = actions.runs_of("hfmap plan")  # run.conclusion, run.jobs["plan"].step("hfmap").outputs

What is modelled (GitHub's documentation quoted where it decides):
- Triggers (`workflow_file.triggers`): `push` and `pull_request` with `branches` and `paths` filters (the
  changed files are the difference of the two commits' trees), `types`, `merge_group`, `schedule` (by cron),
  `workflow_dispatch` (the workflow dispatched; inputs checked as GitHub does) and `workflow_run`: every run
  that completes, cancelled ones too, starts the workflows naming it, with it as `github.event.workflow_run`.
- `github.sha` / `github.ref` per event ("Events that trigger workflows"): the pushed tip; for a pull
  request its merge commit and `refs/pull/N/merge` (whose files are the head's: the tests' pull requests
  are up to date with main); the merge group's head; the default branch's tip for `schedule`,
  `workflow_run` and `workflow_dispatch`.
- Concurrency groups: `concurrency.Concurrency`.
- Secrets and variables: the repository's, and the secrets of the job's `environment:`; every environment
  is restricted to the default branch, so a job naming one in a run whose `github.ref` is another fails
  before its first step, as GitHub's deployment branch policy does. "With the exception
  of GITHUB_TOKEN, secrets are not passed to the runner when a workflow is triggered from a forked
  repository", nor are configuration variables; a fork's GITHUB_TOKEN is read-only.
- GITHUB_TOKEN: a new one per job, known to the GitHub emulator while the job runs and revoked after it,
  with the job's `permissions:` (else the workflow's; a scope not listed is `none`): the emulator answers 403
  on a route whose scope it lacks, and downloading another run's artifact needs `actions: read`.
- Jobs: `if:` (an implied `success()`; the `secrets` context does not exist there), a fresh empty workspace
  and RUNNER_TEMP, then the steps in order with `if:`, `env:`, `continue-on-error` (outcome failure,
  conclusion success), `working-directory`, `run:` (the composite runner's `run_script`: a `${{` inside
  fails) or `uses:`: the action under test (`./` after a checkout, or `your-org/hfmap@<sha>` as the
  examples pin it), actions/checkout (the commit's files), actions/upload-artifact and
  actions/download-artifact (`artifacts`), actions/cache (restores nothing).

Anything else fails the test, naming it: another action, an input, a key of a workflow, job or step, a
trigger or a filter. Nothing is skipped silently.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from github import artifacts, events
from github.concurrency import Concurrency
from github.events import REPO
from github.harness import REPO as SOURCE
from github.harness import StepRun, condition, default_env, interpolate, run_action, run_script
from github.workflow_file import Workflow, known, load_workflow, triggers
from github.world import World

EXAMPLE_WORKFLOWS = SOURCE / "examples" / "workflows"
OWN_WORKFLOWS = SOURCE / ".github" / "workflows"
# The examples pin the action as `your-org/hfmap@<sha>`: here that is this checkout's action.yml.
PUBLISHED_AS = "your-org/hfmap"
_PINNED = re.compile(r"^([\w.-]+/[\w.-]+)@[0-9a-f]{40}$")


@dataclass
class JobRun:
    name: str
    conclusion: str  # success | failure | skipped
    steps: list[StepRun] = field(default_factory=list)

    def step(self, key: str) -> StepRun:
        """A step by its id or name."""
        found = [step for step in self.steps if key in (step.id, step.name)]
        assert len(found) == 1, f"no single step {key!r} among {[step.name for step in self.steps]}"
        return found[0]

    @property
    def log(self) -> str:
        return "".join(step.stdout + step.stderr for step in self.steps)

    @property
    def summary(self) -> str:
        return "".join(step.summary for step in self.steps)


@dataclass
class WorkflowRun:
    id: int
    workflow: Workflow
    event_name: str
    payload: dict[str, Any]
    github: dict[str, Any]
    status: str = "queued"  # queued -> pending -> in_progress -> completed
    conclusion: str | None = None  # success | failure | cancelled | skipped
    group: str | None = None
    started: int | None = None  # the order in which runs began their jobs
    jobs: dict[str, JobRun] = field(default_factory=dict)

    @property
    def from_fork(self) -> bool:
        pull = self.payload.get("pull_request") if self.event_name == "pull_request" else None
        return bool(pull) and pull["head"]["repo"]["full_name"] != self.payload["repository"]["full_name"]


class Actions:
    """One repository's GitHub Actions: its workflows (a folder), variables, secrets, environments, the
    files at each commit, artifacts, concurrency groups and every run so far."""

    def __init__(
        self,
        world: World,
        folder: Path,
        *,
        mappings_at: str = "mappings",
        vars: dict[str, str] | None = None,
        secrets: dict[str, str] | None = None,
        environments: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.world = world
        self.workflows = [load_workflow(path) for path in sorted(folder.glob("*.yml"))]
        self.mappings_at = mappings_at
        self.vars = dict(vars or {})
        self.secrets = dict(secrets or {})
        self.environments = environments or {}
        self.root = Path(tempfile.mkdtemp(prefix="actions-", dir=world.tmp))
        self.trees: dict[str, Path] = {}
        self.artifacts = artifacts.Artifacts(self.root / "artifacts")
        self.concurrency = Concurrency(self._cancelled)
        self.runs: list[WorkflowRun] = []
        self._ids = itertools.count(7001)
        self._starts = itertools.count(1)
        self.commit(self.default_head)  # main as the test starts

    # -- the repository --------------------------------------------------------------------------------------

    @property
    def default_head(self) -> str:
        return self.world.gh.repos[REPO].history[-1]

    def commit(self, sha: str) -> None:
        """The files at `sha`: world.workspace's mappings as they are now (at `mappings_at`), and the action
        with hfmap's sources when a workflow uses it as `./` (this repository's own workflows)."""
        tree = self.root / "trees" / sha
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        if (self.world.workspace / "mappings").exists():  # (a pull request may delete the folder)
            shutil.copytree(self.world.workspace / "mappings", tree / self.mappings_at)
        if any(step.get("uses") == "./" for workflow in self.workflows for step in workflow.steps()):
            for name in ("action.yml", "pyproject.toml"):
                shutil.copy2(SOURCE / name, tree / name)
            for name in ("action", "src"):
                shutil.copytree(SOURCE / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        self.trees[sha] = tree

    def _changed(self, before: str, after: str) -> set[str]:
        old, new = self._files(before), self._files(after)
        return {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}

    def _files(self, sha: str) -> dict[str, bytes]:
        assert sha in self.trees, f"no files recorded for commit {sha[:7]} (Actions.commit)"
        tree = self.trees[sha]
        return {str(p.relative_to(tree)): p.read_bytes() for p in tree.rglob("*") if p.is_file()}

    # -- events ----------------------------------------------------------------------------------------------

    def pull_request(
        self, number: int, head_sha: str, *, fork_of: str | None = None, action: str = "opened"
    ) -> list[WorkflowRun]:
        """The pull request is opened (or pushed to: `action="synchronize"`) with the files at `head_sha`."""
        gh = self.world.gh
        base = self.default_head
        files = tuple(sorted(self._changed(base, head_sha)))
        branch = f"change-{number}"  # each pull request its own branch
        if number in gh.repos[REPO].issues:
            gh.push_pull(REPO, number, head_sha, files=files)
        else:
            gh.add_pull(REPO, number, head_sha, head_repo=fork_of, files=files, head_ref=branch)
        payload = events.pull_request(
            number, head_sha, action=action, fork_of=fork_of, base_sha=base, head_ref=branch
        )
        merge = hashlib.sha1(f"refs/pull/{number}/merge {head_sha}".encode()).hexdigest()
        self.trees[merge] = self.trees[head_sha]
        changed = self._changed(base, head_sha)
        return self._start("pull_request", payload, changed, sha=merge, ref=f"refs/pull/{number}/merge")

    def merge(self, number: int, merge_sha: str) -> list[WorkflowRun]:
        """The pull request is merged as `merge_sha` (files recorded with `commit`) and pushed to main."""
        before = self.default_head
        self.world.gh.merge_pull(REPO, number, merge_sha, land=False)
        return self.push(merge_sha, before=before)

    def push(self, after: str, *, before: str, forced: bool = False) -> list[WorkflowRun]:
        """`after` becomes main's tip (`forced`: `git push --force`, which may put back an older commit)."""
        history = self.world.gh.repos[REPO].history
        if history[-1:] != [after]:
            history.append(after)
        payload = events.push(after, before=before, forced=forced)
        return self._start("push", payload, self._changed(before, after), sha=after, ref=payload["ref"])

    def rerun(self, run: WorkflowRun) -> WorkflowRun:
        """ "Re-run all jobs" of a finished run: the same workflow, event, payload and commit, queued anew
        (GitHub keeps its run id and counts an attempt; the harness gives the attempt its own id)."""
        assert run.status == "completed", "only a finished run can be re-run"
        return self._queue(
            run.workflow, run.event_name, run.payload, sha=run.github["sha"], ref=run.github["ref"]
        )

    def merge_group(self, head_sha: str, number: int) -> list[WorkflowRun]:
        """The merge queue tests `head_sha`: the pull request on top of main."""
        payload = events.merge_group(head_sha, base_sha=self.default_head, number=number)
        return self._start(
            "merge_group", payload, set(), sha=head_sha, ref=payload["merge_group"]["head_ref"]
        )

    def schedule(self, cron: str) -> list[WorkflowRun]:
        return self._start("schedule", events.schedule(cron), set(), sha=self.default_head)

    def dispatch(self, file: str, inputs: dict[str, str]) -> WorkflowRun:
        """`workflow_dispatch` of a workflow on main; unknown or missing required inputs fail as on GitHub."""
        workflow = next(w for w in self.workflows if w.path.name == file)
        declared = workflow.on["workflow_dispatch"].get("inputs") or {}
        known(set(inputs), set(declared), f"{file}: the workflow_dispatch input")
        missing = [name for name, spec in declared.items() if spec.get("required") and not inputs.get(name)]
        assert not missing, f"{file}: required inputs missing: {missing}"
        payload = {**events.workflow_dispatch(), "inputs": dict(inputs)}
        return self._queue(workflow, "workflow_dispatch", payload, sha=self.default_head, ref=payload["ref"])

    def _start(
        self,
        event_name: str,
        payload: dict[str, Any],
        changed: set[str],
        *,
        sha: str,
        ref: str = "refs/heads/main",
    ) -> list[WorkflowRun]:
        return [
            self._queue(workflow, event_name, payload, sha=sha, ref=ref)
            for workflow in self.workflows
            if triggers(workflow, event_name, payload, changed)
        ]

    def _queue(
        self, workflow: Workflow, event_name: str, payload: dict[str, Any], *, sha: str, ref: str
    ) -> WorkflowRun:
        run_id = next(self._ids)
        github = {
            "event_name": event_name,
            "event": payload,
            "sha": sha,
            "ref": ref,
            "repository": REPO,
            "repository_owner": REPO.split("/")[0],
            "run_id": str(run_id),
            "workflow": workflow.name,
            "actor": (payload.get("sender") or {}).get("login", ""),
            "api_url": self.world.gh.url,
            "server_url": "https://github.com",
        }
        run = WorkflowRun(run_id, workflow, event_name, payload, github)
        self.runs.append(run)
        spec = workflow.concurrency
        if spec is None:
            run.status = "in_progress"
            return run
        contexts = {"github": github, "vars": self.vars_for(run), "inputs": payload.get("inputs") or {}}
        run.group = interpolate(spec["group"], contexts)
        cancel = spec.get("cancel-in-progress", False)
        cancel = condition(cancel, contexts, True) if isinstance(cancel, str) else bool(cancel)
        self.concurrency.enter(run, run.group, cancel_in_progress=cancel, queue=spec["queue"])
        return run

    def vars_for(self, run: WorkflowRun) -> dict[str, str]:
        """The `vars` context: none for a fork's pull request."""
        return {} if run.from_fork else dict(self.vars)

    # -- running -----------------------------------------------------------------------------------------

    def drain(self) -> None:
        """Run every started run to the end, oldest first; an end may start a pending run of its group and
        `workflow_run` workflows, which run too."""
        while ready := [run for run in self.runs if run.status == "in_progress"]:
            run = ready[0]
            run.started = next(self._starts)
            for job_id, spec in run.workflow.jobs.items():
                # "If a job fails or is skipped, all jobs that need it are skipped" (no `if: always()` here)
                if any(run.jobs[need].conclusion != "success" for need in spec["needs"]):
                    run.jobs[job_id] = JobRun(spec.get("name") or job_id, "skipped")
                    continue
                run.jobs[job_id] = _Job(self, run, job_id, spec).run()
            conclusions = {job.conclusion for job in run.jobs.values()}
            run.conclusion = "skipped" if conclusions == {"skipped"} else "success"
            run.conclusion = "failure" if "failure" in conclusions else run.conclusion
            self._completed(run)
        assert not [run for run in self.runs if run.status != "completed"], "a run was left waiting"

    def runs_of(self, workflow_name: str) -> list[WorkflowRun]:
        return [run for run in self.runs if run.workflow.name == workflow_name]

    def _cancelled(self, run: WorkflowRun) -> None:
        run.conclusion = "cancelled"
        self._completed(run)

    def _completed(self, run: WorkflowRun) -> None:
        run.status = "completed"
        if run.group is not None:
            self.concurrency.leave(run, run.group)
        self._start("workflow_run", self._workflow_run_event(run), set(), sha=self.default_head)

    def _workflow_run_event(self, run: WorkflowRun) -> dict[str, Any]:
        pull = run.payload.get("pull_request") or {}
        head = pull.get("head") or {}
        payload = events.workflow_run(
            head.get("sha") or run.github["sha"],
            fork_of=(head.get("repo") or {}).get("full_name") or REPO,
            head_branch=head.get("ref") or run.github["ref"].removeprefix("refs/heads/"),
            event=run.event_name,
            run_id=run.id,
            conclusion=str(run.conclusion),
            workflow=run.workflow.name,
            path=f".github/workflows/{run.workflow.path.name}",
        )
        if pull and not run.from_fork:  # a fork's pull request is listed nowhere in this event
            payload["workflow_run"]["pull_requests"] = [{"number": pull["number"], "head": head}]
        return payload


class _Job:
    """One job of a run: its `if:`, a fresh runner (workspace, RUNNER_TEMP, GITHUB_TOKEN), then its steps."""

    def __init__(self, actions: Actions, run: WorkflowRun, job_id: str, spec: dict[str, Any]) -> None:
        self.actions, self.run_, self.spec = actions, run, spec
        self.name = spec.get("name") or job_id
        self.contexts: dict[str, Any] = {
            "github": {**run.github, "job": job_id},
            "vars": actions.vars_for(run),
            "inputs": run.payload.get("inputs") or {},
            "needs": {},
        }
        folder = actions.root / "jobs" / f"{run.id}-{job_id}"
        self.workspace, self.temp = folder / "workspace", folder / "temp"

    def run(self) -> JobRun:
        if not condition(self.spec.get("if"), self.contexts, True):  # before `secrets` exists, as on GitHub
            return JobRun(self.name, "skipped")
        if self.spec.get("environment") and self.run_.github["ref"] != "refs/heads/main":
            # every environment of these tests is restricted to the default branch (docs/security.md):
            # "Branch ... is not allowed to deploy to <environment> due to environment protection rules."
            return JobRun(self.name, "failure")
        self.workspace.mkdir(parents=True)
        self.temp.mkdir(parents=True)
        (self.temp / "event.json").write_text(json.dumps(self.run_.payload), encoding="utf-8")
        token = f"ghs_run{self.run_.id}{self.name}".ljust(40, "0")
        gh = self.actions.world.gh
        scopes = {scope: self.permission(scope) for scope in self._permissions()}
        gh.add_token(token, kind="readonly" if self.run_.from_fork else "actions", permissions=scopes)
        named = self.spec.get("environment") or ""
        named = named["name"] if isinstance(named, dict) else named  # `environment: {name, url}`
        environment = self.actions.environments.get(named, {})
        secrets = {} if self.run_.from_fork else {**self.actions.secrets, **environment}
        self.contexts["github"].update(token=token, workspace=str(self.workspace))
        self.contexts.update(
            secrets={**secrets, "GITHUB_TOKEN": token},
            runner={"temp": str(self.temp), "os": "Linux", "arch": "X64"},
            steps={},
        )
        env = {**self.run_.workflow.env, **(self.spec.get("env") or {})}
        self.contexts["env"] = {key: interpolate(value, self.contexts) for key, value in env.items()}
        job = JobRun(self.name, "success")
        ok = True
        try:
            for index, step in enumerate(self.spec["steps"]):
                job.steps.append(self._step(index, step, ok))
                ok = ok and self.contexts["steps"][job.steps[-1].id]["conclusion"] in ("success", "skipped")
        finally:
            gh.revoke_token(token)
        job.conclusion = "success" if ok else "failure"
        return job

    def _permissions(self) -> dict[str, str]:
        """The job's `permissions`, else the workflow's (the examples always set them, so the harness
        does not model the repository's default)."""
        permissions = self.spec.get("permissions", self.run_.workflow.permissions)
        assert permissions is not None, f"{self.run_.workflow.path.name}: no permissions block"
        return permissions

    def permission(self, scope: str) -> str:
        """The GITHUB_TOKEN's access to `scope`: a scope not listed is `none`; a fork's pull request gets
        read at most."""
        level = self._permissions().get(scope, "none")
        return "read" if self.run_.from_fork and level == "write" else level

    def _step(self, index: int, spec: dict[str, Any], ok: bool) -> StepRun:
        step_id = spec.get("id") or f"__step{index}"
        name = spec.get("name") or spec.get("uses") or spec["run"].splitlines()[0]
        if not condition(spec.get("if"), self.contexts, ok):
            self.contexts["steps"][step_id] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
            return StepRun(step_id, name, "skipped")
        env = {key: interpolate(value, self.contexts, ok) for key, value in (spec.get("env") or {}).items()}
        env = {**self.contexts["env"], **env}
        with_ = {
            key: interpolate(value, self.contexts, ok) for key, value in (spec.get("with") or {}).items()
        }
        if "uses" in spec:
            result = self._uses(StepRun(step_id, name, "success"), spec["uses"], with_, env)
        else:
            github, runner = self.contexts["github"], self.contexts["runner"]
            machine = self.actions.world.machine_env()
            variables = {**default_env(github, runner, self.temp / "event.json", machine), **env}
            cwd = self.workspace / spec.get("working-directory", ".")
            result = run_script(step_id, name, spec, variables, cwd, self.temp, f"job-{index}")
        result.env = env
        conclusion = "success" if spec.get("continue-on-error") is True else result.outcome
        self.contexts["steps"][step_id] = {
            "outputs": result.outputs,
            "outcome": result.outcome,
            "conclusion": conclusion,
        }
        return result

    def _uses(self, step: StepRun, uses: str, with_: dict[str, str], env: dict[str, str]) -> StepRun:
        if uses == "./":
            assert (self.workspace / "action.yml").is_file(), "`uses: ./` needs a checkout first"
            return self._action(step, self.workspace, with_, env)
        match = _PINNED.match(uses)
        assert match, f"{uses} is not pinned to a full commit SHA"
        store, run_id = self.actions.artifacts, self.run_.id
        if match.group(1) == PUBLISHED_AS:
            return self._action(step, SOURCE, with_, env)
        if match.group(1) == "actions/checkout":
            # The stand-in copies the commit's files without git history, whatever `fetch-depth` says: the
            # Action then checks every entry (and says so); test_action_scale.py covers a checkout that has
            # the base commit.
            # `ref` is a commit SHA here (the harness knows files by commit), `repository` any fork's name
            # (a fork's commits are recorded like the repository's), `path` a folder of the workspace.
            known(
                set(with_),
                {"persist-credentials", "fetch-depth", "ref", "repository", "path"},
                "the actions/checkout input",
            )
            sha = with_.get("ref") or self.contexts["github"]["sha"]
            assert sha in self.actions.trees, (
                f"actions/checkout: no commit {sha[:7]} (only SHAs are modelled)"
            )
            destination = (self.workspace / with_.get("path", ".")).resolve()
            assert destination.is_relative_to(self.workspace.resolve()), "checkout path outside the workspace"
            shutil.copytree(self.actions.trees[sha], destination, dirs_exist_ok=True)
            return step
        if match.group(1) == "actions/upload-artifact":
            return artifacts.upload(store, run_id, self.workspace, step, with_)
        if match.group(1) == "actions/download-artifact":
            source = self._artifact_run(with_)
            if source is None:
                return artifacts.failed(step, "Resource not accessible by integration (needs actions: read)")
            return artifacts.download(store, source, self.workspace, step, with_)
        if match.group(1) == "actions/cache":
            step.outputs = {"cache-hit": "false"}
            return step
        raise AssertionError(f"the workflow harness cannot run {uses}")

    def _artifact_run(self, with_: dict[str, str]) -> int | None:
        """The run a download takes its artifact from: this one, or `run-id` through the REST API with
        `github-token`; None when the job's own GITHUB_TOKEN lacks `actions: read` for that."""
        if not with_.get("run-id"):
            return self.run_.id
        token = with_.get("github-token", "")
        assert token in self.actions.world.gh.tokens, (
            "download-artifact with run-id needs a valid github-token"
        )
        if token == self.contexts["github"]["token"] and self.permission("actions") == "none":
            return None
        return int(with_["run-id"])

    def _action(self, step: StepRun, path: Path, with_: dict[str, str], env: dict[str, str]) -> StepRun:
        """The composite action under test, run as this step by `harness.run_action`."""
        github = {key: value for key, value in self.contexts["github"].items() if key != "token"}
        ran = run_action(
            workspace=self.workspace,
            temp=self.temp,
            event_name=self.run_.event_name,
            event=self.run_.payload,
            inputs=with_,
            job_env={**self.actions.world.machine_env(), **env},
            github=github,
            secrets_token=self.contexts["github"]["token"],
            action_path=path,
        )
        step.outcome, step.outputs, step.stdout, step.summary = (
            ran.conclusion,
            ran.outputs,
            ran.log,
            ran.summary,
        )
        return step
