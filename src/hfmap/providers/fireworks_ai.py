"""Fireworks: `GET /v1/accounts/{account}/models/{model}`; ids are the resource names themselves."""

from __future__ import annotations

import re
from urllib.parse import quote

from hfmap.providers.base import Exists, Missing, ProviderPlugin, Result, Unknown

RESOURCE = re.compile(r"^accounts/[^/]+/models/[^/]+$")


class FireworksPlugin(ProviderPlugin):
    async def exists_one(self, model_id: str) -> Result:
        if not RESOURCE.match(model_id):
            return Missing("not a Fireworks model name (accounts/<account>/models/<model>)")
        answer = await self.get("/v1/" + quote(model_id, safe="/"))
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        if status == 404:
            return Missing("not found on Fireworks")
        if not isinstance(body, dict):
            return Unknown("the fireworks-ai API's answer was not a model object")
        return Exists()
