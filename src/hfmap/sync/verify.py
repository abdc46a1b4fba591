"""`hfmap verify`: what inference clients see for every declared mapping, judged against the files.

Clients never read the partner list: they resolve a provider through model info
(`inferenceProviderMapping`, see `hfmap.clients.visible`), where the Hub shows one entry per provider and
model, marks mappings its asynchronous tests failed as `error`, and shows staging entries only to the
provider's organization. So each declared mapping is looked up there and gets one verdict of
`hfmap.mapping.verdict.VERDICTS`, which says what each means and weighs.

Chat mappings (`conversational`) are also looked up in the router's model list (`hfmap.clients.router`,
read once per run, only when some mapping is a chat one): with `provider="auto"` both clients send chat
calls there instead of resolving the mapping. For other tasks, the verdict says which provider `auto`
picks (the first entry of the model's `inferenceProviderMapping`, as both clients take it) and whether
the clients can serve that pick.

Requests: one model info per distinct model, or, from LIST_THRESHOLD models of one provider on, first the
paged `GET /api/models?inference_provider=X&expand[]=inferenceProviderMapping` (1,000 models a page, at most
one page per LIST_PER_PAGE_WORTH models it may save); a tag filter costs one listing of the models that
carry its tags (the first FILTER_SAMPLE). The partner list (one request per provider) tells "never
created" from "created but not shown".
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping

from hfmap.clients.hub import HubClient, Missing, Unavailable
from hfmap.clients.partner import PartnerApi
from hfmap.clients.router import RouterClient, RouterModels, RouterUnavailable
from hfmap.clients.visible import VisibleModel
from hfmap.data import CONVERSATIONAL
from hfmap.errors import HfmapError
from hfmap.files.model import Declared
from hfmap.mapping.record import AUTO_STATUS, STATUSES, LiveMapping, LiveState, Record
from hfmap.mapping.verdict import Expected, Seen, Verdict, VerifyReport
from hfmap.sync.clients_view import auto_choice, auto_choice_of_filter, router_judgement
from hfmap.sync.plan import declared_records

LORA = "lora"  # the one adapter type: the Hub's `adapter` of a LoRA tag filter's entries
LIST_THRESHOLD = 50  # direct mappings of one provider from which its paged model listing is read first
LIST_PER_PAGE_WORTH = 100  # one more listing page per this many model-info requests it may save
FILTER_SAMPLE = 100  # models read per tag filter (one page)
ModelView = VisibleModel | Missing | Unavailable  # what clients get for one model, or why nothing


def declared_expectations(declared: Declared) -> list[Expected]:
    """Every declared mapping (first declaration of a key wins, as in the plan), in provider order."""
    out: list[Expected] = []
    for _name, decl in sorted(declared.providers.items()):
        out.extend(Expected(record, source) for record, source in declared_records(decl).values())
    return out


# -- reading -------------------------------------------------------------------------------------------------


async def _partner_lists(
    partner: PartnerApi, providers: Iterable[str], problems: list[str]
) -> dict[str, LiveState | None]:
    async def one(provider: str) -> LiveState | None:
        try:
            return await partner.fetch(provider)
        except HfmapError as exc:
            problems.append(exc.message)
            return None

    names = sorted(set(providers))
    return dict(zip(names, await asyncio.gather(*(one(p) for p in names)), strict=True))


async def _direct_models(
    hub: HubClient, wanted: Mapping[str, list[str]]
) -> tuple[dict[tuple[str, str], VisibleModel], dict[str, ModelView]]:
    """(provider, lower-case id) → model from that provider's listing, and lower-case id → model info."""
    listed: dict[tuple[str, str], VisibleModel] = {}

    async def listing(provider: str, ids: list[str]) -> None:
        pages = 1 + len(ids) // LIST_PER_PAGE_WORTH
        # a shortcut: when it fails, the model-info look-ups below (with all their retries) find out
        answer = await hub.visible_models([("inference_provider", provider)], max_pages=pages, attempts=2)
        if isinstance(answer, Unavailable):
            return
        lower = {i.lower() for i in ids}
        for model in answer[0]:
            if model.id.lower() in lower and provider in model.mappings:
                listed[(provider, model.id.lower())] = model

    await asyncio.gather(*(listing(p, ids) for p, ids in wanted.items() if len(ids) >= LIST_THRESHOLD))
    todo = {
        repo_id.lower(): repo_id
        for provider, ids in wanted.items()
        for repo_id in ids
        if (provider, repo_id.lower()) not in listed
    }
    answers = await asyncio.gather(*(hub.visible_model(repo_id) for repo_id in todo.values()))
    return listed, dict(zip(todo, answers, strict=True))


async def _filter_models(
    hub: HubClient, filters: Iterable[tuple[str, ...]]
) -> dict[tuple[str, ...], list[VisibleModel] | Unavailable]:
    tag_sets = list(dict.fromkeys(filters))

    async def one(tags: tuple[str, ...]) -> list[VisibleModel] | Unavailable:
        params = [("filter", tag) for tag in tags]
        answer = await hub.visible_models(params, max_pages=1, page_size=FILTER_SAMPLE)
        return answer if isinstance(answer, Unavailable) else answer[0]

    return dict(zip(tag_sets, await asyncio.gather(*(one(t) for t in tag_sets)), strict=True))


async def _router_models(
    router: RouterClient | None, expected: list[Expected]
) -> RouterModels | RouterUnavailable | None:
    """The router's list, read once, when a chat mapping needs it (None: none does)."""
    if router is None or not any(_is_chat(e.record) for e in expected):
        return None
    return await router.models()


def _is_chat(record: Record) -> bool:
    return record.task == CONVERSATIONAL and record.hf_model is not None


async def verify_mappings(
    expected: list[Expected], hub: HubClient, partner: PartnerApi, router: RouterClient | None = None
) -> VerifyReport:
    """Read what clients see for each expected mapping and judge it (see the table above); `router`
    None leaves the router out (then no chat mapping is judged by it)."""
    report = VerifyReport([], hub.authenticated)
    before = hub.http.stats.requests
    direct: dict[str, list[str]] = {}
    filters: list[tuple[str, ...]] = []
    for item in expected:
        record = item.record
        if record.hf_model is not None:
            direct.setdefault(record.provider, []).append(record.hf_model)
        else:
            filters.append(tuple(record.tags or ()))
    lists, (listed, infos), by_tags, routes = await asyncio.gather(
        _partner_lists(partner, (e.record.provider for e in expected), report.problems),
        _direct_models(hub, direct),
        _filter_models(hub, filters),
        _router_models(router, expected),
    )
    if isinstance(routes, RouterUnavailable):
        report.problems.append(routes.reason)
    for item in expected:
        record = item.record
        state = lists.get(record.provider)
        live = state.get(record.key) if state is not None else None
        if record.hf_model is not None:
            lower = record.hf_model.lower()
            answer = listed.get((record.provider, lower)) or infos[lower]
            verdict = direct_verdict(item, answer, live)
            if _is_chat(record):
                router_judgement(verdict, routes)
            elif isinstance(answer, VisibleModel):
                auto_choice(verdict, answer)
            report.verdicts.append(verdict)
        else:
            models = by_tags[tuple(record.tags or ())]
            verdict = filter_verdict(item, models, live)
            if not isinstance(models, Unavailable):
                auto_choice_of_filter(verdict, models)
            report.verdicts.append(verdict)
    report.requests = hub.http.stats.requests - before  # one HTTP client: the router's request counts
    return report


# -- judging -------------------------------------------------------------------------------------------------


def _status_fits(declared: str, seen: str | None) -> bool:
    return seen in STATUSES if declared == AUTO_STATUS else seen == declared


def _differences(record: Record, seen: Seen) -> list[str]:
    out = []
    if seen.provider_id != record.provider_model:
        out.append(f"providerId '{seen.provider_id}' (declared '{record.provider_model}')")
    if seen.task != record.task:
        out.append(f"task '{seen.task}' (declared '{record.task}')")
    if not _status_fits(record.status, seen.status):
        out.append(f"status '{seen.status}' (declared '{record.status}')")
    return out


def _not_shown(item: Expected, live: LiveMapping | None, where: str) -> Verdict:
    """No entry of the provider where clients look: never created, staging (hidden), or lost."""
    record = item.record
    if live is None:
        return Verdict(
            item, "missing", f"not on the Hub: {record.provider} has no such mapping (hfmap apply creates it)"
        )
    if live.record.status == "staging":
        return Verdict(
            item,
            "staging",
            f"only members of the {record.provider} organization get it, and it is not shown to this caller "
            "(verify with a token of an organization member to see it)",
        )
    return Verdict(
        item,
        "missing",
        f"the partner list has it (status '{live.record.status}') but clients get no {record.provider} "
        f"entry {where}",
    )


def _entry_verdict(item: Expected, seen: Seen) -> Verdict:
    """An entry that belongs to this mapping: error, a difference, staging, or as declared."""
    record = item.record
    if seen.status == "error":
        return Verdict(
            item,
            "error",
            "the Hub's test of this mapping failed (status 'error'); clients warn that calls may fail",
            seen,
        )
    differences = _differences(record, seen)
    if differences:
        return Verdict(
            item, "mismatch", "clients get " + "; ".join(differences) + " (hfmap plan shows the change)", seen
        )
    if seen.status == "staging":
        return Verdict(
            item,
            "staging",
            f"only members of the {record.provider} organization get it "
            "(clients warn that staging is meant for tests)",
            seen,
        )
    return Verdict(item, "ok", f"clients get providerId '{seen.provider_id}', as declared", seen)


def direct_verdict(item: Expected, answer: ModelView, live: LiveMapping | None) -> Verdict:
    """A single-model mapping against its model's `inferenceProviderMapping`."""
    record = item.record
    if isinstance(answer, Unavailable):
        return Verdict(item, "unavailable", f"could not read what clients see: {answer.reason}")
    if isinstance(answer, Missing):
        return Verdict(
            item,
            "missing",
            f"the Hub model '{record.hf_model}': {answer.reason}; clients cannot resolve any mapping of it",
        )
    seen = answer.mappings.get(record.provider)
    if seen is None:
        return _not_shown(item, live, "in model info")
    if seen.from_tag_filter:
        return Verdict(
            item,
            "shadowed",
            f"a tag filter of {record.provider} wins for this model: clients get providerId "
            f"'{seen.provider_id}' from it, never this mapping",
            seen,
        )
    return _entry_verdict(item, seen)


def _lora_gaps(mine: list[Seen]) -> str:
    """What keeps clients from running the LoRA on some models ("" when nothing): huggingface.js needs
    `adapter: lora` and `adapterWeightsPath`, huggingface_hub the path only."""
    no_adapter = sum(1 for seen in mine if seen.adapter != LORA)
    no_path = sum(1 for seen in mine if not seen.adapter_weights_path)
    gaps = []
    if no_adapter:
        gaps.append(f"{no_adapter} come without `adapter: lora` (huggingface.js runs the base model there)")
    if no_path:
        gaps.append(f"{no_path} without adapterWeightsPath (no client finds their LoRA weights)")
    return "; ".join(gaps)


def filter_verdict(
    item: Expected, answer: list[VisibleModel] | Unavailable, live: LiveMapping | None
) -> Verdict:
    """A tag filter against the models carrying its tags (the first FILTER_SAMPLE the Hub lists)."""
    record = item.record
    tags = ", ".join(record.tags or ())
    if isinstance(answer, Unavailable):
        return Verdict(item, "unavailable", f"could not read what clients see: {answer.reason}")
    if not answer:
        return Verdict(
            item, "no-match", f"no Hub model carries all the tags [{tags}]: the filter maps nothing"
        )
    mine: list[Seen] = []
    shadowed = hidden = 0
    for model in answer:
        seen = model.mappings.get(record.provider)
        if seen is None:
            hidden += 1
        elif seen.from_tag_filter and seen.provider_id == record.provider_model:
            mine.append(seen)
        else:
            shadowed += 1
    counts = {"read": len(answer), "resolved": len(mine), "shadowed": shadowed, "not_shown": hidden}
    if not mine and shadowed:
        return Verdict(
            item,
            "shadowed",
            f"another {record.provider} mapping wins on every model carrying the tags ({len(answer)} read): "
            "clients never get this filter",
            models=counts,
        )
    if not mine:
        verdict = _not_shown(item, live, f"on the {len(answer)} models carrying the tags")
        verdict.models = counts
        return verdict
    failing = next((seen for seen in mine if seen.status == "error"), None)
    verdict = _entry_verdict(item, failing or mine[0])
    verdict.models = counts
    if verdict.verdict == "ok":
        lacking = _lora_gaps(mine) if record.adapter_type == LORA else ""
        if lacking:
            verdict.verdict = "no-adapter-weights"
            verdict.message = f"of the {len(mine)} model(s) it resolves on, {lacking}"
        else:
            verdict.message = f"clients get it on {len(mine)} of the {len(answer)} model(s) carrying the tags"
        if shadowed:
            verdict.message += f" ({shadowed} have another {record.provider} mapping that wins)"
    return verdict
