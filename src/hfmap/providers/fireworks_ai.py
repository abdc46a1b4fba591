"""Fireworks: `GET /v1/accounts/{account}/models/{model}`; ids are the resource names themselves.

The model object carries `state` (`READY` once usable) and, for a model being retired, `deprecationDate`
(a `{year, month, day}` date, or an ISO date string): a past date or a state other than READY is reported.

The serverless catalogue is account `fireworks`'s model list (`GET /v1/accounts/fireworks/models`, paged
with `pageToken`), which `hfmap suggest` reads (models it reports as going away left out).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote

from hfmap.providers.base import Missing, ProviderPlugin, Result, Unknown
from hfmap.providers.decorations import Decorations
from hfmap.providers.paged import Page, read_pages, strings

RESOURCE = re.compile(r"^accounts/[^/]+/models/[^/]+$")
CATALOGUE = "/v1/accounts/fireworks/models"
PAGE_SIZE = 200
READY = "READY"


def deprecation_date(value: Any) -> dt.date | None:
    """The date in `deprecationDate`, whichever documented form it takes; None when absent or unreadable."""
    try:
        if isinstance(value, dict) and value.get("year"):
            return dt.date(int(value["year"]), int(value.get("month") or 1), int(value.get("day") or 1))
        if isinstance(value, str) and value:
            return dt.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None
    return None


def deprecated(model: dict[str, Any], today: dt.date | None = None) -> str | None:
    """Why the model object says the model is going away or not usable; None when it does not say so."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    date = deprecation_date(model.get("deprecationDate"))
    if date is not None and date <= today:
        return f"Fireworks gives it deprecationDate {date.isoformat()}, which has passed"
    state = model.get("state")
    if isinstance(state, str) and state and state != READY:
        return f"Fireworks reports its state as {state}, not {READY}"
    return None


class FireworksPlugin(ProviderPlugin):
    decorations = Decorations(prefixes=("accounts/fireworks/models/",))

    async def exists_one(self, model_id: str) -> Result:
        if not RESOURCE.match(model_id):
            return Missing("not a Fireworks model name (accounts/<account>/models/<model>)")
        return await self.model_object("/v1/" + quote(model_id, safe="/"), "Fireworks", deprecated)

    async def _page(self, token: str | None) -> Page | Unknown:
        params = [("pageSize", str(PAGE_SIZE)), *((("pageToken", token),) if token else ())]
        answer = await self.get(CATALOGUE, params=params)
        if isinstance(answer, Unknown):
            return answer
        status, body = answer
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get("models"), list):
            return Unknown("the fireworks-ai API's answer was not a model list")
        next_token = body.get("nextPageToken")
        serving = [m for m in body["models"] if isinstance(m, dict) and deprecated(m) is None]
        return strings(serving, "name"), next_token if isinstance(next_token, str) else None

    async def served_ids(self) -> set[str] | Unknown | None:
        return await self.once("list", lambda: read_pages(self.provider, self._page))
