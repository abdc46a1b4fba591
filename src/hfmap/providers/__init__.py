"""Provider plug-ins: does a provider model (and a pinned version) exist on the provider's own API?

`REGISTRY` (in `registry.py`) maps a provider id to how to reach its API; `make_plugin` builds the plug-in
for one run, or says why that provider cannot be checked (no plug-in, no token) as an
`Unknown(skipped=True)`. Each provider's API is one module here.
"""

from __future__ import annotations

from hfmap.providers.base import (
    Exists,
    Missing,
    ProviderPlugin,
    ProviderSpec,
    Result,
    Unknown,
    VersionMissing,
    env_prefix,
)
from hfmap.providers.registry import REGISTRY, make_plugin

__all__ = [
    "REGISTRY",
    "Exists",
    "Missing",
    "ProviderPlugin",
    "ProviderSpec",
    "Result",
    "Unknown",
    "VersionMissing",
    "env_prefix",
    "make_plugin",
]
