"""The online checks: ask the Hub and the providers about every declared entry, turn answers into findings.

Two layers, kept apart: `Lookups` asks each distinct question once (the same model in ten entries is
one request), answering from the cache when it can; `entry_findings` turns the answers into findings at
the entry's positions. "Missing" and "could not find out" never mix: a 404 is a finding about the file,
a timeout is `check-unavailable`, a question not asked (offline, no token) is a `*-check-skipped` notice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from hfmap.check.cache import NEGATIVE_TTL, POSITIVE_TTL, Cache
from hfmap.check.rules import CHECK_RULES
from hfmap.clients.http import HttpClient
from hfmap.clients.hub import HubClient, Missing, ModelInfo, Unavailable, suggested_task, task_fits
from hfmap.files.model import Declared, Entry, MappingFile, Position
from hfmap.findings import Finding, Level
from hfmap.providers import REGISTRY, Exists, Result, Unknown, VersionMissing, make_plugin
from hfmap.providers import Missing as ProviderMissing

RULES = CHECK_RULES  # rule id -> (level, description); the table lives in hfmap.check.rules
SKIP_RULES = frozenset({"provider-check-skipped", "hub-check-skipped"})
GROUPED_RULES = SKIP_RULES | {"check-unavailable"}
HUB_RULES = frozenset({"hf-model-missing", "hf-model-disabled", "hf-model-private", "hf-task-mismatch"})
PROVIDER_RULES = frozenset({"provider-model-missing", "provider-version-missing"})
NOT_CACHED = "offline, and the answer is not in the cache"
LIST_THRESHOLD = 50  # uncached Hub look-ups for one provider's entries before its model list is read first
LIST_PER_PAGE_WORTH = 100  # read one more page of that list per this many look-ups it may save


@dataclass(frozen=True)
class Skipped:
    """A Hub question not asked (offline and not cached)."""

    reason: str


HubAnswer = ModelInfo | Missing | Unavailable | Skipped
FilterAnswer = bool | Unavailable | Skipped


# -- cache encoding ---------------------------------------------------------------------------------------


def _encode_hub(answer: HubAnswer) -> tuple[dict[str, Any], float] | None:
    if isinstance(answer, ModelInfo):
        return {"t": "model", **answer.to_dict()}, POSITIVE_TTL
    if isinstance(answer, Missing):
        return {"t": "missing", "reason": answer.reason, "maybe_private": answer.maybe_private}, NEGATIVE_TTL
    return None


def _decode_hub(value: dict[str, Any]) -> HubAnswer | None:
    try:
        if value["t"] == "model":
            return ModelInfo.from_dict(value)
        if value["t"] == "missing":
            return Missing(str(value["reason"]), bool(value.get("maybe_private")))
    except (KeyError, TypeError, ValueError):
        return None
    return None


def _encode_provider(answer: Result) -> tuple[dict[str, Any], float] | None:
    if isinstance(answer, Exists):
        return {"t": "exists"}, POSITIVE_TTL
    if isinstance(answer, ProviderMissing):
        return {"t": "missing", "reason": answer.reason}, NEGATIVE_TTL
    if isinstance(answer, VersionMissing):
        return {"t": "version-missing", "version": answer.version}, NEGATIVE_TTL
    return None


def _decode_provider(value: dict[str, Any]) -> Result | None:
    kind = value.get("t")
    if kind == "exists":
        return Exists()
    if kind == "missing" and isinstance(value.get("reason"), str):
        return ProviderMissing(value["reason"])
    if kind == "version-missing" and isinstance(value.get("version"), str):
        return VersionMissing(value["version"])
    return None


# -- asking -----------------------------------------------------------------------------------------------


@dataclass
class Questions:
    """The distinct remote questions a set of entries raises."""

    hub_models: dict[str, list[str]] = field(default_factory=dict)  # repo id -> providers mapping it
    tag_filters: dict[tuple[str, ...], None] = field(default_factory=dict)
    provider_models: dict[str, dict[str, None]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.hub_models) + len(self.tag_filters) + sum(map(len, self.provider_models.values()))


@dataclass
class Answers:
    hub_models: dict[str, HubAnswer] = field(default_factory=dict)
    tag_filters: dict[tuple[str, ...], FilterAnswer] = field(default_factory=dict)
    provider_models: dict[tuple[str, str], Result] = field(default_factory=dict)


def _wants(entry: Entry, rules: Iterable[str], disabled: frozenset[str]) -> bool:
    return any(rule not in disabled and not entry.is_disabled(rule) for rule in rules)


def questions_for(entries: Iterable[Entry], disabled: frozenset[str] = frozenset()) -> Questions:
    """What to ask, deduplicated; nothing is asked for an entry whose rules are all switched off."""
    asked = Questions()
    unavailable = ("check-unavailable", "hub-check-skipped")
    for entry in entries:
        if entry.hf_model is not None and entry.hf_filter is None:
            if _wants(entry, (*HUB_RULES, *unavailable), disabled):
                asked.hub_models.setdefault(entry.hf_model, []).append(entry.provider or "")
        elif (
            entry.hf_filter
            and entry.hf_model is None
            and _wants(entry, ("hf-filter-empty", *unavailable), disabled)
        ):
            asked.tag_filters[tuple(sorted(entry.hf_filter))] = None
        if entry.provider and entry.provider_model:
            rules = (*PROVIDER_RULES, "provider-check-skipped", "check-unavailable")
            if _wants(entry, rules, disabled):
                asked.provider_models.setdefault(entry.provider, {})[entry.provider_model] = None
    return asked


class Lookups:
    """Answers remote questions once each: from the cache, else (unless offline) from the network."""

    def __init__(
        self,
        hub: HubClient,
        http: HttpClient,
        cache: Cache,
        *,
        offline: bool = False,
        env: Mapping[str, str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.hub = hub
        self.http = http
        self.cache = cache
        self.offline = offline
        self.env = env or {}
        self._progress = progress or (lambda _n: None)
        self._hub_tasks: dict[str, asyncio.Task[HubAnswer]] = {}
        self._hub_known: dict[str, HubAnswer] = {}  # answered by the cache or by a provider's model list
        self._hub_not_cached: set[str] = set()  # looked up in the cache once already
        self._auth = "1" if hub.authenticated else "0"

    def _hub_key(self, repo_id: str) -> str:
        return f"{self.hub.model_url(repo_id)}?auth={self._auth}"

    def _cached_hub(self, repo_id: str) -> HubAnswer | None:
        known = self._hub_known.get(repo_id)
        if known is None and repo_id not in self._hub_not_cached:
            self._hub_not_cached.add(repo_id)
            cached = self.cache.get(self._hub_key(repo_id))
            known = _decode_hub(cached) if cached is not None else None
            if known is not None:
                self._hub_known[repo_id] = known
        return known

    def _store_hub(self, repo_id: str, answer: HubAnswer) -> None:
        encoded = _encode_hub(answer)
        if encoded is not None:
            self.cache.put(self._hub_key(repo_id), *encoded)

    async def _hub_model(self, repo_id: str) -> HubAnswer:
        answer = self._cached_hub(repo_id)
        if answer is None:
            if self.offline:
                return Skipped(NOT_CACHED)
            answer = await self.hub.model_info(repo_id)
            self._store_hub(repo_id, answer)
        return answer

    async def prefetch_served(self, provider: str, repo_ids: list[str]) -> int:
        """Answer many model look-ups from one listing of the models `provider` serves live.

        A live mapping's model is in that list with the fields the checks need, so a repository whose
        entries are mostly live costs a request per thousand models instead of one per model. Models not
        in the list (new, staging, private, missing) are looked up one by one afterwards, as before.
        At most one page per LIST_PER_PAGE_WORTH look-ups is read, so a provider serving far more models
        than the files declare never costs more than it saves. Returns how many were answered.
        """
        wanted = set(repo_ids)
        listed = await self.hub.served_models(provider, max_pages=1 + len(repo_ids) // LIST_PER_PAGE_WORTH)
        if isinstance(listed, Unavailable):
            return 0  # the one-by-one look-ups will find out (and report) what is wrong
        answered = 0
        for info in listed:
            if info.id in wanted and info.id not in self._hub_known:
                self._hub_known[info.id] = info
                self._store_hub(info.id, info)
                answered += 1
        return answered

    def hub_model(self, repo_id: str) -> asyncio.Task[HubAnswer]:
        task = self._hub_tasks.get(repo_id)
        if task is None:
            task = self._hub_tasks[repo_id] = asyncio.ensure_future(self._hub_model(repo_id))
        return task

    async def tag_filter(self, tags: tuple[str, ...]) -> FilterAnswer:
        query = urlencode([("filter", t) for t in tags] + [("limit", "1"), ("auth", self._auth)])
        key = f"{self.hub.endpoint}/api/models?{query}"
        cached = self.cache.get(key)
        if cached is not None and isinstance(cached.get("match"), bool):
            return cached["match"]
        if self.offline:
            return Skipped(NOT_CACHED)
        answer = await self.hub.models_with_tags(tags)
        if isinstance(answer, bool):
            self.cache.put(key, {"t": "filter", "match": answer}, POSITIVE_TTL if answer else NEGATIVE_TTL)
        return answer

    async def _hf_inference(self, model_id: str) -> Result:
        answer = await self.hub_model(model_id)
        if isinstance(answer, ModelInfo):
            return Exists()
        if isinstance(answer, Missing):
            return ProviderMissing(answer.reason)
        if isinstance(answer, Skipped):
            return Unknown(answer.reason, skipped=True)
        return Unknown(f"the Hub did not answer: {answer.reason}")

    async def provider_models(self, provider: str, ids: list[str]) -> dict[str, Result]:
        if provider == "hf-inference":
            answers = await gather_all(*(self._hf_inference(i) for i in ids))
            return dict(zip(ids, answers, strict=True))
        spec = REGISTRY.get(provider)
        results: dict[str, Result] = {}
        todo: list[str] = []
        base = spec.base_url(self.env) if spec is not None else None
        for model_id in ids:
            cached = self.cache.get(f"{base}#provider={provider}&model={model_id}") if base else None
            answer = _decode_provider(cached) if cached is not None else None
            if answer is None:
                todo.append(model_id)
            else:
                results[model_id] = answer
        if not todo:
            return results
        if self.offline:
            results.update(dict.fromkeys(todo, Unknown(NOT_CACHED, skipped=True)))
            return results
        plugin = make_plugin(provider, self.http, self.env, hub=self.hub)
        if isinstance(plugin, Unknown):
            results.update(dict.fromkeys(todo, plugin))
            return results
        fetched = await plugin.exists(todo)
        for model_id, answer in fetched.items():
            encoded = _encode_provider(answer)
            if encoded is not None:
                self.cache.put(f"{base}#provider={provider}&model={model_id}", *encoded)
        results.update(fetched)
        return results

    async def answer(self, asked: Questions) -> Answers:
        """Ask everything at once (the HTTP layer bounds concurrency); progress is reported per answer."""
        answers = Answers()

        async def hub(repo_id: str) -> None:
            answers.hub_models[repo_id] = await self.hub_model(repo_id)
            self._progress(1)

        async def hub_group(provider: str, repo_ids: list[str]) -> None:
            if provider and len(repo_ids) >= LIST_THRESHOLD:
                await self.prefetch_served(provider, repo_ids)
            await gather_all(*(hub(r) for r in repo_ids))

        async def tags(key: tuple[str, ...]) -> None:
            answers.tag_filters[key] = await self.tag_filter(key)
            self._progress(1)

        async def provider_batch(name: str, ids: list[str]) -> None:
            for model_id, result in (await self.provider_models(name, ids)).items():
                answers.provider_models[(name, model_id)] = result
            self._progress(len(ids))

        # Hub questions the cache cannot answer, grouped by the (first) provider that maps the model.
        groups: dict[str, list[str]] = {}
        for repo_id, providers in asked.hub_models.items():
            uncached = not self.offline and self._cached_hub(repo_id) is None
            groups.setdefault(providers[0] if uncached and providers else "", []).append(repo_id)

        await gather_all(
            *(hub_group(name, repo_ids) for name, repo_ids in groups.items()),
            *(tags(t) for t in asked.tag_filters),
            *(provider_batch(name, list(ids)) for name, ids in asked.provider_models.items()),
        )
        return answers


async def gather_all(*awaitables: Any) -> list[Any]:
    """`asyncio.gather` that lets every task finish and then raises the first error (e.g. InvalidToken),
    so no task's failure is left unretrieved (asyncio would print it on stderr at exit)."""
    outcomes = await asyncio.gather(*awaitables, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


# -- judging ----------------------------------------------------------------------------------------------


def _finding(entry: Entry, key: str, rule: str, message: str) -> Finding:
    return Finding.at(entry.path, entry.where(key), RULES[rule][0], rule, message)


def _hub_findings(entry: Entry, answer: HubAnswer) -> list[Finding]:
    model = entry.hf_model
    if isinstance(answer, Skipped):
        text = f"hfModel '{model}' not checked: {answer.reason}"
        return [_finding(entry, "hfModel", "hub-check-skipped", text)]
    if isinstance(answer, Unavailable):
        text = f"could not check hfModel '{model}' on the Hub: {answer.reason}"
        return [_finding(entry, "hfModel", "check-unavailable", text)]
    if isinstance(answer, Missing):
        text = f"hfModel '{model}' does not exist on the Hub"
        if answer.maybe_private:
            text += " (or it is private: without HF_TOKEN the Hub does not say which)"
        return [_finding(entry, "hfModel", "hf-model-missing", text)]
    found: list[Finding] = []
    if answer.disabled:
        text = f"hfModel '{model}' is disabled on the Hub; the Hub serves no mapping of a disabled model"
        found.append(_finding(entry, "hfModel", "hf-model-disabled", text))
    if answer.private:
        text = f"hfModel '{model}' is private: people using the Hub cannot see or run it"
        found.append(_finding(entry, "hfModel", "hf-model-private", text))
    if entry.task is not None and not task_fits(entry.task, answer):
        found.append(_finding(entry, "task", "hf-task-mismatch", _mismatch(entry.task, model or "", answer)))
    return found


def _mismatch(task: str, model: str, info: ModelInfo) -> str:
    """Why the Hub would refuse this mapping, and the task that it would accept."""
    pipeline = info.pipeline_tag
    use = suggested_task(info)
    if pipeline is None:
        return (
            f"task '{task}' does not fit '{model}': it has no pipeline tag on the Hub, so the Hub accepts "
            "no mapping of it until its model card sets `pipeline_tag`"
        )
    if task == "conversational" and pipeline in ("text-generation", "image-text-to-text"):
        return (
            f"task 'conversational' needs a chat model: '{model}' has pipeline tag '{pipeline}' but not the "
            f"'conversational' tag; use task '{use}'"
        )
    return f"task '{task}' does not fit '{model}', whose pipeline tag is '{pipeline}'; use task '{use}'"


def _filter_findings(entry: Entry, answer: FilterAnswer) -> list[Finding]:
    tags = ", ".join(entry.hf_filter or ())
    if isinstance(answer, Skipped):
        text = f"hfFilter [{tags}] not checked: {answer.reason}"
        return [_finding(entry, "hfFilter", "hub-check-skipped", text)]
    if isinstance(answer, Unavailable):
        text = f"could not check hfFilter [{tags}] on the Hub: {answer.reason}"
        return [_finding(entry, "hfFilter", "check-unavailable", text)]
    if answer:
        return []
    text = f"no Hub model carries all the tags [{tags}]: this filter maps nothing"
    return [_finding(entry, "hfFilter", "hf-filter-empty", text)]


def _provider_findings(entry: Entry, answer: Result) -> list[Finding]:
    model, provider = entry.provider_model, entry.provider
    if isinstance(answer, Exists):
        return []
    if isinstance(answer, Unknown):
        if answer.skipped:
            text = f"providerModel '{model}' not checked: {answer.reason}"
            return [_finding(entry, "providerModel", "provider-check-skipped", text)]
        text = f"could not check providerModel '{model}' on {provider}: {answer.reason}"
        return [_finding(entry, "providerModel", "check-unavailable", text)]
    if isinstance(answer, VersionMissing):
        name = (model or "").partition(":")[0]
        text = f"{provider} model '{name}' exists but has no version '{answer.version}'"
        return [_finding(entry, "providerModel", "provider-version-missing", text)]
    text = f"providerModel '{model}' does not exist on {provider} ({answer.reason})"
    return [_finding(entry, "providerModel", "provider-model-missing", text)]


def entry_findings(entry: Entry, answers: Answers) -> list[Finding]:
    """Every online finding about one entry (before rule switches)."""
    found: list[Finding] = []
    if entry.hf_model is not None and entry.hf_model in answers.hub_models:
        found.extend(_hub_findings(entry, answers.hub_models[entry.hf_model]))
    if entry.hf_filter and tuple(sorted(entry.hf_filter)) in answers.tag_filters:
        found.extend(_filter_findings(entry, answers.tag_filters[tuple(sorted(entry.hf_filter))]))
    key = (entry.provider or "", entry.provider_model or "")
    if key in answers.provider_models:
        found.extend(_provider_findings(entry, answers.provider_models[key]))
    return found


def group_repeated(findings: list[Finding]) -> list[Finding]:
    """One finding per file for the same skip / unavailability reason, at its first place, with a count.

    Without a token, every Replicate entry would otherwise print the same notice; one line per file
    says it as well and keeps CI annotations readable.
    """
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    out: list[Finding] = []
    for finding in findings:
        if finding.rule not in GROUPED_RULES:
            out.append(finding)
            continue
        reason = finding.message.split(": ", 1)[-1] if ": " in finding.message else finding.message
        groups.setdefault((finding.path, finding.rule, reason), []).append(finding)
    for group in groups.values():
        first = min(group, key=lambda f: (f.line, f.column))
        if len(group) > 1:
            others = len(group) - 1
            head, _, reason = first.message.partition(": ")
            more = f"(and {others} more {'entry' if others == 1 else 'entries'} in this file)"
            message = f"{head} {more}: {reason}"
            first = Finding(first.path, first.line, first.column, first.level, first.rule, message)
        out.append(first)
    return out


def strictly(findings: list[Finding], strict: bool) -> list[Finding]:
    """With --strict a skipped check is a failure: its notice is raised to a warning."""
    if not strict:
        return findings
    return [
        Finding(f.path, f.line, f.column, Level.WARNING, f.rule, f.message) if f.rule in SKIP_RULES else f
        for f in findings
    ]


def check_findings(entries: Iterable[Entry], answers: Answers, disabled: frozenset[str]) -> list[Finding]:
    """Findings of all entries with `--disable` rules removed (entry comments are applied by the caller)."""
    found: list[Finding] = []
    for entry in entries:
        found.extend(f for f in entry_findings(entry, answers) if f.rule not in disabled)
    return found


def entries_to_check(declared: Declared, lint_findings: Iterable[Finding]) -> list[Entry]:
    """Entries with no lint error inside them: an entry lint rejects is not worth asking the Hub about."""
    errors: dict[str, list[int]] = {}
    for finding in lint_findings:
        if finding.level is Level.ERROR:
            errors.setdefault(finding.path, []).append(finding.line)
    chosen: list[Entry] = []
    for file in declared.files:
        entries = sorted(file.entries, key=lambda e: e.pos.line)
        lines = errors.get(file.path, [])
        for index, entry in enumerate(entries):
            if entry.provider is None:
                continue
            end = entries[index + 1].pos.line - 1 if index + 1 < len(entries) else _last_line(file, entry.pos)
            if any(entry.pos.line <= line <= end for line in lines):
                continue
            chosen.append(entry)
    return chosen


def _last_line(file: MappingFile, start: Position) -> int:
    """Last line of the last entry: before the next top-level key after it, or the end of the file."""
    later = [
        node.key.line
        for path, node in file.positions.items()
        if len(path) == 1 and node.key is not None and node.key.line > start.line
    ]
    return min(later) - 1 if later else max(1, len(file.text.splitlines()))
