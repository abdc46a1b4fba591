"""`lora-unsupported`: an `adapterType: lora` tag filter on a provider×task the JS client runs without it.

The JS client sends the adapter only from the helpers that handle one; everywhere else the Hub's test
passes and every call silently runs the provider model as the base model, not the LoRA.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hfmap import data
from hfmap.files.model import Declared, Entry
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "lora-unsupported"
LEVEL = Level.ERROR
DESCRIPTION = (
    "`adapterType: lora` on a provider×task the JS client does not run as a LoRA (runs the base model)"
)


def lora_entries(declared: Declared) -> Iterator[tuple[Entry, str, str]]:
    """(entry, provider, task) of each LoRA tag filter whose task the JS client serves for its provider.

    An unknown provider or task is another rule's finding, so the LoRA rules judge only the rest.
    """
    for file in declared.files:
        for entry in file.entries:
            provider, task = entry.provider, entry.task
            if entry.adapter_type != "lora" or entry.hf_filter is None or not provider or not task:
                continue
            if task in (data.provider_tasks(provider) or ()) and data.hub_mapping(provider):
                yield entry, provider, task


def runs_on(client: str, task: str) -> str:
    """Where `client` does run a LoRA of `task`: what the user can switch to."""
    providers = data.lora_providers(client, task)
    if not providers:
        return f"no provider runs a LoRA for '{task}'"
    return f"LoRA adapters for '{task}' run on: {', '.join(providers)}"


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for entry, provider, task in lora_entries(declared):
        if data.lora_runs(data.JS, provider, task) is not False:
            continue  # runs as a LoRA, or unknown (never a finding)
        message = (
            f"the JS inference client does not run LoRA adapters for '{task}' on '{provider}': "
            f"this tag filter passes the Hub's test, then every call runs '{entry.provider_model}' "
            f"without the adapter; {runs_on(data.JS, task)}"
        )
        yield Finding.at(entry.path, entry.where("adapterType"), LEVEL, ID, message)
