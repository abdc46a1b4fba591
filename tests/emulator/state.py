"""The emulator's world: Hub models, tokens, partner mappings and provider models.

One ``State`` object holds everything behind one re-entrant lock, so route handlers running on many server
threads see consistent snapshots. Indexes are kept up to date on every change so that request handlers stay
cheap (a model-info lookup or a 10,000-mapping listing must not scan more than it has to).
"""

from __future__ import annotations

import heapq
import itertools
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# Keys of PIPELINE_DATA in @huggingface/tasks (0.21.x), plus "conversational" which mappings may also use.
PIPELINE_TAGS = frozenset(
    {
        "text-classification", "token-classification", "table-question-answering", "question-answering",
        "zero-shot-classification", "translation", "summarization", "feature-extraction", "text-generation",
        "fill-mask", "sentence-similarity", "text-to-speech", "text-to-audio", "automatic-speech-recognition",
        "audio-to-audio", "audio-classification", "audio-text-to-text", "voice-activity-detection",
        "depth-estimation", "image-classification", "object-detection", "image-segmentation", "text-to-image",
        "image-to-text", "image-to-image", "image-to-video", "unconditional-image-generation",
        "video-classification", "reinforcement-learning", "robotics", "tabular-classification",
        "tabular-regression", "tabular-to-text", "table-to-text", "multiple-choice", "text-ranking",
        "text-retrieval", "time-series-forecasting", "text-to-video", "image-text-to-text",
        "image-text-to-image", "image-text-to-video", "visual-question-answering",
        "document-question-answering", "zero-shot-image-classification", "graph-ml", "mask-generation",
        "zero-shot-object-detection", "text-to-3d", "image-to-3d", "image-feature-extraction",
        "video-text-to-text", "keypoint-detection", "visual-document-retrieval", "any-to-any",
        "video-to-video", "other",
    }
)  # fmt: skip
MAPPING_TASKS = PIPELINE_TAGS | {"conversational"}
CONVERSATIONAL_PIPELINES = ("text-generation", "image-text-to-text")
WRITABLE_STATUSES = ("live", "staging")
STORED_STATUSES = ("live", "staging", "error")
ADAPTER_TYPES = ("lora",)

# The Hub organization of a provider where it differs from the provider id (reference §1): whether the
# provider authored a model (`isModelAuthor` in model info) is decided against it.
PROVIDER_ORGS = {
    "together": "togethercomputer",
    "fal-ai": "fal",
    "cohere": "CohereLabs",
    "deepinfra": "DeepInfra",
}
# The tasks each provider's helper in the JS inference client serves: the Hub tests mappings through that
# client, so a status change for another task fails ("does not support task"). Read from the data the
# project generates from @huggingface/inference (the real client's list), not typed here.
CLIENT_DATA = Path(__file__).resolve().parents[2] / "src" / "hfmap" / "data" / "hf_data.json"
DEFAULT_VALIDATION_DELAY = 0.2  # seconds between a write and the Hub's test of it


def client_tasks() -> dict[str, frozenset[str]]:
    data = json.loads(CLIENT_DATA.read_text(encoding="utf-8"))
    return {name: frozenset(info["tasks"]) for name, info in data["providers"].items()}


# Provider ids the Hub's partner API knows (reference §3, minus client-only "openai").
KNOWN_PROVIDERS = (
    "baseten", "cerebras", "cohere", "deepinfra", "fal-ai", "featherless-ai", "fireworks-ai", "groq",
    "hf-inference", "novita", "nscale", "ovhcloud", "publicai", "replicate", "scaleway", "together",
    "wavespeed", "zai-org",
)  # fmt: skip


@dataclass
class HubModel:
    """One Hub model repository, as much of it as model info and search expose."""

    id: str
    object_id: str
    pipeline_tag: str | None = None
    tags: tuple[str, ...] = ()
    private: bool = False
    gated: bool | str = False
    disabled: bool = False
    library_name: str | None = None
    adapter_weights_path: str | None = None
    downloads: int = 0
    likes: int = 0
    created_at: str = "2024-01-01T00:00:00.000Z"
    last_modified: str = "2024-01-01T00:00:00.000Z"
    sha: str = "0" * 40
    tag_set: frozenset[str] = field(default=frozenset(), repr=False)

    def __post_init__(self) -> None:
        # The pipeline tag counts as a tag for search and for tag filters, as on the Hub.
        extra = (self.pipeline_tag,) if self.pipeline_tag else ()
        self.tag_set = frozenset(self.tags) | frozenset(extra)

    @property
    def author(self) -> str | None:
        return self.id.split("/", 1)[0] if "/" in self.id else None


@dataclass
class Mapping:
    """One partner mapping: a single Hub model or a tag filter, served by a provider model."""

    id: str
    provider: str
    task: str
    provider_model: str
    status: str
    hf_model: str | None = None
    tags: tuple[str, ...] | None = None
    adapter_type: str | None = None

    @property
    def key(self) -> str:
        """The key the partner GET uses: the repo id, or ``tag-filter=`` + sorted tags joined by ``,``."""
        if self.hf_model is not None:
            return self.hf_model
        return tag_filter_key(self.tags or ())

    def read_view(self) -> dict:
        """The value under the key in ``GET /api/partners/{provider}/models``."""
        if self.hf_model is not None:
            return {"_id": self.id, "providerId": self.provider_model, "status": self.status}
        return {
            "_id": self.id,
            "status": self.status,
            "providerId": self.provider_model,
            "adapterType": self.adapter_type,
            "tags": list(self.tags or ()),
        }

    def record(self, *, with_type: bool = False) -> dict:
        """The write-side shape, used by ``HubEmulator.mappings()`` and (``with_type``) as the POST echo."""
        out: dict = {"_id": self.id, "task": self.task}
        if self.hf_model is not None:
            out["hfModel"] = self.hf_model
        else:
            if with_type:
                out["type"] = "tag-filter"
            out["tags"] = list(self.tags or ())
            out["adapterType"] = self.adapter_type
        out["providerModel"] = self.provider_model
        out["status"] = self.status
        return out


@dataclass(frozen=True)
class Token:
    value: str
    user: str
    write_orgs: frozenset[str]
    role: str = "write"  # the access token's role in whoami: read, write or fineGrained
    role_blocks_writes: bool = True  # a `read` role refuses writes (False: membership alone decides)


@dataclass
class ProviderModel:
    id: str
    versions: tuple[str, ...] = ()
    fields: dict = field(default_factory=dict)


def tag_filter_key(tags) -> str:
    return "tag-filter=" + ",".join(sorted(tags))


class DuplicateMapping(ValueError):
    """Raised when a mapping with the same identity already exists for the provider."""


class State:
    """Everything the emulator knows. Callers hold ``lock`` around any read-modify-write sequence."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._counter = itertools.count(1)
        self._machine = int.from_bytes(os.urandom(5), "big")
        self.validations_changed = threading.Event()  # wakes the validator thread (see core.HubEmulator)
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.models: dict[
                str, HubModel
            ] = {}  # lower-cased id -> model (the Hub resolves ids case-insensitively)
            self.tokens: dict[str, Token] = {}
            self.providers: set[str] = set(KNOWN_PROVIDERS)
            self.mappings: dict[str, Mapping] = {}  # _id -> mapping
            self.by_provider: dict[
                str, dict[str, Mapping]
            ] = {}  # provider -> _id -> mapping (insertion order)
            self.identity: dict[tuple[str, str], str] = {}  # (provider, key) -> _id
            self.by_model: dict[str, dict[str, Mapping]] = {}  # lower-cased hf id -> provider -> mapping
            self.tag_filters: dict[str, Mapping] = {}  # _id -> tag-filter mapping
            self.provider_models: dict[str, dict[str, ProviderModel]] = {}
            self.provider_tokens: dict[str, str] = {}
            self.failing: set[tuple[str, str]] = set()  # (provider, providerModel) whose Hub validation fails
            self.versions: dict[str, int] = {}  # provider -> change counter (for cached partner listings)
            self.client_tasks: dict[str, frozenset[str]] = client_tasks()
            self.web_status: dict[str, tuple[str, str]] = {}  # replicate owner/name -> ("json"|"raw", text)
            # the router's list (emulator.router): (lower-cased model id, provider or None for the whole
            # model) -> (model id as listed, the provider's entry or None: not listed); a raw body wins
            self.router_overrides: dict[tuple[str, str | None], tuple[str, dict | None]] = {}
            self.router_body: str | None = None
            self.adapterless: set[str] = set()  # lower-cased ids whose tag-filter entries lack `adapter`
            self.validation_delay = DEFAULT_VALIDATION_DELAY
            # `inferenceProviderMapping` in model info: "dict" (today) or "list" (the shape GET /api/models
            # uses, which the Hub plans to use everywhere; both clients accept either)
            self.model_info_form = "dict"
            self.pending: list[tuple[float, int, str]] = []  # heap of (due, sequence, mapping _id)

    # -- ids -------------------------------------------------------------------------------------------------

    def new_object_id(self) -> str:
        """24 hex chars shaped like a MongoDB ObjectId: 4 bytes time, 5 bytes machine, 3 bytes counter."""
        return f"{int(time.time()) & 0xFFFFFFFF:08x}{self._machine:010x}{next(self._counter) & 0xFFFFFF:06x}"

    # -- models ----------------------------------------------------------------------------------------------

    def put_model(self, model_id: str, **attrs) -> HubModel:
        with self.lock:
            old = self.models.get(model_id.lower())
            object_id = old.object_id if old else self.new_object_id()
            model = HubModel(id=model_id, object_id=object_id, **attrs)
            self.models[model_id.lower()] = model
            return model

    def get_model(self, model_id: str) -> HubModel | None:
        return self.models.get(model_id.lower())

    def inference_mapping(self, model: HubModel, viewer: Token | None = None) -> dict[str, dict]:
        """``inferenceProviderMapping`` of model info: direct mappings win over tag-filter matches.

        Staging entries are shown only to members of the provider's organization (``viewer``'s write
        orgs); ``adapterWeightsPath`` only when the Hub has one for the model (it may be absent).
        """
        orgs = viewer.write_orgs if viewer is not None else frozenset()
        out: dict[str, dict] = {}
        for mapping in self.tag_filters.values():
            if mapping.provider not in out and model.tag_set.issuperset(mapping.tags or ()):
                out[mapping.provider] = self._entry(model, mapping, "tag-filter")
                if model.id.lower() not in self.adapterless:
                    out[mapping.provider]["adapter"] = mapping.adapter_type
                if model.adapter_weights_path:
                    out[mapping.provider]["adapterWeightsPath"] = model.adapter_weights_path
        for provider, mapping in self.by_model.get(model.id.lower(), {}).items():
            out[provider] = self._entry(model, mapping, "single-model")
        return {p: e for p, e in out.items() if e["status"] != "staging" or p in orgs}

    @staticmethod
    def _entry(model: HubModel, mapping: Mapping, kind: str) -> dict:
        org = PROVIDER_ORGS.get(mapping.provider, mapping.provider)
        return {
            "status": mapping.status,
            "providerId": mapping.provider_model,
            "task": mapping.task,
            "type": kind,
            "isModelAuthor": (model.author or "").lower() == org.lower(),
        }

    # -- mappings --------------------------------------------------------------------------------------------

    def add_mapping(
        self,
        provider: str,
        *,
        task: str,
        provider_model: str,
        status: str,
        hf_model: str | None = None,
        tags=None,
        adapter_type: str | None = None,
    ) -> Mapping:
        with self.lock:
            mapping = Mapping(
                id=self.new_object_id(),
                provider=provider,
                task=task,
                provider_model=provider_model,
                status=status,
                hf_model=hf_model,
                tags=tuple(tags) if tags is not None else None,
                adapter_type=adapter_type,
            )
            ident = (provider, mapping.key)
            if ident in self.identity:
                raise DuplicateMapping(f"{provider} already maps {mapping.key}")
            self.providers.add(provider)
            self.mappings[mapping.id] = mapping
            self.by_provider.setdefault(provider, {})[mapping.id] = mapping
            self.identity[ident] = mapping.id
            if hf_model is not None:
                self.by_model.setdefault(hf_model.lower(), {})[provider] = mapping
            else:
                self.tag_filters[mapping.id] = mapping
            self._touch(provider)
            return mapping

    def validate(self, mapping: Mapping) -> None:
        """The Hub tests a mapping after each create and status change, a moment after answering the
        write (``validation_delay``); a failing one becomes ``error`` then (``run_due_validations``)."""
        with self.lock:
            due = time.monotonic() + self.validation_delay
            heapq.heappush(self.pending, (due, next(self._counter), mapping.id))
            self.validations_changed.set()

    def run_due_validations(self, *, everything: bool = False) -> float | None:
        """Test the mappings whose time has come (all pending ones with ``everything``); returns the
        seconds until the next is due, or None when nothing is pending."""
        with self.lock:
            now = time.monotonic()
            while self.pending and (everything or self.pending[0][0] <= now):
                _due, _seq, mapping_id = heapq.heappop(self.pending)
                mapping = self.mappings.get(mapping_id)
                if mapping is not None and (mapping.provider, mapping.provider_model) in self.failing:
                    self.set_status(mapping, "error")
            return self.pending[0][0] - now if self.pending else None

    def find_mapping(self, provider: str, mapping_id: str) -> Mapping | None:
        mapping = self.mappings.get(mapping_id)
        return mapping if mapping is not None and mapping.provider == provider else None

    def set_status(self, mapping: Mapping, status: str) -> None:
        with self.lock:
            mapping.status = status
            self._touch(mapping.provider)

    def delete_mapping(self, mapping: Mapping) -> None:
        with self.lock:
            self.mappings.pop(mapping.id, None)
            self.by_provider.get(mapping.provider, {}).pop(mapping.id, None)
            self.identity.pop((mapping.provider, mapping.key), None)
            if mapping.hf_model is not None:
                per_model = self.by_model.get(mapping.hf_model.lower(), {})
                per_model.pop(mapping.provider, None)
                if not per_model:
                    self.by_model.pop(mapping.hf_model.lower(), None)
            else:
                self.tag_filters.pop(mapping.id, None)
            self._touch(mapping.provider)

    def _touch(self, provider: str) -> None:
        self.versions[provider] = self.versions.get(provider, 0) + 1

    # -- provider models -------------------------------------------------------------------------------------

    def put_provider_model(self, provider: str, model_id: str, versions=(), fields=None) -> ProviderModel:
        with self.lock:
            models = self.provider_models.setdefault(provider, {})
            old = models.get(model_id)
            merged = tuple(dict.fromkeys((*(old.versions if old else ()), *versions)))
            model = ProviderModel(
                id=model_id, versions=merged, fields={**(old.fields if old else {}), **(fields or {})}
            )
            models[model_id] = model
            return model
