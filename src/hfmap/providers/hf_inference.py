"""hf-inference: the provider model is a Hub model, so the Hub's model API answers."""

from __future__ import annotations

from hfmap.clients.hub import HubClient, ModelInfo, Unavailable
from hfmap.providers.base import Exists, Missing, ProviderPlugin, Result, Unknown


class HfInferencePlugin(ProviderPlugin):
    async def exists_one(self, model_id: str) -> Result:
        hub: HubClient = self.context["hub"]
        info = await hub.model_info(model_id, expand=("pipeline_tag",))
        if isinstance(info, ModelInfo):
            return Exists()
        if isinstance(info, Unavailable):
            return Unknown(f"the Hub did not answer: {info.reason}")
        return Missing(info.reason)
