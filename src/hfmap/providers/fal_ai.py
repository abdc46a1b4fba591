"""fal: `GET /v1/models?endpoint_id=a&endpoint_id=b...`, up to 50 ids per call (`Authorization: Key ...`).

The model search API answers without a key too (a key raises the rate limit), so no token is required.
Each model carries `metadata.status` (`active` / `deprecated`): a deprecated one is still served for a
while, so it is an `Exists` that says so.
Without ids it lists every endpoint, paged with `cursor` (`hfmap suggest` reads it, deprecated ones left out).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from hfmap.providers.base import Exists, Missing, Progress, ProviderPlugin, Result, Unknown
from hfmap.providers.paged import Page, read_pages, strings

BATCH = 50
PAGE_SIZE = 100


def deprecated(model: dict[str, Any]) -> str | None:
    """`metadata.status: deprecated` → what to tell the user; any other or no status → None."""
    metadata = model.get("metadata")
    if isinstance(metadata, dict) and metadata.get("status") == "deprecated":
        return "fal lists it with `metadata.status: deprecated`"
    return None


class FalPlugin(ProviderPlugin):
    auth_scheme = "Key"

    async def _batch(self, ids: list[str]) -> dict[str, Result]:
        answer = await self.get("/v1/models", params=[("endpoint_id", i) for i in ids])
        if isinstance(answer, Unknown):
            return dict.fromkeys(ids, answer)
        status, body = answer
        models = body.get("models") if isinstance(body, dict) else None
        if status != 200 or not isinstance(models, list):
            return dict.fromkeys(ids, Unknown("the fal-ai API's answer was not a model list"))
        found = {
            m["endpoint_id"]: m
            for m in models
            if isinstance(m, dict) and isinstance(m.get("endpoint_id"), str)
        }
        return {i: Exists(deprecated(found[i])) if i in found else Missing("not found on fal") for i in ids}

    async def exists(self, model_ids: Iterable[str], on_answer: Progress = None) -> dict[str, Result]:
        """Batches of 50 ids, asked at once; each batch counts its ids as it is answered."""
        ids = list(dict.fromkeys(model_ids))
        batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]

        async def one(batch: list[str]) -> dict[str, Result]:
            part = await self._batch(batch)
            if on_answer is not None:
                on_answer(len(batch))
            return part

        merged: dict[str, Result] = {}
        for part in await asyncio.gather(*(one(batch) for batch in batches)):
            merged.update(part)
        return merged

    async def _page(self, cursor: str | None) -> Page | Unknown:
        params = [("limit", str(PAGE_SIZE)), *((("cursor", cursor),) if cursor else ())]
        answer = await self.get("/v1/models", params=params)
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get("models"), list):
            return Unknown("the fal-ai API's answer was not a model list")
        more = body.get("has_more") is True and isinstance(body.get("next_cursor"), str)
        serving = [m for m in body["models"] if isinstance(m, dict) and deprecated(m) is None]
        return strings(serving, "endpoint_id"), body["next_cursor"] if more else None

    async def served_ids(self) -> set[str] | Unknown | None:
        return await self.once("list", lambda: read_pages(self.provider, self._page))
