"""Carry out a plan on the Hub: in contract order, bounded, truthful about every outcome.

The rules that make a rerun converge and a lost answer harmless:
- writes go in the contract's order (creates, updates, replaces, deletes), each phase finished before
  the next; within a phase, actions run concurrently (bounded by the HTTP client);
- a POST whose answer was lost (timeout, dropped connection, 5xx, or a 409 "already exists") is never
  blindly sent again: the provider's live mapping is re-read first, and the create counts as done
  when the mapping is there as declared; re-reads triggered by many failures at once are shared;
- DELETE and PUT address one `_id`, so a retry cannot touch another mapping; a DELETE answered 404
  is confirmed against a re-read (the id is gone) rather than assumed;
- a `replace` whose DELETE failed never POSTs; one whose POST failed after the DELETE says so
  plainly (the key is unmapped until the next apply);
- the first write to each provider goes alone: when the Hub refuses it (401/403), no other write to
  that provider is sent (reported as skipped); a 401, or any refusal after whoami called the token a
  read token, stops every provider;
- afterwards the live state is read again and planned against the files: what still differs of the
  selected actions is reported (`remaining`; `verified` is true only when nothing does), and what a
  selection left out (`excluded`); `matches_files` is true only when neither holds anything.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from hfmap.clients.http import header_problem
from hfmap.clients.partner import PartnerApi, WriteResult
from hfmap.errors import HfmapError
from hfmap.files.model import Declared
from hfmap.mapping.apply_report import ActionResult, ApplyReport, Refusal
from hfmap.mapping.plan import ACTION_ORDER, Action, Plan
from hfmap.mapping.record import LiveMapping, LiveState, Record
from hfmap.mapping.safety import SafetyLimits
from hfmap.sync.plan import Scope, scoped_plan
from hfmap.sync.status import ask_statuses

ALL = "*"  # the scope of a refusal that stops writes to every provider


def token_refusal(token: str | None) -> Refusal | None:
    """Why apply cannot even try this token (none, or not sendable), before any request."""
    if not token:
        return Refusal("no-token", "no Hub token: pass --token, set HF_TOKEN or run `hf auth login`")
    problem = header_problem(token)
    return Refusal("invalid-token", f"the Hub token cannot be sent: {problem}") if problem else None


class Outcome(NamedTuple):
    """One write with its read-back: done or not, the error, a note, and the failed write's request id."""

    ok: bool
    error: str | None = None
    note: str | None = None
    request_id: str | None = None


class FirstWriteGate:
    """The first write of a scope goes alone; the rest wait for its answer, so a refusal stops them unsent."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.opened = False


class LiveReader:
    """Reads of live state that callers can share: a read that *started* after `not_before` is reused."""

    def __init__(self, api: PartnerApi) -> None:
        self.api = api
        self._latest: dict[str, tuple[float, LiveState]] = {}
        self._inflight: dict[str, tuple[float, asyncio.Future[LiveState]]] = {}

    async def read(self, provider: str, not_before: float) -> LiveState:
        latest = self._latest.get(provider)
        if latest is not None and latest[0] >= not_before:
            return latest[1]
        inflight = self._inflight.get(provider)
        if inflight is not None and inflight[0] >= not_before:
            return await asyncio.shield(inflight[1])
        started = time.monotonic()
        task = asyncio.ensure_future(self.api.fetch(provider))
        self._inflight[provider] = (started, task)
        try:
            state = await asyncio.shield(task)
        finally:
            if self._inflight.get(provider, (0.0, None))[1] is task:
                del self._inflight[provider]
        previous = self._latest.get(provider)
        if previous is None or started > previous[0]:
            self._latest[provider] = (started, state)
        return state


class Executor:
    """Runs the actions of one plan and returns one `ActionResult` per action, in plan order."""

    def __init__(
        self,
        api: PartnerApi,
        log: Callable[[str], None] | None = None,
        on_result: Callable[[ActionResult], None] | None = None,
        *,
        read_role: bool = False,
    ) -> None:
        self.api = api
        self._on_result = on_result
        self.reader = LiveReader(api)
        # Actions in flight at once (the HTTP client bounds requests too); checked before each starts,
        # so a refusal (401/403) seen by one action stops the ones still waiting.
        self._slots = asyncio.Semaphore(api.http.concurrency)
        self.denied: dict[str, str] = {}  # provider (or ALL) -> the Hub's refusal, after a 401/403
        self._gates: dict[str, FirstWriteGate] = {}
        self._read_role = read_role  # whoami called the token a read token: one refusal stops everything
        self._log = log

    def _note(self, text: str) -> None:
        if self._log is not None:
            self._log(text)

    async def run(self, plan: Plan) -> list[ActionResult]:
        results: dict[int, ActionResult] = {}
        for kind in ACTION_ORDER:
            batch = [(i, a) for i, a in enumerate(plan.actions) if a.action == kind]
            if not batch:
                continue
            outcomes = await asyncio.gather(*(self._guarded(a) for _, a in batch))
            for (i, _), outcome in zip(batch, outcomes, strict=True):
                results[i] = outcome
        return [results[i] for i in range(len(plan.actions))]

    async def _guarded(self, action: Action) -> ActionResult:
        gate = self._gates.setdefault(ALL if self._read_role else action.provider, FirstWriteGate())
        result: ActionResult | None = None
        if not gate.opened:
            async with gate.lock:
                if not gate.opened:  # this is the first write of its scope: alone, the others wait
                    result = await self._in_slot(action)
                    gate.opened = True
        if result is None:
            result = await self._in_slot(action)
        if self._on_result is not None:
            self._on_result(result)  # as each finishes: an interrupted run can still say what was done
        return result

    async def _in_slot(self, action: Action) -> ActionResult:
        async with self._slots:
            return await self._one(action)

    async def _one(self, action: Action) -> ActionResult:
        refusal = self.denied.get(ALL) or self.denied.get(action.provider)
        if refusal is not None:
            whom = "any provider" if ALL in self.denied else "this provider"
            return ActionResult(
                action.ref, "skipped", f"not attempted: the Hub refused writes for {whom} ({refusal})"
            )
        try:
            handler = {
                "create": self._create,
                "update": self._update,
                "retest": self._update,  # the same PUT: re-sending the status makes the Hub test again
                "replace": self._replace,
                "delete": self._delete,
            }
            return await handler[action.action](action)
        except HfmapError as exc:  # a re-read failed: say exactly that
            return ActionResult(action.ref, "failed", exc.message)

    async def _reread(self, provider: str, observed: float, why: str) -> LiveState:
        """The live state read after `observed`; when that read fails, say what was (not) confirmed."""
        try:
            return await self.reader.read(provider, observed)
        except HfmapError as exc:
            raise HfmapError(
                f"{why}; could not re-read the live mapping to see whether the Hub acted: {exc.message}"
            ) from None

    def _deny(self, provider: str, result: WriteResult) -> None:
        """A 401 (the token) or any refusal of a read token stops every provider; a 403 stops one."""
        scope = ALL if result.status == 401 or self._read_role else provider
        self.denied.setdefault(scope, result.message)

    # -- the four kinds --------------------------------------------------------------------------------------

    async def _create(self, action: Action) -> ActionResult:
        assert action.after is not None
        ok, error, note, request = await self.post(action.after)
        return ActionResult(action.ref, "done" if ok else "failed", error, note, request)

    async def _update(self, action: Action) -> ActionResult:
        assert action.after is not None and action.live_id is not None
        result = await self.api.set_status(action.provider, action.live_id, action.after.status)
        if result.ok:
            return ActionResult(action.ref, "done")
        if result.denied:
            self._deny(action.provider, result)
        observed = time.monotonic()
        if result.ambiguous or result.status == 404:
            live = await self._reread(action.provider, observed, result.message)
            current = live.get(action.key)
            if (
                current is not None
                and current.id == action.live_id
                and current.record.status == action.after.status
            ):
                return ActionResult(action.ref, "done", note="confirmed by re-reading after a lost answer")
        return ActionResult(action.ref, "failed", result.message, request_id=result.request_id)

    async def _delete(self, action: Action) -> ActionResult:
        ok, error, note, request = await self.delete(action)
        return ActionResult(action.ref, "done" if ok else "failed", error, note, request)

    async def _replace(self, action: Action) -> ActionResult:
        assert action.after is not None
        try:
            ok, error, note, request = await self.delete(action)
        except HfmapError as exc:
            return ActionResult(
                action.ref,
                "failed",
                f"DELETE of the old mapping is unconfirmed ({exc.message}); nothing was created",
            )
        if not ok:
            return ActionResult(
                action.ref,
                "failed",
                f"DELETE of the old mapping failed ({error}); it is still live, nothing was created",
                request_id=request,
            )
        try:
            ok, error, note2, request = await self.post(action.after)
        except HfmapError as exc:
            ok, error, note2, request = False, exc.message, None, None
        if not ok:
            return ActionResult(
                action.ref,
                "failed",
                f"the old mapping was deleted but creating the new one failed ({error}); "
                f"'{action.key}' is unmapped on the Hub until apply runs again",
                request_id=request,
            )
        return ActionResult(action.ref, "done", note=note or note2)

    # -- single writes with read-back ------------------------------------------------------------------------

    async def post(self, record: Record) -> Outcome:
        """Create `record`, never twice: the HTTP policy sends it again after a lost answer only when a
        re-read of the live mapping shows it is not there."""
        seen = ReadBack(self, record)
        result = await self.api.create(record, landed=seen.landed)
        if result.ok:
            return Outcome(True)
        if result.denied:
            self._deny(record.provider, result)
            return Outcome(False, result.message, None, result.request_id)
        if seen.found is None and (result.status == 409 or (result.ambiguous and not seen.reads)):
            await seen.landed(
                result.status or 0, result.message
            )  # a 409 may be our own earlier create whose answer was lost
        if seen.found is not None:
            return seen.outcome(result)
        if seen.reads and result.status != 409:
            tries = f"tried {seen.reads} times; " if seen.reads > 1 else ""
            return Outcome(
                False, f"{result.message} ({tries}the mapping is not on the Hub)", None, result.request_id
            )
        return Outcome(False, result.message, None, result.request_id)

    async def delete(self, action: Action) -> Outcome:
        """Delete the mapping `action.live_id` names; a 404 or lost answer is checked against a re-read."""
        assert action.live_id is not None
        result = await self.api.delete(action.provider, action.live_id)
        if result.ok:
            return Outcome(True)
        if result.denied:
            self._deny(action.provider, result)
            return Outcome(False, result.message, None, result.request_id)
        if result.ambiguous or result.status == 404:
            observed = time.monotonic()
            live = await self._reread(action.provider, observed, result.message)
            current = live.get(action.key)
            if current is None or current.id != action.live_id:
                return Outcome(True, note="confirmed gone by re-reading")
        return Outcome(False, result.message, None, result.request_id)


class ReadBack:
    """The read that decides whether a create whose answer was lost took effect (the HTTP policy's
    `landed`): the mapping found under the record's key, if any, and how many reads it took."""

    def __init__(self, executor: Executor, record: Record) -> None:
        self.executor, self.record = executor, record
        self.found: LiveMapping | None = None
        self.reads = 0

    async def landed(self, status: int | None, why: str) -> bool:
        """True when a mapping now holds the key (ours or another: either way, never POST again)."""
        return await self.read(f"no answer from the Hub: {why}" if status is None else why)

    async def read(self, why: str) -> bool:
        """Re-read the provider's live mapping (`why` says what left the create open)."""
        self.reads += 1
        observed = time.monotonic()
        record = self.record
        self.executor._note(f"{record.provider}: {record.key}: {why}; re-reading the live mapping")
        live = await self.executor._reread(record.provider, observed, why)
        self.found = live.get(record.key)
        return self.found is not None

    def outcome(self, result: WriteResult) -> Outcome:
        """Done when the mapping found is the one declared; a failure naming what the Hub holds if not."""
        assert self.found is not None
        current = self.found.record
        if current.same_values(self.record):
            return Outcome(True, note="confirmed by re-reading after a lost answer")
        return Outcome(
            False,
            f"{result.message}; the Hub now holds a different mapping for this key "
            f"(providerModel {current.provider_model}, task {current.task}, status {current.status})",
            None,
            result.request_id,
        )


@dataclass
class ApplyOptions:
    limits: SafetyLimits = field(default_factory=SafetyLimits)
    expect_hash: str | None = None
    force: bool = False
    scope: Scope = field(default_factory=Scope)
    # Asked once the plan is known to be safe and writable, before the first write: None goes ahead,
    # a Refusal (`not-confirmed`) writes nothing. None: consent was given up front (--yes, a hash).
    confirm: Callable[[Plan], Refusal | None] | None = None


async def apply_plan(
    declared: Declared,
    api: PartnerApi,
    options: ApplyOptions,
    *,
    log: Callable[[str], None] | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    on_result: Callable[[ActionResult], None] | None = None,
) -> ApplyReport:
    """Plan afresh, refuse if the plan is not the approved one or unsafe, write, re-read and verify.

    `on_plan` sees the fresh plan before any write (the command prints it); `on_result` sees each
    action's result as it finishes. Refusals happen before any write.
    """
    providers = sorted(declared.providers)
    live, statuses = await asyncio.gather(api.fetch_all(providers), ask_statuses(declared, api.http))
    plan = scoped_plan(declared, live, options.limits, statuses, options.scope)
    if on_plan is not None:
        on_plan(plan)
    if options.expect_hash is not None and options.expect_hash != plan.hash:
        return ApplyReport(
            plan.outline(),
            Refusal(
                "hash-mismatch",
                f"the plan changed since it was approved: expected {options.expect_hash}, "
                f"the fresh plan is {plan.hash}",
            ),
        )
    if plan.needs_force and not options.force:
        return ApplyReport(
            plan.outline(),
            Refusal("unsafe", "safety limits exceeded: " + "; ".join(plan.safety.reasons) + " (use --force)"),
        )
    report = ApplyReport(plan.outline(), attention=plan.attention)
    if not plan.has_changes:
        report.verified = True
        return report
    token = await api.check_token()
    if token.refusal is not None:
        return ApplyReport(plan.outline(), Refusal("invalid-token", token.refusal))
    refusal = options.confirm(plan) if options.confirm is not None else None
    if refusal is not None:
        return ApplyReport(plan.outline(), refusal)
    if token.warning is not None:
        report.warnings.append(token.warning)
        if log is not None:
            log(f"warning: {token.warning}")
    executor = Executor(api, log, on_result, read_role=token.warning is not None)
    report.results = await executor.run(plan)
    try:
        after = await api.fetch_all(providers)
    except HfmapError as exc:
        report.verify_error = f"could not re-read the live mapping to verify: {exc.message}"
        return report
    # The same answers as the plan (asked again, a flapping provider would look like a failed write),
    # no retests (whether a retest passes is the Hub's test to say, later: `--wait`), the same selection:
    # `verified` speaks for the selected actions, `excluded` lists every difference left out of them.
    check = scoped_plan(declared, after, options.limits, statuses, options.scope, verifying=True)
    report.remaining = check.actions
    if report.plan is not None:
        report.plan = replace(
            report.plan, selection=replace(report.plan.selection, excluded=check.selection.excluded)
        )
    report.attention = check.attention
    report.verified = not check.actions
    return report
