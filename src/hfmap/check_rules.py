"""The ids, levels and descriptions of `hfmap check`'s online rules, importable without the HTTP stack.

`hfmap lint` needs to know these ids (a `# hfmap: disable=` comment may name them, and `--disable` of one
deserves a better answer than "unknown rule") but never imports aiohttp; `hfmap.check` uses the same table.
It lives beside `hfmap.findings` rather than in `hfmap.check`, because check runs lint: lint reading it from
there would make the two packages import each other.
"""

from __future__ import annotations

from hfmap.findings import Level

# rule id -> (level, one-line description for --list-rules and the README)
CHECK_RULES: dict[str, tuple[Level, str]] = {
    "hf-model-missing": (Level.ERROR, "hfModel does not exist on the Hub (or is private, without a token)"),
    "hf-model-disabled": (Level.ERROR, "hfModel is disabled on the Hub"),
    "hf-model-private": (Level.WARNING, "hfModel is private: people using the Hub cannot see or run it"),
    "hf-task-mismatch": (
        Level.ERROR,
        (
            "task does not fit the model's pipeline tag by the Hub's create-time rule "
            "(`conversational` needs a `text-generation`/`image-text-to-text` model tagged `conversational`)"
        ),
    ),
    "hf-filter-empty": (Level.ERROR, "no Hub model carries all the tags of hfFilter"),
    "provider-model-missing": (Level.ERROR, "providerModel does not exist on the provider's API"),
    "provider-version-missing": (Level.ERROR, "the pinned version (`owner/name:<sha>`) does not exist"),
    "provider-model-deprecated": (
        Level.WARNING,
        "the provider's own API marks providerModel deprecated or not ready (fal `metadata.status`, "
        "Fireworks `deprecationDate`/`state`)",
    ),
    "provider-check-skipped": (
        Level.NOTICE,
        "not checked: no token for the provider's API, no plug-in, or offline",
    ),
    "hub-check-skipped": (Level.NOTICE, "Hub model or tag filter not checked (offline and not cached)"),
    "auto-status-unresolved": (
        Level.WARNING,
        "`status: auto` gets no usable answer from the provider's status source (plan keeps the live status)",
    ),
    "check-unavailable": (
        Level.WARNING,
        'could not check: timeout, 5xx after retries, an unreadable answer — never reported as "missing"',
    ),
}
SKIP_RULES = frozenset({"provider-check-skipped", "hub-check-skipped"})  # notices: a question not asked
# reported once per file and reason, with a count
GROUPED_RULES = SKIP_RULES | {"check-unavailable", "auto-status-unresolved"}
HUB_RULES = frozenset({"hf-model-missing", "hf-model-disabled", "hf-model-private", "hf-task-mismatch"})
PROVIDER_RULES = frozenset(
    {"provider-model-missing", "provider-version-missing", "provider-model-deprecated"}
)


def rows() -> list[dict[str, object]]:
    """The online rules as `hfmap check --list-rules` shows them after the lint rules."""
    return [
        {"id": rule, "level": level.value, "description": text, "can_disable": True}
        for rule, (level, text) in CHECK_RULES.items()
    ]
