"""How a provider spells a Hub repo id in its model list: the prefixes and suffixes it adds.

Providers serve many models under their Hub repo ids, some decorated: Together appends `-Turbo` (its
quantised serving of a model), Fireworks names models `accounts/fireworks/models/<name>`, others
lower-case ids (the Hub resolves any case, so case needs no decoration). `hfmap suggest` strips what a
plug-in declares here to find the Hub repo a listed id stands for; the list is data, one per plug-in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decorations:
    """What a provider adds around a Hub repo id (each tried alone, prefix before suffix)."""

    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()

    def undecorated(self, listed: str) -> list[tuple[str, str]]:
        """(candidate Hub id, how it was found) for every decoration `listed` carries, in data order.

        A suffix is matched without regard to case (`-turbo` in a lower-cased list); what remains must
        still be non-empty.
        """
        stems = [(listed, "")]
        for prefix in self.prefixes:
            if listed.startswith(prefix) and len(listed) > len(prefix):
                stems.append((listed[len(prefix) :], f"prefix '{prefix}'"))
        found: list[tuple[str, str]] = [(stem, how) for stem, how in stems[1:]]
        for stem, how in stems:
            for suffix in self.suffixes:
                if len(stem) > len(suffix) and stem.lower().endswith(suffix.lower()):
                    removed = stem[len(stem) - len(suffix) :]
                    what = f"suffix '{removed}'"
                    found.append((stem[: len(stem) - len(suffix)], f"{how} and {what}" if how else what))
        return list(dict.fromkeys(found))


NONE = Decorations()
