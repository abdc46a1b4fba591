"""A world for the Action: the Hub emulator seeded from the examples, a GitHub emulator, a workspace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator import HubEmulator
from emulator.github import GitHubEmulator
from github.harness import ActionRun, run_action

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "mappings"
HF_TOKEN = "hf_actionwritetoken0123456789"
GH_TOKEN = "ghs_actionstoken0123456789abcdef"
FORK_TOKEN = "ghs_forkreadonly0123456789abcdef"


@dataclass
class World:
    hub: HubEmulator
    gh: GitHubEmulator
    workspace: Path
    tmp: Path
    runs: int = 0

    def run(
        self,
        event_name: str,
        event: dict[str, Any],
        *,
        token: str = GH_TOKEN,
        sha: str | None = None,
        **inputs: str,
    ) -> ActionRun:
        """The action as one step of a job in this repository (hf-token given unless overridden)."""
        self.runs += 1
        # online checks are slow and covered by tests/check; the first PR test turns them on
        inputs = {
            "hf-token": HF_TOKEN,
            "check": "false",
            **{k.replace("_", "-"): v for k, v in inputs.items()},
        }
        github: dict[str, Any] = {"api_url": self.gh.url, **({"sha": sha} if sha else {})}
        if event_name == "push":  # what a push event means: its commit is the default branch's tip now
            history = self.gh.add_repo(str(event["repository"]["full_name"])).history
            if event["after"] not in history:
                history.append(event["after"])
        if event_name == "workflow_dispatch":
            github["ref"] = event["ref"]
        if event_name == "pull_request":
            github["sha"] = "e" * 40  # GitHub's merge commit for the PR, not the head
            github["ref"] = f"refs/pull/{event['number']}/merge"
        return run_action(
            workspace=self.workspace,
            temp=self.tmp / f"run-{self.runs}",
            event_name=event_name,
            event=event,
            inputs=inputs,
            job_env=self.machine_env(),
            github=github,
            secrets_token=token,
        )

    def machine_env(self) -> dict[str, str]:
        """The runner machine's own environment: where the Hub is (no token: that comes from inputs)."""
        env = {**self.hub.env(), "HFMAP_PR_LOOKUP_WAIT": "0"}  # the PR index is asked again after 0 s
        env.pop("HF_TOKEN", None)
        return env

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.workspace / "mappings" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
