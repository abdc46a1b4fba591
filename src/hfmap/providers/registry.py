"""The registry: provider id → how to reach its model API (plug-in class, default URL, token variables).

Adding a provider is one plug-in module (or a reuse of the OpenAI-compatible one) plus one line in SPECS.
Base URLs come from `HFMAP_<PROVIDER>_API_URL`, tokens from `HFMAP_<PROVIDER>_TOKEN` or the provider's
usual variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hfmap.clients.http import HttpClient, header_problem
from hfmap.providers.base import ProviderPlugin, ProviderSpec, Unknown
from hfmap.providers.cohere import CoherePlugin
from hfmap.providers.fal_ai import FalPlugin
from hfmap.providers.fireworks_ai import FireworksPlugin
from hfmap.providers.hf_inference import HfInferencePlugin
from hfmap.providers.openai_compatible import OpenAICompatiblePlugin
from hfmap.providers.replicate import ReplicatePlugin
from hfmap.providers.together import TogetherPlugin
from hfmap.providers.wavespeed import WaveSpeedPlugin


def _openai(
    provider: str, url: str, *token_vars: str, models_path: str = "/v1/models", needs_token: bool = True
) -> ProviderSpec:
    options = {"models_path": models_path}
    return ProviderSpec(provider, OpenAICompatiblePlugin, url, token_vars, needs_token, options=options)


SPECS = (
    ProviderSpec("replicate", ReplicatePlugin, "https://api.replicate.com", ("REPLICATE_API_TOKEN",)),
    ProviderSpec("fal-ai", FalPlugin, "https://api.fal.ai", ("FAL_KEY", "FAL_API_KEY"), needs_token=False),
    ProviderSpec("together", TogetherPlugin, "https://api.together.xyz", ("TOGETHER_API_KEY",)),
    ProviderSpec("fireworks-ai", FireworksPlugin, "https://api.fireworks.ai", ("FIREWORKS_API_KEY",)),
    ProviderSpec("cohere", CoherePlugin, "https://api.cohere.com", ("CO_API_KEY", "COHERE_API_KEY")),
    ProviderSpec("wavespeed", WaveSpeedPlugin, "https://api.wavespeed.ai", ("WAVESPEED_API_KEY",)),
    ProviderSpec(
        "hf-inference",
        HfInferencePlugin,
        "https://huggingface.co",
        (),
        needs_token=False,
        answers_from_hub=True,
    ),
    _openai("groq", "https://api.groq.com/openai", "GROQ_API_KEY"),
    _openai("novita", "https://api.novita.ai/openai", "NOVITA_API_KEY"),
    _openai("cerebras", "https://api.cerebras.ai", "CEREBRAS_API_KEY"),
    # Their model lists answer without a key (Featherless documents it; OVHcloud's works without one):
    # a token is sent when set, never required.
    _openai("featherless-ai", "https://api.featherless.ai", "FEATHERLESS_API_KEY", needs_token=False),
    _openai("scaleway", "https://api.scaleway.ai", "SCW_SECRET_KEY", "SCALEWAY_API_KEY"),
    _openai("nscale", "https://inference.api.nscale.com", "NSCALE_API_KEY"),
    _openai("baseten", "https://inference.baseten.co", "BASETEN_API_KEY"),
    _openai(
        "ovhcloud", "https://oai.endpoints.kepler.ai.cloud.ovh.net", "OVHCLOUD_API_KEY", needs_token=False
    ),
    _openai("publicai", "https://api.publicai.co", "PUBLICAI_API_KEY"),
    _openai("deepinfra", "https://api.deepinfra.com", "DEEPINFRA_API_KEY", models_path="/v1/openai/models"),
)
REGISTRY: dict[str, ProviderSpec] = {spec.provider: spec for spec in SPECS}


def make_plugin(
    provider: str, http: HttpClient, env: Mapping[str, str], **context: Any
) -> ProviderPlugin | Unknown:
    """The plug-in for `provider` in this run, or why it cannot be checked (`Unknown`, skipped)."""
    spec = REGISTRY.get(provider)
    if spec is None:
        return Unknown(f"hfmap has no model check for provider '{provider}'", skipped=True)
    if spec.answers_from_hub:
        return spec.plugin(spec, http, context["hub"].endpoint, None, **context)
    token = spec.token(env)
    if spec.needs_token and token is None:
        return Unknown(f"no API token for {provider}: {spec.token_hint()}", skipped=True)
    problem = header_problem(token) if token else None
    if problem:
        names = " or ".join((spec.token_var, *spec.token_vars))
        return Unknown(
            f"the {provider} token ({names}) cannot be sent: {problem}; copy the token again", skipped=True
        )
    return spec.plugin(spec, http, spec.base_url(env), token, **context)
