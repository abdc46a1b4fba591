"""`python-client-unsupported`: the JS client serves this task for the provider, `huggingface_hub` does not.

The Hub tests a mapping with the JS client only, so it goes live; Python users then get an error from
their `InferenceClient` for it. A warning: the mapping works for everyone else.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap import data
from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules.task_invalid import task_places

ID = "python-client-unsupported"
LEVEL = Level.WARNING
DESCRIPTION = (
    "the JS client serves this task for this provider but the Python client (huggingface_hub) does not"
)


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    version = data.data_info()["sources"].get("huggingface_hub", "")
    for file in declared.files:
        provider = file.provider or ""
        js, python = data.provider_tasks(provider), data.python_tasks(provider)
        if js is None or python is None or not data.hub_mapping(provider):
            continue  # unknown provider, no Python data, or a client-side-only provider
        for path, task in task_places(file):
            if task not in js or task in python:
                continue  # unknown or unserved tasks are task-invalid's and task-unsupported's
            message = (
                f"huggingface_hub {version} cannot serve '{task}' for provider '{provider}' "
                f"(@huggingface/inference can): Python users get an error for this mapping "
                f"(--disable {ID} if a newer huggingface_hub serves it)"
            )
            yield Finding.at(file.path, file.where(path), LEVEL, ID, message)
