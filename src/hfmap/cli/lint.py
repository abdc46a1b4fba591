"""`hfmap lint`: the schema and every offline rule, reported as `path:line:col: LEVEL [rule] message`.

Offline and import-light: nothing here (or below) imports the HTTP stack.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hfmap.cli.context import exit_with, format_option, get_run
from hfmap.cli.options import paths_argument, reads_stdin, rule_options, stdin_filename_option
from hfmap.errors import HfmapError
from hfmap.files.load import STDIN_NAME, read_stream
from hfmap.files.problem import LoadProblem
from hfmap.lint import rules
from hfmap.lint.engine import RuleOptions, exit_code, lint_paths, lint_stdin
from hfmap.report.escape import clean


@click.command("lint")
@paths_argument
@rule_options
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--list-rules", is_flag=True, help="List the rules (id, level, description) and exit.")
@stdin_filename_option
@format_option("lint")
def lint(
    paths: tuple[Path, ...],
    disable: tuple[str, ...],
    strict: bool,
    allow_providers: tuple[str, ...],
    list_rules: bool,
    stdin_filename: str | None,
) -> None:
    """Check mapping files offline: schema and every rule.

    \b
    Exit codes: 0 no errors (warnings allowed unless --strict), 1 errors, 2 usage.
    To switch rules off for one entry, comment its first line:
      - hfModel: a/b  # hfmap: disable=RULE[,RULE]
    PATHS `-` reads one file from standard input (name it with --stdin-filename).
    """
    run = get_run()
    if list_rules:
        run.echo(run.show("rules", rules.rows()))
        return
    options = RuleOptions(frozenset(allow_providers))
    if reads_stdin(paths, stdin_filename):
        try:
            raw = read_stream(sys.stdin.buffer)
        except LoadProblem as problem:
            raise HfmapError(f"{stdin_filename or STDIN_NAME}: {problem.message}") from None
        linted = lint_stdin(raw, stdin_filename, disabled=disable, options=options)
    else:
        linted = lint_paths(paths, disabled=disable, options=options, context=True)
    if linted.context:
        run.debug(f"context for the cross-file rules: {clean(linted.context)}")
    run.show_suppressed(linted.result.suppressed)
    run.echo(run.show("findings", linted.result.findings, files=linted.files), nl=False)
    exit_with(exit_code(linted.result.findings, strict))


command = lint
