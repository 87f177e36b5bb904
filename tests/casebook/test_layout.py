"""The package layout stays readable: few top-level entries, one name per module, imports downhill.

The toolkit (``decisions``, ``error_analysis``, ``fairness``, ``modeling``, ``monitoring``,
``tracking``, ``governance``, plus ``data``, ``synthetic`` and ``plots``) never imports the
course machinery (``casebook.course``); plots import the toolkit, not the reverse
(``tracking`` logs figures and is the one layer above ``plots``). Imports are read from the
source with :mod:`ast`, including imports inside functions; imports under
``if TYPE_CHECKING:`` are annotations only and skipped.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

import casebook

PACKAGE = Path(casebook.__file__).parent

ANALYSIS = {"_validation", "data", "decisions", "error_analysis", "fairness", "modeling"}
ALLOWED: dict[str, set[str]] = {
    "_validation": set(),
    "data": {"_validation"},
    "decisions": {"_validation", "data"},
    "error_analysis": {"_validation", "data", "decisions"},
    "fairness": {"_validation", "data", "decisions"},
    "modeling": {"_validation", "data", "decisions"},
    "synthetic": {"_validation", "data", "decisions"},
    "governance": {"_validation"},
    "monitoring": {"_validation", "data", "decisions", "synthetic"},
    "plots": ANALYSIS | {"monitoring", "synthetic"},
    "tracking": ANALYSIS | {"monitoring", "synthetic", "plots"},
    "course": ANALYSIS | {"monitoring", "synthetic", "plots", "tracking", "governance"},
}
# module names that may repeat on purpose: plots and synthetic generators mirror the toolkit
MIRRORS = {"plots", "synthetic"}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_violations(package_dir: Path, allowed: dict[str, set[str]]) -> list[str]:
    """Every ``casebook.X`` import that subpackage ``Y`` makes while X is not allowed for Y."""
    problems = []
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(package_dir)
        if len(rel.parts) < 2:
            continue  # top-level modules (__init__) import nothing of the package
        source = rel.parts[0]
        for lineno, module in _imports(ast.parse(path.read_text(), str(path))):
            parts = module.split(".")
            if parts[0] != package_dir.name or len(parts) < 2:
                continue
            target = parts[1]
            if target == source:
                continue
            if source not in allowed:
                problems.append(f"{rel}: subpackage {source!r} is not in the layout table")
            elif target not in allowed[source]:
                problems.append(f"{rel}:{lineno} imports {module} ({source} -> {target})")
    return problems


def test_imports_go_downhill():
    assert import_violations(PACKAGE, ALLOWED) == []


def test_every_subpackage_is_in_the_layout_table():
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert subpackages == set(ALLOWED)


def test_a_reverse_import_is_caught(tmp_path):
    pkg = tmp_path / "casebook"
    (pkg / "decisions").mkdir(parents=True)
    (pkg / "course").mkdir()
    (pkg / "decisions" / "costs.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from casebook.course.lesson import Lesson\n"
        "def f():\n    from casebook.course.lesson import Lesson\n    return Lesson\n"
    )
    (pkg / "course" / "lesson.py").write_text("from casebook.decisions.costs import f\n")
    problems = import_violations(pkg, {"decisions": set(), "course": {"decisions"}})
    assert problems == ["decisions/costs.py:5 imports casebook.course.lesson (decisions -> course)"]


def test_top_level_is_small():
    entries = sorted(
        p.name for p in PACKAGE.iterdir() if p.name != "__pycache__" and not p.name.startswith(".")
    )
    assert len(entries) <= 13, entries
    for name in entries:
        path = PACKAGE / name
        assert name == "__init__.py" or (path / "__init__.py").is_file(), (
            f"{name}: the top level holds subpackages only"
        )


def test_no_two_modules_share_a_name():
    names = Counter()
    where: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if path.name == "__init__.py" or rel.parts[0] in MIRRORS:
            continue
        names[path.stem] += 1
        where.setdefault(path.stem, []).append(str(rel))
    assert {n: where[n] for n, c in names.items() if c > 1} == {}


def test_plots_mirror_the_toolkit():
    toolkit = {
        p.stem for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in MIRRORS
    } | {p.parent.name for p in PACKAGE.rglob("__init__.py")}
    views = {"__init__", "explorer"}  # the stakeholder explorer is a view with no single twin
    for path in (PACKAGE / "plots").glob("*.py"):
        if path.stem not in views:
            assert path.stem in toolkit, f"plots/{path.name} mirrors no toolkit module"


@pytest.mark.parametrize(
    "init", sorted(PACKAGE.rglob("__init__.py")), ids=lambda p: str(p.parent.name)
)
def test_every_package_says_what_lives_there(init):
    doc = ast.get_docstring(ast.parse(init.read_text())) or ""
    if init.parent == PACKAGE:
        assert "course" in doc and "toolkit" in doc
        return
    assert "Lives here:" in doc and "May import:" in doc, init
