"""Which mapped bases could have their LoRA adapters served by a tag filter no one has written yet.

Only where the JS client runs a LoRA mapping as a LoRA (the shipped client data, as `lora-unsupported`
reads it): for any other provider × task a LoRA tag filter runs the base model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hfmap import data
from hfmap.lint.rules import hf_model_id

ADAPTER_TAG = "base_model:adapter:"
LORA_TAG = "lora"
# Obviously not a real endpoint, yet an id every provider's form accepts: the entry lints clean when
# uncommented, and `hfmap check` reports it missing until someone writes the real one.
PLACEHOLDER = "FILL-IN/lora-endpoint"


def runs_lora(provider: str, task: str) -> bool:
    return data.lora_runs(data.JS, provider, task) is True


def filter_tags(base: str) -> tuple[str, str]:
    """The tag filter a LoRA mapping of `base`'s adapters uses (as fal's own mappings do)."""
    return (LORA_TAG, ADAPTER_TAG + base)


@dataclass(frozen=True)
class LoraBase:
    """A single-model mapping whose provider × task runs LoRA: its adapters could be served too."""

    hf_model: str
    task: str
    source: str  # "declared" or "live"


def uncovered_bases(
    provider: str, singles: Iterable[LoraBase], filters: Iterable[tuple[str, ...]]
) -> list[LoraBase]:
    """The LoRA-capable bases no tag filter (declared or live) already names, each once (files first);
    a base that is no valid repo id (lint's error, or a hostile live key) never makes a filter."""
    covered = {
        tag[len(ADAPTER_TAG) :].lower() for tags in filters for tag in tags if tag.startswith(ADAPTER_TAG)
    }
    chosen: dict[str, LoraBase] = {}
    for base in singles:
        folded = base.hf_model.lower()
        usable = runs_lora(provider, base.task) and not hf_model_id.problems(base.hf_model)
        if usable and folded not in covered and folded not in chosen:
            chosen[folded] = base
    return sorted(chosen.values(), key=lambda b: b.hf_model.lower())
