"""Replicate: `GET /v1/models/{owner}/{name}` and, for a pinned id, `.../versions/{version}`.

A pinned id asks for the version first: when it exists the model does too, so the common case costs one
request. Only when the version is missing do we ask for the model, to tell "no such model" from "no such
version". Model look-ups are shared between the pinned ids of one model.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any
from urllib.parse import quote

from hfmap.providers.base import Exists, Missing, ProviderPlugin, Result, Unknown, VersionMissing


class ReplicatePlugin(ProviderPlugin):
    auth_scheme = "Bearer"

    def model(self, name: str) -> Awaitable[Any]:
        path = f"/v1/models/{quote(name, safe='/')}"
        return self.once(f"model:{name}", lambda: self.model_object(path, "Replicate"))

    async def exists_one(self, model_id: str) -> Result:
        name, _, version = model_id.partition(":")
        owner, _, model = name.partition("/")
        if not owner or not model or "/" in model:
            return Missing("not a Replicate model id (owner/name or owner/name:<version>)")
        if not version:
            return await self.model(name)
        answer = await self.get(f"/v1/models/{quote(name, safe='/')}/versions/{quote(version, safe='')}")
        if isinstance(answer, Unknown):
            return answer
        status, _body = answer
        if status == 200:
            return Exists()
        parent = await self.model(name)
        return VersionMissing(version) if isinstance(parent, Exists) else parent
