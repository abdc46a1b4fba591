"""The README's quick start, as a new provider engineer types it: in a fresh repository, with the token
`hf auth login` saved, no flags beyond the README's: import, plan (empty), lint, edit, plan, apply, verify."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

TOKEN = "hf_quickstartwritetoken"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "mappings"


def test_the_first_hour(hub, run_cli, tmp_path, monkeypatch):
    hub.seed_from_yaml(EXAMPLES)
    hub.add_token(TOKEN, user="engineer", write_orgs=("replicate",))
    hf_home = tmp_path / "hf-home"
    hf_home.mkdir()
    (hf_home / "token").write_text(TOKEN + "\n")  # what `hf auth login` leaves behind
    monkeypatch.setenv("HF_HOME", str(hf_home))
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    repo = tmp_path / "mappings-repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.chdir(repo)

    imported = run_cli("import", "--provider", "replicate", "-o", "mappings/replicate.yaml")
    assert imported.exit_code == 0, imported.stderr
    assert "wrote 29 mapping(s) of 'replicate' to mappings/replicate.yaml" in imported.stderr
    typo = run_cli("import", "--provider", "replicat", "-o", "mappings/typo.yaml")
    assert typo.exit_code == 2 and "did you mean 'replicate'?" in typo.stderr
    assert not Path("mappings/typo.yaml").exists()

    first = run_cli("plan")
    assert first.exit_code == 0, first.stderr
    assert "replicate (29 live mappings): no changes" in first.stdout
    assert run_cli("lint").exit_code == 0
    assert run_cli("fmt", "--check").exit_code == 0

    path = Path("mappings/replicate.yaml")
    path.write_text(path.read_text().replace("status: staging", "status: live", 1))
    plan = run_cli("plan", "--format", "json")
    reviewed = json.loads(plan.stdout)
    assert reviewed["summary"]["update"] == 1

    applied = run_cli("apply", "--expect-hash", reviewed["hash"], "-v")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert "Verified: the live mapping now matches the files." in applied.stdout
    assert f"hfmap: token: the token file {hf_home / 'token'}" in applied.stderr
    assert TOKEN not in applied.stdout + applied.stderr
    assert "No changes." in run_cli("plan").stdout
    seen = json.loads(run_cli("verify", "--format", "json").stdout)
    assert seen["authenticated"] is True  # the saved token, so staging mappings show as members see them
