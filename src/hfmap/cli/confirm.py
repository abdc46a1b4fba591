"""Consent before apply writes, as Terraform asks it: on a terminal the question, `yes` or nothing.

A script has no one to ask, so without a terminal apply must be told which plan it may write (`--yes`,
`--expect-hash`, `--plan-file`); otherwise it refuses rather than guess.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from hfmap.cli.context import RunContext
from hfmap.mapping.apply_report import Refusal
from hfmap.mapping.plan import Plan

NO_TERMINAL = (
    "no terminal to ask for confirmation: pass --yes to apply what the plan shows, or --expect-hash HASH "
    "(printed by `hfmap plan`) or --plan-file FILE (saved by `hfmap plan -o`) to apply only the plan you "
    "reviewed"
)
CANCELLED = "apply cancelled: the answer was not 'yes'; nothing was written"


def stdin_is_terminal() -> bool:
    return bool(getattr(sys.stdin, "isatty", lambda: False)())


def question(count: int) -> str:
    """The contract's words, whatever the count (scripts that drive a terminal match them)."""
    return f"Apply these {count} changes to the Hub? Only 'yes' is accepted:"


def ask_yes(text: str) -> bool:
    """Ask on the terminal; only the answer `yes` agrees (end of input or Ctrl-C do not)."""
    try:
        answer = click.prompt(text, default="", show_default=False, err=True, prompt_suffix=" ")
    except click.Abort:
        click.echo("", err=True)
        return False
    return str(answer).strip() == "yes"


def consent(given: bool, run: RunContext) -> Callable[[Plan], Refusal | None] | None:
    """None when consent was `given` up front (--yes, a reviewed hash, a saved plan); else the check apply
    makes before its first write: the question on a terminal, a refusal without one."""
    if given:
        return None
    if not stdin_is_terminal():
        return lambda _plan: Refusal("not-confirmed", NO_TERMINAL)

    def ask(plan: Plan) -> Refusal | None:
        if run.format == "json" or run.quiet:  # the plan was not shown: show what is asked about
            run.err(run.show("plan", plan, fmt="text", quiet=False))
        return None if ask_yes(question(len(plan.actions))) else Refusal("not-confirmed", CANCELLED)

    return ask
