"""`hfmap lint`: the schema and every offline rule, reported as `path:line:col: LEVEL [rule] message`.

Offline and import-light: nothing here (or below) imports the HTTP stack.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from hfmap.cli.context import format_option, get_run
from hfmap.cli.options import load_declared, paths_argument, resolve_paths, rule_options
from hfmap.files.load import iter_mapping_paths
from hfmap.lint import engine
from hfmap.lint.rules import RULES, can_disable
from hfmap.report.findings import format_text, render_findings


def _list_rules(fmt: str) -> None:
    rows = [
        {"id": r.ID, "level": r.LEVEL.value, "description": r.DESCRIPTION, "can_disable": can_disable(r)}
        for r in RULES
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(r["id"]) for r in rows)
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {row['level']:<7}  {row['description']}")


@click.command("lint")
@paths_argument
@rule_options
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--list-rules", is_flag=True, help="List the rules (id, level, description) and exit.")
@format_option()
def lint(
    paths: tuple[Path, ...],
    disable: tuple[str, ...],
    strict: bool,
    allow_providers: tuple[str, ...],
    list_rules: bool,
) -> None:
    """Check mapping files offline: schema and every rule.

    \b
    Exit codes: 0 no errors (warnings allowed unless --strict), 1 errors, 2 usage.
    To switch rules off for one entry, comment its first line:
      - hfModel: a/b  # hfmap: disable=RULE[,RULE]
    """
    run = get_run()
    if list_rules:
        _list_rules(run.format)
        return
    engine.validate_rule_ids(disable)
    declared, loaded = load_declared(paths)
    result = engine.lint(
        declared,
        loaded.findings,
        disabled=frozenset(disable),
        options=engine.RuleOptions(allow_providers=frozenset(allow_providers)),
    )
    if run.verbose:
        for item in result.suppressed:
            run.err(f"{format_text(item.finding)} ({item.describe()})")
    files = sum(1 for _ in iter_mapping_paths(resolve_paths(paths)))
    render_findings(result.findings, run.format, sys.stdout, color=run.color, files=files, quiet=run.quiet)
    code = engine.exit_code(result.findings, strict)
    if code:
        click.get_current_context().exit(code)


command = lint
