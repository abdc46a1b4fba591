"""Options several commands share, declared once: PATHS, rule switches, Hub and safety settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATHS]...")


def rule_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--disable RULE` and `--allow-provider NAME`: the same switches on every command that lints."""
    func = click.option(
        "--allow-provider",
        "allow_providers",
        multiple=True,
        metavar="NAME",
        help="Accept a provider id that hfmap's data does not know yet (repeatable).",
    )(func)
    return click.option(
        "--disable",
        "disable",
        multiple=True,
        metavar="RULE",
        help="Turn a rule off for this run (repeatable).",
    )(func)


def safety_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--max-destructive-percent`, `--max-destructive`, `--concurrency`, `--timeout` (plan and apply)."""
    func = click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=None,
        metavar="SECONDS",
        help="Per-request timeout for the Hub (default 30, env HFMAP_HTTP_TIMEOUT).",
    )(func)
    func = click.option(
        "--concurrency",
        type=click.IntRange(1, 64),
        default=8,
        show_default=True,
        help="Requests to the Hub at once.",
    )(func)
    func = click.option(
        "--max-destructive",
        type=click.IntRange(min=0),
        default=50,
        show_default=True,
        help="More destructive actions (delete, replace, demote) than this in one plan need --force.",
    )(func)
    func = click.option(
        "--max-destructive-percent",
        type=click.FloatRange(0, 100),
        default=30.0,
        show_default=True,
        help="A larger share (%) of a provider's live mappings destroyed needs --force (from 10 live).",
    )(func)
    return func
