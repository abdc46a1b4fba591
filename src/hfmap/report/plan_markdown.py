"""A plan as GitHub-flavoured Markdown: the one renderer behind `hfmap plan --format markdown` and the
Action's pull-request comment, job summary and drift issue (`hfmap.github.report` adds what is around it).

Input is a `Plan` (the Action reads `hfmap plan`'s JSON back with `Plan.from_json`), so the Action and
the CLI render exactly the same thing. Layout: a heading
with the counts, a table with one row per provider (live mappings, changes, unmanaged), the safety verdict,
what is left alone on purpose, then every change in `<details>`, and a footer with the plan hash.

Every user value goes through `escape.code` / `escape_text`. The changes table is cut to a size
budget (GitHub refuses comments over 65,536 characters and job summaries over 1 MiB) with a note that says
how many rows were left out and where the rest is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from hfmap import __version__
from hfmap.mapping.plan import Action, Attention, Plan
from hfmap.report.escape import code, escape_text
from hfmap.report.findings import plural
from hfmap.report.plan_text import SELECTION_FLAGS, raised_limits
from hfmap.report.view import View

Measure = Callable[[str], int]  # `len` for comments (characters), UTF-8 bytes for the job summary

COMMENT_BUDGET = 60_000
KINDS = ("create", "update", "replace", "delete")
FIELDS = (
    ("task", "Task"),
    ("providerModel", "Provider model"),
    ("status", "Status"),
    ("adapterType", "Adapter"),
)
CLI_MORE_NOTE = "Run `hfmap plan` (text, or `--format json`) to see them all."
_ICON = {"create": "🟢", "update": "🔵", "retest": "🔁", "replace": "🟠", "delete": "🔴"}


def kinds(plan: Plan) -> tuple[str, ...]:
    """The action kinds to count: the four of every plan, and `retest` when the plan has any."""
    if plan.summary.get("retest"):
        return ("create", "update", "retest", "replace", "delete")
    return KINDS


def summary_line(plan: Plan) -> str:
    summary = plan.summary
    return ", ".join(f"{summary.get(kind, 0)} to {kind}" for kind in kinds(plan))


def table(
    header: list[str], rows: list[str], budget: int, more_note: str, measure: Measure = len
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


def _field(action: Action, name: str) -> str:
    before = action.before.to_json().get(name) if action.before is not None else None
    after = action.after.to_json().get(name) if action.after is not None else None
    if before is None and after is None:
        return ""
    if action.action == "create" or before is None:
        return code(after)
    if action.action == "delete" or after is None:
        return f"~~{code(before)}~~"
    if before == after:
        return code(after)
    return f"{code(before)} → {code(after)}"


def _action_label(action: Action) -> str:
    kind = action.action
    label = f"{_ICON.get(kind, '')} {escape_text(kind)}".strip()
    change = action.change
    if change and change != kind:
        label += f" ({escape_text(change)})"
    if action.auto is not None and action.auto.reason:
        label += f" (auto: {escape_text(action.auto.reason)})"
    if action.destructive:
        label += " ⚠️"
    return label


def _fields(plan: Plan) -> list[tuple[str, str]]:
    """The columns worth showing: the adapter column only when some mapping has one."""
    has_adapter = any(
        record is not None and record.adapter_type
        for action in plan.actions
        for record in (action.before, action.after)
    )
    return [(name, title) for name, title in FIELDS if name != "adapterType" or has_adapter]


def plan_rows(plan: Plan) -> list[str]:
    rows = []
    fields = _fields(plan)
    for action in plan.actions:
        cells = [_action_label(action), code(action.provider), code(action.key)]
        cells += [_field(action, name) for name, _title in fields]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def provider_table(plan: Plan) -> str:
    """Changes per provider next to its live and unmanaged counts (every provider the files name)."""
    columns = kinds(plan)
    counts: dict[str, Counter[str]] = {p: Counter() for p in plan.providers}
    for action in plan.actions:
        counts.setdefault(action.provider, Counter())[action.action] += 1
    unmanaged = Counter(u.provider for u in plan.unmanaged)
    for provider in unmanaged:
        counts.setdefault(provider, Counter())
    live = {p: plan.live_counts.get(p, 0) for p in plan.providers}
    lines = [
        "| provider | live | " + " | ".join(columns) + " | unmanaged |",
        "|---|---:|" + "---:|" * (len(columns) + 1),
    ]
    for provider in sorted(counts):
        shown = escape_text(live.get(provider, "")) if live.get(provider) is not None else "?"
        cells = " | ".join(str(counts[provider][k]) for k in columns)
        lines.append(f"| {code(provider)} | {shown} | {cells} | {unmanaged[provider]} |")
    if len(counts) != 1:
        summary = plan.summary
        totals = [f"**{summary.get(k, 0)}**" for k in columns] + [f"**{sum(unmanaged.values())}**"]
        lines.append("| **total** | | " + " | ".join(totals) + " |")
    return "\n".join(lines) + "\n"


def _some(items: Sequence[Any], show: Callable[[Any], str], limit: int = 10) -> str:
    """The first `limit` items as code, then ` …` when there are more."""
    shown = ", ".join(code(show(item)) for item in items[:limit])
    return shown + (" …" if len(items) > limit else "")


def attention_note(attention: Sequence[Attention]) -> list[str]:
    """Mappings in a status the Hub's tests set: left alone, and how to have them tested again."""
    if not attention:
        return []
    shown = _some(attention, lambda a: f"{a.provider}:{a.key} ({a.status})")
    return [
        f"- ℹ️ {len(attention)} mapping(s) in a status the Hub's tests set, left alone: {shown}. "
        "To have the Hub test them again: <code>hfmap apply --retest-errors</code> (or "
        "<code>--retest PROVIDER:KEY</code>)"
    ]


def notes_block(plan: Plan) -> str:
    """What the plan leaves alone on purpose: mappings in a Hub-set status, undeclared ones kept."""
    lines = attention_note(plan.attention)
    unresolved = plan.auto_unresolved
    if unresolved:
        shown = _some(unresolved, lambda u: f"{u.provider}:{u.key} → {u.resolution.status}")
        reason = escape_text(unresolved[0].resolution.reason)
        lines.append(
            f"- ℹ️ {len(unresolved)} <code>status: auto</code> mapping(s) got no usable answer from their "
            f"provider and keep their live status (or staging when new): {shown} (first: {reason})"
        )
    excluded, selected = plan.selection.excluded, plan.selection.selected
    if selected and excluded:
        flag = SELECTION_FLAGS.get(selected, "")
        lines.append(f"- ℹ️ {len(excluded)} other change(s) left out by <code>{escape_text(flag)}</code>")
    unmanaged = plan.unmanaged
    if unmanaged:
        shown = _some(unmanaged, lambda u: f"{u.provider}:{u.key}")
        lines.append(
            f"- ℹ️ {len(unmanaged)} live mapping(s) not declared here are kept (`prune: false`). {shown}"
        )
    return "\n".join(lines) + "\n" if lines else ""


def safety_block(plan: Plan, force_hint: str) -> str:
    """The safety verdict; `force_hint` says how this reader forces (`--force`, or the Action's input)."""
    reasons = plan.safety.reasons
    if not plan.needs_force:
        raised = raised_limits(plan.safety)
        return "**Safety:** ✅ within the safety limits." + (f" {raised}" if raised else "") + "\n"
    lines = [f"**Safety:** ⚠️ **needs force** — applying this plan requires {force_hint}."]
    lines += [f"- {escape_text(reason)}" for reason in reasons]
    return "\n".join(lines) + "\n"


def plan_details(plan: Plan, budget: int, more_note: str, measure: Measure = len) -> str:
    """Every change in one table inside `<details open>`, the whole block within `budget`."""
    count = len(plan.actions)
    opening = f"<details open><summary>{plural(count, 'change')}</summary>\n\n"
    closing = "\n</details>\n"
    header = ["Action", "Provider", "Mapping"] + [title for _name, title in _fields(plan)]
    rows_budget = budget - measure(opening) - measure(closing)
    text, _left = table(header, plan_rows(plan), rows_budget, more_note, measure)
    return opening + text + closing


def footer(plan_hash: str | None, where: str = "", paths: Sequence[str] = ()) -> str:
    hash_text = code(plan_hash) if plan_hash else "none"
    parts = [f"Plan hash {hash_text}"]
    if where:
        parts.append(where)
    if paths:
        parts.append("paths " + ", ".join(code(p) for p in paths))
    parts.append(f"hfmap {__version__}")
    return f"<sub>{' · '.join(parts)}</sub>\n"


def render_markdown(
    plan: Plan,
    max_chars: int = COMMENT_BUDGET,
    *,
    title: str = "hfmap plan",
    paths: Sequence[str] = (),
    where: str = "",
    more_note: str = CLI_MORE_NOTE,
    force_hint: str = "`--force`",
    measure: Measure = len,
) -> str:
    """Summary, safety, notes, details and footer, never longer than `max_chars` (as `measure` counts).

    `paths` and `where` (e.g. "planned at <commit>") go in the
    footer; a plan without changes is one line (plus what is left alone on purpose, if anything).
    The text has no trailing newline.
    """
    notes = notes_block(plan)
    if not plan.actions:
        matched = ", ".join(code(p) for p in paths) if paths else "the files"
        line = f"**{title}:** ✅ no changes — the Hub already matches {matched}."
        return f"{line}\n\n{notes}".rstrip("\n") if notes else line
    head = f"### {title}: {summary_line(plan)}.\n\n{provider_table(plan)}\n{safety_block(plan, force_hint)}\n"
    head += f"{notes}\n" if notes else ""
    tail = "\n" + footer(plan.hash, where, paths)
    details = plan_details(plan, max_chars - measure(head) - measure(tail), more_note, measure)
    return (head + details + tail).rstrip("\n")


def render_plan(plan: Plan, view: View = View()) -> str:  # noqa: B008 - frozen
    """`hfmap plan --format markdown`: the PR comment's plan, with the CLI's defaults."""
    return render_markdown(plan)
