"""Fireworks: `GET /v1/accounts/{account}/models/{model}`; ids are the resource names themselves."""

from __future__ import annotations

import re
from urllib.parse import quote

from hfmap.providers.base import Missing, ProviderPlugin, Result

RESOURCE = re.compile(r"^accounts/[^/]+/models/[^/]+$")


class FireworksPlugin(ProviderPlugin):
    async def exists_one(self, model_id: str) -> Result:
        if not RESOURCE.match(model_id):
            return Missing("not a Fireworks model name (accounts/<account>/models/<model>)")
        return await self.model_object("/v1/" + quote(model_id, safe="/"), "Fireworks")
