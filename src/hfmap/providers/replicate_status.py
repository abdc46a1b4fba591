"""Replicate's warm/cold signal: `GET https://replicate.com/{owner}/{name}/status` (the website, not the API).

Undocumented, unauthenticated, and what Replicate's own mapping sync reads (reference §7): a JSON object
whose `status` is `online` for a warm model. `offline` is the other answer known to be sent; anything else
(another word, not JSON, a 404, no answer) decides nothing, so `status: auto` keeps the live status. The
`:version` of a pinned id is stripped (warmth belongs to the model). No token is sent.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from hfmap.clients.http import HttpUnavailable
from hfmap.providers.status import MAX_WORD, StatusAnswer, StatusSource, unusable

ONLINE = "online"
KNOWN_OFFLINE = frozenset({"offline"})


class ReplicateWebStatus(StatusSource):
    provider = "replicate"
    url_var = "HFMAP_REPLICATE_WEB_URL"
    default_url = "https://replicate.com"

    def question(self, provider_model: str) -> str:
        return provider_model.partition(":")[0]  # warmth belongs to the model, not to a version

    async def status_of(self, question: str) -> StatusAnswer:
        name = question
        owner, _, model = name.partition("/")
        if not owner or not model or "/" in model:
            return unusable(f"cannot be asked about '{name}': not a Replicate model id (owner/name)")
        url = f"{self.base_url}/{quote(owner, safe='')}/{quote(model, safe='')}/status"
        try:
            response = await self.http.request("GET", url)
        except HttpUnavailable as exc:
            return unusable(f"did not answer: {exc.detail}")
        if response.status_code == 404:
            return unusable(f"has no status page for '{name}' (HTTP 404)")
        if response.status_code != 200:
            return unusable(f"answered HTTP {response.status_code}")
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            return unusable("answered something that is not JSON")
        said = body.get("status") if isinstance(body, dict) else None
        if not isinstance(said, str):
            return unusable("answered without a status")
        if said == ONLINE:
            return StatusAnswer(said, "live")
        if said in KNOWN_OFFLINE:
            return StatusAnswer(said, "staging")
        return unusable(f"answered {said[:MAX_WORD]!r}, which hfmap does not know", said)
