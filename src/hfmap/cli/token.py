"""The Hub token, found where huggingface_hub finds it, so `hf auth login` is enough for hfmap too.

Order: `--token`, `HF_TOKEN`, the file `HF_TOKEN_PATH` names, `$HF_HOME/token` (`HF_HOME` defaults to
`$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`). Surrounding whitespace is stripped (a saved
file ends with a newline); an empty value counts as none and the search goes on, as huggingface_hub's
`get_token` does. Only the source is ever described, never the value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FoundToken:
    """A token and where it came from (`source` is safe to print; `value` never is)."""

    value: str | None = field(repr=False)
    source: str


def token_file() -> Path:
    """The file `hf auth login` writes: `HF_TOKEN_PATH`, else `token` in huggingface_hub's home folder."""
    named = os.environ.get("HF_TOKEN_PATH")
    if named:
        return Path(os.path.expandvars(named)).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
    home = os.environ.get("HF_HOME") or os.path.join(cache, "huggingface")
    return Path(os.path.expandvars(home)).expanduser() / "token"


def _read(path: Path) -> str | None:
    """The file's token, or None when it is missing, unreadable or blank (as huggingface_hub reads it)."""
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def find_token(given: str | None) -> FoundToken:
    """The token of this run and its source, searched in huggingface_hub's order."""
    if given is not None and given.strip():
        return FoundToken(given.strip(), "--token")
    from_env = os.environ.get("HF_TOKEN", "").strip()
    if from_env:
        return FoundToken(from_env, "the HF_TOKEN environment variable")
    path = token_file()
    saved = _read(path)
    if saved is not None:
        return FoundToken(saved, f"the token file {path}")
    return FoundToken(None, "none (no --token, HF_TOKEN or token file)")
