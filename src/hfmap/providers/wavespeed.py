"""WaveSpeed: `GET /api/v3/models` → `{"data": {"items": [{"model_uuid": ...}]}}`; one call per run."""

from __future__ import annotations

from hfmap.providers.base import ListPlugin, Unknown


class WaveSpeedPlugin(ListPlugin):
    async def list_ids(self) -> set[str] | Unknown:
        answer = await self.get("/api/v3/models")
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        data = body.get("data") if isinstance(body, dict) else None
        items = data.get("items") if isinstance(data, dict) else None
        if status != 200 or not isinstance(items, list):
            return Unknown("the wavespeed API's answer was not a model list")
        ids = (m.get("model_uuid") for m in items if isinstance(m, dict))
        return {i for i in ids if isinstance(i, str)}
