"""What the inference clients decide beyond the model's own entry: the router for chat, `auto`'s pick.

Both judge a verdict `hfmap.sync.verify` already made from model info, and only ever make it weigh more
(`Verdict.worsen`) or add notes: the router and `auto` add ways to fail, never a way to pass.

- Chat (`conversational`) calls under `provider="auto"` go to the router, which routes among the
  providers its model list names, each `live` or `error`. A provider in `error` there is failing for
  those calls; one it does not list is never reached by them (the router may lag the Hub).
- Other tasks under `provider="auto"`: huggingface.js takes the first entry of the model's mapping
  whatever its task; huggingface_hub takes the first entry too, then raises when its own client lacks
  that provider×task (huggingface_hub#3064). The shipped client data says which tasks each client serves.
"""

from __future__ import annotations

from hfmap.clients.router import RouterModels, RouterUnavailable
from hfmap.clients.visible import VisibleModel
from hfmap.data import provider_tasks, python_tasks, same_tasks
from hfmap.mapping.verdict import AutoChoice, Routed, Verdict

JS_CLIENT = "@huggingface/inference"
PYTHON_CLIENT = "huggingface_hub"
ROUTER_LAG = "the router may lag the Hub: run verify again later"
UNJUDGED = frozenset({"staging", "missing", "unavailable"})  # nothing routed or picked to judge


def router_judgement(verdict: Verdict, routes: RouterModels | RouterUnavailable | None) -> None:
    """Judge a chat mapping by the router's list (None: the router was not read)."""
    record = verdict.expected.record
    if routes is None or verdict.verdict in UNJUDGED or record.status == "staging":
        return
    if isinstance(routes, RouterUnavailable):
        verdict.worsen(
            "router-unavailable", f"could not check how the router routes this chat model: {routes.reason}"
        )
        return
    providers = routes.providers_of(record.hf_model or "")
    routed = providers.get(record.provider) if providers is not None else None
    verdict.routed = Routed(routed is not None, routed.status if routed is not None else None)
    if routed is None:
        where = "the model" if providers is None else f"{record.provider} for the model"
        verdict.worsen(
            "router-missing",
            f'the router does not list {where}, so chat calls with provider="auto" never reach '
            f"{record.provider} ({ROUTER_LAG})",
        )
    elif routed.status == "error":
        verdict.worsen(
            "router-error",
            f"the router serves {record.provider} for this model in 'error': chat calls with "
            'provider="auto" avoid or fail on it (check the provider model; the router tests it again)',
        )
    elif routed.status != "live":
        shown = "no status" if routed.status is None else f"status '{routed.status}'"
        verdict.notes.append(f"the router lists {record.provider} with {shown}, which hfmap does not know")


def unsupported_by(provider: str, task: str) -> tuple[str, ...]:
    """The clients that cannot serve provider×task (unknown data decides nothing)."""
    out = []
    js = provider_tasks(provider)
    if js is not None and not (same_tasks(provider, task) & js):
        out.append(JS_CLIENT)
    python = python_tasks(provider)
    if python is not None and task not in python:
        out.append(PYTHON_CLIENT)
    return tuple(out)


def auto_choice(verdict: Verdict, model: VisibleModel) -> None:
    """Say which provider `auto` picks for a non-chat model, and warn when it is this mapping's provider
    but a client cannot serve the task."""
    record = verdict.expected.record
    if verdict.verdict in UNJUDGED:
        return
    picked = next(iter(model.mappings.values()), None)
    if picked is None:
        return
    if picked.status == "staging":  # shown to this token only: huggingface.js asks without one
        anonymous = next((s.provider for s in model.mappings.values() if s.status != "staging"), None)
        verdict.notes.append(
            f"the first entry ({picked.provider}) is staging, which huggingface.js does not see (it asks "
            f"without a token): it picks {anonymous or 'no provider'}"
        )
    if picked.provider != record.provider:
        verdict.auto = AutoChoice(picked.provider)
        verdict.notes.append(
            f'with provider="auto" clients pick {picked.provider} for this model, not {record.provider} '
            "(the first entry of its inference mapping)"
        )
        return
    task = picked.task or record.task
    lacking = unsupported_by(record.provider, task)
    verdict.auto = AutoChoice(picked.provider, lacking)
    if lacking:
        verdict.worsen(
            "auto-unsupported",
            f'with provider="auto" clients pick {record.provider} for this model (the first entry of its '
            f"inference mapping), but {' and '.join(lacking)} cannot serve {record.provider} for "
            f"'{task}'" + (": huggingface_hub raises" if PYTHON_CLIENT in lacking else ""),
        )


def auto_choice_of_filter(verdict: Verdict, models: list[VisibleModel]) -> None:
    """`auto_choice` over the models a tag filter resolves on: how many pick this provider, how many
    another, and a warning when clients pick it but cannot serve the task."""
    record = verdict.expected.record
    if verdict.verdict in UNJUDGED or verdict.verdict in ("shadowed", "no-match"):
        return
    mine = [m for m in models if (seen := m.mappings.get(record.provider)) and seen.from_tag_filter]
    firsts = [next(iter(m.mappings)) for m in mine]
    here = sum(1 for first in firsts if first == record.provider)
    verdict.models["auto_picked"] = here
    if here < len(mine):
        verdict.notes.append(
            f'with provider="auto" clients pick another provider on {len(mine) - here} of the '
            f"{len(mine)} model(s) this filter resolves on"
        )
    lacking = unsupported_by(record.provider, record.task) if here else ()
    if lacking:
        verdict.worsen(
            "auto-unsupported",
            f'with provider="auto" clients pick {record.provider} on {here} model(s) this filter resolves '
            f"on, but {' and '.join(lacking)} cannot serve {record.provider} for '{record.task}'",
        )
