"""Rule tests go through real YAML text → `load_text` → `lint`, as a user's file would."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from hfmap.findings import Finding
from hfmap.lint import LintResult, RuleOptions, lint
from hfmap.load import load_text
from hfmap.model import Declared

LintFiles = Callable[..., LintResult]


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


@pytest.fixture
def lint_files() -> LintFiles:
    """`lint_files({"a.yaml": text, ...}, disabled=..., allow=...)` → LintResult."""
    return run_lint


@pytest.fixture
def lint_text() -> Callable[..., list[Finding]]:
    """`lint_text(yaml_text, rule=None)` → the findings (of `rule` only, when given) of one file `m.yaml`."""

    def _lint(text: str, rule: str | None = None, **kwargs: object) -> list[Finding]:
        findings = run_lint({"m.yaml": text}, **kwargs).findings  # type: ignore[arg-type]
        return [f for f in findings if rule is None or f.rule == rule]

    return _lint
