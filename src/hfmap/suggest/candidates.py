"""Listed provider ids → mapping candidates: which Hub repo each names, how surely, and what to drop.

Pure: the engine asks the Hub, this decides. A listed id names a repo exactly, with another letter case
(the Hub resolves any), or after removing one of the provider's decorations. One Hub repo is one mapping
identity, so of several listed ids naming it the surest (then the first by id) is kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hfmap.check.answers import HubAnswer, Skipped
from hfmap.clients.hub import CONVERSATIONAL, ModelInfo, Unavailable, suggested_task
from hfmap.lint.rules import hf_model_id, provider_model_id

CONFIDENCE = ("exact", "case-folded", "decorated")
STATUS = "staging"


@dataclass(frozen=True)
class Match:
    """A listed id and the Hub repo it may name (`how`: the decoration removed, empty for none)."""

    listed: str
    asked: str
    how: str = ""


@dataclass(frozen=True)
class Candidate:
    """A mapping the provider could add, with why hfmap thinks so."""

    provider: str
    provider_id: str
    hub_id: str
    task: str
    confidence: str
    evidence: str

    def sort_key(self) -> tuple[int, str, str]:
        return CONFIDENCE.index(self.confidence), self.hub_id.lower(), self.provider_id

    def to_json(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "hub_id": self.hub_id,
            "task": self.task,
            "status": STATUS,
            "confidence": self.confidence,
            "evidence": self.evidence,
        }


@dataclass
class Sorted:
    """The candidates, and how many matches were dropped for each reason."""

    candidates: list[Candidate] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    unchecked: dict[str, str] = field(default_factory=dict)  # Hub id -> why the Hub gave no answer


def askable(listed: Iterable[str]) -> list[str]:
    """The listed ids that could be Hub repo ids as they are (anything else cannot be asked about)."""
    return [i for i in listed if not hf_model_id.problems(i)]


def decorated(listed: Iterable[str], undecorate: Callable[[str], list[tuple[str, str]]]) -> list[Match]:
    """Each way a listed id may name a Hub repo once its decorations are removed."""
    return [
        Match(i, stem, how) for i in listed for stem, how in undecorate(i) if not hf_model_id.problems(stem)
    ]


def _evidence(provider: str, match: Match, info: ModelInfo, task: str) -> str:
    said = f"{provider} lists '{match.listed}'"
    if match.how:
        said += f" ({match.how} removed)"
    elif info.id != match.listed:
        said += f" (the Hub spells it '{info.id}')"
    hub = f"Hub: {info.pipeline_tag}" + (f" + {CONVERSATIONAL}" if task == CONVERSATIONAL else "")
    return f"{said}; {hub}" + ("; gated" if info.gated else "")


def _confidence(match: Match, info: ModelInfo) -> str:
    if match.how:
        return "decorated"
    return "exact" if info.id == match.listed else "case-folded"


@dataclass(frozen=True)
class Exclusions:
    """What the candidates must leave out: keys the files or the Hub hold (folded), ignore patterns."""

    taken: Mapping[str, str]  # folded repo id -> "declared" or "live"
    is_ignored: Callable[[str], bool]
    tasks: frozenset[str]  # what the clients serve for this provider


def sort_matches(
    provider: str, matches: Iterable[Match], answers: Mapping[str, HubAnswer], rules: Exclusions
) -> Sorted:
    """The candidates among `matches`, surest first, one per Hub repo; every drop counted by reason."""
    out = Sorted()
    best: dict[str, Candidate] = {}
    for match in matches:
        info = answers.get(match.asked)
        reason = _drop_reason(provider, match, info, rules, out)
        if reason is not None:
            out.dropped[reason] += 1
            continue
        assert isinstance(info, ModelInfo)
        task = suggested_task(info) or ""
        candidate = Candidate(
            provider,
            match.listed,
            info.id,
            task,
            _confidence(match, info),
            _evidence(provider, match, info, task),
        )
        folded = info.id.lower()
        kept = best.get(folded)
        if kept is not None:
            out.dropped["another listed id names the same repo"] += 1
        if kept is None or candidate.sort_key() < kept.sort_key():
            best[folded] = candidate
    out.candidates = sorted(best.values(), key=Candidate.sort_key)
    return out


def _drop_reason(
    provider: str, match: Match, info: HubAnswer | None, rules: Exclusions, out: Sorted
) -> str | None:
    if isinstance(info, Unavailable | Skipped):
        out.unchecked[match.asked] = info.reason
        return "the Hub did not answer"
    if not isinstance(info, ModelInfo):
        return "not a public Hub repo"
    if info.id.lower() != match.asked.lower():  # a renamed repo, or a Hub answering for another one
        return "the Hub answered with another repo id"
    if info.private:
        return "private on the Hub"
    if info.disabled:
        return "disabled on the Hub"
    task = suggested_task(info)
    if task is None:
        return "no pipeline tag on the Hub"
    if task not in rules.tasks:
        return f"task the clients do not serve for {provider}"
    taken = rules.taken.get(info.id.lower())
    if taken is not None:
        return f"already {taken}"
    if rules.is_ignored(info.id):
        return "covered by an `ignore` pattern"
    if provider_model_id.problem(provider, match.listed):
        return "the listed id is not a valid providerModel"
    return None
