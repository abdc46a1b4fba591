"""The other files of the same providers: the whole provider, however few of its files were named.

Several files may declare one provider. A command given some of them still reads all of them under the
mappings root (`hfmap.files.paths.mappings_root`): lint to run its cross-file rules, plan and apply because
the declared state is the whole provider (a sibling's mappings left out of a plan would be deleted).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hfmap.files.load import LoadResult, load_file, syntax_finding
from hfmap.files.model import MappingFile, Position
from hfmap.files.paths import Unreadable, context_paths
from hfmap.findings import Finding


@dataclass
class ProviderContext:
    """The readable other files of the providers, and findings for neighbours that could not be read
    (their provider is unknown, so they may belong to one of these providers)."""

    files: list[MappingFile] = field(default_factory=list)
    unreadable: list[Finding] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [file.path for file in self.files]


def provider_context(named: Iterable[Path], loaded: LoadResult, providers: Iterable[str]) -> ProviderContext:
    """The files under the mappings roots of `named` that declare one of `providers`, other than those
    already `loaded`."""
    wanted = {_same(provider) for provider in providers}
    out = ProviderContext()
    if not wanted:
        return out
    seen = {os.path.realpath(path) for path in loaded.paths}
    for item in context_paths(named):
        path = item.path if isinstance(item, Unreadable) else item
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        if isinstance(item, Unreadable):
            out.unreadable.append(syntax_finding(path, Position(1, 1), item.reason))
            continue
        file, findings = load_file(item)
        if file is None:
            out.unreadable.extend(findings)
        elif _may_declare(file, wanted):
            out.files.append(file)
    return out


def _same(provider: str) -> str:
    return provider.strip().casefold()


def _may_declare(file: MappingFile, wanted: set[str]) -> bool:
    """Whether `file` may declare one of the `wanted` providers: it names one, maybe misspelt by case or
    spaces (`Replicate`), or it has `mappings` but no provider string. Such a file is read, so that lint
    stops the plan on it rather than its mappings being planned away as undeclared; YAML files that are
    no mapping files (`mkdocs.yml` beside a file named by itself) are left alone."""
    if file.provider is not None:
        return _same(file.provider) in wanted
    return isinstance(file.data, dict) and "mappings" in file.data
