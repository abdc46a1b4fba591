"""The offline rules: one module each, registered here (adding a rule = one new file + one line below).

Every module defines `ID`, `LEVEL`, `DESCRIPTION` (one line, for `hfmap lint --list-rules` and the
README) and `check(declared, options) -> Iterable[Finding]`. A module may set `CAN_DISABLE = False`.
"""

from __future__ import annotations

from types import ModuleType

from hfmap.lint.rules import (
    conversational_task,
    disable_comment,
    duplicate_mapping,
    hf_model_id,
    hffilter_adapter,
    hffilter_tags,
    hfmodel_with_hffilter,
    ignored_entry,
    lora_python_unsupported,
    lora_unsupported,
    provider_model_id,
    provider_settings,
    python_client_unsupported,
    schema,
    status_auto,
    syntax,
    task_invalid,
    task_unsupported,
    unknown_provider,
)

RULES: tuple[ModuleType, ...] = (
    syntax,
    schema,
    unknown_provider,
    task_invalid,
    task_unsupported,
    python_client_unsupported,
    hf_model_id,
    provider_model_id,
    hfmodel_with_hffilter,
    hffilter_adapter,
    lora_unsupported,
    lora_python_unsupported,
    hffilter_tags,
    duplicate_mapping,
    provider_settings,
    status_auto,
    ignored_entry,
    conversational_task,
    disable_comment,
)

BY_ID: dict[str, ModuleType] = {rule.ID: rule for rule in RULES}


def can_disable(rule: ModuleType) -> bool:
    return getattr(rule, "CAN_DISABLE", True)


def rows() -> list[dict[str, object]]:
    """The registry as `--list-rules` shows it: id, level, description, whether it can be switched off."""
    return [
        {"id": r.ID, "level": r.LEVEL.value, "description": r.DESCRIPTION, "can_disable": can_disable(r)}
        for r in RULES
    ]
