"""A plan as a Terraform-like listing: `+` create, `~` update, `-/+` replace, `-` delete, by provider.

Input is the contract's plan JSON (`Plan.to_json()`), like every plan renderer. Live data comes from the
Hub and may hold anything, so every value is passed through `clean()`: control characters (an ANSI
escape in a hostile key, say) are shown escaped, never sent to the terminal.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

import click

from hfmap.report.escape import clean
from hfmap.report.findings import plural
from hfmap.report.view import View

SYMBOLS = {"create": "+", "update": "~", "retest": "~", "replace": "-/+", "delete": "-"}
_COLORS = {"create": "green", "update": "yellow", "retest": "cyan", "replace": "magenta", "delete": "red"}
FIELD_ORDER = ("hfModel", "hfFilter", "providerModel", "task", "status", "adapterType")


def _shown(value: object) -> str:
    return "(none)" if value is None else clean(value)


def summary_line(plan: Mapping[str, Any]) -> str:
    s = plan["summary"]
    retest = f"{s['retest']} to retest, " if s.get("retest") else ""
    return (
        f"Plan: {s['create']} to create, {s['update']} to update, {retest}"
        f"{s['replace']} to replace, {s['delete']} to delete."
    )


def retest_command(provider: str, key: str) -> str:
    """The command that re-sends a mapping's status so the Hub tests it again (`provider:key`, quoted)."""
    return f"hfmap apply --retest {shlex.quote(f'{provider}:{key}')}"


def action_title(action: Mapping[str, Any]) -> str:
    """`update (promote)`, `create (auto: replicate says online)`, `replace (providerModel changed; ...)`."""
    kind = action["action"]
    details = [action["change"]] if action.get("change") else []
    if kind == "replace":
        details.append(f"{', '.join(action.get('fields') or ())} changed; DELETE then POST")
    if kind == "retest":
        details.append("status re-sent so the Hub tests it again")
    if action.get("auto"):
        details.append(f"auto: {clean(action['auto']['reason'])}")
    return f"{kind} ({'; '.join(details)})" if details else kind


def _detail_lines(action: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, shown value) pairs: the record for create/delete, `old -> new` where replace/update differ."""
    kind = action["action"]
    if kind in ("create", "delete", "retest"):
        record = action["before"] if kind == "delete" else action["after"]
        return [(name, clean(record[name])) for name in FIELD_ORDER[2:] if record.get(name) is not None]
    before, after = action["before"], action["after"]
    changed = set(action.get("fields") or ())
    lines = []
    for name in FIELD_ORDER[2:]:
        old, new = before.get(name), after.get(name)
        if name in changed:
            lines.append((name, f"{_shown(old)} -> {_shown(new)}"))
        elif new is not None and kind == "replace":
            lines.append((name, clean(new)))
    return lines


def render_action(action: Mapping[str, Any], color: bool) -> list[str]:
    kind = action["action"]
    head = f"  {SYMBOLS[kind]} {clean(action['key'])}"
    note = f"  # {action_title(action)}"
    if color:
        head = click.style(head, fg=_COLORS[kind])
        note = click.style(note, dim=True)
    lines = [head + note]
    details = _detail_lines(action)
    width = max((len(name) for name, _ in details), default=0)
    lines.extend(f"      {name + ':':<{width + 1}} {value}" for name, value in details)
    return lines


def render_plan(plan: Mapping[str, Any], view: View = View()) -> str:  # noqa: B008 - frozen
    """The whole listing, ending with the `Plan: ...` summary line (or `No changes.`)."""
    color = view.color
    out: list[str] = []
    providers: Mapping[str, Any] = plan.get("providers") or {}
    grouped: dict[str, list[Mapping[str, Any]]] = {name: [] for name in providers}
    for action in plan["actions"]:
        grouped.setdefault(action["provider"], []).append(action)
    unmanaged: dict[str, list[str]] = {}
    for item in plan.get("unmanaged") or ():
        unmanaged.setdefault(item["provider"], []).append(item["key"])
    attention: dict[str, list[str]] = {}
    for item in plan.get("attention") or ():
        attention.setdefault(item["provider"], []).append(
            f"! {clean(item['key'])}: status '{clean(item['status'])}' on the Hub "
            f"(declared {clean(item['declared'])}); set by the Hub's own tests, hfmap leaves it alone; "
            f"to have it tested again: {clean(retest_command(item['provider'], item['key']))}"
        )
    for item in plan.get("auto_unresolved") or ():
        attention.setdefault(item["provider"], []).append(
            f"? {clean(item['key'])}: status auto → {clean(item['status'])}: {clean(item['reason'])}"
        )
    for provider, counts in providers.items():
        actions = grouped.get(provider, [])
        live = counts.get("live", 0)
        ignored = counts.get("ignored", 0)
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
    out.extend(_selection_lines(plan))
    if plan.get("needs_force"):
        warn = "This plan needs --force to apply:"
        out.append(click.style(warn, fg="yellow") if color else warn)
        out.extend(f"  - {reason}" for reason in (plan.get("safety") or {}).get("reasons") or ())
        out.append("")
    if plan["actions"]:
        out.append(summary_line(plan))
        if plan.get("apply_args") is not None:
            out.extend(apply_hint(plan["hash"], plan["apply_args"]))
    elif plan.get("selected"):
        out.append(f"No changes to carry out ({SELECTION_FLAGS[plan['selected']]}).")
    else:
        out.append("No changes. The live mapping matches the files.")
    return "\n".join(out)


SELECTION_FLAGS = {"auto-status": "--only-auto-status", "retest": "--retest", "target": "--target"}


def apply_hint(plan_hash: str, args: list[str]) -> list[str]:
    """The plan's hash and the command that applies exactly this plan (paths shell-quoted)."""
    command = shlex.join(["hfmap", "apply", "--expect-hash", plan_hash, *args])
    return ["", f"Plan hash: {plan_hash}", f"To apply exactly this plan: {clean(command)}"]


def _selection_lines(plan: Mapping[str, Any]) -> list[str]:
    """What a selection (`--only-auto-status`, `--retest`) leaves out, and retest keys not in `error`."""
    lines: list[str] = []
    excluded = plan.get("excluded") or []
    if plan.get("selected") and excluded:
        shown = ", ".join(f"{SYMBOLS[e['action']]} {clean(e['key'])}" for e in excluded[:20])
        more = f", ... ({len(excluded) - 20} more)" if len(excluded) > 20 else ""
        flag = SELECTION_FLAGS[plan["selected"]]
        lines += [f"Left out by {flag}: {len(excluded)} other change(s): {shown}{more}", ""]
    for item in plan.get("not_retested") or ():
        lines.append(f"Not retested: {clean(item)}: it is not in status 'error'")
    if plan.get("not_retested"):
        lines.append("")
    return lines
