"""Hugging Face facts the rules need: valid tasks and what each provider's client can serve.

The data lives in ``hf_data.json``, generated from the real client packages by ``scripts/gen_hf_data.py``
(never edited by hand). This module is deliberately import-light (json, difflib, importlib.resources) and
reads the file once, lazily, so ``hfmap lint`` stays fast and never pulls in network code.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "closest",
    "data_info",
    "hub_mapping",
    "lora_providers",
    "lora_runs",
    "lora_tasks",
    "pipeline_tags",
    "provider_hint",
    "provider_tasks",
    "providers",
    "python_tasks",
    "same_tasks",
    "tasks",
]

JS = "js"  # @huggingface/inference: the client the Hub tests mappings with
PYTHON = "python"  # huggingface_hub's InferenceClient

CONVERSATIONAL = "conversational"


@cache
def _load() -> dict[str, Any]:
    """Parse the shipped JSON once per process; every accessor below reads from this."""
    text = resources.files(__name__).joinpath("hf_data.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def pipeline_tags() -> frozenset[str]:
    """Hub pipeline tags (keys of ``PIPELINE_DATA`` in ``@huggingface/tasks``)."""
    return frozenset(tag for tag, info in _load()["tasks"].items() if info.get("pipeline_tag"))


@cache
def tasks() -> frozenset[str]:
    """Every task a mapping may declare: the pipeline tags plus ``conversational`` (chat route, not a tag)."""
    return frozenset(_load()["tasks"])


@cache
def providers() -> frozenset[str]:
    """Provider ids known to the JS inference client (including client-side-only ones such as ``openai``)."""
    return frozenset(_load()["providers"])


def provider_tasks(provider: str) -> frozenset[str] | None:
    """Tasks the JS client can serve for ``provider``; ``None`` when the provider is unknown.

    ``None`` (not an empty set) lets a rule tell "unknown provider" from "provider serves nothing".
    """
    record = _load()["providers"].get(provider)
    return None if record is None else frozenset(record["tasks"])


def hub_mapping(provider: str) -> bool | None:
    """Whether the client consults Hub mappings for ``provider`` (false for client-side-only ``openai``)."""
    record = _load()["providers"].get(provider)
    return None if record is None else bool(record.get("hub_mapping", True))


def same_tasks(provider: str, task: str) -> frozenset[str]:
    """`task` and the tasks the JS client accepts in its place for `provider` (hf-inference treats
    `feature-extraction` and `sentence-similarity` as one), so no comparison calls them a mismatch."""
    record = _load()["providers"].get(provider) or {}
    for group in record.get("equivalent_tasks", ()):
        if task in group:
            return frozenset(group)
    return frozenset({task})


def python_tasks(provider: str) -> frozenset[str] | None:
    """Tasks `huggingface_hub` serves for `provider` (empty when it lacks the provider altogether).

    ``None`` when the shipped data holds no Python client table: unknown, so no rule may judge by it.
    """
    table = _load().get("python_client")
    if not isinstance(table, dict):
        return None
    return frozenset(table["providers"].get(provider, ()))


def lora_tasks(client: str, provider: str) -> frozenset[str] | None:
    """Tasks for which `client` (`JS` or `PYTHON`) sends a LoRA mapping's adapter to `provider`.

    ``None`` when the shipped data holds no LoRA table for that client.
    """
    lora = _load().get("lora")
    if not isinstance(lora, dict) or client not in lora:
        return None
    return frozenset(lora[client].get(provider, ()))


def lora_runs(client: str, provider: str, task: str) -> bool | None:
    """Whether `client` runs a LoRA mapping of provider×task as a LoRA (not as its base model).

    ``None`` when unknown: no table for that client, or its helper could not be probed.
    """
    served = lora_tasks(client, provider)
    if served is None or task in _load()["lora"].get("unprobed", {}).get(client, {}).get(provider, {}):
        return None
    return task in served


def lora_providers(client: str, task: str) -> list[str]:
    """The providers `client` runs LoRA mappings of `task` for, sorted (what a message can suggest)."""
    lora = _load().get("lora")
    table = lora.get(client, {}) if isinstance(lora, dict) else {}
    return sorted(provider for provider, served in table.items() if task in served)


def data_info() -> dict[str, Any]:
    """The header (generator, UTC date, source package versions) so output can say what data it used."""
    data = _load()
    return {key: data[key] for key in ("generated_by", "generated_at", "sources")}


def provider_hint(name: str) -> str:
    """What to say about a provider id hfmap's data does not know: the closest known id, else all of them."""
    known = providers()
    guess = closest(name, known) or closest(name.lower(), known)
    return f"did you mean '{guess}'? " if guess else f"known: {', '.join(sorted(known))}. "


def closest(word: str, choices: Iterable[str]) -> str | None:
    """Best "did you mean" candidate for a misspelt ``word``, or ``None`` if nothing is close enough.

    Shared by rules so every suggestion uses the same similarity cut-off.
    """
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None
