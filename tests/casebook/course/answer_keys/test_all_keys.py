"""Every notebook has an answer key that keeps answers out of the exercise cells.

For each notebook: its exercise cells name key exercises and pass data, never a checker or a
reference; every notebook from 01 on has an implement-it exercise and a judgement; every
implement-it reference passes its own cases and every typical slip it lists is rejected.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from casebook.course.answer_keys import key_for
from casebook.course.paths import notebooks_dir

NOTEBOOKS = sorted(p.stem for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb"))
KEY_TESTS = notebooks_dir().parent / "tests" / "casebook" / "course" / "answer_keys"
# Strings that would put a checker or a reference answer into an exercise cell.
FORBIDDEN = ("check=", "solution=", "correct=", "close_to(", "one_of(", "in_range(", "equals(")


def exercise_cells(stem: str) -> list[str]:
    nb = nbformat.read(notebooks_dir() / f"{stem}.ipynb", as_version=4)
    cells, inside = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            inside = cell.source.startswith("## Exercises")
        elif inside and cell.cell_type == "code":
            cells.append(cell.source)
    return cells


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_exercise_cells_hold_no_answers(stem):
    cells = exercise_cells(stem)
    assert cells, f"{stem} has no exercise cells"
    for source in cells:
        for bad in FORBIDDEN:
            assert bad not in source, f"{stem}: an exercise cell contains {bad!r}:\n{source}"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_uses_exactly_its_key(stem):
    used = [m for s in exercise_cells(stem) for m in re.findall(r'lesson\.exercise\(\s*"(\w+)"', s)]
    assert sorted(used) == sorted(key_for(stem).names()), stem
    assert len(used) == len(set(used)), f"{stem} creates an exercise twice"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_kinds_per_notebook(stem):
    kinds = list(key_for(stem).kinds().values())
    assert "judgement" in kinds, f"{stem} needs a decision answered with its number"
    if stem >= "01":
        assert "implement" in kinds, f"{stem} needs an implement-it exercise"
        assert (KEY_TESTS / f"test_nb{stem[:2]}.py").is_file(), (
            f"{stem}: tests/casebook/course/answer_keys/test_nb{stem[:2]}.py must show an "
            "independent correct implementation passing"
        )


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_implement_templates_start_blank(stem):
    key = key_for(stem)
    for name, kind in key.kinds().items():
        if kind != "implement":
            continue
        cell = next(s for s in exercise_cells(stem) if f'"{name}"' in s)
        assert "raise NotImplementedError" in cell, f"{stem}:{name} template must start blank"


def implement_specs():
    for stem in NOTEBOOKS:
        try:
            key = key_for(stem)
        except ValueError:  # no key yet: the tests above fail for it
            continue
        for name, kind in key.kinds().items():
            if kind == "implement":
                yield pytest.param(key, name, id=f"{stem[:2]}-{name}")


@pytest.mark.parametrize(("key", "name"), list(implement_specs()))
def test_reference_passes_and_slips_are_rejected(key, name):
    spec = key.spec(name)
    reference = key.exercise(name).solution()
    assert key.check(name, reference) is None
    assert len(spec.slips) >= 2
    for label, slip in spec.slips:
        message = key.check(name, slip)
        assert message is not None, f"{name}: the slip {label!r} passes the checker"
        assert message.startswith("case '"), message
        assert label in message, f"{name}: the slip {label!r} is not named: {message}"
    labels = [c.label for c in spec.cases]
    assert len(labels) == len(set(labels)), f"{name}: case labels must be unique"
