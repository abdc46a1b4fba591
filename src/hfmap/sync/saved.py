"""Saved plans: `hfmap plan -o FILE` writes the plan and the selection that made it; `apply --plan-file FILE`
makes the same selection again and writes only when the fresh plan hashes the same.

The file is consent, like a reviewed hash: it is refused when its format version is not this hfmap's, or
when its hash does not match its own actions (edited by hand: what it shows is not what was approved).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hfmap import __version__
from hfmap.errors import HfmapError, UsageError
from hfmap.mapping.plan import PLAN_VERSION, semantic_hash
from hfmap.sync.plan import Scope

SEMANTIC_KEYS = ("action", "provider", "key", "before", "after")


class PlanFileError(HfmapError):
    """A plan file that cannot be applied: refused before any request (exit 3)."""

    exit_code = 3


@dataclass(frozen=True)
class SavedSelection:
    """What `plan` was asked for: the paths and the options that narrow the plan."""

    paths: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    only_auto_status: bool = False
    retest: tuple[str, ...] = ()
    retest_errors: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "paths": list(self.paths),
            "target": list(self.target),
            "only_auto_status": self.only_auto_status,
            "retest": list(self.retest),
            "retest_errors": self.retest_errors,
        }

    def scope(self) -> Scope:
        return Scope.from_options(self.only_auto_status, self.retest, self.retest_errors, self.target)

    def apply_args(self) -> list[str]:
        """The `hfmap apply` arguments that make this selection again (paths last)."""
        args = [*(f"--target={key}" for key in self.target), *(f"--retest={key}" for key in self.retest)]
        args += ["--only-auto-status"] * self.only_auto_status + ["--retest-errors"] * self.retest_errors
        return [*args, *self.paths]


@dataclass(frozen=True)
class SavedPlan:
    hash: str
    selection: SavedSelection


def saved_plan_json(plan: dict[str, Any], selection: SavedSelection) -> dict[str, Any]:
    """The file `plan -o` writes: the contract's plan object, the selection and hfmap's version."""
    return {**plan, "selection": selection.to_json(), "hfmap_version": __version__}


def _strings(value: Any, name: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PlanFileError(
            f"{where}: `selection.{name}` is not a list of strings; write it again with `plan -o`"
        )
    return tuple(value)


def read_saved_plan(path: Path) -> SavedPlan:
    """The hash and selection of a plan file; anything that makes it untrustworthy is one clear line."""
    where = f"plan file '{path}'"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanFileError(f"cannot read {where}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError):
        raise PlanFileError(f"{where} is not JSON; write it with `hfmap plan -o FILE`") from None
    if not isinstance(data, dict) or "selection" not in data or "actions" not in data:
        raise PlanFileError(
            f"{where} is not a saved plan (no actions or selection); write it with `hfmap plan -o`"
        )
    if data.get("version") != PLAN_VERSION:
        raise PlanFileError(
            f"{where} has plan format version {data.get('version')!r}; this hfmap "
            f"({__version__}) applies version {PLAN_VERSION} only: make the plan again with `hfmap plan -o`"
        )
    actions, claimed = data.get("actions"), data.get("hash")
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        raise PlanFileError(f"{where}: `actions` is not a list of actions")
    try:
        actual = semantic_hash([{key: action.get(key) for key in SEMANTIC_KEYS} for action in actions])
    except TypeError:  # keys of a kind that cannot be sorted: not what `plan -o` writes
        actual = None
    if not isinstance(claimed, str) or actual != claimed:
        raise PlanFileError(
            f"{where} was edited: its hash {claimed!r} does not match its own actions ({actual}); "
            "make the plan again with `hfmap plan -o`"
        )
    raw = data["selection"]
    if not isinstance(raw, dict):
        raise PlanFileError(f"{where}: `selection` is not an object")
    selection = SavedSelection(
        paths=_strings(raw.get("paths", []), "paths", where),
        target=_strings(raw.get("target", []), "target", where),
        only_auto_status=raw.get("only_auto_status") is True,
        retest=_strings(raw.get("retest", []), "retest", where),
        retest_errors=raw.get("retest_errors") is True,
    )
    return SavedPlan(claimed, selection)


def approved_selection(
    given: SavedSelection, expected: str | None, plan_file: Path | None
) -> tuple[SavedSelection, str | None]:
    """What `apply` plans and which hash it must find: as given on the command line, or as the plan file
    says (which then fixes both: mixing them is a usage error)."""
    if plan_file is None:
        return given, expected
    if given != SavedSelection() or expected is not None:
        raise UsageError(
            "--plan-file fixes the paths, selection and hash: give no PATHS, --target, --retest, "
            "--retest-errors, --only-auto-status or --expect-hash with it"
        )
    saved = read_saved_plan(plan_file)
    return saved.selection, saved.hash
