"""`lora-python-unsupported`: a LoRA tag filter the JS client runs as a LoRA but `huggingface_hub` does not.

The mapping works for the Hub and JS users; Python's helper for this provider×task drops the adapter, so
Python users get the base model's output. A warning, separate from `lora-unsupported` (an error) because
a rule has one level and the two gaps call for different actions.
"""

from __future__ import annotations

from collections.abc import Iterable

from hfmap import data
from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules.lora_unsupported import lora_entries, runs_on

ID = "lora-python-unsupported"
LEVEL = Level.WARNING
DESCRIPTION = (
    "LoRA tag filter that the Python client (huggingface_hub) runs as its base model, without the adapter"
)


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for entry, provider, task in lora_entries(declared):
        if not data.lora_runs(data.JS, provider, task):
            continue  # lora-unsupported's finding (or unknown)
        if task not in (data.python_tasks(provider) or ()):
            continue  # python-client-unsupported's finding (or no Python data)
        if data.lora_runs(data.PYTHON, provider, task) is not False:
            continue
        message = (
            f"huggingface_hub does not run LoRA adapters for '{task}' on '{provider}': Python users of this "
            f"tag filter get '{entry.provider_model}' without the adapter (JS users get the LoRA); "
            f"in Python, {runs_on(data.PYTHON, task)}"
        )
        yield Finding.at(entry.path, entry.where("adapterType"), LEVEL, ID, message)
