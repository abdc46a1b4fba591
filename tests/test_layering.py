"""The import direction: the core (`hfmap.mapping`) at the bottom, the commands (`hfmap.cli`) at the top.

Read from the source with `ast` (imports inside functions count too), so a shortcut taken anywhere shows.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "hfmap"


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every hfmap module `path` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = _module(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "hfmap" or name.startswith("hfmap.")}


MODULES = {_module(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _violations(importer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items()
        if _in(module, importer)
        for name in names
        if any(_in(name, package) for package in forbidden)
    )


def test_the_scan_sees_the_package() -> None:
    assert "hfmap.mapping.plan" in MODULES and "hfmap.sync.plan" in MODULES
    assert "hfmap.mapping.record" in MODULES["hfmap.sync.plan"]  # a from-import is seen


def test_the_core_imports_nothing_of_hfmap_but_itself() -> None:
    bad = sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items()
        if _in(module, "hfmap.mapping")
        for name in names
        if not _in(name, "hfmap.mapping")
    )
    assert bad == []


def test_nothing_below_the_commands_imports_them() -> None:
    bad = sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items()
        if not _in(module, "hfmap.cli") and module not in ("hfmap", "hfmap.__main__")
        for name in names
        if _in(name, "hfmap.cli")
    )
    assert bad == []


@pytest.mark.parametrize(
    ("importer", "forbidden"),
    [
        ("hfmap.clients", ("hfmap.files", "hfmap.sync", "hfmap.check", "hfmap.lint", "hfmap.github")),
        ("hfmap.files", ("hfmap.clients", "hfmap.sync", "hfmap.check", "hfmap.github", "hfmap.report")),
        ("hfmap.report", ("hfmap.clients", "hfmap.sync", "hfmap.github")),
        ("hfmap.sync", ("hfmap.github", "hfmap.check")),
    ],
)
def test_lower_layers_do_not_reach_up(importer: str, forbidden: tuple[str, ...]) -> None:
    assert _violations(importer, forbidden) == []
