"""Cohere: `GET /v1/models/{model}` with bare model names."""

from __future__ import annotations

from urllib.parse import quote

from hfmap.providers.base import ProviderPlugin, Result


class CoherePlugin(ProviderPlugin):
    async def exists_one(self, model_id: str) -> Result:
        return await self.model_object("/v1/models/" + quote(model_id, safe=""), "Cohere")
