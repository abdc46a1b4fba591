"""A mapping's identity and the key the Hub files it under: built and parsed here only.

The Hub's key is the repo id of a single-model mapping, or `tag-filter=` + the sorted tags joined by
commas; hence no tag may hold a comma, and two repo ids differing only in case name one mapping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

TAG_FILTER_PREFIX = "tag-filter="
TAG_SEPARATOR = ","  # the Hub's key joins a filter's tags with it, so no tag may contain it


def mapping_key(hf_model: str | None, tags: Iterable[str] | None) -> str:
    """The Hub's key: the repo id, or `tag-filter=` + the tags sorted and joined by commas."""
    if hf_model is not None:
        return hf_model
    return TAG_FILTER_PREFIX + TAG_SEPARATOR.join(sorted(tags or ()))


def key_tags(key: str) -> tuple[str, ...] | None:
    """The sorted tags a `tag-filter=` key names (empty ones dropped); None for a single-model key."""
    if not key.startswith(TAG_FILTER_PREFIX):
        return None
    return tuple(sorted(tag for tag in key[len(TAG_FILTER_PREFIX) :].split(TAG_SEPARATOR) if tag))


def fold_key(key: str) -> str | None:
    """The case-insensitive form of a single-model key; None for tag-filter keys (matched exactly)."""
    return None if key.startswith(TAG_FILTER_PREFIX) else key.lower()


@dataclass(frozen=True, order=True)
class Identity:
    """What makes a mapping unique on the Hub: (provider, hfModel) or (provider, sorted tags)."""

    provider: str
    hf_model: str | None = None
    tags: tuple[str, ...] | None = None

    @property
    def key(self) -> str:
        return mapping_key(self.hf_model, self.tags)

    def __str__(self) -> str:
        return f"{self.provider}:{self.key}"

    def to_json(self) -> dict[str, object]:
        """The file vocabulary: `provider` and `hfModel` or `hfFilter`."""
        if self.hf_model is not None:
            return {"provider": self.provider, "hfModel": self.hf_model}
        return {"provider": self.provider, "hfFilter": list(self.tags or ())}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Identity:
        provider, hf_model, tags = data["provider"], data.get("hfModel"), data.get("hfFilter")
        if not isinstance(provider, str):
            raise ValueError("an identity's provider must be a string")
        if isinstance(hf_model, str):
            return cls(provider, hf_model=hf_model)
        if isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
            return cls(provider, tags=tuple(tags))
        raise ValueError("an identity needs hfModel (a string) or hfFilter (a list of strings)")
