"""`--stats`: what a networked command cost, on stderr (requests per host, cache, retries, waits)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hfmap.report.view import View


def render_text(data: Mapping[str, Any], view: View = View()) -> str:  # noqa: B008 - frozen
    """Three or four lines: totals, requests by host, waits, and the answer cache when there is one."""
    hosts = ", ".join(f"{host} {count:,}" for host, count in data["by_host"].items()) or "none"
    lines = [
        f"stats: {data['requests']:,} requests in {data['seconds']:.2f} s, {data['retries']:,} retries",
        f"  requests by host: {hosts}",
        f"  waited {data['rate_limit_seconds']:.1f} s for rate limits, "
        f"{data['backoff_seconds']:.1f} s backing off"
        + (f"; {data['not_sent']:,} not sent (origin down)" if data["not_sent"] else ""),
    ]
    if "cache_hits" in data:
        lines.append(f"  cache: {data['cache_hits']:,} hits, {data['cache_misses']:,} misses")
    return "\n".join(lines)


def render_json(data: Mapping[str, Any], view: View = View()) -> str:  # noqa: B008 - frozen
    return json.dumps({"stats": data}, ensure_ascii=False)
