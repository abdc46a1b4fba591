"""docs/architecture.md's "Where things live" names real places: each path exists, each name is defined there.

A guide that points at a moved file or a renamed class sends the newcomer it was written for the wrong way;
this test makes the move that forgets the guide fail.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "architecture.md"

PATH = re.compile(r"`((?:src|tests|docs)/[^`\s]+)`")
# "`Plan`, `Action` in `src/hfmap/mapping/plan.py`": the names that file must define
NAMED = re.compile(r"((?:`[A-Za-z_]\w*`(?:, )?)+) in `([^`\s]+\.py)`")


def _section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _defined(path: Path) -> set[str]:
    """The names a module binds at its top level (classes, functions, assignments)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _places(section: str) -> tuple[list[str], list[tuple[str, str]]]:
    paths = PATH.findall(section)
    named = [(name, path) for names, path in NAMED.findall(section) for name in re.findall(r"`(\w+)`", names)]
    return paths, named


SECTION = _section(GUIDE.read_text(encoding="utf-8"), "Where things live")
PATHS, NAMED_PLACES = _places(SECTION)


def test_the_guide_answers_what_a_newcomer_looks_for() -> None:
    lowered = SECTION.lower()
    for asked in (
        "plan type",
        "the key",
        "retry",
        "renderer table",
        "lint rule registry",
        "check rule registry",
    ):
        assert asked in lowered, asked
    assert len(set(PATHS)) >= 20 and len(NAMED_PLACES) >= 20


def test_every_path_named_exists() -> None:
    assert [path for path in PATHS if not (ROOT / path).exists()] == []


def test_every_name_is_defined_where_the_guide_says() -> None:
    missing = [f"{name} in {path}" for name, path in NAMED_PLACES if name not in _defined(ROOT / path)]
    assert missing == []


def test_the_check_reads_names_and_paths_as_written(tmp_path: Path) -> None:
    """The parsing above fails on what it exists to catch: a moved file and a renamed class."""
    paths, named = _places(
        "| The plan type | `Plan`, `Action` in `src/hfmap/mapping/plan.py` |\n"
        "| Gone | `Moved` in `src/hfmap/nowhere.py`; see `tests/gone.py` |\n"
    )
    assert paths == ["src/hfmap/mapping/plan.py", "src/hfmap/nowhere.py", "tests/gone.py"]
    assert named == [
        ("Plan", "src/hfmap/mapping/plan.py"),
        ("Action", "src/hfmap/mapping/plan.py"),
        ("Moved", "src/hfmap/nowhere.py"),
    ]
    module = tmp_path / "m.py"
    module.write_text("class Plan: ...\nX: int = 1\nY = 2\ndef f(): ...\n", encoding="utf-8")
    assert _defined(module) == {"Plan", "X", "Y", "f"}
