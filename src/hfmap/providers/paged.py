"""Reading a provider's model list page by page, bounded: a list that never ends is an answer too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from hfmap.providers.base import Unknown

MAX_PAGES = 200  # pages of a provider's list read at most (fal: 100 per page; Fireworks: 200)

Page = tuple[list[str], str | None]  # the ids on one page and the token of the next (None: the last)


async def read_pages(
    provider: str, fetch: Callable[[str | None], Awaitable[Page | Unknown]]
) -> set[str] | Unknown:
    """Every id of a paged list: `fetch(token)` returns a page (or why not); the first page has no token."""
    ids: set[str] = set()
    token: str | None = None
    for _ in range(MAX_PAGES):
        page = await fetch(token)
        if isinstance(page, Unknown):
            return page
        found, token = page
        ids.update(found)
        if not token:
            return ids
    return Unknown(f"the {provider} model list has more than {MAX_PAGES} pages; hfmap stopped reading it")


def strings(items: Any, field: str) -> list[str]:
    """The string `field` of each object in a list (anything else skipped)."""
    if not isinstance(items, list):
        return []
    return [i[field] for i in items if isinstance(i, dict) and isinstance(i.get(field), str)]
