"""Options from a file: `hfmap.toml`, or `[tool.hfmap]` in `pyproject.toml`, as ruff and yamllint users
expect.

The file is the nearest one found walking up from the current folder, stopping at the repository root
(the folder holding `.git`), or the one `--config FILE` names. Keys are the commands' long option names,
at the top (for every command that has the option) or in a table per command (`[check]`); they become
click's `default_map`, so the option declarations convert and range-check them and a flag on the command
line wins. Anything else in the file is a usage error, with a did-you-mean.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Never from a file, each with the reason the refusal gives. The token and the host it is sent to: a file in
# the repository is changed by any pull request, and one naming another endpoint would send HF_TOKEN there.
# Consent to a write is given per run (a file saying `yes` or `force` would consent to every future plan).
# What one plan or apply covers is chosen for that run too: set in a file for `apply` alone, it would make
# every apply differ from the plan a pull request reviewed. The rest name one run's input or only print
# something.
_FROM_THE_COMMAND_LINE = "give it on the command line"
_SELECTION = "what one plan or apply covers is chosen for that run, on the command line"
_SECRET = "the token and the host it is sent to come from the command line or the environment"
_CONSENT = "consent to a write is given for one run, on the command line"
NOT_CONFIGURABLE: dict[str, str] = {
    "token": _SECRET,
    "endpoint": _SECRET,
    "yes": _CONSENT,
    "force": _CONSENT,
    "expect-hash": _CONSENT,
    "plan-file": _CONSENT,
    "target": _CONSENT,
    "only-auto-status": _SELECTION,
    "retest": _SELECTION,
    "retest-errors": _SELECTION,
    "config": _FROM_THE_COMMAND_LINE,
    "help": _FROM_THE_COMMAND_LINE,
    "version": _FROM_THE_COMMAND_LINE,
    "list-rules": _FROM_THE_COMMAND_LINE,
    "stdin-filename": _FROM_THE_COMMAND_LINE,
}
# Keys whose values are paths: relative to the file's folder, as ruff reads its config, not to wherever
# hfmap happens to run.
PATH_KEYS = frozenset({"paths", "cache-dir", "out", "output"})
# The keys of the commands that are not running, so that checking a file does not import every command (and
# the HTTP stack) for `hfmap lint`; tests/cli/test_config.py keeps this equal to the declarations.
COMMAND_KEYS: dict[str, frozenset[str]] = {
    "action": frozenset(),
    "apply": frozenset(
        {
            "allow-provider", "concurrency", "disable", "format", "max-destructive",
            "max-destructive-percent", "paths", "stats", "timeout", "wait",
        }
    ),
    "check": frozenset(
        {
            "allow-provider", "cache-dir", "changed-since", "concurrency", "disable", "format", "no-cache",
            "offline", "paths", "plan", "retries", "stats", "strict", "timeout",
        }
    ),
    "fmt": frozenset({"check", "diff", "format", "paths"}),
    "import": frozenset({"allow-provider", "output", "overwrite", "provider", "stats", "timeout"}),
    "lint": frozenset({"allow-provider", "disable", "format", "paths", "strict"}),
    "plan": frozenset(
        {
            "allow-provider", "concurrency", "detailed-exitcode", "disable", "format", "max-destructive",
            "max-destructive-percent", "out", "paths", "stats", "timeout",
        }
    ),
    "suggest": frozenset(
        {
            "concurrency", "format", "limit", "no-cache", "output", "overwrite", "paths", "provider",
            "retries", "stats", "timeout",
        }
    ),
    "verify": frozenset(
        {"allow-provider", "concurrency", "disable", "format", "paths", "stats", "strict", "timeout"}
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Config:
    """The options a file sets (`data`), and the file (None: no file found, `data` empty)."""

    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        return f"config: {self.path}" if self.path else "config: none (no hfmap.toml or [tool.hfmap] found)"


def _has_tool_table(path: Path) -> bool:
    """Whether the parsed file has `tool.hfmap`, however TOML spells it (`[tool.hfmap]`, dotted keys, an
    inline table). A file that does not parse counts when it names hfmap, so its error is reported rather
    than the settings silently skipped."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError:
        return "hfmap" in text
    return isinstance(tool, dict) and "hfmap" in tool


def find_config(start: Path) -> Path | None:
    """The nearest `hfmap.toml`, or `pyproject.toml` with a `[tool.hfmap]` table, from `start` up to the
    repository root (never above it: a config in a parent project must not steer this one)."""
    for folder in (start, *start.parents):
        if (folder / "hfmap.toml").is_file():
            return folder / "hfmap.toml"
        if (folder / "pyproject.toml").is_file() and _has_tool_table(folder / "pyproject.toml"):
            return folder / "pyproject.toml"
        if (folder / ".git").exists():
            return None
    return None


def _position(message: str) -> str:
    """`LINE:COL: ` from tomllib's "... (at line 3, column 5)", where it says so."""
    found = re.search(r"at line (\d+), column (\d+)", message)
    return f"{found[1]}:{found[2]}: " if found else ""


def load_config(path: Path) -> Config:
    """Read and parse the file; a file that cannot be read or parsed is a usage error naming file:line."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise click.UsageError(f"config file {path}: cannot read it: {reason}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        raise click.UsageError(f"{path}:{_position(message)}invalid TOML: {message}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("hfmap", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise click.UsageError(f"{path}: [tool.hfmap] must be a table")
    return Config(path, data)


def discover(named: str | None, cwd: Path | None = None) -> Config:
    """The file `--config` names (which must exist), else the nearest one found, else no file."""
    if named is not None:
        path = Path(named)
        if not path.is_file():
            raise click.UsageError(f"--config: '{named}' is not a file")
        return load_config(path)
    found = find_config((cwd or Path.cwd()).resolve())
    return load_config(found) if found is not None else Config()


def _params(command: click.Command) -> dict[str, click.Parameter]:
    return {param.name: param for param in command.params}


def _shaped(key: str, value: Any, param: click.Parameter, path: Path) -> Any:
    """The value in the shape its option takes (a flag true or false, a list for a repeatable option, one
    value otherwise), or a usage error naming the file and key: click would crash on `strict = 3`."""
    many = param.multiple or param.nargs == -1
    scalar = (str, int, float)
    if isinstance(param, click.Option) and param.is_flag and not param.count:
        if not isinstance(value, bool):
            raise click.UsageError(f"{path}: '{key}' must be true or false, not {value!r}")
        return value
    if many:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(
            isinstance(item, scalar) and not isinstance(item, bool) for item in items
        ):
            raise click.UsageError(f"{path}: '{key}' must be a list of values, not {value!r}")
        return items
    if isinstance(value, bool) and isinstance(param, click.Option) and param.count:
        return int(value)
    if isinstance(value, bool) or not isinstance(value, scalar):  # a list, table, date or bool
        raise click.UsageError(f"{path}: '{key}' must be a single value, not {value!r}")
    return value


def option_keys(command: click.Command) -> dict[str, str]:
    """Config key (the long option name without dashes, or the argument's name) -> click parameter name."""
    keys: dict[str, str] = {}
    for param in command.params:
        if param.name is None:
            continue
        if isinstance(param, click.Argument):
            keys[param.name] = param.name
            continue
        longs = [opt[2:] for opt in param.opts if opt.startswith("--")]
        # Any spelling of a refused option refuses it, so a later alias cannot open a way round.
        if longs and not any(long in NOT_CONFIGURABLE for long in longs):
            keys[max(longs, key=len)] = param.name
    return {key: name for key, name in keys.items() if key not in NOT_CONFIGURABLE}


def _unknown(key: str, where: str, choices: Iterable[str], path: Path) -> click.UsageError:
    if key in NOT_CONFIGURABLE:
        return click.UsageError(
            f"{path}: '{key}'{where} cannot be set in a config file: {NOT_CONFIGURABLE[key]}"
        )
    close = difflib.get_close_matches(key, sorted(choices), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return click.UsageError(f"{path}: unknown key '{key}'{where}{hint}")


def _value(key: str, value: Any, folder: Path) -> Any:
    """Path values made relative to the current folder from the file's folder."""
    if key not in PATH_KEYS:
        return value

    def place(item: Any) -> Any:
        if not isinstance(item, str):
            return item
        return os.path.relpath(folder / item) if not os.path.isabs(item) else item

    return [place(item) for item in value] if isinstance(value, list) else place(value)


def default_map(
    config: Config, group: click.Command, invoked: str | None, command: click.Command | None
) -> dict[str, Any]:
    """click's `default_map` for the group and the invoked command, after checking every key of the file.

    A top-level key applies to the group and to each command that has the option; it must belong to at
    least one of them. A table must name a command, and its keys must be that command's options.
    """
    if config.path is None:
        return {}
    group_keys = option_keys(group)
    invoked_keys = option_keys(command) if command is not None else {}
    known = {**COMMAND_KEYS, **({invoked: frozenset(invoked_keys)} if invoked else {})}
    top = {key: value for key, value in config.data.items() if not isinstance(value, dict)}
    tables = {key: value for key, value in config.data.items() if isinstance(value, dict)}
    for name, table in tables.items():
        if name not in known:
            raise _unknown(name, " (a table must name a command)", known, config.path)
        for key in table:
            if key not in known[name]:
                raise _unknown(key, f" in [{name}]", known[name], config.path)
    everything = set(group_keys).union(*known.values())
    for key in top:
        if key not in everything:
            raise _unknown(key, "", everything, config.path)
    path = config.path
    folder = path.parent

    def entries(keys: dict[str, str], owner: click.Command, values: dict[str, Any]) -> dict[str, Any]:
        params = _params(owner)
        return {
            keys[key]: _value(key, _shaped(key, value, params[keys[key]], path), folder)
            for key, value in values.items()
            if key in keys
        }

    result = entries(group_keys, group, top)
    if invoked is not None and command is not None:
        result[invoked] = {
            **entries(invoked_keys, command, top),
            **entries(invoked_keys, command, tables.get(invoked, {})),
        }
    return result
