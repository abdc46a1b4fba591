"""Answers as the on-disk cache stores them: plain JSON with a TTL, positive answers kept longer.

Only verdicts are stored (exists, missing, a model's pipeline tag and tags), never a response or a token;
"could not find out" is never cached, so an outage is not remembered as a fact. A stored value is read
back only when every field has the type hfmap wrote (the cache is a file anyone can edit: `"disabled":
"no"` must not read as disabled); anything else is a miss, and the question is asked again.
"""

from __future__ import annotations

from typing import Any

from hfmap.check.answers import HubAnswer
from hfmap.check.cache import NEGATIVE_TTL, POSITIVE_TTL
from hfmap.clients.hub import Missing, ModelInfo
from hfmap.providers.base import Exists, Result, VersionMissing
from hfmap.providers.base import Missing as ProviderMissing


def encode_hub(answer: HubAnswer) -> tuple[dict[str, Any], float] | None:
    if isinstance(answer, ModelInfo):
        return {"t": "model", **answer.to_dict()}, POSITIVE_TTL
    if isinstance(answer, Missing):
        return encode_missing(answer)
    return None


def encode_missing(answer: Missing) -> tuple[dict[str, Any], float]:
    return {"t": "missing", "reason": answer.reason, "maybe_private": answer.maybe_private}, NEGATIVE_TTL


def decode_hub(value: dict[str, Any]) -> HubAnswer | None:
    kind = value.get("t")
    if kind == "model" and _typed(value, _MODEL_FIELDS) and all(isinstance(t, str) for t in value["tags"]):
        return ModelInfo.from_dict(value)
    if kind == "missing" and _typed(value, _MISSING_FIELDS):
        return Missing(value["reason"], value["maybe_private"])
    return None


# The JSON type of each field as encode_hub writes it (a bool is never an int here).
_MODEL_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "pipeline_tag": (str, type(None)),
    "tags": (list,),
    "private": (bool,),
    "gated": (bool, str),
    "disabled": (bool,),
}
_MISSING_FIELDS: dict[str, tuple[type, ...]] = {"reason": (str,), "maybe_private": (bool,)}


def _typed(value: dict[str, Any], fields: dict[str, tuple[type, ...]]) -> bool:
    return all(name in value and isinstance(value[name], kinds) for name, kinds in fields.items())


def encode_count(count: tuple[int, bool]) -> tuple[dict[str, Any], float]:
    """How many public models carry some tags (up to a cap) and whether there are more."""
    return {"t": "count", "n": count[0], "more": count[1]}, NEGATIVE_TTL


def decode_count(value: dict[str, Any]) -> tuple[int, bool] | None:
    n, more = value.get("n"), value.get("more")
    if (
        value.get("t") == "count" and type(n) is int and n >= 0 and isinstance(more, bool)
    ):  # `true` is no count
        return n, more
    return None


def encode_filter(match: bool) -> tuple[dict[str, Any], float]:
    """Whether a tag filter matches any model ("it matches" is kept longer, as "it exists" is)."""
    return {"t": "filter", "match": match}, POSITIVE_TTL if match else NEGATIVE_TTL


def decode_filter(value: dict[str, Any]) -> bool | None:
    match = value.get("match")
    return match if value.get("t") == "filter" and isinstance(match, bool) else None


def encode_provider(answer: Result) -> tuple[dict[str, Any], float] | None:
    if isinstance(answer, Exists):
        return {"t": "exists", "deprecated": answer.deprecated}, POSITIVE_TTL
    if isinstance(answer, ProviderMissing):
        return {"t": "missing", "reason": answer.reason}, NEGATIVE_TTL
    if isinstance(answer, VersionMissing):
        return {"t": "version-missing", "version": answer.version}, NEGATIVE_TTL
    return None


def decode_provider(value: dict[str, Any]) -> Result | None:
    kind = value.get("t")
    # without "deprecated": stored before states were read, ask again
    if kind == "exists" and "deprecated" in value and isinstance(value["deprecated"], (str, type(None))):
        return Exists(value["deprecated"])
    if kind == "missing" and isinstance(value.get("reason"), str):
        return ProviderMissing(value["reason"])
    if kind == "version-missing" and isinstance(value.get("version"), str):
        return VersionMissing(value["version"])
    return None
