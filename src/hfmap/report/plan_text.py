"""A plan as a Terraform-like listing: `+` create, `~` update, `-/+` replace, `-` delete, by provider.

Live data comes from the Hub and may hold anything, so every value is passed through `clean()`:
control characters (an ANSI escape in a hostile key, say) are shown escaped, never sent to the terminal.
"""

from __future__ import annotations

from hfmap.clients.live import Record
from hfmap.report.findings import one_line
from hfmap.sync.plan import Action, Plan

SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}
_COLORS = {"create": "\x1b[32m", "update": "\x1b[33m", "replace": "\x1b[35m", "delete": "\x1b[31m"}
_BOLD, _DIM, _RESET, _WARN = "\x1b[1m", "\x1b[2m", "\x1b[0m", "\x1b[33m"
_FIELD_ORDER = (
    ("hfModel", "hf_model"),
    ("hfFilter", "tags"),
    ("providerModel", "provider_model"),
    ("task", "task"),
    ("status", "status"),
    ("adapterType", "adapter_type"),
)


def clean(value: object) -> str:
    """Printable text (a tag list joined): control characters escaped, as findings print them."""
    return one_line(", ".join(value) if isinstance(value, (list, tuple)) else str(value))


def _shown(value: object) -> str:
    return "(none)" if value is None else clean(value)


def summary_line(plan: Plan) -> str:
    s = plan.summary
    return (
        f"Plan: {s['create']} to create, {s['update']} to update, "
        f"{s['replace']} to replace, {s['delete']} to delete."
    )


def _values(record: Record) -> list[tuple[str, object]]:
    out = []
    for name, attr in _FIELD_ORDER:
        value = getattr(record, attr)
        if value is not None:
            out.append((name, value))
    return out


def _detail_lines(action: Action) -> list[tuple[str, str]]:
    """(field, shown value) pairs: the record for create/delete, `old -> new` where replace/update differ."""
    if action.action in ("create", "delete"):
        record = action.after if action.action == "create" else action.before
        assert record is not None
        return [
            (name, clean(value)) for name, value in _values(record) if name not in ("hfModel", "hfFilter")
        ]
    before, after = action.before, action.after
    assert before is not None and after is not None
    changed = set(action.fields)
    lines = []
    for name, attr in _FIELD_ORDER[2:]:
        old, new = getattr(before, attr), getattr(after, attr)
        if name in changed:
            lines.append((name, f"{_shown(old)} -> {_shown(new)}"))
        elif new is not None and action.action == "replace":
            lines.append((name, clean(new)))
    return lines


def render_action(action: Action, color: bool) -> list[str]:
    symbol = SYMBOLS[action.action]
    title = action.action
    if action.change:
        title = f"{title} ({action.change})"
    elif action.action == "replace":
        title = f"{title} ({', '.join(action.fields)} changed; DELETE then POST)"
    head = f"  {symbol} {clean(action.key)}"
    note = f"  # {title}"
    if color:
        head = f"{_COLORS[action.action]}{head}{_RESET}"
        note = f"{_DIM}{note}{_RESET}"
    lines = [head + note]
    details = _detail_lines(action)
    width = max((len(name) for name, _ in details), default=0)
    lines.extend(f"      {name + ':':<{width + 1}} {value}" for name, value in details)
    return lines


def render_text(plan: Plan, color: bool = False) -> str:
    """The whole listing, ending with the `Plan: ...` summary line (or `No changes.`)."""
    out: list[str] = []
    grouped = plan.by_provider()
    unmanaged: dict[str, list[str]] = {}
    for item in plan.unmanaged:
        unmanaged.setdefault(item.provider, []).append(item.key)
    attention: dict[str, list[str]] = {}
    for item in plan.attention:
        attention.setdefault(item.provider, []).append(
            f"{clean(item.key)}: status '{clean(item.status)}' on the Hub (declared {clean(item.declared)}); "
            "set by the Hub's own tests, hfmap leaves it alone"
        )
    for provider in plan.providers:
        actions = grouped.get(provider, [])
        live = plan.live_counts.get(provider, 0)
        ignored = plan.ignored.get(provider, 0)
        header = f"{clean(provider)} ({live} live mapping{'' if live == 1 else 's'}"
        header += f", {ignored} ignored)" if ignored else ")"
        header += f": {len(actions)} change{'' if len(actions) == 1 else 's'}" if actions else ": no changes"
        out.append(f"{_BOLD}{header}{_RESET}" if color else header)
        for action in actions:
            out.extend(render_action(action, color))
        for line in attention.get(provider, []):
            out.append(f"  ! {line}")
        keys = unmanaged.get(provider, [])
        if keys:
            out.append(
                f"  {len(keys)} unmanaged (prune: false, left alone): "
                + ", ".join(clean(k) for k in keys[:20])
            )
            if len(keys) > 20:
                out[-1] += f", ... ({len(keys) - 20} more)"
        out.append("")
    if plan.needs_force:
        warn = "This plan needs --force to apply:"
        out.append(f"{_WARN}{warn}{_RESET}" if color else warn)
        out.extend(f"  - {reason}" for reason in plan.safety.reasons)
        out.append("")
    if plan.has_changes:
        out.append(summary_line(plan))
    else:
        out.append("No changes. The live mapping matches the files.")
    return "\n".join(out)
