"""The OpenAI-compatible family: `GET <base><models_path>` → `{"data": [{"id": ...}]}`; one call per run.

Groq, Novita, Cerebras, Featherless, Scaleway, nscale, Baseten, OVHcloud, PublicAI and DeepInfra serve
this list (for several of them the path is inferred from their OpenAI-compatible base, not documented).
"""

from __future__ import annotations

from hfmap.providers.base import ListPlugin, Unknown


class OpenAICompatiblePlugin(ListPlugin):
    async def list_ids(self) -> set[str] | Unknown:
        answer = await self.get(self.spec.options.get("models_path", "/v1/models"))
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        data = body.get("data") if isinstance(body, dict) else None
        if status != 200 or not isinstance(data, list):
            return Unknown(f"the {self.provider} API's answer was not a model list")
        ids = {m["id"] for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)}
        if data and not ids:  # items, none of them a model: not an answer to trust as "serves nothing"
            return Unknown(f"the {self.provider} API's answer was not a model list")
        return ids
