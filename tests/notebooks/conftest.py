"""Run the curriculum once per test session and hand each notebook's results to its tests.

Every ``tests/notebooks/test_NN_name.py`` module asks for ``lesson_results("NN_name")``.
The first request runs *all* notebooks whose test modules were collected, in one
parallel runner call (fast mode, ``solutions=True``, the session's seed), so the
suite pays for kernel start-up once per notebook and uses every core.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casebook.runner import NotebookRun, resolve_notebooks, run_notebooks

SEED = int(os.environ.get("CASEBOOK_TEST_SEED", "0"))


def _notebook_name(item: pytest.Item) -> str | None:
    stem = item.path.stem
    return stem[len("test_") :] if stem.startswith("test_") and stem[5:7].isdigit() else None


@pytest.fixture(scope="session")
def curriculum_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, NotebookRun]:
    names = sorted(
        {
            n
            for item in request.session.items
            if (n := _notebook_name(item)) is not None
        }
    )
    out = Path(os.environ.get("CASEBOOK_TEST_BUILD", tmp_path_factory.mktemp("curriculum")))
    runs = run_notebooks(
        resolve_notebooks(names),
        output=out,
        fast=True,
        parameters={"solutions": True, "seed": SEED},
        html=False,
    )
    return {r.notebook: r for r in runs}


@pytest.fixture
def lesson_results(curriculum_run: dict[str, NotebookRun]) -> Callable[[str], dict[str, Any]]:
    """Return ``results.json`` of a notebook's fast run, after checking the run is clean."""

    def get(name: str) -> dict[str, Any]:
        assert name in curriculum_run, f"{name} was not run; is there a notebook of that name?"
        run = curriculum_run[name]
        assert run.status == "ok", run.report()
        data = json.loads((Path(run.output_dir) / "results.json").read_text(encoding="utf-8"))
        failed = [c["statement"] for c in data["claims"] if not c["holds"]]
        assert not failed, f"claims that no longer hold: {failed}"
        assert data["claims"], f"{name} checks no claims"
        assert data["seed"] == SEED and data["fast"] is True
        not_ok = {k: v for k, v in data["exercises"].items() if v != "correct"}
        assert len(data["exercises"]) >= 2, f"{name} has fewer than two exercises"
        assert not not_ok, f"exercises whose reference solution did not pass: {not_ok}"
        return data

    return get
