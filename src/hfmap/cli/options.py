"""Options several commands share, declared once: PATHS, rule switches, Hub and safety settings."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from hfmap.errors import UsageError


class FiniteFloat(click.FloatRange):
    """A number in range that is not `nan` or `inf`: click's FloatRange lets NaN through every bound, and
    NaN compares false with any limit (`--max-destructive-percent nan` would lift the safety limit)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATHS]...")

stdin_filename_option = click.option(
    "--stdin-filename",
    default=None,
    metavar="PATH",
    help="With PATHS `-` (standard input): the file's name in findings, and whose sibling files give "
    "the cross-file rules their context (as editors pass the buffer's path).",
)


def reads_stdin(paths: tuple[Path, ...], stdin_filename: str | None) -> bool:
    """Whether PATHS is `-`; `-` beside other paths, or --stdin-filename without `-`, is a usage error."""
    dash = Path("-")
    if dash not in paths:
        if stdin_filename is not None:
            raise UsageError("--stdin-filename names standard input, so PATHS must be `-`")
        return False
    if len(paths) > 1:
        raise UsageError("`-` (standard input) cannot be combined with other PATHS")
    return True


allow_provider_option = click.option(
    "--allow-provider",
    "allow_providers",
    multiple=True,
    metavar="NAME",
    help="Accept a provider id that hfmap's data does not know yet (repeatable).",
)


def rule_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--disable RULE` and `--allow-provider NAME`: the same switches on every command that lints."""
    func = allow_provider_option(func)
    return click.option(
        "--disable",
        "disable",
        multiple=True,
        metavar="RULE",
        help="Turn a rule off for this run (repeatable).",
    )(func)


timeout_option = click.option(
    "--timeout",
    type=FiniteFloat(min=0.1),
    default=None,
    metavar="SECONDS",
    help="Per-request timeout, from connecting to the answer's last byte (default 30, env "
    "HFMAP_HTTP_TIMEOUT; all retries of one request: 3x this).",
)

concurrency_option = click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=32,
    show_default=True,
    metavar="N",
    # Replicate has no batch look-up: 1,000 pinned models at 50 ms each need >= 1.6 s at 32 per host.
    help="Requests in flight at once to each host.",
)


retries_option = click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=4,
    show_default=True,
    metavar="N",
    help="Retries of a request after a transient failure (network error, 429, 5xx), with backoff.",
)


def network_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--timeout` and `--concurrency`: one declaration, one default and one range for every networked
    command, so a value that works for `check` works for `plan` too (and in a config file's top level)."""
    return concurrency_option(timeout_option(func))


def new_file_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`-o/--output FILE` and `--overwrite`, for commands that write a new mapping file (`import`, `suggest`):
    a file the user did not name for replacing is never clobbered (`refuse_existing`)."""
    output = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        metavar="FILE",
        help="Write a new mapping file here (default: standard output); refused if FILE exists, unless "
        "--overwrite.",
    )
    overwrite = click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
    return output(overwrite(func))


def refuse_existing(output: Path | None, overwrite: bool) -> None:
    """A usage error when `-o` names an existing file and `--overwrite` was not given."""
    if output is not None and output.exists() and not overwrite:
        raise UsageError(f"'{output}' exists; pass --overwrite to replace it")


def safety_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--max-destructive-percent`, `--max-destructive`, `--concurrency`, `--timeout` (plan and apply)."""
    func = network_options(func)
    func = click.option(
        "--max-destructive",
        type=click.IntRange(min=0),
        default=50,
        metavar="N",
        show_default=True,
        help="More destructive actions (delete, replace, demote) than this for one provider need --force.",
    )(func)
    func = click.option(
        "--max-destructive-percent",
        type=FiniteFloat(0, 100),
        default=30.0,
        metavar="PERCENT",
        show_default=True,
        help="A larger share (%) of a provider's live mappings destroyed needs --force (from 3 actions).",
    )(func)
    return func


def check_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`check`'s network settings and the two ways to check only what changed."""
    func = click.option(
        "--plan",
        "plan_only",
        is_flag=True,
        help="Check only the entries the plan creates, replaces or updates (reads the live mapping), "
        "plus every entry lint flags. Lint still reads every file.",
    )(func)
    func = click.option(
        "--changed-since",
        metavar="REF",
        default=None,
        help="Check only the entries that differ from git revision REF (compared by content: an unchanged "
        "entry in a changed file is not asked about). Lint still reads every file.",
    )(func)
    func = click.option("--no-cache", is_flag=True, help="Neither read nor write the answer cache.")(func)
    func = click.option(
        "--cache-dir",
        # Not checked here: a cache that cannot be written is a warning, and the check still runs.
        type=click.Path(path_type=Path),
        default=None,
        envvar="HFMAP_CACHE_DIR",
        metavar="DIR",
        help="Where answers are cached (env HFMAP_CACHE_DIR; default: the user cache folder, "
        "~/.cache/hfmap on Linux).",
    )(func)
    func = retries_option(func)
    return network_options(func)


def selection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--only-auto-status`, `--retest KEY`, `--retest-errors`, `--target KEY`: which part to carry out."""
    func = click.option(
        "--target",
        "target",
        multiple=True,
        metavar="KEY",
        help="Only the change of this mapping (KEY: org/model, tag-filter=..., optionally PROVIDER:KEY); "
        "every other difference is left alone and listed as excluded (repeatable).",
    )(func)
    func = click.option(
        "--retest-errors",
        is_flag=True,
        help="Re-send the status of every mapping in `error`, so the Hub tests it again; nothing else.",
    )(func)
    func = click.option(
        "--retest",
        "retest",
        multiple=True,
        metavar="KEY",
        help="Re-send the declared status of this mapping in `error` (KEY: org/model, tag-filter=..., "
        "optionally PROVIDER:KEY), so the Hub tests it again; nothing else (repeatable).",
    )(func)
    return click.option(
        "--only-auto-status",
        is_flag=True,
        help="Only the promotes and demotes of `status: auto` entries; never a create, replace or delete.",
    )(func)


class OptionalValueCommand(click.Command):
    """A command whose `optional_values` options take a value only as `--opt=VALUE` (as git's do).

    A bare `--wait` means its default, and the word after it stays what it is: `hfmap apply --wait
    mappings/` waits and reads `mappings/` (click alone would take `mappings/` as the duration).
    """

    def __init__(self, *args: Any, optional_values: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.optional_values = optional_values

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rewritten: list[str] = []
        for index, arg in enumerate(args):
            if arg == "--":
                rewritten.extend(args[index:])
                break
            default = self.optional_values.get(arg)
            rewritten.append(f"{arg}={default}" if default is not None else arg)
        return super().parse_args(ctx, rewritten)


def normal_hash(value: str | None) -> str | None:
    """`sha256:<hex>` as printed by `plan`; a bare hex digest and any letter case are accepted too.

    An empty value is a usage error, never "no check": in CI it is `--expect-hash "$HASH"` with HASH
    unset, and applying an unreviewed plan then would defeat the option.
    """
    if value is None:
        return None
    value = value.strip().lower()
    if not value:
        raise UsageError("--expect-hash is empty; pass the hash `hfmap plan` printed for the approved plan")
    return value if ":" in value else f"sha256:{value}"
