"""Together: `GET /v1/models` returns every model as a bare JSON array; one call per run."""

from __future__ import annotations

from hfmap.providers.base import ListPlugin, Unknown
from hfmap.providers.decorations import Decorations


class TogetherPlugin(ListPlugin):
    # `-Turbo` (and the older `-Lite`): Together's own quantised serving of the Hub model without it.
    decorations = Decorations(suffixes=("-Turbo", "-Lite"))

    async def list_ids(self) -> set[str] | Unknown:
        answer = await self.get("/v1/models")
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        if status != 200 or not isinstance(body, list):
            return Unknown("the together API's answer was not a model list")
        ids = {m["id"] for m in body if isinstance(m, dict) and isinstance(m.get("id"), str)}
        if body and not ids:  # items, none of them a model: not an answer to trust as "serves nothing"
            return Unknown("the together API's answer was not a model list")
        return ids
