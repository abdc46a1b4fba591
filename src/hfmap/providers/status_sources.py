"""Which providers can answer `status: auto`, by name: importable without the HTTP stack
(`hfmap.providers` imports nothing).

`hfmap lint` must know the names (rule `status-auto`) and never import aiohttp, so the table lives here and
the plug-ins (`hfmap.providers.status`) are imported from it on first use, as the renderer table does.
Adding a status source is one plug-in module plus one line below.
"""

from __future__ import annotations

# provider id -> "module:class" of the plug-in that reads the provider's own warm/cold signal
STATUS_SOURCES: dict[str, str] = {
    "replicate": "hfmap.providers.replicate_status:ReplicateWebStatus",
}
