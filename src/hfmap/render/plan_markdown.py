"""A plan as GitHub-flavoured markdown, for a pull-request comment or a job summary.

`render_markdown(plan, max_chars=60000) -> str`: a summary table first (one row per provider),
the safety verdict, the plan hash, then each provider's changes inside `<details>`.

Every value that comes from files or from the Hub is user data and is made inert by `md_code()`:
wrapped in `<code>` (GitHub links no @mentions, #refs or emoji inside code elements) with the
characters markdown or HTML would interpret (`| \\` [ ] < > & * _ ~ # : \\`) written as entities,
`@` followed by a zero-width joiner, and newlines folded to spaces. A table cell can then never be
broken, a link or image never formed, a user never pinged.

The result stays under `max_chars` (GitHub refuses comments over 65,536 characters): detail rows are
dropped from the end, with a note saying how many were left out and how to see them all.
"""

from __future__ import annotations

from hfmap.plan import ACTION_ORDER, Action, Plan
from hfmap.render.plan_text import summary_line

SYMBOLS = {"create": "➕ create", "update": "🔄 update", "replace": "♻️ replace", "delete": "➖ delete"}
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "|": "&#124;",
    "`": "&#96;",
    "[": "&#91;",
    "]": "&#93;",
    "\\": "&#92;",
    "*": "&#42;",
    "_": "&#95;",
    "~": "&#126;",
    "#": "&#35;",
    ":": "&#58;",
    "@": "@\u200d",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
_TABLE = str.maketrans(_ENTITIES)


def md_escape(value: object) -> str:
    """User data as inert markdown text (see the module doc); other control characters are dropped."""
    text = ", ".join(value) if isinstance(value, (list, tuple)) else str(value)
    text = text.translate(_TABLE)
    return "".join(ch for ch in text if ch.isprintable() or ch == "\u200d")


def md_code(value: object) -> str:
    return f"<code>{md_escape(value)}</code>"


def _change_text(action: Action) -> str:
    if action.action == "create" and action.after is not None:
        a = action.after
        parts = [f"→ {md_code(a.provider_model)}", f"task {md_code(a.task)}", f"status {md_code(a.status)}"]
        if a.adapter_type:
            parts.append(f"adapter {md_code(a.adapter_type)}")
        return ", ".join(parts)
    if action.action == "delete" and action.before is not None:
        b = action.before
        return f"was → {md_code(b.provider_model)}, task {md_code(b.task)}, status {md_code(b.status)}"
    parts = []
    names = {
        "providerModel": "provider_model",
        "task": "task",
        "adapterType": "adapter_type",
        "status": "status",
    }
    for name in action.fields:
        old = getattr(action.before, names[name])
        new = getattr(action.after, names[name])
        parts.append(f"{name}: {md_code(old or '(none)')} → {md_code(new or '(none)')}")
    if action.change:
        parts.insert(0, f"**{action.change}**")
    return "; ".join(parts)


def _row(action: Action) -> str:
    warn = " ⚠️" if action.destructive else ""
    return f"| {SYMBOLS[action.action]}{warn} | {md_code(action.key)} | {_change_text(action)} |"


def _header(plan: Plan) -> list[str]:
    lines = [
        f"### hfmap plan: {summary_line(plan)[len('Plan: ') :]}"
        if plan.has_changes
        else "### hfmap plan: no changes",
        "",
    ]
    lines.append("| provider | live | " + " | ".join(ACTION_ORDER) + " | unmanaged |")
    lines.append("|---|---:|" + "---:|" * (len(ACTION_ORDER) + 1))
    grouped = plan.by_provider()
    unmanaged: dict[str, int] = {}
    for item in plan.unmanaged:
        unmanaged[item.provider] = unmanaged.get(item.provider, 0) + 1
    for provider in plan.providers:
        counts = dict.fromkeys(ACTION_ORDER, 0)
        for action in grouped.get(provider, []):
            counts[action.action] += 1
        cells = " | ".join(str(counts[name]) for name in ACTION_ORDER)
        lines.append(
            f"| {md_code(provider)} | {plan.live_counts.get(provider, 0)} | {cells} "
            f"| {unmanaged.get(provider, 0)} |"
        )
    lines.append("")
    if plan.needs_force:
        lines.append("> [!WARNING]")
        lines.append("> **This plan needs `--force` to apply** (safety limits exceeded):")
        lines.extend(f"> - {md_escape(reason)}" for reason in plan.safety.reasons)
        lines.append("")
    if plan.attention:
        lines.append(
            f"ℹ️ {len(plan.attention)} mapping(s) are in a status set by the Hub's own tests "
            "(e.g. `error`); hfmap leaves them alone: "
            + ", ".join(md_code(f"{a.provider}:{a.key} ({a.status})") for a in plan.attention[:10])
            + (" …" if len(plan.attention) > 10 else "")
        )
        lines.append("")
    lines.append(f"Plan hash: `{plan.hash}`")
    lines.append("")
    return lines


def render_markdown(plan: Plan, max_chars: int = 60000) -> str:
    """Summary table first, then details per provider in `<details>`; never longer than `max_chars`."""
    lines = _header(plan)
    if not plan.has_changes and not plan.unmanaged:
        return "\n".join(lines)
    omitted_note = (
        "\n_… {n} more change(s) not shown here (size limit); run `hfmap plan` or see the job log for all._\n"
    )
    budget = max_chars - len("\n".join(lines)) - len(omitted_note) - 40
    body: list[str] = []
    shown = 0
    total = len(plan.actions)
    grouped = plan.by_provider()
    full = False
    for provider in plan.providers:
        actions = grouped.get(provider, [])
        unmanaged = [u for u in plan.unmanaged if u.provider == provider]
        if not actions and not unmanaged:
            continue
        opening = [
            f"<details><summary>{md_escape(provider)}: {len(actions)} change(s)</summary>",
            "",
            "| action | key | change |",
            "|---|---|---|",
        ]
        closing = ["", "</details>", ""]
        cost = sum(len(x) + 1 for x in opening + closing)
        if full or budget - cost < 0:
            full = True
            break
        section: list[str] = list(opening)
        budget -= cost
        for action in actions:
            row = _row(action)
            if budget - len(row) - 1 < 0:
                full = True
                break
            section.append(row)
            budget -= len(row) + 1
            shown += 1
        if unmanaged and not full:
            note = (
                f"\n{len(unmanaged)} unmanaged (`prune: false`, left alone): "
                + ", ".join(md_code(u.key) for u in unmanaged[:50])
                + (" …" if len(unmanaged) > 50 else "")
            )
            if budget - len(note) >= 0:
                section.append(note)
                budget -= len(note) + 1
        section.extend(closing)
        body.extend(section)
    if shown < total:
        body.append(omitted_note.format(n=total - shown))
    return "\n".join(lines + body)
