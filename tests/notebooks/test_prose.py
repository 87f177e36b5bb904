"""Prose bound to the numbers: markdown cells state no run-dependent number.

A number typed into a markdown cell cannot follow the run: a new seed, fast mode or a new
library version changes the output and the sentence goes on saying the old value. So every
numeric literal in a notebook's markdown must be a *fixed fact* of that notebook (a dataset's
size, a cost from the scenario, a parameter default, a legal threshold such as 80%), declared
in ``fixed_facts.yaml`` beside this file. Anything that interprets results is rendered from
the recorded results in a code cell (``display(Markdown(f"..."))`` with ``lesson.result``).

Section numbers in headings, list markers, inline code and notebook numbers ("notebook 03")
are not facts and are ignored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from casebook.course.paths import notebooks_dir

FACTS_FILE = Path(__file__).with_name("fixed_facts.yaml")
NOTEBOOKS = sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))

_NUMBER = re.compile(r"(?<![\w.\-/$])[-−]?\d[\d,]*(?:\.\d+)?(?:%|x(?!\w)|(?!\w))")
_IGNORED = [
    re.compile(r"^\s*#+\s*\d+(\.\d+)*\.?"),  # section numbers in headings
    re.compile(r"^\s*(\d+\.|[-*+])\s"),  # list markers
    re.compile(r"`[^`]*`"),  # inline code: names and parameters, not claims
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(
        r"(?i)\b(notebooks?|exercise|section|part|step|question)s?\s+\d+(\s*(-|and|,)\s*\d+)*"
    ),
    re.compile(r"\$[^$]*\$"),  # LaTeX formulas state the method, not the run
]


def markdown_numbers(text: str) -> list[str]:
    """The numeric literals a reader sees in a markdown cell, normalized (``1,000`` -> ``1000``).

    >>> markdown_numbers("## 2. Costs\\n- A miss costs 25 (`fn_cost=25`); see notebook 03.")
    ['25']
    """
    found = []
    for line in text.splitlines():
        for pattern in _IGNORED:
            line = pattern.sub(" ", line)
        for raw in _NUMBER.findall(line):
            value = raw.replace(",", "").replace("−", "-").rstrip(".")
            if value.strip("-%"):
                found.append(value)
    return found


def undeclared_numbers(notebook: dict, facts: list) -> list[str]:
    """Numbers in the notebook's markdown that are not declared as its fixed facts."""
    allowed = {str(f).replace(",", "") for f in facts}
    out = []
    for i, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        out += [f"cell {i}: {n}" for n in markdown_numbers(source) if n not in allowed]
    return out


def _facts() -> dict[str, list]:
    return yaml.safe_load(FACTS_FILE.read_text()) or {}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_markdown_states_only_fixed_facts(path):
    facts = _facts().get(path.stem, {})
    declared = [n for group in facts.values() for n in group] if isinstance(facts, dict) else facts
    problems = undeclared_numbers(json.loads(path.read_text()), declared)
    assert not problems, (
        f"{path.name}: numbers typed into markdown that are not fixed facts of the notebook; "
        "render them from recorded results, or declare a true fixed fact in "
        f"tests/notebooks/fixed_facts.yaml: {problems}"
    )


def test_every_declared_notebook_exists():
    assert set(_facts()) <= {p.stem for p in NOTEBOOKS}


def test_a_typed_run_dependent_number_fails():
    path = NOTEBOOKS[3]
    notebook = json.loads(path.read_text())
    facts = _facts().get(path.stem, {})
    declared = [n for group in facts.values() for n in group]
    assert undeclared_numbers(notebook, declared) == []
    notebook["cells"].append(
        {"cell_type": "markdown", "metadata": {}, "source": ["The model saves 37.4% of the cost."]}
    )
    assert undeclared_numbers(notebook, declared) == [f"cell {len(notebook['cells']) - 1}: 37.4%"]


def test_ignored_forms():
    text = (
        "### 3.1 Heading\n1. first\n- bullet 7 items\nSee notebook 03 and exercise 2, "
        "`threshold=0.5`, [link](figures/x_2.png), $p > 0.5$, p99 and 3x and 1,000 rows."
    )
    assert markdown_numbers(text) == ["7", "3x", "1000"]
