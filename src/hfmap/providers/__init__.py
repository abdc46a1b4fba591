"""Provider plug-ins: does a provider model (and a pinned version) exist on the provider's own API?

`registry.REGISTRY` maps a provider id to how to reach its API; `make_plugin` builds the plug-in
for one run, or says why that provider cannot be checked (no plug-in, no token) as an
`Unknown(skipped=True)`. Each provider's API is one module here.
"""

# Import-light on purpose: `hfmap lint` reads `status_sources` without loading the HTTP stack, so the
# plug-ins are imported from their modules (`providers.base`, `providers.registry`), never from here.
