import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from casebook.course.curriculum import PREREQUISITES, curriculum_hash, plot_curriculum_map
from casebook.course.paths import notebooks_dir, project_root
from casebook.course.site import PARTS

NOTEBOOKS = sorted(p.stem for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


def objectives_cell(stem: str) -> str:
    cells = json.loads((notebooks_dir() / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return next(s for s in sources if s.startswith("## Learning objectives"))


def test_every_notebook_is_declared_once_and_in_a_part():
    assert sorted(PREREQUISITES) == NOTEBOOKS
    numbers = [n for _, nums in PARTS for n in nums]
    assert sorted(numbers) == sorted(int(s[:2]) for s in NOTEBOOKS)


def test_prerequisites_come_earlier_and_form_no_cycle():
    for stem, needs in PREREQUISITES.items():
        assert all(n in PREREQUISITES and n < stem for n in needs), stem


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_the_notebook_states_the_declared_prerequisites_and_a_study_time(stem):
    text = objectives_cell(stem)
    line = re.search(r"\*\*Prerequisites:\*\*(.*?)\*\*Study time:\*\*(.*)", text, re.DOTALL)
    assert line, f"{stem}: the objectives cell lacks '**Prerequisites:** ... **Study time:** ...'"
    named = re.findall(r"\b(\d{2})\b", line.group(1).split("(")[0])
    declared = [s[:2] for s in PREREQUISITES[stem]]
    assert sorted(named) == sorted(declared), f"{stem}: the cell names {named}, declared {declared}"
    assert re.search(r"\b(hour|hours|minutes)\b", line.group(2)), line.group(2)


def test_the_map_draws_every_notebook_and_edge():
    ax = plot_curriculum_map()
    labels = [t.get_text() for t in ax.texts]
    assert all(any(t.startswith(f"{s[:2]} ·") for t in labels) for s in NOTEBOOKS)
    edges = sum(len(v) for v in PREREQUISITES.values())
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(arrows) == edges
    assert ax.get_title() and ax.get_xlabel()
    plt.close(ax.figure)
    _, given = plt.subplots()
    assert plot_curriculum_map(ax=given) is given
    plt.close(given.figure)


def test_committed_map_is_current():
    docs = project_root() / "docs"
    assert (docs / "curriculum_map.png").stat().st_size > 20_000
    recorded = (docs / "curriculum_map.sha256").read_text().strip()
    assert recorded == curriculum_hash(), (
        "docs/curriculum_map.png is older than the graph it draws; regenerate it with "
        "`.venv/bin/python -m casebook.course.curriculum docs/curriculum_map.png`"
    )


def test_the_hash_follows_the_graph(monkeypatch):
    before = curriculum_hash()
    monkeypatch.setitem(PREREQUISITES, "02_product_category_confusion", ())
    assert curriculum_hash() != before
