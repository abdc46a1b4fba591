"""Run action.yml's steps the way the GitHub runner does, on this machine, against local emulators.
(Whole workflows, with their triggers, jobs and concurrency, run through `workflows.py`, which uses this
for the action's step.)

What is real: every `run:` step is executed with its `shell` (`bash` = `bash --noprofile --norc -eo pipefail
{0}`), in the workspace, with GitHub's default variables, a fresh `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` file
per step, the event payload at `GITHUB_EVENT_PATH`, and its `env:` filled by evaluating `${{ }}` expressions
(inputs, github, runner, steps.*.outputs). Expressions are evaluated ONLY in `env:`, `with:` and `if:`
values and the action's outputs; a `${{` inside a `run:` script fails the harness (the action must not
have one). Step outputs are parsed in both the `name=value` and the `name<<DELIMITER` forms.

What is simulated: `uses:` steps, which must be pinned to a full commit SHA. `actions/cache` restores
nothing (`cache-hit: false`). `actions/setup-python` answers with `python-path` = a small interpreter shim
that runs this interpreter, except that `action/install.py install` is answered with the venv
`tests/github/installed.py` made by running that same script once per change of the sources (a real,
hash-locked `pip install` from PyPI): every flow runs the installed hfmap.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from github.installed import installed_python

REPO = Path(__file__).resolve().parents[2]
ACTION_YML = REPO / "action.yml"
_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)
_PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
_SHELLS = {"bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"], "sh": ["sh", "-e"]}


# -- expressions ---------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
    r"|(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*|\[[^\]]*\])*))"
)


class Expression:
    """A tiny GitHub expression evaluator: context lookups, literals, == != && || ! and status functions."""

    def __init__(self, contexts: dict[str, Any], status_ok: bool) -> None:
        self.contexts, self.status_ok = contexts, status_ok

    def evaluate(self, text: str) -> Any:
        self.tokens = self._tokenize(text)
        self.pos = 0
        value = self._or()
        if self.pos != len(self.tokens):
            raise ValueError(f"cannot parse expression {text!r}")
        return value

    def _tokenize(self, text: str) -> list[tuple[str, str]]:
        out, pos = [], 0
        text = text.strip()
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if not match or match.end() == pos:
                raise ValueError(f"bad expression {text!r} at {pos}")
            kind = match.lastgroup or ""
            out.append((kind, match.group(kind)))
            pos = match.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        return out

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _or(self) -> Any:
        left = self._and()
        while self._peek() == ("op", "||"):
            self._take()
            right = self._and()
            left = left or right
        return left

    def _and(self) -> Any:
        left = self._cmp()
        while self._peek() == ("op", "&&"):
            self._take()
            right = self._cmp()
            left = left and right
        return left

    def _cmp(self) -> Any:
        left = self._unary()
        while self._peek() in (("op", "=="), ("op", "!=")):
            op = self._take()[1]
            right = self._unary()
            equal = _loose(left) == _loose(right)
            left = equal if op == "==" else not equal
        return left

    def _unary(self) -> Any:
        if self._peek() == ("op", "!"):
            self._take()
            return not self._unary()
        if self._peek() == ("op", "("):
            self._take()
            value = self._or()
            assert self._take() == ("op", ")")
            return value
        kind, text = self._take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if self._peek() == ("op", "("):
            self._take()
            assert self._take() == ("op", ")"), "functions with arguments are not supported"
            statuses = {
                "success": self.status_ok,
                "failure": not self.status_ok,
                "always": True,
                "cancelled": False,
            }
            return statuses[text]
        return self._lookup(text)

    def _lookup(self, dotted: str) -> Any:
        value: Any = self.contexts
        for part in dotted.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value


def _loose(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _as_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def interpolate(text: Any, contexts: dict[str, Any], status_ok: bool = True) -> str:
    """Replace each `${{ expr }}` in a string value (env, with, outputs)."""
    text = text if isinstance(text, str) else _as_string(text)
    return _EXPR.sub(lambda m: _as_string(Expression(contexts, status_ok).evaluate(m.group(1))), text)


def condition(text: Any, contexts: dict[str, Any], status_ok: bool) -> bool:
    if text is None:
        return status_ok
    if isinstance(text, bool):
        return text
    inner = _EXPR.fullmatch(str(text).strip())
    expr = inner.group(1) if inner else str(text)
    value = Expression(contexts, status_ok).evaluate(expr)
    if not re.search(r"\b(success|failure|always|cancelled)\(\)", expr):
        value = status_ok and value
    return bool(value)


# -- outputs ----------------------------------------------------------------------------------------------


def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIM` ... `DELIM` blocks."""
    out: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip():
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value_lines = []
            while lines[index] != delimiter:
                value_lines.append(lines[index])
                index += 1
            index += 1
            out[name] = "\n".join(value_lines)
        else:
            name, _, value = line.partition("=")
            out[name] = value
    return out


# -- the runner ---------------------------------------------------------------------------------------------


@dataclass
class StepRun:
    id: str
    name: str
    outcome: str  # success | failure | skipped
    outputs: dict[str, str] = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""
    returncode: int = 0
    env: dict[str, str] = field(default_factory=dict)
    summary: str = ""


@dataclass
class ActionRun:
    steps: list[StepRun]
    outputs: dict[str, str]
    summary: str
    workspace: Path
    temp: Path

    @property
    def conclusion(self) -> str:
        return "failure" if any(step.outcome == "failure" for step in self.steps) else "success"

    @property
    def log(self) -> str:
        return "".join(step.stdout + step.stderr for step in self.steps)

    def step(self, step_id: str) -> StepRun:
        return next(step for step in self.steps if step.id == step_id)


def load_action(path: Path = ACTION_YML) -> dict[str, Any]:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def run_action(
    *,
    workspace: Path,
    temp: Path,
    event_name: str,
    event: dict[str, Any],
    inputs: dict[str, str] | None = None,
    job_env: dict[str, str] | None = None,
    github: dict[str, Any] | None = None,
    secrets_token: str = "ghs_actions_token",
    action_path: Path = REPO,
) -> ActionRun:
    """One run of the composite action as a job step, the way the runner would execute it."""
    action = load_action(action_path / "action.yml")
    assert action["runs"]["using"] == "composite"
    temp.mkdir(parents=True, exist_ok=True)
    event_path = temp / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    repo = (event.get("repository") or {}).get("full_name", "acme/mappings")
    sha = (github or {}).get("sha") or event.get("after") or "0" * 40
    github_ctx: dict[str, Any] = {
        "token": secrets_token,
        "action_path": str(action_path),
        "event_name": event_name,
        "event": event,
        "repository": repo,
        "sha": sha,
        "ref": event.get("ref") or "refs/heads/main",
        "workspace": str(workspace),
        "api_url": "https://api.github.com",
        "server_url": "https://github.com",
        "run_id": "4242",
        **(github or {}),
    }
    runner_ctx = {"temp": str(temp), "os": "Linux", "arch": "X64"}
    defaults = {name: _as_string(spec.get("default")) for name, spec in (action.get("inputs") or {}).items()}
    inputs_ctx = dict(defaults)
    for name, value in (inputs or {}).items():
        assert name in defaults, f"action.yml has no input {name!r}"
        inputs_ctx[name] = value
    contexts: dict[str, Any] = {
        "github": github_ctx,
        "runner": runner_ctx,
        "steps": {},
        "env": dict(job_env or {}),
    }
    contexts["inputs"] = {
        name: interpolate(value, contexts) if "${{" in value else value for name, value in inputs_ctx.items()
    }
    base_env = default_env(github_ctx, runner_ctx, event_path, job_env or {})
    base_env["GITHUB_ACTION_PATH"] = str(action_path)
    steps: list[StepRun] = []
    ok = True
    for index, step in enumerate(action["runs"]["steps"]):
        step_id = step.get("id") or f"__step{index}"
        name = step.get("name") or step_id
        if not condition(step.get("if"), contexts, ok):
            steps.append(StepRun(step_id, name, "skipped"))
            contexts["steps"][step_id] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
            continue
        env = {key: interpolate(value, contexts, ok) for key, value in (step.get("env") or {}).items()}
        with_ = {key: interpolate(value, contexts, ok) for key, value in (step.get("with") or {}).items()}
        if "uses" in step:
            result = _uses(step_id, name, step["uses"], with_, temp)
        else:
            assert step.get("shell"), f"step {name!r}: composite run steps need a shell"
            result = run_script(step_id, name, step, {**base_env, **env}, workspace, temp, f"action-{index}")
            result.env = env
        steps.append(result)
        contexts["steps"][step_id] = {"outputs": result.outputs, "outcome": result.outcome}
        ok = ok and result.outcome == "success"
    outputs = {
        name: interpolate(spec.get("value"), contexts) for name, spec in (action.get("outputs") or {}).items()
    }
    return ActionRun(steps, outputs, "".join(step.summary for step in steps), workspace, temp)


def _uses(step_id: str, name: str, uses: str, with_: dict[str, str], temp: Path) -> StepRun:
    assert _PINNED.match(uses), f"{uses} is not pinned to a full commit SHA"
    action = uses.split("@", 1)[0]
    if action == "actions/setup-python":
        assert with_.get("update-environment") == "false", "setup-python must not change the caller's PATH"
        outputs = {"python-path": str(_python_shim(temp)), "python-version": platform.python_version()}
        return StepRun(step_id, name, "success", outputs)
    if action == "actions/cache":
        assert with_.get("key") and with_.get("path"), "cache needs a key and a path"
        return StepRun(step_id, name, "success", {"cache-hit": "false"}, env=with_)
    raise AssertionError(f"the harness cannot simulate {uses}")


_PYTHON_SHIM = """#!/bin/sh
# The interpreter setup-python would provide. `action/install.py install` is answered with the venv that
# tests/github/installed.py made by running that very script once (hash-locked, from PyPI).
case "$1" in
  */action/install.py)
    if [ "$2" = "install" ]; then echo "python=__INSTALLED__" >> "$GITHUB_OUTPUT"; exit 0; fi ;;
esac
exec "__REAL__" "$@"
"""


@functools.cache
def _installed() -> str:
    """Made (or found) once per test process: every flow would otherwise start a Python to hash src/."""
    return str(installed_python())


def _python_shim(temp: Path) -> Path:
    shim = temp / "setup-python" / "python3"
    shim.parent.mkdir(parents=True, exist_ok=True)
    shim.write_text(
        _PYTHON_SHIM.replace("__REAL__", sys.executable).replace("__INSTALLED__", _installed()),
        encoding="utf-8",
    )
    shim.chmod(0o755)
    return shim


def default_env(
    github: dict[str, Any], runner: dict[str, Any], event_path: Path, extra: dict[str, str]
) -> dict[str, str]:
    """GitHub's default variables for every step of a job (`extra`: the runner machine's own and `env:`)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", runner["temp"]),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": github["event_name"],
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_SHA": github["sha"],
        "GITHUB_REF": github["ref"],
        "GITHUB_API_URL": github["api_url"],
        "GITHUB_SERVER_URL": github["server_url"],
        "GITHUB_RUN_ID": str(github["run_id"]),
        "GITHUB_WORKSPACE": github["workspace"],
        "GITHUB_GRAPHQL_URL": github["api_url"] + "/graphql",
        "GITHUB_RUN_ATTEMPT": "1",
        "RUNNER_TEMP": runner["temp"],
        "RUNNER_OS": runner["os"],
        "RUNNER_ARCH": runner["arch"],
        # The test runner machine shortens hfmap's backoff (1 s doubling to 8 s) as an impatient CI job may.
        "HFMAP_HTTP_BACKOFF": "0.05",
        **extra,
    }


def run_script(
    step_id: str, name: str, step: dict[str, Any], env: dict[str, str], cwd: Path, temp: Path, tag: str
) -> StepRun:
    """A `run:` step: its script in a file run by its shell (a workflow's default is `bash -e {0}`), with a
    fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY; a `${{` in the script fails the harness."""
    script = step["run"]
    assert "${{" not in script, f"step {name!r}: `${{{{ }}}}` inside run: (pass it through env:)"
    shell = step.get("shell")
    path, output_file, summary_file = (temp / f"{kind}-{tag}" for kind in ("step", "output", "summary"))
    path.write_text(script, encoding="utf-8")
    output_file.write_text("")
    summary_file.write_text("")
    env = {**env, "GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary_file)}
    if shell is None:
        command = ["bash", "-e", str(path)]
    elif shell in _SHELLS:
        command = [*_SHELLS[shell], str(path)]
    else:
        command = shell.replace("{0}", str(path)).split()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    outcome = "success" if proc.returncode == 0 else "failure"
    outputs = parse_output_file(output_file.read_text(encoding="utf-8"))
    result = StepRun(step_id, name, outcome, outputs, proc.stdout, proc.stderr, proc.returncode)
    result.summary = summary_file.read_text(encoding="utf-8")
    return result
