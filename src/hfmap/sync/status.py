"""`status: auto`: ask each provider's status source about the declared models, then resolve each entry.

The rule (contract): the provider says online → `live`; a known offline answer → `staging`; no answer or
one hfmap does not know → the live status is kept, so a provider outage never demotes anything. A mapping
that is not live yet (a create) or whose live status cannot be written back (`error`) falls back on
`staging`, the Hub's own default. Asking is I/O (`ask_statuses`); resolving is pure (`resolve`), so plans
stay reproducible from their inputs. Files without `auto` entries never reach this module's I/O.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from hfmap.clients.http import HttpClient
from hfmap.files.model import Declared
from hfmap.mapping.plan import AutoResolution
from hfmap.mapping.record import AUTO_STATUS, DEFAULT_STATUS, STATUSES
from hfmap.providers.status import StatusAnswer, make_status_source

# (provider, providerModel) -> what the provider said
Statuses = Mapping[tuple[str, str], StatusAnswer]


def auto_questions(declared: Declared) -> dict[str, list[str]]:
    """Provider → the provider models of its single-model `auto` entries (tag filters cannot be auto)."""
    asked: dict[str, dict[str, None]] = {}
    for entry in declared.entries:
        if entry.status != AUTO_STATUS or entry.hf_filter is not None:
            continue
        if entry.provider and entry.provider_model:
            asked.setdefault(entry.provider, {})[entry.provider_model] = None
    return {provider: list(models) for provider, models in asked.items()}


async def ask_statuses(
    declared: Declared, http: HttpClient, env: Mapping[str, str] | None = None
) -> dict[tuple[str, str], StatusAnswer]:
    """What each provider's status source says about every `auto` entry's model (empty without any)."""
    asked = auto_questions(declared)
    if not asked:
        return {}
    env = os.environ if env is None else env
    out: dict[tuple[str, str], StatusAnswer] = {}

    async def one(provider: str, models: list[str]) -> None:
        source = make_status_source(provider, http, env)
        if source is None:  # lint refuses `auto` here; say it plainly if the gate was bypassed
            answers = dict.fromkeys(models, StatusAnswer(None, None, "has no status source in hfmap"))
        else:
            answers = await source.statuses(models)
        out.update({(provider, model): answer for model, answer in answers.items()})

    await asyncio.gather(*(one(provider, models) for provider, models in asked.items()))
    return out


def resolve(provider: str, answer: StatusAnswer | None, live_status: str | None) -> AutoResolution:
    """The status to declare for an `auto` entry, given what the provider said and the live status."""
    if answer is not None and answer.status is not None:
        return AutoResolution(answer.status, f"{provider} says {answer.said}", answer.said)
    why = f"{provider} {answer.detail}" if answer is not None else f"{provider} was not asked"
    said = answer.said if answer is not None else None
    if live_status in STATUSES:
        return AutoResolution(live_status, f"{why}; the live status '{live_status}' is kept", said, False)
    if live_status is None:
        reason = f"{why}; created as {DEFAULT_STATUS}, the Hub's default"
    else:
        reason = f"{why}; {DEFAULT_STATUS}, the Hub's default, since '{live_status}' cannot be written"
    return AutoResolution(DEFAULT_STATUS, reason, said, False)
