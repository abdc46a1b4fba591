"""What `hfmap verify` finds as values: one verdict per declared mapping, the report, and `--wait`'s polls.

Clients resolve a provider through model info, where the Hub shows one entry per provider and model
(`Seen`), and chat calls under `provider="auto"` through the router (`Routed`); each declared mapping
(`Expected`) gets one verdict of `VERDICTS`, which says what each means and weighs (docs/verify.md's
table is that table), plus informational `notes` (e.g. which provider `auto` picks). `hfmap.sync.verify`
reads and judges; this only holds.
"""

from __future__ import annotations

import shlex
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hfmap.mapping.plan import Source
from hfmap.mapping.record import Record

REPORT_VERSION = 1
# verdict -> (level, what it means, what to do): `hfmap verify` output, exit codes and docs/verify.md's table
VERDICTS: dict[str, tuple[str, str, str]] = {
    "ok": ("ok", "visible to clients, with providerId, task and status as declared", "nothing"),
    "staging": (
        "notice",
        "staging on the Hub: only members of the provider's organization get it",
        "promote it (`status: live`) once it works; verify with a member's token to see it",
    ),
    "mismatch": (
        "warning",
        "clients get another providerId, task or status than declared (plan shows it)",
        "`hfmap apply` (the plan shows the change), or fix the file if the Hub is right",
    ),
    "no-adapter-weights": (
        "warning",
        "a tag filter resolves, but the Hub gives some models no `adapter: lora` or no "
        "`adapterWeightsPath`: clients run the base model there",
        "check the adapters' repos carry their weights file; ask Hugging Face when the Hub drops the field",
    ),
    "auto-unsupported": (
        "warning",
        'under `provider="auto"` clients pick this provider for the model, but a client cannot serve '
        "the task (huggingface_hub raises)",
        "ask the client's maintainers to add the task, or map the model's task another provider serves",
    ),
    "router-missing": (
        "warning",
        "the router does not list this provider for the chat model, so `auto` chat calls never reach it "
        "(the router may lag the Hub)",
        "verify again later; if it stays, check the mapping is live and ask Hugging Face",
    ),
    "router-unavailable": (
        "warning",
        "the router's model list could not be read: chat routing unknown",
        "verify again; check `HFMAP_ROUTER_URL` and the network",
    ),
    "unavailable": (
        "warning",
        "what clients see could not be read (timeout, 5xx after retries)",
        "verify again; check `--endpoint` and the network",
    ),
    "missing": (
        "error",
        "clients get no entry of this provider for the model",
        "`hfmap apply` creates it; if the partner list has it, ask Hugging Face",
    ),
    "error": (
        "error",
        "the Hub's test of the mapping failed (`hfmap apply --retest` runs it again)",
        "fix the provider model, then `hfmap apply --retest PROVIDER:KEY`",
    ),
    "router-error": (
        "error",
        "the router serves this provider for the chat model in `error`",
        "fix the provider model (it fails the router's health check); the router tests it again",
    ),
    "shadowed": (
        "error",
        "another mapping of the same provider wins for the model (tag filter vs direct)",
        "delete one of the two mappings, or narrow the tag filter",
    ),
    "no-match": (
        "error",
        "no Hub model carries all the tags of the tag filter",
        "fix the tags (`hfmap check` finds typos), or remove the filter",
    ),
}
LEVEL_RANK = {"ok": 0, "notice": 1, "warning": 2, "error": 3}
FAILED_TESTS = frozenset({"error", "router-error"})  # the Hub's or the router's health check failed


@dataclass(frozen=True)
class Seen:
    """One provider's entry for one model, as clients read it (fields the Hub may omit are None)."""

    provider: str
    provider_id: str | None
    task: str | None
    status: str | None
    type: str | None = None  # single-model | tag-filter
    adapter: str | None = None
    adapter_weights_path: str | None = None
    is_model_author: bool | None = None

    @property
    def from_tag_filter(self) -> bool:
        """The entry comes from a tag filter (said by `type`, else implied by a LoRA adapter)."""
        if self.type is not None:
            return self.type == "tag-filter"
        return self.adapter is not None or self.adapter_weights_path is not None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"providerId": self.provider_id, "task": self.task, "status": self.status}
        optional = {
            "type": self.type,
            "adapter": self.adapter,
            "adapterWeightsPath": self.adapter_weights_path,
            "isModelAuthor": self.is_model_author,
        }
        out.update({name: value for name, value in optional.items() if value is not None})
        return out

    @classmethod
    def from_json(cls, provider: str, data: dict[str, Any]) -> Seen:
        """The inverse of `to_json` (which leaves the provider out: the verdict says it)."""
        return cls(
            provider,
            data["providerId"],
            data["task"],
            data["status"],
            data.get("type"),
            data.get("adapter"),
            data.get("adapterWeightsPath"),
            data.get("isModelAuthor"),
        )


@dataclass(frozen=True)
class Routed:
    """What the router's model list says of a chat mapping: whether it lists the provider for the model,
    and with which status (the router's own word, None when it sent none)."""

    listed: bool
    status: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"listed": self.listed, "status": self.status}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Routed:
        return cls(bool(data["listed"]), data.get("status"))


@dataclass(frozen=True)
class AutoChoice:
    """Which provider clients pick for the model under `provider="auto"` (a non-chat task): the first
    entry of its `inferenceProviderMapping`; `unsupported_by` names the clients that cannot serve it."""

    picked: str | None
    unsupported_by: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"picked": self.picked, "unsupported_by": list(self.unsupported_by)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AutoChoice:
        return cls(data.get("picked"), tuple(data.get("unsupported_by") or ()))


@dataclass(frozen=True)
class Expected:
    """A mapping to verify: the declared record (its status may be `auto`: live and staging both fit)."""

    record: Record
    source: Source | None = None


@dataclass
class Verdict:
    """One mapping's verdict: what clients see (`seen`, None when nothing) against what is declared."""

    expected: Expected
    verdict: str
    message: str
    seen: Seen | None = None
    models: dict[str, int] = field(default_factory=dict)  # tag filters: counts over the models read
    notes: list[str] = field(default_factory=list)  # informational, whatever the verdict
    routed: Routed | None = None  # chat mappings: what the router lists
    auto: AutoChoice | None = None  # direct non-chat mappings: what `auto` picks

    def worsen(self, verdict: str, message: str) -> None:
        """Take `verdict` (a finding beyond model info: the router, `auto`) when it weighs more than the
        current one, which stays as a note; else keep the finding as a note."""
        if LEVEL_RANK[VERDICTS[verdict][0]] > LEVEL_RANK[self.level]:
            self.notes.insert(0, f"model info alone: {self.verdict} ({self.message})")
            self.verdict, self.message = verdict, message
        else:
            self.notes.append(f"{verdict}: {message}")

    @property
    def provider(self) -> str:
        return self.expected.record.provider

    @property
    def key(self) -> str:
        return self.expected.record.key

    @property
    def level(self) -> str:
        return VERDICTS[self.verdict][0]

    def retest_command(self) -> str:
        return f"hfmap apply --retest {shlex.quote(f'{self.provider}:{self.key}')}"

    def to_json(self) -> dict[str, Any]:
        source = self.expected.source
        out: dict[str, Any] = {
            "provider": self.provider,
            "key": self.key,
            "verdict": self.verdict,
            "level": self.level,
            "message": self.message,
            "declared": self.expected.record.to_json(),
            "seen": self.seen.to_json() if self.seen is not None else None,
            "source": source.to_json() if source is not None else None,
        }
        if self.models:
            out["models"] = dict(self.models)
        if self.notes:
            out["notes"] = list(self.notes)
        if self.routed is not None:
            out["router"] = self.routed.to_json()
        if self.auto is not None:
            out["auto"] = self.auto.to_json()
        if self.verdict == "error":
            out["retest"] = self.retest_command()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Verdict:
        provider = data["provider"]
        seen = data["seen"]
        return cls(
            Expected(Record.from_json(provider, data["declared"]), Source.from_json(data["source"])),
            data["verdict"],
            data["message"],
            Seen.from_json(provider, seen) if seen is not None else None,
            dict(data.get("models", {})),
            list(data.get("notes", ())),
            Routed.from_json(data["router"]) if data.get("router") is not None else None,
            AutoChoice.from_json(data["auto"]) if data.get("auto") is not None else None,
        )


@dataclass
class VerifyReport:
    """Every verdict, and what could not be read; `to_json()` is `hfmap verify --format json`."""

    verdicts: list[Verdict]
    authenticated: bool
    problems: list[str] = field(default_factory=list)  # e.g. a partner list that could not be read
    requests: int = 0

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(v.verdict for v in self.verdicts)
        return {name: counts[name] for name in VERDICTS}

    def exit_code(self, strict: bool = False) -> int:
        """0 healthy; 1 a mapping missing, in error or shadowed (or, with `strict`, any warning)."""
        failing = ("error", "warning") if strict else ("error",)
        return 1 if any(v.level in failing for v in self.verdicts) else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "authenticated": self.authenticated,
            "summary": self.summary,
            "mappings": [v.to_json() for v in self.verdicts],
            "problems": list(self.problems),
            "requests": self.requests,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VerifyReport:
        return cls(
            [Verdict.from_json(v) for v in data["mappings"]],
            data["authenticated"],
            list(data["problems"]),
            data["requests"],
        )


@dataclass
class WaitReport:
    """What the polls found: the watched mappings the Hub's tests failed, and the last verdict of each."""

    seconds: float
    polls: int = 0
    failed: list[Verdict] = field(default_factory=list)
    last: list[Verdict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # each once, in the order first met

    def to_json(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "polls": self.polls,
            "watched": len(self.failed) + len(self.last),
            "failed": [v.to_json() for v in self.failed],
            "verdicts": [v.to_json() for v in self.last],
            "problems": list(self.problems),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WaitReport:
        return cls(
            data["seconds"],
            data["polls"],
            [Verdict.from_json(v) for v in data["failed"]],
            [Verdict.from_json(v) for v in data["verdicts"]],
            list(data["problems"]),
        )
