"""Every notebook as a learner first meets it: blank exercises, nothing crashes."""

from __future__ import annotations

import pytest

from casebook.course.answer_keys import key_for
from casebook.course.paths import notebooks_dir

NAMES = [p.stem for p in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))]

pytestmark = pytest.mark.notebooks


@pytest.mark.parametrize("notebook", NAMES)
def test_blank_run_reports_exercises_not_attempted(blank_run, read_results, notebook):
    _, runs = blank_run
    data = read_results(runs[notebook])
    assert len(data["exercises"]) >= 2
    assert set(data["exercises"].values()) == {"not attempted"}, data["exercises"]
    assert all(c["holds"] for c in data["claims"])


@pytest.mark.parametrize("notebook", NAMES)
def test_a_wrong_answer_is_explained(blank_run, read_results, notebook):
    _, runs = blank_run
    probes = read_results(runs[notebook])["exercise_probes"]
    # A typical wrong number is probed in the run; choices and judgements give every wrong
    # option its reason and implement-it exercises name their slips, all checked against the
    # answer keys in tests/casebook/course/answer_keys.
    explained = {"choice", "judgement", "implement"} & set(key_for(notebook).kinds().values())
    assert probes or explained, f"{notebook}: no exercise explains a typical wrong answer"
    for name, probe in probes.items():
        message = probe["message"]
        assert len(message) >= 15, f"{notebook}/{name}: message too terse to help: {message!r}"


@pytest.mark.parametrize("notebook", NAMES)
def test_same_seed_gives_identical_results(curriculum_run, blank_run, read_results, notebook):
    """The blank and the solutions runs share the seed: every recorded number must agree.

    Values recorded with ``volatile=True`` (wall-clock timings) are exempt.
    """
    _, blank = blank_run
    first, second = read_results(curriculum_run[notebook]), read_results(blank[notebook])

    def stable(data):
        return {k: v["value"] for k, v in data["results"].items() if not v.get("volatile")}

    assert stable(first) == stable(second)
    assert [c["statement"] for c in first["claims"]] == [c["statement"] for c in second["claims"]]


@pytest.mark.parametrize("notebook", NAMES)
def test_every_saved_figure_is_shown_in_the_page(blank_run, read_results, notebook):
    """A learner reading the executed notebook or its HTML page sees every figure the lesson saved.

    Figures are shown from the saved PNG, so the page holds exactly what ``figures/`` holds.
    """
    import json
    from pathlib import Path

    _, runs = blank_run
    run = runs[notebook]
    figures = read_results(run)["figures"]
    assert figures, f"{notebook}: the lesson saved no figure"
    nb = json.loads(Path(run.executed).read_text(encoding="utf-8"))
    shown = [
        out
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    assert len(shown) >= len(figures), (
        f"{notebook}: {len(shown)} images shown, {len(figures)} saved"
    )
    page = Path(run.html).read_text(encoding="utf-8")
    assert page.count("data:image/png;base64") >= len(figures)
