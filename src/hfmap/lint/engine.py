"""The lint engine: schema + every offline rule over the declared files, then rule switches applied.

Used by `hfmap lint`, `hfmap check` and the plan gate alike; it knows nothing of the CLI or of output
formats, and never imports the HTTP stack.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hfmap.check_rules import CHECK_RULES
from hfmap.data import closest
from hfmap.errors import UsageError
from hfmap.files.context import provider_context
from hfmap.files.load import STDIN_NAME, LoadResult, load_bytes, load_declared
from hfmap.files.model import Declared
from hfmap.files.paths import resolve_paths
from hfmap.findings import Finding, Level
from hfmap.lint.disables import Suppressed, apply_entry_disables
from hfmap.lint.options import RuleOptions
from hfmap.lint.rules import BY_ID, RULES, can_disable

__all__ = ["LintResult", "RuleOptions", "exit_code", "lint", "lint_paths", "lint_stdin", "validate_rule_ids"]


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)


@dataclass
class LintRun:
    """`lint_paths`' answer: the files, what they declare, and the findings about them."""

    declared: Declared
    loaded: LoadResult
    result: LintResult
    context: list[str] = field(default_factory=list)  # other files read for the cross-file rules

    @property
    def files(self) -> int:
        """How many mapping files were read (or tried): the count in the closing line."""
        return len(self.loaded.paths)


def validate_rule_ids(ids: Iterable[str]) -> None:
    """Refuse unknown rule ids (with a did-you-mean) and rules that cannot be switched off."""
    for rule_id in ids:
        if rule_id in CHECK_RULES:
            raise UsageError(
                f"'{rule_id}' is an online rule: only `hfmap check` runs it, nothing to disable here"
            )
        if rule_id not in BY_ID:
            guess = closest(rule_id, BY_ID)
            hint = f"did you mean '{guess}'?" if guess else "see `hfmap lint --list-rules`"
            raise UsageError(f"unknown rule '{rule_id}'; {hint}")
        if not can_disable(BY_ID[rule_id]):
            raise UsageError(f"rule '{rule_id}' cannot be disabled: nothing else can be checked without it")


def lint(
    declared: Declared,
    load_findings: list[Finding],
    *,
    disabled: frozenset[str] = frozenset(),
    options: RuleOptions = RuleOptions(),  # noqa: B008 - frozen dataclass, safe as a default
) -> LintResult:
    """Run the schema and every rule not in `disabled`; `load_findings` (syntax) pass through."""
    findings = list(load_findings)
    for rule in RULES:
        if rule.ID in disabled and can_disable(rule):
            continue
        findings.extend(rule.check(declared, options))
    findings = [f for f in findings if f.rule not in disabled or f.rule == "syntax"]
    kept, suppressed = apply_entry_disables(findings, declared)
    return LintResult(kept, suppressed)


def lint_paths(
    paths: Iterable[Path],
    *,
    disabled: Iterable[str] = (),
    options: RuleOptions = RuleOptions(),  # noqa: B008 - frozen dataclass, safe as a default
    context: bool = False,
) -> LintRun:
    """`hfmap lint` in one call: check the rule ids, load PATHS, run every rule.

    With `context`, files named one by one (pre-commit passes only the changed ones) are linted with the
    other mapping files of their providers under the same mappings root (see `files.paths.mappings_root`),
    so a new entry that duplicates one in an unchanged file, or a `prune` that disagrees with one, is
    still caught. Only findings in the named files are reported.
    """
    disabled = tuple(disabled)
    validate_rule_ids(disabled)
    chosen = resolve_paths(paths)  # once: `paths` may be an iterator
    declared, loaded = load_declared(chosen)
    named = [path for path in chosen if not path.is_dir()] if context else []
    return _lint_loaded(declared, loaded, named, disabled, options)


def lint_stdin(
    raw: bytes,
    name: str | None,
    *,
    disabled: Iterable[str] = (),
    options: RuleOptions = RuleOptions(),  # noqa: B008 - frozen dataclass, safe as a default
) -> LintRun:
    """`hfmap lint -`: one document read from standard input, reported under `name` (`--stdin-filename`,
    as an editor passes the buffer's path), with that file's siblings as context for the cross-file rules
    (the file on disk itself is replaced by what was read)."""
    disabled = tuple(disabled)
    validate_rule_ids(disabled)
    file, findings = load_bytes(raw, name or STDIN_NAME)
    named = [Path(name)] if name else []  # without a name, no siblings: the current folder is not one
    loaded = LoadResult(files=[file] if file else [], findings=findings, paths=[Path(name or STDIN_NAME)])
    return _lint_loaded(Declared(loaded.files), loaded, named, disabled, options)


def _lint_loaded(
    declared: Declared, loaded: LoadResult, named: list[Path], disabled: tuple[str, ...], options: RuleOptions
) -> LintRun:
    others = provider_context(named, loaded, declared.providers).files if named else []
    if not others:
        result = lint(declared, loaded.findings, disabled=frozenset(disabled), options=options)
        return LintRun(declared, loaded, result)
    wider = Declared([*declared.files, *others])
    result = lint(wider, loaded.findings, disabled=frozenset(disabled), options=options)
    mine = {file.path for file in declared.files}
    result = LintResult(
        [f for f in result.findings if f.path in mine or f.rule == "syntax"],
        [s for s in result.suppressed if s.finding.path in mine],
    )
    return LintRun(declared, loaded, result, [file.path for file in others])


def exit_code(findings: Iterable[Finding], strict: bool) -> int:
    """1 on any error, or on a warning with `strict`; notices never fail a run."""
    levels = {f.level for f in findings}
    if Level.ERROR in levels or (strict and Level.WARNING in levels):
        return 1
    return 0
