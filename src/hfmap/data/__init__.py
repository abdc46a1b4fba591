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
    "pipeline_tags",
    "provider_hint",
    "provider_tasks",
    "providers",
    "tasks",
]

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
