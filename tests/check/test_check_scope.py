"""`check --changed-since REF` and `check --plan`: only what changed is asked about; lint still reads all.

The git tests use a real repository in tmp_path; the Hub is the emulator, and what was asked is read from
its request log.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

CATALOG = 40


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def entry(i: int, task: str = "text-to-image", provider_model: str | None = None) -> str:
    return (
        f"  - hfModel: ns{i % 7}/model-{i:03d}\n"
        f"    providerModel: {provider_model or f'owner/model-{i:03d}'}\n"
        f"    task: {task}\n"
    )


def catalog(entries: range, header: str = "provider: replicate\nmappings:\n") -> str:
    return header + "".join(entry(i) for i in entries)


@pytest.fixture
def repo(tmp_path, hub, monkeypatch):
    """A git repository with a 40-entry catalog in two files, committed; the Hub knows every model."""
    for i in range(CATALOG + 10):
        hub.add_model(f"ns{i % 7}/model-{i:03d}", pipeline_tag="text-to-image")
    root = tmp_path / "repo"
    (root / "mappings").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "mappings" / "a.yaml").write_text(catalog(range(0, 20)))
    (root / "mappings" / "b.yaml").write_text(catalog(range(20, CATALOG)))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "catalog")
    monkeypatch.chdir(root)
    return root


def asked(hub) -> list[str]:
    """Hub models asked about (one by one or through a listing's author), in order."""
    out = []
    for request in hub.requests:
        if request.path.startswith("/api/models/"):
            out.append(request.path.removeprefix("/api/models/"))
        elif request.path == "/api/models":
            out.append("listing:" + ",".join(request.query.get("author", ["?"])))
    return out


def run_check(run_cli, hub, *args: str):
    return run_cli("--format", "json", "check", *args, "mappings", env=hub.env())


def test_an_edit_checks_only_the_edited_entry(repo, hub, run_cli):
    text = (repo / "mappings" / "a.yaml").read_text()
    (repo / "mappings" / "a.yaml").write_text(text.replace("owner/model-005", "owner/model-005b"))
    result = run_check(run_cli, hub, "--changed-since", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert asked(hub) == ["ns5/model-005"]


def test_nothing_changed_asks_nothing_but_lint_still_runs(repo, hub, run_cli):
    (repo / "mappings" / "b.yaml").write_text(catalog(range(20, CATALOG)) + "  - hfModel: bad id\n")
    git(repo, "commit", "-qam", "a broken entry")
    result = run_check(run_cli, hub, "--changed-since", "HEAD")
    assert result.exit_code == 1
    assert {f["rule"] for f in json.loads(result.stdout)} >= {"schema"}
    assert asked(hub) == []


def test_a_new_file_a_rename_and_a_moved_entry(repo, hub, run_cli):
    git(repo, "mv", "mappings/b.yaml", "mappings/renamed.yaml")  # renamed: nothing new in it
    text = (repo / "mappings" / "a.yaml").read_text()
    moved = entry(3)
    (repo / "mappings" / "a.yaml").write_text(text.replace(moved, ""))
    (repo / "mappings" / "new.yaml").write_text(catalog(range(40, 42)) + moved)  # untracked, + a moved entry
    result = run_check(run_cli, hub, "--changed-since", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert sorted(asked(hub)) == ["ns5/model-040", "ns6/model-041"]


def test_a_file_git_ignores_has_only_new_entries(repo, hub, run_cli):
    (repo / ".gitignore").write_text("mappings/local.yaml\n")
    (repo / "mappings" / "local.yaml").write_text(catalog(range(40, 41)))
    result = run_check(run_cli, hub, "--changed-since", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert asked(hub) == ["ns5/model-040"]


def test_changes_since_an_older_commit_and_a_deleted_file(repo, hub, run_cli):
    base = git(repo, "rev-parse", "HEAD")
    (repo / "mappings" / "a.yaml").write_text(catalog(range(0, 20)) + entry(45))
    git(repo, "commit", "-qam", "one more")
    git(repo, "rm", "-q", "mappings/b.yaml")
    git(repo, "commit", "-qm", "b is gone")
    result = run_check(run_cli, hub, "--changed-since", base)
    assert result.exit_code == 0, result.stderr
    assert asked(hub) == ["ns3/model-045"]


def test_a_status_change_through_defaults_counts_as_a_change(repo, hub, run_cli):
    path = repo / "mappings" / "b.yaml"
    path.write_text(path.read_text().replace("mappings:\n", "defaults:\n  status: live\nmappings:\n", 1))
    result = run_check(run_cli, hub, "--changed-since", "HEAD")
    assert result.exit_code == 0, result.stderr
    # b.yaml's 20 entries (model-020..039, 7 namespaces) changed; a.yaml's did not.
    covered = {a.removeprefix("listing:").partition("/")[0] for a in asked(hub)}
    assert covered == {f"ns{n}" for n in range(7)}  # through listings (3+ entries) or one by one
    assert not [a for a in asked(hub) if a.startswith("ns") and int(a[-3:]) < 20]


def test_an_unknown_revision_is_a_usage_error(repo, hub, run_cli):
    result = run_check(run_cli, hub, "--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert "'no-such-branch' is not a commit of this repository" in result.stderr
    assert "fetch it first" in result.stderr
    assert run_check(run_cli, hub, "--changed-since", "--all").exit_code == 2


def test_outside_a_git_repository_is_a_clear_error(tmp_path, hub, run_cli, monkeypatch):
    folder = tmp_path / "plain"
    (folder / "mappings").mkdir(parents=True)
    (folder / "mappings" / "a.yaml").write_text(catalog(range(0, 2)))
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run_check(run_cli, hub, "--changed-since", "HEAD")
    assert result.exit_code == 2
    where = folder / "mappings"
    assert result.stderr.strip().splitlines() == [
        f"hfmap: error: --changed-since needs a git repository, and '{where}' is not inside one"
    ]


def test_a_pull_request_touching_5_of_10000_entries_makes_at_most_10_hub_requests(
    tmp_path, hub, run_cli, monkeypatch
):
    for i in range(10_000):
        hub.add_model(f"org{i % 100}/m{i:05d}", pipeline_tag="text-to-image")
    root = tmp_path / "big"
    (root / "mappings").mkdir(parents=True)
    lines = ["provider: replicate", "mappings:"]
    for i in range(10_000):
        lines += [
            f"  - hfModel: org{i % 100}/m{i:05d}",
            f"    providerModel: o/m{i:05d}",
            "    task: text-to-image",
        ]
    (root / "mappings" / "catalog.yaml").write_text("\n".join(lines) + "\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "catalog")
    for i in (10, 2000, 4000, 6000, 8000):
        lines[2 + 3 * i + 1] = f"    providerModel: o/changed{i:05d}"
    (root / "mappings" / "catalog.yaml").write_text("\n".join(lines) + "\n")
    monkeypatch.chdir(root)
    result = run_cli("check", "--stats", "--changed-since", "HEAD", "mappings", env=hub.env())
    assert result.exit_code == 0, result.stderr
    hub_requests = [r for r in hub.requests if r.path.startswith("/api/")]
    assert len(hub_requests) <= 10
    # org10/m00010 alone; the four of org0 from org0's listing (one page: it has 100 models)
    assert sorted(r.path for r in hub_requests) == ["/api/models", "/api/models/org10/m00010"]
    assert "stats: 2 requests" in result.stderr


def test_plan_checks_what_the_plan_writes_and_what_lint_flags(tmp_path, hub, run_cli):
    for name in ("a/m0", "b/m1", "c/m2", "d/m3", "e/m4-Instruct", "f/m5-Instruct"):
        hub.add_model(name, pipeline_tag="text-generation" if "Instruct" in name else "text-to-image")
    hub.seed_mapping("replicate", "text-to-image", "a/m0", "o/m0")  # as declared: not asked
    hub.seed_mapping("replicate", "text-to-image", "b/m1", "o/old")  # replace
    hub.seed_mapping("replicate", "text-to-image", "c/m2", "o/m2", status="staging")  # update (promote)
    hub.seed_mapping("replicate", "text-generation", "f/m5-Instruct", "o/m5")  # as declared, but lint warns
    path = tmp_path / "m.yaml"
    path.write_text(
        "provider: replicate\ndefaults: {status: live}\nmappings:\n"
        "  - {hfModel: a/m0, providerModel: o/m0, task: text-to-image}\n"
        "  - {hfModel: b/m1, providerModel: o/m1, task: text-to-image}\n"
        "  - {hfModel: c/m2, providerModel: o/m2, task: text-to-image}\n"
        "  - {hfModel: d/m3, providerModel: o/m3, task: text-to-image}\n"  # create
        "  - {hfModel: e/m4-Instruct, providerModel: o/m4, task: text-generation}\n"  # lint warns; create
        "  - {hfModel: f/m5-Instruct, providerModel: o/m5, task: text-generation}\n"  # lint warns
    )
    result = run_cli("check", "--plan", "--stats", "--disable", "task-unsupported", path, env=hub.env())
    assert "conversational-task" in result.stdout
    models = sorted(r.path for r in hub.requests if r.path.startswith("/api/models/"))
    assert models == [
        "/api/models/b/m1",
        "/api/models/c/m2",
        "/api/models/d/m3",
        "/api/models/e/m4-Instruct",
        "/api/models/f/m5-Instruct",
    ]
    assert [r.path for r in hub.requests if r.path.startswith("/api/partners/")] == [
        "/api/partners/replicate/models"
    ]
    assert "stats: " in result.stderr


def test_plan_and_changed_since_together_is_a_usage_error(tmp_path, run_cli):
    path = tmp_path / "m.yaml"
    path.write_text(catalog(range(0, 1)))
    result = run_cli("check", "--plan", "--changed-since", "HEAD", path)
    assert result.exit_code == 2 and "pass one" in result.stderr
    result = run_cli("check", "--plan", "--offline", path)
    assert result.exit_code == 2 and "cannot run offline" in result.stderr


def test_a_named_file_is_linted_with_its_providers_other_files_but_only_it_is_checked(repo, hub, run_cli):
    """What the hfmap-check hook gets from pre-commit: only the changed file, yet lint spans the rest."""
    (repo / "mappings" / "c.yaml").write_text(catalog(range(40, 42)) + entry(7))  # model-007 is in a.yaml
    result = run_cli("--format", "json", "check", "mappings/c.yaml", env=hub.env())
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert {f["path"] for f in findings} == {"mappings/c.yaml"}
    [duplicate] = [f for f in findings if f["level"] == "error"]
    assert duplicate["rule"] == "duplicate-mapping"
    assert "also at mappings/a.yaml:" in duplicate["message"]
    # a.yaml and b.yaml were context for lint, not questions for the Hub
    assert sorted(asked(hub)) == ["ns5/model-040", "ns6/model-041"]


@pytest.mark.parametrize("outside", ["no repository", "another repository"])
def test_changed_since_finds_the_repository_of_the_paths_not_of_the_current_folder(
    repo, hub, run_cli, monkeypatch, tmp_path, outside
):
    """`hfmap check --changed-since HEAD ../catalog/mappings` asked git in the current folder: outside any
    repository a usage error, inside another one a comparison with the wrong history."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if outside == "another repository":
        git(elsewhere, "init", "-q", "-b", "main")
        git(elsewhere, "commit", "-q", "--allow-empty", "-m", "unrelated")
    monkeypatch.chdir(elsewhere)
    text = (repo / "mappings" / "a.yaml").read_text()
    (repo / "mappings" / "a.yaml").write_text(text.replace("owner/model-005", "owner/model-005b"))
    target = os.path.relpath(repo / "mappings")
    result = run_cli("--format", "json", "check", "--changed-since", "HEAD", target, env=hub.env())
    assert result.exit_code == 0, result.stderr
    assert asked(hub) == ["ns5/model-005"]
    named = run_cli("--format", "json", "check", "--changed-since", "HEAD", os.path.join(target, "b.yaml"))
    assert named.exit_code == 0, named.stderr
