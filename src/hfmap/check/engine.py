"""`hfmap check` from files to findings: lint, ask each distinct question once, judge the answers.

The command converts options into `CheckOptions`, calls `run_check` and renders the result; the wiring of
the HTTP client, the answer cache and the look-ups lives here.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from hfmap.check.answers import Answers
from hfmap.check.cache import Cache
from hfmap.check.judge import check_findings, group_repeated, strictly
from hfmap.check.lookups import Lookups
from hfmap.check.planned import planned_entries
from hfmap.check.questions import Questions, entries_to_check, questions_for
from hfmap.check_rules import CHECK_RULES
from hfmap.clients.http import HttpClient, HttpStats, retry_policy
from hfmap.clients.hub import HubClient
from hfmap.clients.urls import require_http_url
from hfmap.data import closest
from hfmap.errors import UsageError
from hfmap.files.model import Declared
from hfmap.files.paths import resolve_paths
from hfmap.findings import Finding
from hfmap.lint.disables import Suppressed, apply_entry_disables
from hfmap.lint.engine import RuleOptions, lint_paths, validate_rule_ids
from hfmap.lint.rules import BY_ID
from hfmap.mapping.plan import Plan


class ProgressSink(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def close(self) -> None: ...


@dataclass
class CheckOptions:
    """Everything `check` is told: where the Hub is, which rules, how patiently to ask."""

    endpoint: str
    token: str | None = field(default=None, repr=False)
    disable: tuple[str, ...] = ()
    allow_providers: frozenset[str] = frozenset()
    strict: bool = False
    offline: bool = False
    use_cache: bool = True
    cache_dir: Path | None = None  # None: HFMAP_CACHE_DIR, else the user cache folder
    concurrency: int = 32  # per host
    timeout: float = 30.0
    retries: int = 4
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ), repr=False)
    log: Callable[[str], None] | None = None  # notes such as a long rate-limit wait
    stats: HttpStats | None = field(default=None, repr=False)  # counters to fill (`--stats`)
    changed_since: str | None = None  # check only entries that differ from this git revision
    # check only entries the plan of the files would write (and what lint flags): declared -> that plan
    plan: Callable[[Declared], Plan] | None = field(default=None, repr=False)


@dataclass
class CheckResult:
    findings: list[Finding]
    suppressed: list[Suppressed]
    files: int
    entries: int
    questions: int
    seconds: float
    stats: HttpStats
    cache_hits: int = 0
    cache_misses: int = 0
    cache_problem: str | None = None  # the cache could not be written (not an error: the next run is slower)

    def summary(self) -> str:
        """The `-v` line: what was asked, how long it took, what it cost."""
        return (
            f"checked {self.entries} entries ({self.questions} distinct questions) in {self.seconds:.2f} s: "
            f"{self.stats}; cache {self.cache_hits} hits, {self.cache_misses} misses"
            + (", not saved" if self.cache_problem else "")
        )


def split_rule_ids(ids: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """`--disable` values → (lint rules, check rules); unknown ids are a usage error with a suggestion."""
    lint_ids: set[str] = set()
    check_ids: set[str] = set()
    for rule_id in ids:
        if rule_id in CHECK_RULES:
            check_ids.add(rule_id)
        elif rule_id in BY_ID:
            validate_rule_ids([rule_id])
            lint_ids.add(rule_id)
        else:
            guess = closest(rule_id, [*BY_ID, *CHECK_RULES])
            hint = f"did you mean '{guess}'?" if guess else "see `hfmap check --list-rules`"
            raise UsageError(f"unknown rule '{rule_id}'; {hint}")
    return frozenset(lint_ids), frozenset(check_ids)


async def _ask(
    options: CheckOptions, asked: Questions, progress: ProgressSink | None
) -> tuple[Answers, HttpStats, Cache]:
    cache = Cache(options.cache_dir, enabled=options.use_cache)
    policy = retry_policy(options.retries + 1, options.env)
    advance = progress.advance if progress is not None else None
    try:
        async with HttpClient(
            timeout=options.timeout,
            concurrency=options.concurrency,
            retry=policy,
            log=options.log,
            stats=options.stats,
        ) as http:
            hub = HubClient(http, options.endpoint, options.token)
            lookups = Lookups(hub, http, cache, offline=options.offline, env=options.env, progress=advance)
            answers = await lookups.answer(asked)
            return answers, http.stats, cache
    finally:
        cache.close()


def run_check(
    paths: Iterable[Path], options: CheckOptions, progress: ProgressSink | None = None
) -> CheckResult:
    """Lint PATHS, then check every entry lint did not reject against the Hub and the providers."""
    require_http_url(options.endpoint)
    paths = resolve_paths(paths)
    if options.changed_since is not None and options.plan is not None:
        raise UsageError("--changed-since and --plan choose the entries to check in two ways; pass one")
    if options.plan is not None and options.offline:
        raise UsageError("--plan reads the live mapping from the Hub, so it cannot run offline")
    lint_disabled, check_disabled = split_rule_ids(options.disable)
    # With context, like `hfmap lint`: pre-commit names only the changed files, and a duplicate of an entry
    # in an unchanged file must still be caught; only the named files' entries are asked about.
    linted = lint_paths(
        paths, disabled=lint_disabled, options=RuleOptions(options.allow_providers), context=True
    )
    declared = linted.declared
    entries = entries_to_check(declared, linted.result.findings)
    # Imported when asked for: the git helpers are of no use to any other run.
    if options.changed_since is not None:
        from hfmap.check.changed import changed_entries

        entries = changed_entries(entries, options.changed_since, where=paths)
    elif options.plan is not None:
        entries = planned_entries(entries, declared, linted.result.findings, options.plan(declared))
    asked = questions_for(entries, check_disabled)
    started = time.monotonic()
    if progress is not None:
        progress.start(asked.total)
    try:
        answers, stats, cache = asyncio.run(_ask(options, asked, progress))
    finally:
        if progress is not None:
            progress.close()
    online = check_findings(entries, answers, check_disabled)
    online, suppressed = apply_entry_disables(online, declared)
    online = strictly(group_repeated(online), options.strict)
    return CheckResult(
        findings=[*linted.result.findings, *online],
        suppressed=[*linted.result.suppressed, *suppressed],
        files=linted.files,
        entries=len(entries),
        questions=asked.total,
        seconds=time.monotonic() - started,
        stats=stats,
        cache_hits=cache.hits,
        cache_misses=cache.misses,
        cache_problem=cache.write_problem,
    )
