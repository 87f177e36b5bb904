"""The notebook conventions of CONTRIBUTING.md, enforced on every committed notebook."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from casebook.course.paths import notebooks_dir

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
PARAM_LINE = re.compile(r"^(\w+): [^=]+ = .+  # \S.*$")
REQUIRED_PARAMS = {"fast": "bool", "seed": "int", "output_dir": "str | None", "solutions": "bool"}
MAX_HELPER_LINES = 8


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_of(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"
    assert IDS[0] == "00_start_here"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_name_format_and_schema(path):
    assert re.fullmatch(r"\d{2}_[a-z0-9_]+\.ipynb", path.name)
    nb = load(path)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path):
    nb = load(path)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"cell {i} has outputs: strip them (nbstripout)"
            assert cell.execution_count is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_cell_order(path):
    nb = load(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {path.stem[:2]} ")
    code_idx = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    params = nb.cells[code_idx[0]]
    assert "parameters" in params.metadata.get("tags", []), "first code cell must be tagged"
    before = "\n".join(c.source for c in nb.cells[: code_idx[0]] if c.cell_type == "markdown")
    assert "## Learning objectives" in before
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    headings = [line for src in markdown for line in src.splitlines() if line.startswith("## ")]
    positions = {}
    for key in ("## 1.", "## Interview corner", "## Exercises", "## Summary"):
        hits = [i for i, h in enumerate(headings) if h.startswith(key)]
        assert hits, f"missing heading {key!r}"
        positions[key] = hits[0]
    assert list(positions.values()) == sorted(positions.values()), (
        f"headings out of order: {headings}"
    )
    assert headings[-1].startswith("## Summary")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_parameters_are_typed_and_commented(path):
    src = code_of(load(path))[0]
    found = {}
    for line in src.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = PARAM_LINE.match(line)
        assert m, f"parameter line not typed and commented: {line!r}"
        found[m.group(1)] = line.split(":", 1)[1].split("=", 1)[0].strip()
    for name, annotation in REQUIRED_PARAMS.items():
        assert found.get(name) == annotation, f"missing or mistyped parameter {name}: {annotation}"
    ast.parse(src)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_uses_the_lesson_api(path):
    code = "\n".join(code_of(load(path)))
    assert "from casebook" in code
    assert re.search(rf"Lesson\(\s*\"{path.stem}\"", code), (
        "Lesson(...) must use the notebook's name"
    )
    assert code.count("lesson.claim(") >= 1
    assert code.count("lesson.record(") + code.count("lesson.record (") >= 1
    # answers and implement-it functions alike are submitted with the solutions switch
    assert len(re.findall(r"\.submit\(\w+, solutions=solutions\)", code)) >= 2
    assert code.count("lesson.exercise(") >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_helpers_stay_small(path):
    for src in code_of(load(path)):
        lines = [ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        tree = ast.parse("\n".join(lines))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= MAX_HELPER_LINES, (
                    f"{node.name} is {length} lines: move logic into the casebook package"
                )


def _chunks(path: Path, size: int = 4) -> set[tuple[str, ...]]:
    """Runs of ``size`` meaningful lines, skipping the (mandatory, shared) parameters cell."""
    out = set()
    for src in code_of(load(path))[1:]:
        raw = src.splitlines()
        try:
            tree = ast.parse("\n".join(ln for ln in raw if not ln.lstrip().startswith(("%", "!"))))
        except SyntaxError:
            tree = None
        imported = set()  # every line of an import statement, multi-line ones included
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.Import | ast.ImportFrom):
                imported.update(range(node.lineno - 1, node.end_lineno))
        lines = [ln.strip() for i, ln in enumerate(raw) if i not in imported]
        lines = [ln for ln in lines if ln and not ln.startswith(("#", "import ", "from "))]
        out |= {tuple(lines[i : i + size]) for i in range(len(lines) - size + 1)}
    return out


def test_no_code_copied_between_notebooks():
    seen: dict[tuple[str, ...], str] = {}
    copies = set()
    for path in NOTEBOOKS:
        for chunk in _chunks(path):
            if chunk in seen and seen[chunk] != path.stem:
                copies.add(f"{path.stem} repeats {seen[chunk]}: {chunk[0]!r} ...")
            seen.setdefault(chunk, path.stem)
    assert not copies, "code copied between notebooks (move it into casebook):\n" + "\n".join(
        sorted(copies)
    )
