"""Cohere: `GET /v1/models/{model}` with bare model names."""

from __future__ import annotations

from urllib.parse import quote

from hfmap.providers.base import Exists, Missing, ProviderPlugin, Result, Unknown


class CoherePlugin(ProviderPlugin):
    async def exists_one(self, model_id: str) -> Result:
        answer = await self.get("/v1/models/" + quote(model_id, safe=""))
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        if status == 404:
            return Missing("not found on Cohere")
        if not isinstance(body, dict):
            return Unknown("the cohere API's answer was not a model object")
        return Exists()
