"""What `plan`, `apply`, `verify` and `import` do from files to result, so their commands only parse and
render.

Files with lint errors are never planned (`lint_gate`); the live mapping is read without a token (a plan
works in a fork's pull request) and written with one; `verify` reads what clients see with the token when
there is one (staging mappings are shown to the provider's organization only). `status: auto` entries are
resolved from their providers' status sources, asked only when the files have such entries. Seconds per
step are kept in `Timings` for `-v` and the benchmarks.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from hfmap.clients.http import HttpClient, HttpStats
from hfmap.clients.hub import HubClient
from hfmap.clients.partner import PartnerApi, http_settings
from hfmap.clients.router import RouterClient, router_url
from hfmap.clients.urls import require_http_url
from hfmap.errors import HfmapError
from hfmap.files.context import provider_context
from hfmap.files.dump import canonical_dump
from hfmap.files.load import load_declared
from hfmap.files.model import Declared
from hfmap.files.paths import resolve_paths
from hfmap.files.reorder import FormatError
from hfmap.findings import Finding, Level
from hfmap.lint.engine import RuleOptions, lint, validate_rule_ids
from hfmap.mapping.apply_report import ActionResult, ApplyReport
from hfmap.mapping.plan import Plan
from hfmap.mapping.record import LiveState
from hfmap.mapping.safety import SafetyLimits
from hfmap.mapping.verdict import Expected, VerifyReport
from hfmap.sync.apply import ApplyOptions, apply_plan
from hfmap.sync.importer import ImportResult, live_to_document
from hfmap.sync.plan import RetestRequest, Scope, check_retest_keys, make_plan, scoped_plan
from hfmap.sync.status import ask_statuses
from hfmap.sync.verify import declared_expectations, verify_mappings
from hfmap.sync.wait import Poll, wait_for_tests

DEFAULT_CONCURRENCY = 8


@dataclass
class Timings:
    """Seconds per step, for `-v` and the benchmarks."""

    steps: dict[str, float] = field(default_factory=dict)

    def add(self, step: str, seconds: float) -> None:
        self.steps[step] = self.steps.get(step, 0.0) + seconds

    def timed(self, step: str) -> _Timer:
        return _Timer(self, step)

    def __str__(self) -> str:
        return "timing: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in self.steps.items())


class _Timer:
    def __init__(self, timings: Timings, step: str) -> None:
        self.timings, self.step = timings, step

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timings.add(self.step, time.perf_counter() - self.start)


@dataclass
class HubSettings:
    """How to reach the Hub in this run (the global options plus the command's own)."""

    endpoint: str
    token: str | None = field(default=None, repr=False)
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float | None = None  # None: HFMAP_HTTP_TIMEOUT, else 30 s
    log: Callable[[str], None] | None = None
    stats: HttpStats | None = None  # counters to fill (`--stats`)

    def open(self, *, with_token: bool) -> tuple[HttpClient, PartnerApi]:
        """An HTTP client and the partner API on it; the token is given only where it is needed."""
        require_http_url(self.endpoint)
        timeout, policy = http_settings(self.timeout)
        http = HttpClient(
            timeout=timeout, concurrency=self.concurrency, retry=policy, log=self.log, stats=self.stats
        )
        return http, PartnerApi(http, self.endpoint, self.token if with_token else None)

    def hub_client(self, http: HttpClient) -> HubClient:
        """Model reads on `http`, with the token when there is one (what an organization member sees)."""
        return HubClient(http, self.endpoint, self.token)

    def router_client(self, http: HttpClient) -> RouterClient:
        """The router's model list on `http` (`HFMAP_ROUTER_URL`; no token goes there)."""
        return RouterClient(http, router_url())


class WaitListener(Protocol):
    """Who hears what `--wait` watches, and the news of each poll."""

    def started(self, keys: list[str], seconds: float) -> None: ...

    def polled(self, poll: Poll) -> None: ...


@dataclass
class FileSettings:
    """Which files to plan and how to lint them first."""

    paths: tuple[Path, ...] = ()
    disable: tuple[str, ...] = ()
    allow_providers: tuple[str, ...] = ()
    on_lint_errors: Callable[[list[Finding], int], None] | None = None  # shown before the refusal
    on_context: Callable[[list[str]], None] | None = None  # told which other files were read (-v)


def lint_gate(declared: Declared, findings: list[Finding], files: FileSettings) -> None:
    """Refuse (exit 1) to plan files that lint reports errors in; `on_lint_errors` shows them first."""
    validate_rule_ids(files.disable)
    options = RuleOptions(allow_providers=frozenset(files.allow_providers))
    all_findings = lint(declared, findings, disabled=frozenset(files.disable), options=options).findings
    errors = [f for f in all_findings if f.level == Level.ERROR]
    if not errors:
        return
    if files.on_lint_errors is not None:
        files.on_lint_errors(errors, len(declared.files))
    noun = "error" if len(errors) == 1 else "errors"
    raise HfmapError(f"{len(errors)} lint {noun} in the mapping files; fix them before planning (hfmap lint)")


def load_for_plan(files: FileSettings, timings: Timings, retest: RetestRequest | None = None) -> Declared:
    """Load the files and every other file of their providers under the mappings root (the declared state
    is the whole provider), and lint them; a `--retest` KEY no file declares is refused here, before any
    request. A neighbour that cannot be read blocks the plan: it may hold mappings that would be deleted."""
    with timings.timed("parse"):
        declared, result = load_declared(files.paths)
        context = provider_context(resolve_paths(files.paths), result, declared.providers)
    if context.files and files.on_context is not None:
        files.on_context(context.paths)
    declared = Declared([*declared.files, *context.files])
    with timings.timed("lint"):
        lint_gate(declared, [*result.findings, *context.unreadable], files)
    if not declared.providers:
        raise HfmapError("the mapping files name no provider; nothing to plan")
    if retest is not None:
        check_retest_keys(retest, declared)
    # The file model lives until the process ends: keep the collector from rescanning it (with 10,000
    # entries, full collections during the fetch and diff otherwise cost more than the diff itself).
    gc.freeze()
    return declared


async def _read_and_plan(
    declared: Declared, hub: HubSettings, limits: SafetyLimits, timings: Timings, scope: Scope
) -> Plan:
    http, api = hub.open(with_token=False)
    async with http:
        with timings.timed("fetch"):
            live, statuses = await asyncio.gather(
                api.fetch_all(sorted(declared.providers)), ask_statuses(declared, http)
            )
    with timings.timed("diff"):
        return scoped_plan(declared, live, limits, statuses, scope)


def plan_files(
    files: FileSettings,
    hub: HubSettings,
    limits: SafetyLimits,
    timings: Timings,
    scope: Scope = Scope(),  # noqa: B008 - frozen dataclass, safe as a default
) -> Plan:
    """Load and lint the files, read the live mapping (and `auto` statuses) of every provider they name,
    and diff; `scope` narrows the plan as `apply` would carry it out."""
    declared = load_for_plan(files, timings, scope.retest)
    return asyncio.run(_read_and_plan(declared, hub, limits, timings, scope))


async def _read_live(declared: Declared, hub: HubSettings) -> dict[str, LiveState]:
    http, api = hub.open(with_token=False)  # as `plan` reads it
    async with http:
        return await api.fetch_all(sorted(declared.providers))


def plan_as_read(declared: Declared, endpoint: str, stats: HttpStats | None = None) -> Plan:
    """`declared` diffed against the live mapping as `plan` reads it (no token); `auto` statuses are not
    asked, so the live status stands. What `check --plan` narrows its questions to."""
    return make_plan(declared, asyncio.run(_read_live(declared, HubSettings(endpoint, stats=stats))))


async def _apply(
    declared: Declared,
    hub: HubSettings,
    options: ApplyOptions,
    timings: Timings,
    on_plan: Callable[[Plan], None] | None,
    on_result: Callable[[ActionResult], None] | None,
    wait: float | None,
    on_wait: WaitListener | None,
) -> ApplyReport:
    http, api = hub.open(with_token=True)
    planned: list[Plan] = []

    def plan_made(plan: Plan) -> None:
        planned.append(plan)
        if on_plan is not None:
            on_plan(plan)

    async with http:
        with timings.timed("apply"):
            report = await apply_plan(
                declared, api, options, log=hub.log, on_plan=plan_made, on_result=on_result
            )
        done = report.done()
        # what left a mapping on the Hub for its tests: done creates, updates, retests, replaces
        written = [
            Expected(a.after, a.source)
            for plan in planned
            for a in plan.actions
            if a.after is not None and a.ref in done
        ]
        if wait is not None and written:
            on_poll = None
            if on_wait is not None:
                on_wait.started([f"{e.record.provider}:{e.record.key}" for e in written], wait)
                on_poll = on_wait.polled
            with timings.timed("wait"):
                report.wait = await wait_for_tests(
                    written, hub.hub_client(http), api, wait, router=hub.router_client(http), on_poll=on_poll
                )
    _log_stats(hub, http)
    return report


def apply_files(
    files: FileSettings,
    hub: HubSettings,
    options: ApplyOptions,
    timings: Timings,
    *,
    on_plan: Callable[[Plan], None] | None = None,
    on_result: Callable[[ActionResult], None] | None = None,
    wait: float | None = None,
    on_wait: WaitListener | None = None,
) -> ApplyReport:
    """Plan afresh and carry the plan out (see `hfmap.sync.apply.apply_plan` for the rules); with `wait`
    (seconds), then watch what clients see of the written mappings (`hfmap.sync.wait`)."""
    if wait is not None:
        router_url()  # a bad HFMAP_ROUTER_URL is a usage error before anything is written
    declared = load_for_plan(files, timings, options.scope.retest)
    return asyncio.run(_apply(declared, hub, options, timings, on_plan, on_result, wait, on_wait))


async def _verify(declared: Declared, hub: HubSettings, timings: Timings) -> VerifyReport:
    http, api = hub.open(with_token=False)  # the partner list is public; model reads use the token
    async with http:
        with timings.timed("verify"):
            expected = declared_expectations(declared)
            report = await verify_mappings(expected, hub.hub_client(http), api, hub.router_client(http))
    _log_stats(hub, http)
    return report


def _log_stats(hub: HubSettings, http: HttpClient) -> None:
    """With -v: what the run's HTTP cost (requests, retries, waits)."""
    if hub.log is not None:
        hub.log(f"http: {http.stats}")


def verify_files(files: FileSettings, hub: HubSettings, timings: Timings) -> VerifyReport:
    """Load and lint the files, then read what clients see of every declared mapping."""
    router_url()  # a bad HFMAP_ROUTER_URL is a usage error before anything is read
    declared = load_for_plan(files, timings)
    return asyncio.run(_verify(declared, hub, timings))


@dataclass
class Imported:
    """`import`'s answer: the canonical file's text and what could not be expressed in it."""

    text: str
    result: ImportResult
    count: int


async def _fetch_one(hub: HubSettings, provider: str) -> LiveState:
    http, api = hub.open(with_token=False)
    async with http:
        return await api.fetch(provider)


def import_provider(provider: str, hub: HubSettings) -> Imported:
    """The live mapping of `provider` as a canonical mapping file (then `plan` shows no changes)."""
    state = asyncio.run(_fetch_one(hub, provider))
    result = live_to_document(state)
    try:
        text = canonical_dump(
            result.document, header=f"The live mapping of '{provider}', written by `hfmap import`."
        )
    except FormatError as exc:  # a safety net: the written text must read back as the same data
        raise HfmapError(f"cannot write the live mapping of '{provider}' as a mapping file: {exc}") from None
    return Imported(text, result, len(state) - len(result.unwritable))
