"""Fireworks: `GET /v1/accounts/{account}/models/{model}`; ids are the resource names themselves.

The model object carries `state` (`READY` once usable) and, for a model being retired, `deprecationDate`
(a `{year, month, day}` date, or an ISO date string): a past date or a state other than READY is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote

from hfmap.providers.base import Missing, ProviderPlugin, Result

RESOURCE = re.compile(r"^accounts/[^/]+/models/[^/]+$")
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
    async def exists_one(self, model_id: str) -> Result:
        if not RESOURCE.match(model_id):
            return Missing("not a Fireworks model name (accounts/<account>/models/<model>)")
        return await self.model_object("/v1/" + quote(model_id, safe="/"), "Fireworks", deprecated)
