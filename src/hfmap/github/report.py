"""What a reviewer reads: the PR comment (planned, applied, refused), job summary and drift issue.

Input is the JSON that `hfmap plan` / `hfmap apply` print, so this module depends only on the contract.
Every user value goes through `markdown.code`; tables are cut to a character budget with a note that says
how many rows were left out and where the rest is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hfmap import __version__
from hfmap.github.markdown import code, escape_text

COMMENT_LIMIT = 65_536  # GitHub rejects longer comment and issue bodies
COMMENT_BUDGET = 60_000
KINDS = ("create", "update", "replace", "delete")
FIELDS = (
    ("task", "Task"),
    ("providerModel", "Provider model"),
    ("status", "Status"),
    ("adapterType", "Adapter"),
)
_ICON = {"create": "🟢", "update": "🔵", "replace": "🟠", "delete": "🔴"}


@dataclass(frozen=True)
class Commit:
    sha: str
    url: str = ""

    def markdown(self) -> str:
        short = code(self.sha[:7] or "unknown")
        return f"[{short}]({self.url})" if self.url and self.sha else short


def summary_line(plan: dict[str, Any]) -> str:
    summary = plan.get("summary") or {}
    parts = [f"{int(summary.get(kind, 0))} to {kind}" for kind in KINDS]
    return ", ".join(parts)


def change_count(plan: dict[str, Any]) -> int:
    return sum(int((plan.get("summary") or {}).get(kind, 0)) for kind in KINDS)


def _field(action: dict[str, Any], name: str) -> str:
    before = (action.get("before") or {}).get(name)
    after = (action.get("after") or {}).get(name)
    if before is None and after is None:
        return ""
    if action.get("action") == "create" or before is None:
        return code(after)
    if action.get("action") == "delete" or after is None:
        return f"~~{code(before)}~~"
    if before == after:
        return code(after)
    return f"{code(before)} → {code(after)}"


def _action_label(action: dict[str, Any]) -> str:
    kind = str(action.get("action", ""))
    label = f"{_ICON.get(kind, '')} {escape_text(kind)}".strip()
    change = action.get("change")
    if change and change != kind:
        label += f" ({escape_text(change)})"
    if action.get("destructive"):
        label += " ⚠️"
    return label


def utf8_len(text: str) -> int:
    """Size as GitHub counts the job summary (bytes); comments are counted in characters (`len`)."""
    return len(text.encode("utf-8"))


def _table(
    header: list[str], rows: list[str], budget: int, more_note: str, measure: Callable[[str], int] = len
) -> tuple[str, int]:
    """A table of the `rows` that fit `budget` (as `measure` counts); returns (text, rows left out)."""
    head = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
    out, used = [head], measure(head)
    for index, row in enumerate(rows):
        line = row + "\n"
        size = measure(line)
        if used + size + measure(more_note) + 40 > budget:
            left = len(rows) - index
            out.append(f"\n… {left} more not shown. {more_note}\n")
            return "".join(out), left
        out.append(line)
        used += size
    return "".join(out), 0


def _fields(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """The columns worth showing: the adapter column only when some mapping has one."""
    actions = plan.get("actions") or []
    has_adapter = any(
        (a.get("before") or {}).get("adapterType") or (a.get("after") or {}).get("adapterType")
        for a in actions
    )
    return [(name, title) for name, title in FIELDS if name != "adapterType" or has_adapter]


def plan_rows(plan: dict[str, Any]) -> list[str]:
    rows = []
    fields = _fields(plan)
    for action in plan.get("actions") or []:
        cells = [_action_label(action), code(action.get("provider", "")), code(action.get("key", ""))]
        cells += [_field(action, name) for name, _title in fields]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def provider_table(plan: dict[str, Any]) -> str:
    """Changes per provider next to its live mapping count (every provider the files name)."""
    counts: dict[str, Counter] = {str(p): Counter() for p in plan.get("providers") or {}}
    for action in plan.get("actions") or []:
        counts.setdefault(str(action.get("provider", "")), Counter())[str(action.get("action", ""))] += 1
    live = {
        str(p): (v or {}).get("live") for p, v in (plan.get("providers") or {}).items() if isinstance(v, dict)
    }
    lines = ["| Provider | live | " + " | ".join(KINDS) + " |", "|---|---:|" + "---:|" * len(KINDS)]
    for provider in sorted(counts):
        shown = escape_text(live.get(provider, "")) if live.get(provider) is not None else "?"
        cells = " | ".join(str(counts[provider][k]) for k in KINDS)
        lines.append(f"| {code(provider)} | {shown} | {cells} |")
    if len(counts) != 1:
        summary = plan.get("summary") or {}
        lines.append("| **total** | | " + " | ".join(f"**{int(summary.get(k, 0))}**" for k in KINDS) + " |")
    return "\n".join(lines) + "\n"


def notes_block(plan: dict[str, Any]) -> str:
    """What the plan leaves alone on purpose: mappings in a Hub-set status, undeclared ones kept."""
    lines = []
    attention = plan.get("attention") or []
    if attention:
        shown = ", ".join(
            code(f"{a.get('provider')}:{a.get('key')} ({a.get('status')})") for a in attention[:10]
        )
        more = " …" if len(attention) > 10 else ""
        lines.append(
            f"- ℹ️ {len(attention)} mapping(s) in a status the Hub's tests set, left alone: {shown}{more}"
        )
    unmanaged = plan.get("unmanaged") or []
    if unmanaged:
        lines.append(f"- ℹ️ {len(unmanaged)} live mapping(s) not declared here are kept (`prune: false`).")
    return "\n".join(lines) + "\n" if lines else ""


def safety_block(plan: dict[str, Any], forced: bool = False) -> str:
    reasons = (plan.get("safety") or {}).get("reasons") or []
    if not plan.get("needs_force"):
        return "**Safety:** ✅ within the safety limits.\n"
    lines = ["**Safety:** ⚠️ **needs force** — applying this plan requires `force: true`."]
    if forced:
        lines[0] = "**Safety:** ⚠️ **needs force** — `force` is set, so it will be applied."
    lines += [f"- {escape_text(reason)}" for reason in reasons]
    return "\n".join(lines) + "\n"


def plan_details(
    plan: dict[str, Any], budget: int, more_note: str, measure: Callable[[str], int] = len
) -> str:
    header = ["Action", "Provider", "Mapping"] + [title for _name, title in _fields(plan)]
    table, _left = _table(header, plan_rows(plan), budget, more_note, measure)
    count = len(plan.get("actions") or [])
    return (
        f"<details open><summary>{count} change{'s' if count != 1 else ''}</summary>\n\n{table}\n</details>\n"
    )


def footer(plan_hash: str | None, commit: Commit, paths: list[str]) -> str:
    shown = ", ".join(code(p) for p in paths)
    hash_text = code(plan_hash) if plan_hash else "none"
    where = f"planned at {commit.markdown()} · paths {shown}"
    return f"<sub>Plan hash {hash_text} · {where} · hfmap {__version__}</sub>\n"


def plan_markdown(
    plan: dict[str, Any],
    *,
    commit: Commit,
    paths: list[str],
    budget: int = COMMENT_BUDGET,
    more_note: str = "The full plan is in the job summary and the `plan.json` artifact.",
    title: str = "hfmap plan",
    forced: bool = False,
    measure: Callable[[str], int] = len,
) -> str:
    """The plan as a reviewer reads it: summary, safety, details, hash and commit; one line when empty."""
    if change_count(plan) == 0:
        return f"**{title}:** ✅ no changes — the Hub already matches {', '.join(code(p) for p in paths)}.\n"
    notes = notes_block(plan)
    head = f"### {title}: {summary_line(plan)}\n\n{provider_table(plan)}\n{safety_block(plan, forced)}\n"
    head += f"{notes}\n" if notes else ""
    tail = "\n" + footer(plan.get("hash"), commit, paths)
    details = plan_details(plan, budget - measure(head) - measure(tail), more_note, measure)
    return head + details + tail


def apply_markdown(
    result: dict[str, Any], *, commit: Commit, budget: int = COMMENT_BUDGET, reviewed: Commit | None = None
) -> str:
    """The outcome of an apply: per-action results, verification and what remains."""
    results = result.get("results") or []
    failed = [r for r in results if r.get("outcome") == "failed"]
    if failed:
        head = f"### ❌ Apply at {commit.markdown()}: {len(failed)} of {len(results)} operations failed\n\n"
    elif results:
        head = f"### ✅ Applied at {commit.markdown()}: {len(results)} operations\n\n"
    else:
        head = f"### ✅ Nothing to apply at {commit.markdown()}: the Hub already matched\n\n"
    verified = "✅ verified: the Hub matches the files" if result.get("verified") else "⚠️ not verified"
    remaining = result.get("remaining") or []
    notes = f"**Verification:** {verified}."
    if remaining:
        notes += f" {len(remaining)} change(s) remain; the next run will plan them again."
    rows = []
    for item in results:
        outcome = str(item.get("outcome", ""))
        icon = {"done": "✅", "failed": "❌", "skipped": "⏭️"}.get(outcome, "")
        error = code(item.get("error")) if item.get("error") else ""
        cells = [
            escape_text(item.get("action", "")),
            code(item.get("provider", "")),
            code(item.get("key", "")),
        ]
        rows.append("| " + " | ".join([*cells, f"{icon} {escape_text(outcome)}", error]) + " |")
    table = ""
    if rows:
        table, _left = _table(
            ["Action", "Provider", "Mapping", "Outcome", "Error"],
            rows,
            budget - len(head) - len(notes) - 200,
            "Every result is in the job summary.",
        )
        table = f"<details open><summary>Results</summary>\n\n{table}\n</details>\n\n"
    hash_text = code(result.get("hash")) if result.get("hash") else "none"
    where = f" · reviewed at {reviewed.markdown()}" if reviewed and reviewed.sha else ""
    return f"{head}{table}{notes}\n\n<sub>Plan hash {hash_text}{where} · hfmap {__version__}</sub>\n"


def refused_markdown(
    refused: dict[str, Any],
    *,
    approved_hash: str | None,
    approved_summary: dict[str, Any] | None,
    new_plan: dict[str, Any] | None,
    commit: Commit,
    paths: list[str],
    budget: int = COMMENT_BUDGET,
) -> str:
    """Why nothing was applied, and (for a changed plan) what the plan is now next to what was reviewed."""
    code_name = str(refused.get("code", ""))
    reason = escape_text(refused.get("reason", ""))
    if code_name == "hash-mismatch":
        head = f"### ⛔ Not applied at {commit.markdown()}: the plan changed since it was reviewed\n\n"
        reviewed = summary_line({"summary": approved_summary}) if approved_summary else "unknown"
        now = summary_line(new_plan) if new_plan else "unknown"
        head += "| | plan hash | changes |\n|---|---|---|\n"
        head += f"| reviewed | {code(approved_hash or 'none')} | {reviewed} |\n"
        head += f"| now | {code((new_plan or {}).get('hash', ''))} | {now} |\n\n"
        head += (
            "Nothing was written. The live mapping (or the files) changed after the review: open a pull "
            "request to review the plan below; merging it applies that plan.\n\n"
        )
    elif code_name == "unsafe":
        head = f"### ⛔ Not applied at {commit.markdown()}: the plan needs force\n\n{reason}\n\n"
        head += "Nothing was written. Set `force: true` on the apply workflow to carry it out.\n\n"
    elif code_name == "no-token":
        head = f"### ⛔ Not applied at {commit.markdown()}: no Hugging Face token\n\n"
        head += "Nothing was written. Give the workflow `hf-token` (a secret with write access).\n\n"
    else:
        head = f"### ⛔ Not applied at {commit.markdown()}: {escape_text(code_name)}\n\n{reason}\n\n"
    if new_plan is None:
        return head
    body = plan_markdown(new_plan, commit=commit, paths=paths, budget=budget - len(head), title="Plan now")
    return head + body


def failure_markdown(what: str, message: str, commit: Commit) -> str:
    return f"### ❌ hfmap could not {what} at {commit.markdown()}\n\n{code(message)}\n"
