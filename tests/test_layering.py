"""The import direction: the core (`hfmap.mapping`) at the bottom, the commands (`hfmap.cli`) at the top.

Read from the source with `ast` (imports inside functions count too), so a shortcut taken anywhere shows.
`LAYERS` is the order written down: a part may import its own modules and any part in a lower row, nothing
in its own row or above. Every top-level package and module of hfmap must have a row.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

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
PARTS = {"hfmap"} | {
    f"hfmap.{path.stem}"
    for path in PACKAGE.iterdir()
    if (path.suffix == ".py" and path.name != "__init__.py") or (path / "__init__.py").is_file()
}


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


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


# Lowest first. One row = one step of the data flow; parts in one row do not know each other.
LAYERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("hfmap", "hfmap.errors", "hfmap.secrets", "hfmap.data", "hfmap.mapping"),
        "the core's values and the leaves every step shares (version, errors, redaction, shipped data)",
    ),
    (("hfmap.findings",), "a problem as a value: every rule and check makes them, every reporter reads them"),
    (("hfmap.check_rules",), "the online rule ids: lint's disable comments name them, check reports them"),
    (("hfmap.files",), "YAML -> the declared model; what cannot be read becomes findings"),
    (("hfmap.clients",), "HTTP under the one request policy; knows no files"),
    (("hfmap.providers",), "one module per provider API, over clients"),
    (("hfmap.lint",), "offline rules over the model (status_auto asks providers which have a status source)"),
    (
        ("hfmap.check", "hfmap.sync"),
        "the online steps over model + clients; siblings: `check --plan` is handed its plan by the command",
    ),
    (("hfmap.suggest",), "proposes mappings with check's look-ups and answer cache"),
    (("hfmap.report",), "every renderer: draws the core's values and findings, computes nothing"),
    (("hfmap.github",), "the Action: reads the CLI's JSON back through the core, renders with report"),
    (("hfmap.cli",), "the commands: convert options, call one step, render"),
    (("hfmap.__main__",), "`python -m hfmap`"),
)
RANK = {part: rank for rank, (parts, _why) in enumerate(LAYERS) for part in parts}


def _part(name: str) -> str:
    """The top-level part of hfmap a module belongs to (`hfmap.sync.plan` -> `hfmap.sync`)."""
    pieces = name.split(".")
    candidate = ".".join(pieces[:2])
    return candidate if candidate in PARTS else "hfmap"  # `from hfmap import __version__`


def _upward(modules: Mapping[str, set[str]]) -> list[str]:
    """Each import of a part in the importer's own row or above (its own part excepted)."""
    return sorted(
        f"{module} imports {name} ({_part(name)} is not below {_part(module)})"
        for module, names in modules.items()
        for name in names
        if _part(name) != _part(module) and RANK[_part(name)] >= RANK[_part(module)]
    )


def _part_graph(modules: Mapping[str, set[str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, names in modules.items():
        graph.setdefault(_part(module), set()).update(_part(n) for n in names if _part(n) != _part(module))
    return graph


def _cycle(graph: Mapping[str, set[str]]) -> list[str]:
    """One import cycle between parts (as a path that ends where it starts), or [] when there is none."""
    state: dict[str, str] = {}  # "open" while on the path, "done" once every way out was followed
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_every_part_of_the_package_has_a_row() -> None:
    rows = [part for parts, _why in LAYERS for part in parts]
    assert len(rows) == len(set(rows)), "a part in two rows"
    assert sorted(PARTS - set(rows)) == [], "a part without a row: place it in LAYERS"
    assert sorted(set(rows) - PARTS) == [], "a row naming no part"


def test_no_module_imports_its_own_row_or_above() -> None:
    assert _upward(MODULES) == []


def test_the_parts_import_each_other_without_a_cycle() -> None:
    assert _cycle(_part_graph(MODULES)) == []


def test_the_rules_catch_what_they_are_for() -> None:
    """The two checks above fail on the shortcuts they exist to stop."""
    assert _upward({"hfmap.check.planned": {"hfmap.sync.plan"}}) == [
        "hfmap.check.planned imports hfmap.sync.plan (hfmap.sync is not below hfmap.check)"
    ]
    assert _upward({"hfmap.files.load": {"hfmap.findings", "hfmap.report.escape"}}) == [
        "hfmap.files.load imports hfmap.report.escape (hfmap.report is not below hfmap.files)"
    ]
    assert _upward({"hfmap.report.plan_markdown": {"hfmap", "hfmap.__version__", "hfmap.mapping.plan"}}) == []
    assert _cycle({"lint": {"check"}, "check": {"files", "lint"}, "files": set()}) == [
        "check",
        "lint",
        "check",
    ]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []
