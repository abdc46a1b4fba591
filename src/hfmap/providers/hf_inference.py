"""hf-inference: the provider model is a Hub model, so the Hub's model API answers.

Inside `check`, the look-up is the run's shared Hub look-up (`hub_model` in the context): a model that is
both an hfModel and a providerModel is asked once, and the cache and `--offline` apply as for any Hub
question. Alone, the plug-in asks the Hub client directly.
"""

from __future__ import annotations

from hfmap.clients.hub import Missing as HubMissing
from hfmap.clients.hub import ModelInfo, Unavailable
from hfmap.providers.base import Exists, Missing, ProviderPlugin, Result, Unknown


class HfInferencePlugin(ProviderPlugin):
    async def exists_one(self, model_id: str) -> Result:
        ask = self.context.get("hub_model") or self.context["hub"].model_info
        answer = await ask(model_id)
        if isinstance(answer, ModelInfo):
            return Exists()
        if isinstance(answer, HubMissing):
            return Missing(answer.reason)
        if isinstance(answer, Unavailable):
            return Unknown(f"the Hub did not answer: {answer.reason}")
        return Unknown(answer.reason, skipped=True)  # not asked: offline, and not in the cache
