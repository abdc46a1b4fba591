"""Answers → findings at each entry's positions: "missing" and "could not find out" never mix.

A 404 is a finding about the file; a timeout is `check-unavailable`; a question not asked (offline, no
token) is a `*-check-skipped` notice. Repeated skips are grouped per file so CI annotations stay readable.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap import data
from hfmap.check.answers import Answers, FilterAnswer, HubAnswer, Skipped
from hfmap.check_rules import CHECK_RULES, GROUPED_RULES, SKIP_RULES
from hfmap.clients.hub import Missing, ModelInfo, Unavailable, suggested_task, task_fits
from hfmap.files.model import Entry
from hfmap.findings import Finding, Level
from hfmap.mapping.record import AUTO_STATUS
from hfmap.providers.base import Exists, Result, Unknown, VersionMissing
from hfmap.providers.status import StatusAnswer


def _finding(entry: Entry, key: str, rule: str, message: str) -> Finding:
    return Finding.at(entry.path, entry.where(key), CHECK_RULES[rule][0], rule, message)


def _unknown(entry: Entry, key: str, what: str, answer: Skipped | Unavailable) -> list[Finding]:
    """A Hub question not asked (a notice) or not answered (a warning), never a verdict on the file."""
    if isinstance(answer, Skipped):
        return [_finding(entry, key, "hub-check-skipped", f"{what} not checked: {answer.reason}")]
    text = f"could not check {what} on the Hub: {answer.reason}"
    return [_finding(entry, key, "check-unavailable", text)]


def _hub_findings(entry: Entry, answer: HubAnswer) -> list[Finding]:
    model = entry.hf_model
    if isinstance(answer, Skipped | Unavailable):
        return _unknown(entry, "hfModel", f"hfModel '{model}'", answer)
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
    if entry.task is not None and not any(
        task_fits(task, answer) for task in data.same_tasks(entry.provider or "", entry.task)
    ):
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
    if isinstance(answer, Skipped | Unavailable):
        return _unknown(entry, "hfFilter", f"hfFilter [{tags}]", answer)
    if answer:
        return []
    text = f"no Hub model carries all the tags [{tags}]: this filter maps nothing"
    return [_finding(entry, "hfFilter", "hf-filter-empty", text)]


def _provider_findings(entry: Entry, answer: Result) -> list[Finding]:
    model, provider = entry.provider_model, entry.provider
    if isinstance(answer, Exists):
        if answer.deprecated is None:
            return []
        text = (
            f"the {provider} API flags providerModel '{model}': {answer.deprecated}; calls to it may fail "
            "without notice, map a current model"
        )
        return [_finding(entry, "providerModel", "provider-model-deprecated", text)]
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


def _auto_findings(entry: Entry, answer: StatusAnswer | Skipped) -> list[Finding]:
    """`status: auto` that the provider's status source leaves undecided (the plan keeps the live status)."""
    key = "status" if "status" in entry.raw else "providerModel"
    what = f"the auto status of '{entry.provider_model}'"
    if isinstance(answer, Skipped):
        return [_finding(entry, key, "provider-check-skipped", f"{what} not checked: {answer.reason}")]
    if answer.status is not None:
        return []
    text = (
        f"{what} cannot be resolved now: {entry.provider} {answer.detail} "
        "(plan keeps the live status; a new mapping is created as staging)"
    )
    return [_finding(entry, key, "auto-status-unresolved", text)]


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
    if entry.status == AUTO_STATUS and key in answers.auto_statuses:
        found.extend(_auto_findings(entry, answers.auto_statuses[key]))
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
