"""`task-unsupported`: the JS inference client cannot serve this task for this provider.

The Hub tests every mapping through that client, so such a mapping would fail its validation.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap import data
from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules.task_invalid import task_places

ID = "task-unsupported"
LEVEL = Level.ERROR
DESCRIPTION = "the JS inference client cannot serve this task for this provider (the Hub's test would fail)"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    valid = data.tasks()
    for file in declared.files:
        provider = file.provider
        served = data.provider_tasks(provider) if provider else None
        if served is None or not data.hub_mapping(provider or ""):
            continue  # unknown or client-side-only provider: unknown-provider says so
        for path, task in task_places(file):
            if task not in valid or task in served:
                continue
            message = (
                f"the inference client cannot serve '{task}' for provider '{provider}'; "
                f"it serves: {', '.join(sorted(served))}. Use one of these tasks "
                f"(or --disable {ID} if a newer client has added it)"
            )
            yield Finding.at(file.path, file.where(path), LEVEL, ID, message)
