"""A plan as a Terraform-like listing: `+` create, `~` update, `-/+` replace, `-` delete, by provider.

Input is a `Plan`, like every plan renderer. Live data comes from the
Hub and may hold anything, so every value is passed through `clean()`: control characters (an ANSI
escape in a hostile key, say) are shown escaped, never sent to the terminal.
"""

from __future__ import annotations

import shlex

import click

from hfmap.mapping.plan import Action, Plan, Selection
from hfmap.mapping.safety import Safety, SafetyLimits
from hfmap.report.escape import clean
from hfmap.report.findings import plural
from hfmap.report.view import View

SYMBOLS = {"create": "+", "update": "~", "retest": "~", "replace": "-/+", "delete": "-"}
_COLORS = {"create": "green", "update": "yellow", "retest": "cyan", "replace": "magenta", "delete": "red"}
FIELD_ORDER = ("hfModel", "hfFilter", "providerModel", "task", "status", "adapterType")


def _shown(value: object) -> str:
    return "(none)" if value is None else clean(value)


def summary_line(plan: Plan) -> str:
    s = plan.summary
    retest = f"{s['retest']} to retest, " if s.get("retest") else ""
    return (
        f"Plan: {s['create']} to create, {s['update']} to update, {retest}"
        f"{s['replace']} to replace, {s['delete']} to delete."
    )


def retest_command(provider: str, key: str) -> str:
    """The command that re-sends a mapping's status so the Hub tests it again (`provider:key`, quoted)."""
    return f"hfmap apply --retest {shlex.quote(f'{provider}:{key}')}"


def action_title(action: Action) -> str:
    """`update (promote)`, `create (auto: replicate says online)`, `replace (providerModel changed; ...)`."""
    kind = action.action
    details = [action.change] if action.change else []
    if kind == "replace":
        details.append(f"{', '.join(action.fields)} changed; DELETE then POST")
    if kind == "retest":
        details.append("status re-sent so the Hub tests it again")
    if action.auto is not None:
        details.append(f"auto: {clean(action.auto.reason)}")
    return f"{kind} ({'; '.join(details)})" if details else kind


def _detail_lines(action: Action) -> list[tuple[str, str]]:
    """(field, shown value) pairs: the record for create/delete, `old -> new` where replace/update differ."""
    kind = action.action
    if kind in ("create", "delete", "retest"):
        shown = action.before if kind == "delete" else action.after
        record = shown.to_json() if shown is not None else {}
        return [(name, clean(record[name])) for name in FIELD_ORDER[2:] if record.get(name) is not None]
    before = action.before.to_json() if action.before is not None else {}
    after = action.after.to_json() if action.after is not None else {}
    changed = set(action.fields)
    lines = []
    for name in FIELD_ORDER[2:]:
        old, new = before.get(name), after.get(name)
        if name in changed:
            lines.append((name, f"{_shown(old)} -> {_shown(new)}"))
        elif new is not None and kind == "replace":
            lines.append((name, clean(new)))
    return lines


def render_action(action: Action, color: bool) -> list[str]:
    kind = action.action
    head = f"  {SYMBOLS[kind]} {clean(action.key)}"
    note = f"  # {action_title(action)}"
    if color:
        head = click.style(head, fg=_COLORS[kind])
        note = click.style(note, dim=True)
    lines = [head + note]
    details = _detail_lines(action)
    width = max((len(name) for name, _ in details), default=0)
    lines.extend(f"      {name + ':':<{width + 1}} {value}" for name, value in details)
    return lines


def render_plan(plan: Plan, view: View = View()) -> str:  # noqa: B008 - frozen
    """The whole listing, ending with the `Plan: ...` summary line (or `No changes.`)."""
    color = view.color
    out: list[str] = []
    grouped: dict[str, list[Action]] = {name: [] for name in plan.providers}
    for action in plan.actions:
        grouped.setdefault(action.provider, []).append(action)
    unmanaged: dict[str, list[str]] = {}
    for item in plan.unmanaged:
        unmanaged.setdefault(item.provider, []).append(item.key)
    attention: dict[str, list[str]] = {}
    for notice in plan.attention:
        attention.setdefault(notice.provider, []).append(
            f"! {clean(notice.key)}: status '{clean(notice.status)}' on the Hub "
            f"(declared {clean(notice.declared)}); set by the Hub's own tests, hfmap leaves it alone; "
            f"to have it tested again: {clean(retest_command(notice.provider, notice.key))}"
        )
    for unresolved in plan.auto_unresolved:
        resolution = unresolved.resolution
        attention.setdefault(unresolved.provider, []).append(
            f"? {clean(unresolved.key)}: status auto → {clean(resolution.status)}: {clean(resolution.reason)}"
        )
    for provider in plan.providers:
        actions = grouped.get(provider, [])
        live = plan.live_counts.get(provider, 0)
        ignored = plan.ignored.get(provider, 0)
        header = f"{clean(provider)} ({plural(live, 'live mapping')}"
        header += f", {ignored} ignored)" if ignored else ")"
        header += f": {plural(len(actions), 'change')}" if actions else ": no changes"
        out.append(click.style(header, bold=True) if color else header)
        for action in actions:
            out.extend(render_action(action, color))
        for line in attention.get(provider, []):
            out.append(f"  {line}")
        keys = unmanaged.get(provider, [])
        if keys:
            out.append(
                f"  {len(keys)} unmanaged (prune: false, left alone): "
                + ", ".join(clean(k) for k in keys[:20])
            )
            if len(keys) > 20:
                out[-1] += f", ... ({len(keys) - 20} more)"
        out.append("")
    out.extend(selection_lines(plan.selection))
    if plan.needs_force:
        warn = "This plan needs --force to apply:"
        out.append(click.style(warn, fg="yellow") if color else warn)
        out.extend(f"  - {reason}" for reason in plan.safety.reasons)
        out.append("")
    elif raised := raised_limits(plan.safety):
        out.extend([raised, ""])
    if plan.actions:
        out.append(summary_line(plan))
        if view.apply_args is not None:
            out.extend(apply_hint(plan.hash, list(view.apply_args)))
    elif plan.selection.selected:
        out.append(f"No changes to carry out ({SELECTION_FLAGS[plan.selection.selected]}).")
    else:
        out.append("No changes. The live mapping matches the files.")
    return "\n".join(out)


def raised_limits(safety: Safety) -> str:
    """The safety limits when a plan with destructive actions passed them raised above the defaults, else
    "": a reviewer should see that the guard was moved, not only that the plan passed it."""
    limits = safety.limits
    if not (safety.destructive and limits.raised):
        return ""
    default = SafetyLimits()
    return (
        f"Safety limits raised to {limits.max_percent:g} % / {limits.max_count} destructive actions per "
        f"provider (defaults {default.max_percent:g} % / {default.max_count})."
    )


SELECTION_FLAGS = {"auto-status": "--only-auto-status", "retest": "--retest", "target": "--target"}


def apply_hint(plan_hash: str, args: list[str]) -> list[str]:
    """The plan's hash and the command that applies exactly this plan (paths shell-quoted)."""
    command = shlex.join(["hfmap", "apply", "--expect-hash", plan_hash, *args])
    return ["", f"Plan hash: {plan_hash}", f"To apply exactly this plan: {clean(command)}"]


def selection_lines(selection: Selection) -> list[str]:
    """What a selection (`--only-auto-status`, `--retest`, `--target`) leaves out, and retest keys not in
    `error`."""
    lines: list[str] = []
    excluded = selection.excluded
    if selection.selected and excluded:
        shown = ", ".join(f"{SYMBOLS[e.action]} {clean(e.key)}" for e in excluded[:20])
        more = f", ... ({len(excluded) - 20} more)" if len(excluded) > 20 else ""
        flag = SELECTION_FLAGS[selection.selected]
        lines += [f"Left out by {flag}: {len(excluded)} other change(s): {shown}{more}", ""]
    for item in selection.not_retested:
        lines.append(f"Not retested: {clean(item)}: it is not in status 'error'")
    if selection.not_retested:
        lines.append("")
    return lines
