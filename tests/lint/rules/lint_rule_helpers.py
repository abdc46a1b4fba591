"""Rule tests go through real YAML text → `load_text` → `lint`, as a user's file would.

Plain functions, not conftest fixtures: a second `conftest` module name would shadow the others'
`from conftest import ...` (pytest's default import mode puts this folder on sys.path).
"""

from __future__ import annotations

import textwrap

from hfmap.files.load import load_text
from hfmap.files.model import Declared
from hfmap.findings import Finding
from hfmap.lint.engine import LintResult, RuleOptions, lint


def run_lint(
    files: dict[str, str], *, disabled: frozenset[str] = frozenset(), allow: tuple[str, ...] = ()
) -> LintResult:
    loaded, load_findings = [], []
    for path, text in files.items():
        file, findings = load_text(textwrap.dedent(text).lstrip("\n"), path)
        load_findings.extend(findings)
        if file is not None:
            loaded.append(file)
    options = RuleOptions(allow_providers=frozenset(allow))
    return lint(Declared(loaded), load_findings, disabled=disabled, options=options)


lint_files = run_lint  # `lint_files({"a.yaml": text, ...}, disabled=..., allow=...)` → LintResult


def lint_text(text: str, rule: str | None = None, **kwargs: object) -> list[Finding]:
    """The findings (of `rule` only, when given) of one file `m.yaml` holding `text`."""
    findings = run_lint({"m.yaml": text}, **kwargs).findings  # type: ignore[arg-type]
    return [f for f in findings if rule is None or f.rule == rule]
