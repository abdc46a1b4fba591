"""Fireworks: `GET /v1/accounts/{account}/models/{model}`; ids are the resource names themselves.

The serverless catalogue is account `fireworks`'s model list (`GET /v1/accounts/fireworks/models`, paged
with `pageToken`), which `hfmap suggest` reads.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from hfmap.providers.base import Missing, ProviderPlugin, Result, Unknown
from hfmap.providers.decorations import Decorations
from hfmap.providers.paged import Page, read_pages, strings

RESOURCE = re.compile(r"^accounts/[^/]+/models/[^/]+$")
CATALOGUE = "/v1/accounts/fireworks/models"
PAGE_SIZE = 200


class FireworksPlugin(ProviderPlugin):
    decorations = Decorations(prefixes=("accounts/fireworks/models/",))

    async def exists_one(self, model_id: str) -> Result:
        if not RESOURCE.match(model_id):
            return Missing("not a Fireworks model name (accounts/<account>/models/<model>)")
        return await self.model_object("/v1/" + quote(model_id, safe="/"), "Fireworks")

    async def _page(self, token: str | None) -> Page | Unknown:
        params = [("pageSize", str(PAGE_SIZE)), *((("pageToken", token),) if token else ())]
        answer = await self.get(CATALOGUE, params=params)
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get("models"), list):
            return Unknown("the fireworks-ai API's answer was not a model list")
        next_token = body.get("nextPageToken")
        return strings(body["models"], "name"), next_token if isinstance(next_token, str) else None

    async def served_ids(self) -> set[str] | Unknown | None:
        return await self.once("list", lambda: read_pages(self.provider, self._page))
