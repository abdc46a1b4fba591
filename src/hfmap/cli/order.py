"""Global options anywhere: `hfmap lint -v` as well as `hfmap -v lint`, as git and kubectl users type them.

click binds an option to the command it follows. Before parsing, the global options found after the
command are moved in front of it; the command's own options (and their values) are skipped by their
declarations, so a value is never mistaken for an option, and an option the command declares itself
(`check --offline`, `--format`) stays with the command. `--` ends the search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import click

_SHORT_FLAGS = re.compile(r"-[a-zA-Z]+")


@dataclass(frozen=True)
class Hoisted:
    """The arguments in click's order, the command they name (None: none), and the `--config` value."""

    args: list[str]
    command: str | None
    config: str | None


def _options(command: click.Command) -> dict[str, bool]:
    """Every option string of `command` -> whether it takes the next word as its value (an option whose
    value binds only with `=`, such as `apply --wait`, does not)."""
    found: dict[str, bool] = {}
    only_with_equals = getattr(command, "optional_values", {})
    for param in command.params:
        if isinstance(param, click.Option):
            takes = not (param.is_flag or param.count)
            for opt in (*param.opts, *param.secondary_opts):
                found[opt] = takes and opt not in only_with_equals
    found.update({"-h": False, "--help": False})
    return found


def _split(arg: str) -> tuple[str, str | None]:
    """`--opt=value` -> (`--opt`, `value`); anything else -> (arg, None)."""
    if arg.startswith("--") and "=" in arg:
        name, _, value = arg.partition("=")
        return name, value
    return arg, None


def _config_value(args: list[str], index: int) -> str | None:
    name, value = _split(args[index])
    if name != "--config":
        return None
    if value is not None:
        return value
    return args[index + 1] if index + 1 < len(args) else None


def hoist_global_options(
    args: list[str], group: click.Command, load: Callable[[str], click.Command | None]
) -> Hoisted:
    """`args` with the global options after the command moved before it (see the module docstring)."""
    globals_ = _options(group)
    front: list[str] = []
    index = 0
    config: str | None = None
    while index < len(args):  # the group's own options, up to the command name
        arg = args[index]
        if arg == "--" or not arg.startswith("-") or arg == "-":
            break
        config = _config_value(args, index) or config
        name, value = _split(arg)
        takes = globals_.get(name, False) and value is None
        front.extend(args[index : index + 1 + takes])
        index += 1 + takes
    if index >= len(args) or args[index] == "--":
        return Hoisted(args, None, config)
    name = args[index]
    command = load(name)
    if command is None:
        return Hoisted(args, None, config)
    own = _options(command)
    moved: list[str] = []
    kept: list[str] = []
    rest = args[index + 1 :]
    position = 0
    while position < len(rest):
        arg = rest[position]
        if arg == "--":
            kept.extend(rest[position:])
            break
        option, value = _split(arg)
        if option in own or not arg.startswith("-") or arg == "-":
            takes = own.get(option, False) and value is None
            kept.extend(rest[position : position + 1 + takes])
            position += 1 + takes
            continue
        if option in globals_:
            if option == "--config":
                config = _config_value(rest, position) or config
            takes = globals_[option] and value is None
            moved.extend(rest[position : position + 1 + takes])
            position += 1 + takes
            continue
        if _SHORT_FLAGS.fullmatch(arg) and all(f"-{letter}" in globals_ for letter in arg[1:]):
            moved.append(arg)  # -vv, -vq
        else:
            kept.append(arg)  # unknown to both: click says so, for the command
        position += 1
    return Hoisted([*front, *moved, name, *kept], name, config)
