"""`hfmap suggest` from options to report: read the provider's list, the files, the live mapping and the
Hub, then let `candidates` and `lora` decide.

Read-only, and anonymous on the Hub: only public models can be suggested, and a token would make the
answer cache hold what one account sees. The Hub is asked once about every listed id and every
undecorated form of one, through `Lookups.public_models` (namespace
listings and the answer cache), so 20,000 listed ids never mean 20,000 requests.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from hfmap import data
from hfmap.check.answers import HubAnswer, Skipped
from hfmap.check.cache import Cache
from hfmap.check.lookups import Lookups, gather_all
from hfmap.clients.http import HttpClient, HttpStats, RetryPolicy
from hfmap.clients.hub import HubClient, ModelInfo, Unavailable
from hfmap.clients.partner import PartnerApi
from hfmap.clients.urls import require_http_url
from hfmap.errors import UsageError
from hfmap.files.load import load_file
from hfmap.files.model import Entry, is_ignored
from hfmap.files.paths import DEFAULT_PATHS
from hfmap.findings import Level
from hfmap.lint.engine import lint_paths
from hfmap.mapping.key import fold_key
from hfmap.mapping.record import LiveState
from hfmap.providers.base import Unknown
from hfmap.providers.registry import REGISTRY, make_plugin
from hfmap.suggest.candidates import Exclusions, Match, askable, decorated, sort_matches
from hfmap.suggest.lora import LoraBase, filter_tags, uncovered_bases
from hfmap.suggest.report import LoraSuggestion, SuggestReport

ADAPTER_CAP = 100  # adapters counted per base (one page): enough to say "100 or more"


class ProgressSink(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def close(self) -> None: ...


@dataclass
class SuggestOptions:
    provider: str
    endpoint: str
    paths: tuple[Path, ...] = ()
    limit: int | None = None
    use_cache: bool = True
    concurrency: int = 64
    timeout: float = 10.0
    retries: int = 4
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ), repr=False)
    stats: HttpStats | None = field(default=None, repr=False)
    log: Callable[[str], None] | None = None  # notes such as a long rate-limit wait


def check_provider(provider: str) -> str:
    """The provider id, or a usage error: unknown to the clients, or never mapped on the Hub."""
    provider = provider.strip()
    known = data.providers()
    if provider not in known:
        guess = data.closest(provider, known)
        hint = f"; did you mean '{guess}'?" if guess else ""
        raise UsageError(f"unknown provider '{provider}'{hint}")
    if not data.hub_mapping(provider):
        raise UsageError(f"'{provider}' is served by the clients directly and has no Hub mappings to suggest")
    return provider


@dataclass
class _Declared:
    entries: list[Entry]
    ignore: tuple[str, ...]
    files: int
    lint_errors: int


def _declared(provider: str, paths: tuple[Path, ...]) -> _Declared:
    """What the files declare for `provider`, read as lint reads them (with the provider's other files
    under the mappings root); no `mappings/` folder and no PATHS: nothing declared yet."""
    if not paths and not any(p.exists() for p in DEFAULT_PATHS):
        return _Declared([], (), 0, 0)
    linted = lint_paths(paths, context=True)
    files = list(linted.declared.files)
    files += [f for p in linted.context if (f := load_file(Path(p))[0]) is not None]
    mine = [f for f in files if f.provider == provider]
    ignore = tuple(dict.fromkeys(p for f in mine for p in f.ignore))
    errors = sum(1 for f in linted.result.findings if f.level is Level.ERROR)
    return _Declared([e for f in mine for e in f.entries], ignore, linted.files, errors)


async def _served(provider: str, http: HttpClient, hub: HubClient, env: Mapping[str, str]) -> set[str] | str:
    """The ids the provider's API lists, or why they could not be read (one line)."""
    spec = REGISTRY.get(provider)
    if spec is None or not spec.plugin.lists_models():
        return f"hfmap knows no model list of {provider}'s API, so it cannot find the models it serves"
    plugin = make_plugin(provider, http, env, hub=hub)
    if isinstance(plugin, Unknown):
        return plugin.reason
    listed = await plugin.served_ids()
    if isinstance(listed, Unknown):
        return listed.reason
    return listed if listed is not None else f"the {provider} plug-in read no model list"


def _public(answer: HubAnswer | None) -> bool:
    return isinstance(answer, ModelInfo)


async def _match(
    provider: str, listed: set[str], lookups: Lookups, progress: ProgressSink | None
) -> tuple[list[Match], dict[str, HubAnswer], int]:
    """Every listed id with the Hub repo it most likely names, the answers, and the ids that name none
    even in form. Listed ids and their undecorated forms are asked at once: a namespace's one listing
    answers both."""
    ordered = sorted(listed)
    plain = askable(ordered)
    variants = decorated(ordered, REGISTRY[provider].plugin.decorations.undecorated)
    asked = list(dict.fromkeys([*plain, *(m.asked for m in variants)]))
    if progress is not None:
        progress.start(len(asked))
    answers = await lookups.public_models(asked)
    by_listed: dict[str, list[Match]] = {}
    for match in variants:
        by_listed.setdefault(match.listed, []).append(match)
    asked_plain = set(plain)
    matches: list[Match] = []
    for listed_id in ordered:  # one verdict per listed id: what it names, or why it names nothing
        publics = [m for m in by_listed.get(listed_id, ()) if _public(answers.get(m.asked))]
        if listed_id in asked_plain and (_public(answers[listed_id]) or not publics):
            matches.append(Match(listed_id, listed_id))
        elif publics or listed_id in by_listed:
            matches.extend(publics or by_listed[listed_id][:1])
    unaskable = sum(1 for i in ordered if i not in asked_plain and i not in by_listed)
    return matches, answers, unaskable


def _live_undeclared(live: LiveState, declared: Iterable[Entry], ignore: tuple[str, ...]) -> list[dict]:
    keys = {fold_key(e.identity.key) or e.identity.key for e in declared if e.identity}
    out = []
    for key, mapping in sorted(live.mappings.items(), key=lambda kv: kv[0].lower()):
        if (fold_key(key) or key) in keys or is_ignored(key, ignore):
            continue
        record = mapping.record
        out.append(
            {"key": key, "task": record.task, "providerModel": record.provider_model, "status": record.status}
        )
    return out


async def _lora(
    provider: str, declared: list[Entry], live: LiveState, lookups: Lookups, report: SuggestReport
) -> None:
    singles = [
        LoraBase(e.hf_model, e.task, "declared")
        for e in declared
        if e.hf_model and not e.hf_filter and e.task
    ]
    singles += [
        LoraBase(m.record.hf_model, m.record.task, "live")
        for m in live.mappings.values()
        if m.record.hf_model is not None
    ]
    filters = [e.hf_filter for e in declared if e.hf_filter]
    filters += [m.record.tags for m in live.mappings.values() if m.record.tags]
    bases = uncovered_bases(provider, singles, filters)

    async def count(base: LoraBase) -> None:
        answer = await lookups.tag_count(filter_tags(base.hf_model), ADAPTER_CAP)
        if isinstance(answer, Unavailable | Skipped):
            report.lora_unchecked[base.hf_model] = answer.reason
        elif answer[0]:
            report.lora.append(LoraSuggestion(base, answer[0], answer[1]))

    await gather_all(*(count(b) for b in bases))
    report.lora.sort(key=lambda s: s.base.hf_model.lower())


async def _run(
    options: SuggestOptions, declared: _Declared, cache: Cache, progress: ProgressSink | None
) -> SuggestReport:
    provider = options.provider
    report = SuggestReport(provider, files=declared.files, lint_errors=declared.lint_errors)
    async with HttpClient(
        timeout=options.timeout,
        concurrency=options.concurrency,
        retry=RetryPolicy(attempts=options.retries + 1),
        log=options.log,
        stats=options.stats,
    ) as http:
        hub = HubClient(http, options.endpoint, None)
        advance = progress.advance if progress is not None else None
        lookups = Lookups(hub, http, cache, env=options.env, progress=advance)
        live, served = await gather_all(
            PartnerApi(http, options.endpoint).fetch(provider), _served(provider, http, hub, options.env)
        )
        report.live_undeclared = _live_undeclared(live, declared.entries, declared.ignore)
        await _lora(provider, declared.entries, live, lookups, report)
        if isinstance(served, str):
            report.list_problem = served
            return report
        report.listed = len(served)
        matches, answers, unaskable = await _match(provider, served, lookups, progress)
    taken = {k.lower(): "live" for k, m in live.mappings.items() if m.record.hf_model is not None}
    taken.update({e.hf_model.lower(): "declared" for e in declared.entries if e.hf_model})
    rules = Exclusions(
        taken=taken,
        is_ignored=lambda repo_id: is_ignored(repo_id, declared.ignore),
        tasks=data.provider_tasks(provider) or frozenset(),
    )
    chosen = sort_matches(provider, matches, answers, rules)
    chosen.dropped["not a Hub repo id in form"] += unaskable
    report.dropped = +chosen.dropped
    report.unchecked = chosen.unchecked
    report.total = len(chosen.candidates)
    report.candidates = chosen.candidates[: options.limit] if options.limit is not None else chosen.candidates
    return report


def run_suggest(options: SuggestOptions, progress: ProgressSink | None = None) -> SuggestReport:
    """The mappings `options.provider` could add, live mappings no file declares, and LoRA filters."""
    require_http_url(options.endpoint)
    options.provider = check_provider(options.provider)
    declared = _declared(options.provider, options.paths)
    cache = Cache(enabled=options.use_cache)
    try:
        report = asyncio.run(_run(options, declared, cache, progress))
    finally:
        if progress is not None:
            progress.close()
        cache.close()
    report.cache_hits, report.cache_misses, report.cache_problem = (
        cache.hits,
        cache.misses,
        cache.write_problem,
    )
    return report
