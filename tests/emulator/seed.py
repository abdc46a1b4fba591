"""Seed an emulator from hfmap mapping files, so that ``plan`` is empty and ``check`` is clean for them.

Reads the files with a plain ruamel safe load (no hfmap import: the emulator must not share the code it
tests). Each entry becomes a mapping with its resolved status (entry > defaults > staging; ``auto`` is
seeded live, its Replicate model online); with ``live_models`` the Hub models (or, for tag filters, one
model carrying all the tags, with LoRA weights) and provider models are added too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .state import CONVERSATIONAL_PIPELINES, DuplicateMapping

if TYPE_CHECKING:
    from .core import HubEmulator


def mapping_files(path) -> list[Path]:
    root = Path(path)
    if root.is_dir():
        return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [root]


def read_documents(path) -> list[tuple[Path, dict]]:
    """(path, document) for each readable mapping file; unreadable files in a directory are skipped."""
    yaml = YAML(typ="safe", pure=True)
    files = mapping_files(path)
    out = []
    for file in files:
        try:
            data = yaml.load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YAMLError):
            if len(files) == 1 and not Path(path).is_dir():
                raise
            continue
        if isinstance(data, dict) and isinstance(data.get("provider"), str):
            out.append((file, data))
    return out


def seed_from_yaml(emu: HubEmulator, path, *, live_models: bool = True) -> list[str]:
    """Seed every well-formed entry; returns the new ids. Duplicate and malformed entries are skipped."""
    ids: list[str] = []
    for _file, doc in read_documents(path):
        provider = doc["provider"]
        defaults = doc.get("defaults") if isinstance(doc.get("defaults"), dict) else {}
        entries = doc.get("mappings") if isinstance(doc.get("mappings"), list) else []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            mapping_id = _seed_entry(emu, provider, entry, defaults, live_models)
            if mapping_id:
                ids.append(mapping_id)
    return ids


def _seed_entry(
    emu: HubEmulator, provider: str, entry: dict, defaults: dict, live_models: bool
) -> str | None:
    task, provider_model = entry.get("task"), entry.get("providerModel")
    status = entry.get("status", defaults.get("status", "staging"))
    if not isinstance(task, str) or not isinstance(provider_model, str):
        return None
    if status == "auto" and provider == "replicate":
        status = "live"
        emu.set_web_status(provider_model, "online")
    if status not in ("live", "staging"):
        return None
    hf_model, hf_filter = entry.get("hfModel"), entry.get("hfFilter")
    try:
        if isinstance(hf_model, str) and hf_filter is None:
            mapping_id = emu.seed_mapping(
                provider, task=task, hf_model=hf_model, provider_model=provider_model, status=status
            )
            if live_models:
                _add_hub_model(emu, hf_model, task)
        elif isinstance(hf_filter, list) and hf_filter and all(isinstance(t, str) for t in hf_filter):
            adapter = entry.get("adapterType", "lora")
            mapping_id = emu.seed_tag_filter(
                provider,
                task=task,
                tags=hf_filter,
                provider_model=provider_model,
                status=status,
                adapter_type=adapter,
            )
            if live_models:
                _add_filter_model(emu, hf_filter, task)
        else:
            return None
    except DuplicateMapping:
        return None
    if live_models:
        emu.add_provider_model(provider, provider_model)
    return mapping_id


def _add_hub_model(emu: HubEmulator, hf_model: str, task: str) -> None:
    """Add the model so the Hub's rule accepts ``task``; an existing model only gains what it lacks."""
    existing = emu.state.get_model(hf_model)
    if task == "conversational":
        pipeline, extra = "text-generation", ("conversational",)
    else:
        pipeline, extra = task, ()
    if existing is None:
        emu.add_model(hf_model, pipeline_tag=pipeline, tags=extra)
        return
    if task == "conversational" and existing.pipeline_tag in CONVERSATIONAL_PIPELINES:
        pipeline = existing.pipeline_tag
    if existing.pipeline_tag not in (None, pipeline):
        return  # another file maps it to a different task; keep the first
    tags = tuple(dict.fromkeys((*existing.tags, *extra)))
    emu.add_model(
        existing.id,
        pipeline_tag=pipeline,
        tags=tags,
        private=existing.private,
        gated=existing.gated,
        disabled=existing.disabled,
    )


def _add_filter_model(emu: HubEmulator, tags: list[str], task: str) -> None:
    """One Hub model carrying all the filter's tags, so the filter matches something."""
    digest = hashlib.sha1(",".join(sorted(tags)).encode()).hexdigest()[:10]
    model_id = f"emulator-adapters/{task}-{digest}"
    if emu.state.get_model(model_id) is None:
        emu.add_model(
            model_id,
            pipeline_tag=task if task != "conversational" else "text-generation",
            tags=tags,
            adapter_weights_path="adapter_model.safetensors",
        )
