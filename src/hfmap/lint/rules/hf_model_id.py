"""`hf-model-id`: `hfModel` is not a repo id the Hub accepts (`namespace/name`, ASCII, 1-96 chars per part).

The Hub's rules (huggingface_hub's `validate_repo_id`), restricted to ASCII: Python's `\\w` would let a
Cyrillic 'а' through, and such a look-alike names a different (usually missing) repository.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules._util import bad_space, describe_char, non_ascii_problem

ID = "hf-model-id"
LEVEL = Level.ERROR
DESCRIPTION = (
    "hfModel is not a valid Hub repo id (`namespace/name`, `[A-Za-z0-9._-]`, 1–96 chars, look-alike "
    "characters named)"
)

MAX_PART = 96
_BAD_ASCII = re.compile(r"[^A-Za-z0-9._-]")


def _part_problems(part: str, label: str) -> list[str]:
    if not part:
        return [f"the {label} is empty"]
    problems = []
    if len(part) > MAX_PART:
        problems.append(f"the {label} is {len(part)} characters long (at most {MAX_PART})")
    bad = _BAD_ASCII.search(part)
    if bad:
        problems.append(f"the {label} contains {describe_char(bad.group())}; allowed are A-Z a-z 0-9 . _ -")
    if part[0] in "-.":
        problems.append(f"the {label} starts with '{part[0]}'")
    if part[-1] in "-.":
        problems.append(f"the {label} ends with '{part[-1]}'")
    for pair in ("--", ".."):
        if pair in part:
            problems.append(f"the {label} contains '{pair}'")
    return problems


def problems(repo_id: str) -> list[str]:
    """What is wrong with `repo_id` as a Hub model id, in words; empty when it is fine."""
    if not repo_id:
        return ["`hfModel` is empty; write the Hub repo id as namespace/name"]
    unicode = non_ascii_problem(repo_id, "`hfModel`")
    if unicode:
        return [unicode]
    space = bad_space(repo_id)
    if space:
        return [f"`hfModel` contains {describe_char(space[1])} at character {space[0] + 1}; remove it"]
    slashes = repo_id.count("/")
    if slashes == 0:
        return [
            f"`hfModel` '{repo_id}' has no namespace; "
            f"Hub repo ids are namespace/name (e.g. <namespace>/{repo_id})"
        ]
    if slashes > 1:
        return [f"`hfModel` '{repo_id}' has {slashes} '/'; Hub repo ids have exactly one (namespace/name)"]
    namespace, name = repo_id.split("/")
    found = _part_problems(namespace, "namespace") + _part_problems(name, "name")
    if name.endswith(".git"):
        found.append("the name ends with '.git'")
    return [f"`hfModel` '{repo_id}' is not a valid Hub repo id: " + "; ".join(found)] if found else []


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for file in declared.files:
        for entry in file.entries:
            if entry.hf_model is None:
                continue
            for message in problems(entry.hf_model):
                yield Finding.at(entry.path, entry.where("hfModel"), LEVEL, ID, message)
