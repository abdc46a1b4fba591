"""What inference clients see: `inferenceProviderMapping` of a model, in either of the Hub's two shapes.

huggingface.js `getInferenceProviderMapping` and huggingface_hub `_fetch_inference_provider_mapping`
resolve a provider through model info (`GET /api/models/{id}?expand[]=inferenceProviderMapping`), where
the value is a dict keyed by provider; `GET /api/models` gives a list whose items name their `provider`
(and `hfModelId`). Both clients accept either, and so does this: the Hub plans to unify them. One entry
per provider: when a direct mapping and a tag filter both apply, only one is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hfmap.mapping.verdict import Seen


@dataclass(frozen=True)
class VisibleModel:
    """A model as clients get it: its canonical id and the entry of each provider that serves it."""

    id: str
    mappings: dict[str, Seen]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _seen(provider: str, value: Any) -> Seen | None:
    if not isinstance(value, dict):
        return None
    author = value.get("isModelAuthor")
    return Seen(
        provider=provider,
        provider_id=_text(value.get("providerId")),
        task=_text(value.get("task")),
        status=_text(value.get("status")),
        type=_text(value.get("type")),
        adapter=_text(value.get("adapter")),
        adapter_weights_path=_text(value.get("adapterWeightsPath")),
        is_model_author=author if isinstance(author, bool) else None,
    )


def parse_provider_mapping(value: Any) -> dict[str, Seen]:
    """`inferenceProviderMapping` in the dict shape (model info) or the list shape (model listings)."""
    found: dict[str, Seen] = {}
    items: list[tuple[Any, Any]]
    if isinstance(value, dict):
        items = [(provider, entry) for provider, entry in value.items() if isinstance(provider, str)]
    elif isinstance(value, list):
        items = [(item.get("provider"), item) for item in value if isinstance(item, dict)]
    else:
        return found
    for provider, entry in items:
        if isinstance(provider, str) and provider not in found and (seen := _seen(provider, entry)):
            found[provider] = seen
    return found


def model_id_of(data: Any, repo_id: str | None = None) -> str | None:
    """The id of a model object of the Hub's API (`repo_id` when it says none); None if it is not one."""
    if not isinstance(data, dict):
        return None
    model_id = data.get("id", repo_id)
    return model_id if isinstance(model_id, str) else None


def visible_model(data: Any, repo_id: str | None = None) -> VisibleModel | None:
    """The model object of a model-info answer or listing item (None when it is not one)."""
    model_id = model_id_of(data, repo_id)
    if model_id is None:
        return None
    return VisibleModel(model_id, parse_provider_mapping(data.get("inferenceProviderMapping")))
