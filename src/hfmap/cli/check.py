"""`hfmap check`: lint, then ask the Hub and the providers about every entry that passed.

Exit codes as `lint`: 0 without errors (warnings allowed unless --strict), 1 with errors, 2 on usage
errors. A Hub that cannot be reached is not a crash: those checks become `check-unavailable` findings.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import TextIO

import click

from hfmap.check import lookups as checks
from hfmap.check.cache import Cache
from hfmap.cli.context import RunContext, format_option, get_run
from hfmap.cli.options import (
    load_declared,
    paths_argument,
    require_http_url,
    resolve_paths,
    rule_options,
)
from hfmap.clients.http import HttpClient, HttpStats, RetryPolicy
from hfmap.clients.hub import HubClient
from hfmap.data import closest
from hfmap.errors import UsageError
from hfmap.files.load import iter_mapping_paths
from hfmap.findings import Finding
from hfmap.lint import engine
from hfmap.lint.rules import BY_ID, RULES, can_disable
from hfmap.report.findings import format_text, render_findings


class Progress:
    """`checking 120/2000` on a terminal's stderr, only once a run has taken over a second; never in CI."""

    DELAY = 1.0

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.enabled = enabled and total > 0
        self.started = time.monotonic()
        self._drawn = 0.0

    @staticmethod
    def wanted(run: RunContext, stream: TextIO) -> bool:
        isatty = getattr(stream, "isatty", lambda: False)
        return run.format == "text" and not run.quiet and not os.environ.get("CI") and bool(isatty())

    def advance(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.DELAY or now - self._drawn < 0.1:
            return
        self._drawn = now
        width = 30
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\rchecking [{bar}] {self.done}/{self.total}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


def split_rule_ids(ids: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """`--disable` values → (lint rules, check rules); unknown ids are a usage error with a suggestion."""
    lint_ids: set[str] = set()
    check_ids: set[str] = set()
    for rule_id in ids:
        if rule_id in checks.RULES:
            check_ids.add(rule_id)
        elif rule_id in BY_ID:
            engine.validate_rule_ids([rule_id])
            lint_ids.add(rule_id)
        else:
            guess = closest(rule_id, [*BY_ID, *checks.RULES])
            hint = f"did you mean '{guess}'?" if guess else "see `hfmap check --list-rules`"
            raise UsageError(f"unknown rule '{rule_id}'; {hint}")
    return frozenset(lint_ids), frozenset(check_ids)


def _list_rules(fmt: str) -> None:
    if fmt == "json":  # the same rows as `hfmap lint --list-rules --format json`, then the online rules
        listed = [
            {"id": r.ID, "level": r.LEVEL.value, "description": r.DESCRIPTION, "can_disable": can_disable(r)}
            for r in RULES
        ]
        listed += [
            {"id": rule, "level": level.value, "description": text, "can_disable": True}
            for rule, (level, text) in checks.RULES.items()
        ]
        click.echo(json.dumps(listed, indent=2))
        return
    rows = [(r.ID, r.LEVEL.value, r.DESCRIPTION + ("" if can_disable(r) else " (always on)")) for r in RULES]
    rows += [(rule, level.value, text) for rule, (level, text) in checks.RULES.items()]
    width = max(len(r[0]) for r in rows)
    for rule_id, level, text in rows:
        click.echo(f"{rule_id:<{width}}  {level:<7}  {text}")


async def _ask(
    run: RunContext,
    asked: checks.Questions,
    *,
    concurrency: int,
    timeout: float,
    retries: int,
    use_cache: bool,
    progress: Progress,
) -> tuple[checks.Answers, HttpStats, Cache]:
    cache = Cache(enabled=use_cache)
    policy = RetryPolicy(attempts=retries + 1)
    try:
        async with HttpClient(timeout=timeout, concurrency=concurrency, retry=policy, log=run.info) as http:
            hub = HubClient(http, run.endpoint, run.token)
            lookups = checks.Lookups(
                hub, http, cache, offline=run.offline, env=os.environ, progress=progress.advance
            )
            answers = await lookups.answer(asked)
            return answers, http.stats, cache
    finally:
        cache.close()


def _go_offline(ctx: click.Context) -> None:
    get_run(ctx).offline = True


@click.command("check")
@paths_argument
@rule_options
@click.option("--strict", is_flag=True, help="Warnings and skipped checks fail the run too (exit 1).")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=32,
    show_default=True,
    metavar="N",
    # 32, not 16: Replicate has no batch look-up, so 1,000 pinned models at 50 ms each need >= 3.1 s at 16.
    help="Requests in flight at once.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Per-request timeout.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=4,
    show_default=True,
    metavar="N",
    help="Retries of a request after a transient failure (network error, 429, 5xx), with backoff.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the answer cache.")
@click.option(
    "--offline",
    is_flag=True,
    expose_value=False,
    callback=lambda ctx, _param, value: _go_offline(ctx) if value else None,
    help="Answer from the cache only (same as the global --offline, env HFMAP_OFFLINE=1).",
)
@click.option("--list-rules", is_flag=True, help="List the rules (lint and check) and exit.")
@format_option()
def check(
    paths: tuple[Path, ...],
    disable: tuple[str, ...],
    strict: bool,
    allow_providers: tuple[str, ...],
    concurrency: int,
    timeout: float,
    retries: int,
    no_cache: bool,
    list_rules: bool,
) -> None:
    """Lint, then check each entry against the Hub and the provider's API.

    Checks that each hfModel exists, is not disabled and fits the task by the Hub's own rule, that each
    hfFilter matches a model, and that each providerModel (and pinned version) exists on the provider.
    Provider tokens: HFMAP_<PROVIDER>_TOKEN or the provider's usual variable (REPLICATE_API_TOKEN, ...).
    Answers are cached (HFMAP_CACHE_DIR); --offline answers from the cache only.
    """
    run = get_run()
    if list_rules:
        _list_rules(run.format)
        return
    require_http_url(run.endpoint)
    lint_disabled, check_disabled = split_rule_ids(disable)
    declared, loaded = load_declared(paths)
    linted = engine.lint(
        declared,
        loaded.findings,
        disabled=lint_disabled,
        options=engine.RuleOptions(allow_providers=frozenset(allow_providers)),
    )
    entries = checks.entries_to_check(declared, linted.findings)
    asked = checks.questions_for(entries, check_disabled)
    stderr = sys.stderr
    progress = Progress(asked.total, stderr, Progress.wanted(run, stderr))
    started = time.monotonic()
    try:
        asking = _ask(
            run,
            asked,
            concurrency=concurrency,
            timeout=timeout,
            retries=retries,
            use_cache=not no_cache,
            progress=progress,
        )
        answers, stats, cache = asyncio.run(asking)
    finally:
        progress.close()
    online = checks.check_findings(entries, answers, check_disabled)
    online, suppressed = engine.apply_entry_disables(online, declared)
    online = checks.strictly(checks.group_repeated(online), strict)
    findings: list[Finding] = [*linted.findings, *online]
    if run.verbose:
        for item in [*linted.suppressed, *suppressed]:
            run.err(f"{format_text(item.finding)} ({item.describe()})")
        run.err(
            f"checked {len(entries)} entries ({asked.total} distinct questions) in "
            f"{time.monotonic() - started:.2f} s: {stats}; cache {cache.hits} hits, {cache.misses} misses"
        )
    files = sum(1 for _ in iter_mapping_paths(resolve_paths(paths)))
    render_findings(findings, run.format, sys.stdout, color=run.color, files=files, quiet=run.quiet)
    code = engine.exit_code(findings, strict)
    if code:
        click.get_current_context().exit(code)


command = check
