"""Helpers for plan/apply/import tests: mapping files on disk, a seeded emulator, short HTTP waits."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

TOKEN = "hf_plantestwritetoken"


@pytest.fixture(autouse=True)
def _fast_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short timeout, so fault scenarios take moments, not the real 30 s (the backoff is short in every
    test: tests/conftest.py)."""
    monkeypatch.setenv("HFMAP_HTTP_TIMEOUT", "1.5")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


class World:
    """The emulator plus shortcuts: models that validate, a write token, running hfmap against it."""

    def __init__(self, hub, run_cli, tmp_path: Path) -> None:
        self.hub = hub
        self._run = run_cli
        self.dir = tmp_path / "mappings"
        self.dir.mkdir()
        hub.add_token(TOKEN, user="ops", write_orgs=("replicate", "together", "fal-ai"))

    def model(self, model_id: str, task: str = "text-to-image") -> None:
        if task == "conversational":
            self.hub.add_model(model_id, pipeline_tag="text-generation", tags=("conversational",))
        else:
            self.hub.add_model(model_id, pipeline_tag=task)

    def live(
        self,
        provider: str,
        hf_model: str,
        provider_model: str,
        task: str = "text-to-image",
        status: str = "live",
    ) -> str:
        self.model(hf_model, task)
        return self.hub.seed_mapping(provider, task, hf_model, provider_model, status)

    def file(self, name: str, text: str) -> Path:
        return write(self.dir, name, text)

    def hfmap(self, *args: str, token: str | None = None):
        prefix = ["--endpoint", self.hub.url]
        if token:
            prefix += ["--token", token]
        return self._run(*prefix, *args)

    def plan_json(self, *args: str) -> dict:
        result = self.hfmap("plan", "--format", "json", str(self.dir), *args)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def apply(self, *args: str, token: str | None = TOKEN, fmt: str = "json"):
        result = self.hfmap("apply", "--yes", "--format", fmt, str(self.dir), *args, token=token)
        report = json.loads(result.stdout) if fmt == "json" and result.stdout.strip() else None
        return result, report

    def records(self, provider: str) -> dict[str, dict]:
        """Live mappings by key, ids removed."""
        out = {}
        for record in self.hub.mappings(provider):
            record = dict(record)
            record.pop("_id")
            key = record.get("hfModel") or "tag-filter=" + ",".join(sorted(record["tags"]))
            out[key] = record
        return out


@pytest.fixture
def world(hub, run_cli, tmp_path: Path) -> World:
    return World(hub, run_cli, tmp_path)


@pytest.fixture
def token() -> str:
    """The write token `World` registers (test modules must not import conftest: names clash)."""
    return TOKEN
