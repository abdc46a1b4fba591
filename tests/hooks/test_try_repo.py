"""A real `pre-commit try-repo` of this repository against a scratch mapping repository.

pre-commit builds the hooks' Python environment by pip-installing this repository (so this test needs
PyPI, as pre-commit itself does; that is the one network use the test suite allows, in CI too), then
runs the hooks on the files given. try-repo takes the working tree as it is, uncommitted changes
included. It builds the environment in its own temporary store (PRE_COMMIT_HOME is not used for it),
so the runs below go in parallel, once per module: one on good files at the `manual` stage (all
three hooks, `hfmap check` against the local Hub emulator), one on bad files at `pre-commit`, and one
as a commit sees it: only the staged file, which clashes with a committed, unchanged one.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from emulator import HubEmulator

# Not `from conftest import ...`: with several conftest.py files that name is ambiguous.
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "mappings"
FIXTURES = Path(__file__).parent / "fixtures"
GOOD = ["mappings/replicate.yaml", "mappings/together.yaml", "other/not-a-mapping.yaml"]
BAD = {  # file -> the rule `hfmap lint` must name for it
    "mappings/bad-task-invalid.yaml": "task-invalid",
    "mappings/bad-hf-model-id.yaml": "hf-model-id",
    "mappings/bad-duplicate-mapping.yaml": "duplicate-mapping",
    "mappings/bad-hfmodel-with-hffilter.yaml": "hfmodel-with-hffilter",
    "mappings/bad-syntax.yaml": "syntax",
}
pytestmark = pytest.mark.registry
TIMEOUT = 900  # building the hook environment pip-installs hfmap and its dependencies


def _is_secret_or_endpoint(name: str) -> bool:
    """Variables from the developer's shell that must not reach the hooks (tokens, endpoints, hfmap's own)."""
    return name.startswith(("HF_", "HFMAP_", "GITHUB_")) or name.endswith(("_TOKEN", "_API_KEY", "_KEY"))


@dataclass
class Run:
    returncode: int
    output: str


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.test", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


# Staged alone; duplicates an entry of the committed mappings/replicate.yaml and disagrees with its prune.
CLASHING = """\
provider: replicate
prune: false
mappings:
  - hfModel: microsoft/phi-4-multimodal-instruct
    providerModel: microsoft/phi-4-multimodal-instruct
    task: automatic-speech-recognition
"""


def _repo_with_one_change(root: Path) -> Path:
    """Examples committed, then one new file staged: what pre-commit sees on `git commit`."""
    repo = root / "mapping-repo-context"
    (repo / "mappings").mkdir(parents=True)
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, repo / "mappings" / example.name)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "examples")
    (repo / "mappings" / "replicate-more.yaml").write_text(CLASHING)
    _git(repo, "add", "mappings/replicate-more.yaml")
    return repo


def _scratch_repo(root: Path, name: str) -> Path:
    repo = root / name
    (repo / "mappings").mkdir(parents=True)
    (repo / "other").mkdir()
    for example in EXAMPLES.glob("*.yaml"):
        shutil.copy(example, repo / "mappings" / example.name)
    for fixture in FIXTURES.glob("*.yaml"):
        shutil.copy(fixture, repo / "mappings" / fixture.name)
    # Not under mappings/: the hooks' `files` pattern must keep it out even though it is broken YAML.
    (repo / "other" / "not-a-mapping.yaml").write_text("this: [is not\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """With `-n`, the first worker to need the runs makes them and leaves their outputs for the others
    (xdist may send this module's tests to different workers; three hook environments pip-installed
    twice would double the slowest part of the suite)."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # one per `pytest -n` invocation
    if run_id is None:
        return _try_repo_runs(tmp_path_factory.mktemp("try-repo"))
    shared = tmp_path_factory.getbasetemp().parent / f"try-repo-{run_id}.json"  # every worker's folder
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            made = _try_repo_runs(tmp_path_factory.mktemp("try-repo"))
            shared.write_text(json.dumps({name: asdict(run) for name, run in made.items()}))
    return {name: Run(**run) for name, run in json.loads(shared.read_text()).items()}


def _try_repo_runs(root: Path) -> dict[str, Run]:
    # One repository per run: pre-commit stashes and restores unstaged changes around hooks, and
    # the fmt hook rewrites files, so two runs must not share a working tree.
    repos = {name: _scratch_repo(root, f"mapping-repo-{name}") for name in ("good", "bad")}
    repos["context"] = _repo_with_one_change(root)
    # Nor PYTHONPATH: a checkout's src on it would stand in for the hooks' own environment.
    base_env = {k: v for k, v in os.environ.items() if not _is_secret_or_endpoint(k) and k != "PYTHONPATH"}
    base_env["PRE_COMMIT_HOME"] = str(root / "pre-commit-home")
    base_env["PRE_COMMIT_COLOR"] = "never"
    base_env["HFMAP_CACHE_DIR"] = str(root / "hfmap-cache")
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO)]
    with HubEmulator() as hub:
        hub.seed_from_yaml(EXAMPLES)
        commands = {
            "good": [*pre_commit, "--hook-stage", "manual", "--files", *GOOD],
            "bad": [*pre_commit, "--files", "mappings/replicate.yaml", *BAD, "mappings/unsorted.yaml"],
            "context": [*pre_commit, "hfmap-lint"],  # the staged files only, as on `git commit`
        }
        offline = {**base_env, "HF_ENDPOINT": "http://127.0.0.1:9"}
        envs = {"good": {**base_env, **hub.env()}, "bad": offline, "context": offline}
        procs = {
            name: subprocess.Popen(
                command,
                cwd=repos[name],
                env=envs[name],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for name, command in commands.items()
        }
        results = {}
        for name, proc in procs.items():
            output, _ = proc.communicate(timeout=TIMEOUT)
            results[name] = Run(proc.returncode, output)
    return results


def _status(output: str, hook_name: str) -> str:
    match = re.search(rf"^{re.escape(hook_name)}\.+(?:\([^)]*\))?(Passed|Failed|Skipped)$", output, re.M)
    assert match, f"no result line for {hook_name!r} in:\n{output}"
    return match.group(1)


@pytest.mark.slow
def test_good_files_pass_every_hook(runs: dict[str, Run]) -> None:
    good = runs["good"]
    assert good.returncode == 0, good.output
    assert _status(good.output, "hfmap lint") == "Passed"
    assert _status(good.output, "hfmap fmt") == "Passed"
    assert _status(good.output, "hfmap check") == "Passed"
    assert "not-a-mapping" not in good.output


@pytest.mark.slow
def test_bad_files_fail_lint_naming_each_rule(runs: dict[str, Run]) -> None:
    bad = runs["bad"]
    assert bad.returncode == 1, bad.output
    assert _status(bad.output, "hfmap lint") == "Failed"
    for path, rule in BAD.items():
        assert re.search(rf"^{re.escape(path)}:\d+:\d+: error \[{re.escape(rule)}\] ", bad.output, re.M), (
            f"{path} should fail with [{rule}]:\n{bad.output}"
        )
    assert "mappings/replicate.yaml:" not in bad.output  # the good file in the same run stays quiet
    assert "Traceback" not in bad.output


@pytest.mark.slow
def test_bad_files_fail_fmt_which_fixes_what_it_can(runs: dict[str, Run]) -> None:
    bad = runs["bad"]
    assert _status(bad.output, "hfmap fmt") == "Failed"
    assert "reformatted mappings/unsorted.yaml" in bad.output
    assert "files were modified by this hook" in bad.output
    assert re.search(r"^mappings/bad-syntax\.yaml:5:9: error \[syntax\] ", bad.output, re.M)


@pytest.mark.slow
def test_lint_of_one_staged_file_reads_the_unchanged_files_of_its_provider(runs: dict[str, Run]) -> None:
    """pre-commit passes only the changed file; the clash with an unchanged file must still fail."""
    context = runs["context"]
    assert context.returncode == 1, context.output
    assert _status(context.output, "hfmap lint") == "Failed"
    assert re.search(
        r"^mappings/replicate-more\.yaml:4:14: error \[duplicate-mapping\] "
        r".*\(also at mappings/replicate\.yaml:\d+\)",
        context.output,
        re.M,
    ), context.output
    assert re.search(
        r"^mappings/replicate-more\.yaml:2:1: error \[provider-settings\] `prune: false` here disagrees with "
        r"`prune: true` in mappings/replicate\.yaml:\d+",
        context.output,
        re.M,
    ), context.output
    assert not re.search(r"^mappings/replicate\.yaml:\d+:\d+:", context.output, re.M)  # unchanged: quiet
    assert "error, 0 warnings in 1 file" in context.output or "errors, 0 warnings in 1 file" in context.output
