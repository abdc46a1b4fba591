"""Answers as the on-disk cache stores them: plain JSON with a TTL, positive answers kept longer.

Only verdicts are stored (exists, missing, a model's pipeline tag and tags), never a response or a token;
"could not find out" is never cached, so an outage is not remembered as a fact.
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
    try:
        if value["t"] == "model":
            return ModelInfo.from_dict(value)
        if value["t"] == "missing":
            return Missing(str(value["reason"]), bool(value.get("maybe_private")))
    except (KeyError, TypeError, ValueError):
        return None
    return None


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
    if kind == "exists" and "deprecated" in value:  # without it: stored before states were read, ask again
        deprecated = value["deprecated"]
        return Exists(deprecated if isinstance(deprecated, str) else None)
    if kind == "missing" and isinstance(value.get("reason"), str):
        return ProviderMissing(value["reason"])
    if kind == "version-missing" and isinstance(value.get("version"), str):
        return VersionMissing(value["version"])
    return None
