"""`provider-model-id`: `providerModel` does not have the form the provider's API uses.

Forms are checked where they are known (Replicate, Fireworks); everywhere an id must be non-empty and
free of whitespace, control and invisible characters, which no provider's ids contain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules._util import bad_space, describe_char, non_ascii_problem

ID = "provider-model-id"
LEVEL = Level.ERROR
DESCRIPTION = "providerModel empty, with whitespace, or not in the provider's form (Replicate, Fireworks)"

_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_REPLICATE = re.compile(rf"({_SEGMENT})/({_SEGMENT})(?::(.*))?")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FIREWORKS = re.compile(rf"accounts/{_SEGMENT}/models/{_SEGMENT}")


def _replicate(model: str) -> str | None:
    match = _REPLICATE.fullmatch(model)
    if not match:
        return (
            f"'{model}' is not a Replicate model id; write owner/name "
            "or owner/name:<64-hex version id>, e.g. black-forest-labs/flux-schnell"
        )
    version = match.group(3)
    if version is not None and not _HEX64.fullmatch(version):
        return (
            f"the version after ':' in '{model}' must be 64 lowercase hex characters "
            f"(got {len(version)} characters{'' if version.isalnum() else ', not all hex'}); "
            "copy it from the model's Versions tab, or drop ':...' to use the latest"
        )
    return None


def _fireworks(model: str) -> str | None:
    if _FIREWORKS.fullmatch(model):
        return None
    return (
        f"'{model}' is not a Fireworks model id; write accounts/<account>/models/<model>, "
        "e.g. accounts/fireworks/models/deepseek-r1"
    )


FORMS = {"replicate": _replicate, "fireworks-ai": _fireworks}


def problem(provider: str | None, model: str) -> str | None:
    """What is wrong with `model` as `provider`'s id, in words; None when it is fine."""
    if not model:
        return "`providerModel` is empty; write the model's id on the provider's API"
    space = bad_space(model)
    if space:
        return f"`providerModel` contains {describe_char(space[1])} at character {space[0] + 1}; remove it"
    unicode = non_ascii_problem(model, "`providerModel`")
    if unicode and "looks like" in unicode:
        return unicode
    form = FORMS.get(provider or "")
    return form(model) if form else None


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for file in declared.files:
        for entry in file.entries:
            if entry.provider_model is None:
                continue
            message = problem(entry.provider, entry.provider_model)
            if message:
                yield Finding.at(entry.path, entry.where("providerModel"), LEVEL, ID, message)
