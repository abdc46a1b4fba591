"""What `hfmap apply` did as values: each action's result, a refusal, and the whole report.

`ApplyReport.to_json()` is `hfmap apply --format json`; `from_json()` reads it back (the GitHub Action
does). A report holds only what its JSON says, so the two are one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hfmap.mapping.plan import Action, ActionRef, Attention, PlanOutline, Selection
from hfmap.mapping.safety import Safety
from hfmap.mapping.verdict import WaitReport

REPORT_VERSION = 1


@dataclass(frozen=True)
class Refusal:
    """Why apply wrote nothing: `unsafe`, `hash-mismatch`, `not-confirmed`, `no-token` or `invalid-token`
    (exit 3)."""

    code: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Refusal:
        return cls(data["code"], data["reason"])


@dataclass
class ActionResult:
    """How one action of a plan ended: `done`, `failed` or `skipped`, and why."""

    action: ActionRef
    outcome: str  # done | failed | skipped
    error: str | None = None
    note: str | None = None  # e.g. "confirmed by re-reading after a lost answer"
    request_id: str | None = None  # the Hub's X-Request-Id of the failed write (for Hugging Face support)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "action": self.action.kind,
            "provider": self.action.provider,
            "key": self.action.key,
            "outcome": self.outcome,
            "error": self.error,
        }
        if self.action.change:
            out["change"] = self.action.change
        if self.note:
            out["note"] = self.note
        if self.request_id:
            out["request_id"] = self.request_id
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActionResult:
        ref = ActionRef(data["action"], data["provider"], data["key"], data.get("change"))
        return cls(ref, data["outcome"], data["error"], data.get("note"), data.get("request_id"))


@dataclass
class ApplyReport:
    """Everything `apply` did and did not do; `to_json()` is `hfmap apply --format json`."""

    plan: PlanOutline | None  # None when apply refused before planning
    refused: Refusal | None = None
    results: list[ActionResult] = field(default_factory=list)
    verified: bool = False
    remaining: list[Action] = field(default_factory=list)
    verify_error: str | None = None
    # live mappings in a status only the Hub sets (`error`: its tests failed them), as last read
    attention: list[Attention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. whoami calls the token a read token
    wait: WaitReport | None = None  # `--wait`: what the Hub's tests made of the written mappings

    @property
    def matches_files(self) -> bool:
        """Whether the live mapping, as last read, equals the files: verified, and no selection left a
        difference out (after `--target` or `--only-auto-status`, "verified" speaks for the selection)."""
        return self.verified and not (self.plan is not None and self.plan.selection.excluded)

    @property
    def applied(self) -> bool:
        """True when apply went ahead (wrote, or had nothing to write) rather than refusing."""
        return self.refused is None and self.plan is not None

    @property
    def summary(self) -> dict[str, int]:
        counts = {"done": 0, "failed": 0, "skipped": 0}
        for result in self.results:
            counts[result.outcome] += 1
        return counts

    @property
    def exit_code(self) -> int:
        if self.refused is not None:
            return 3
        if self.summary["failed"] or self.summary["skipped"] or not self.verified:
            return 1
        if self.wait is not None and self.wait.failed:
            return 1
        return 0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": REPORT_VERSION,
            "hash": self.plan.hash if self.plan is not None else None,
            "applied": self.applied,
            "refused": self.refused.to_json() if self.refused else None,
            "results": [r.to_json() for r in self.results],
            "verified": self.verified,
            "remaining": [a.to_json() for a in self.remaining],
            "attention": [a.to_json() for a in self.attention],
            "summary": self.summary,
        }
        if self.verify_error:
            out["verify_error"] = self.verify_error
        if self.plan is not None:
            out["needs_force"] = self.plan.needs_force
            out["safety"] = self.plan.safety.to_json()
            out.update(self.plan.selection.to_json())
        out["matches_files"] = self.matches_files
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.wait is not None:
            out["wait"] = self.wait.to_json()
        return out

    def done(self) -> set[ActionRef]:
        """The actions that were carried out (what `--wait` watches, of those that leave a mapping)."""
        return {r.action for r in self.results if r.outcome == "done"}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ApplyReport:
        refused, wait = data["refused"], data.get("wait")
        plan = None
        if "safety" in data:
            plan = PlanOutline(data["hash"], Safety.from_json(data["safety"]), Selection.from_json(data))
        return cls(
            plan,
            Refusal.from_json(refused) if refused is not None else None,
            [ActionResult.from_json(r) for r in data["results"]],
            data["verified"],
            [Action.from_json(a) for a in data["remaining"]],
            data.get("verify_error"),
            [Attention.from_json(a) for a in data["attention"]],
            list(data.get("warnings", [])),
            WaitReport.from_json(wait) if wait is not None else None,
        )
