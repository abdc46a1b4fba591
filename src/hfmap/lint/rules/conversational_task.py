"""`conversational-task` (warning): a chat model mapped as `text-generation`.

Chat models are served through the chat-completion route, which mappings call `conversational`;
mapped as text-generation they get the raw completion route, which chat templates do not fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hfmap.files.model import Declared
from hfmap.findings import Finding, Level
from hfmap.lint.options import RuleOptions

ID = "conversational-task"
LEVEL = Level.WARNING
DESCRIPTION = "`task: text-generation` on a model that looks like a chat model (`-Instruct`, `-chat`, `-it`)"

# A marker as a suffix or dash-separated segment of the name: Llama-3.1-8B-Instruct, gemma-2-9b-it-GGUF.
CHAT_MARKER = re.compile(r"-(Instruct|instruct|chat|Chat|it)(?=$|[-_.])")


def check(declared: Declared, options: RuleOptions) -> Iterable[Finding]:
    for file in declared.files:
        for entry in file.entries:
            if entry.task != "text-generation" or entry.hf_model is None:
                continue
            name = entry.hf_model.rsplit("/", 1)[-1]
            match = CHAT_MARKER.search(name)
            if not match:
                continue
            where = entry.where("task") if "task" in entry.raw else entry.where("hfModel")
            message = (
                f"'{entry.hf_model}' looks like a chat model ('{match.group()}'); chat models are mapped "
                "as `task: conversational`, not text-generation "
                "(if it is not a chat model, disable this rule on the entry)"
            )
            yield Finding.at(entry.path, where, LEVEL, ID, message)
