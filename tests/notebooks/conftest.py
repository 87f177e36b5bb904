"""Run the curriculum once per test session and hand each notebook's results to its tests.

Two runs, each started on first use and shared by the whole session:

* ``curriculum_run``: fast mode with ``solutions=True``. Every exercise must pass its
  check; each ``tests/notebooks/test_NN_name.py`` reads its notebook's results
  through ``lesson_results("NN_name")``.
* ``blank_run``: fast mode as a learner first meets it (``solutions=False``), with
  HTML, used by ``test_curriculum.py``: nothing may crash and every exercise must
  say "not attempted".

Each run executes only the notebooks whose tests were collected, in one parallel
runner call, so a session pays for kernel start-up once per notebook and mode.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casebook.course.runner import NotebookRun, resolve_notebooks, run_notebooks

SEED = int(os.environ.get("CASEBOOK_TEST_SEED", "0"))


def _notebook_name(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "notebook" in callspec.params:
        return str(callspec.params["notebook"])
    stem = item.path.stem
    return stem[len("test_") :] if stem.startswith("test_") and stem[5:7].isdigit() else None


def _collected(request: pytest.FixtureRequest) -> list[str]:
    """Notebooks to run: $CASEBOOK_TEST_NOTEBOOKS (comma-separated), else those whose
    tests were collected, else (only site-wide tests collected) all of them."""
    chosen = os.environ.get("CASEBOOK_TEST_NOTEBOOKS")
    if chosen:
        return [n.strip() for n in chosen.split(",") if n.strip()]
    return sorted({n for item in request.session.items if (n := _notebook_name(item))})


def _build_dir(factory: pytest.TempPathFactory, mode: str) -> Path:
    root = os.environ.get("CASEBOOK_TEST_BUILD")
    return Path(root) / mode if root else factory.mktemp(mode)


@pytest.fixture(scope="session")
def curriculum_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, NotebookRun]:
    runs = run_notebooks(
        resolve_notebooks(_collected(request)),
        output=_build_dir(tmp_path_factory, "solutions"),
        fast=True,
        parameters={"solutions": True, "seed": SEED},
        html=False,
    )
    return {r.notebook: r for r in runs}


@pytest.fixture(scope="session")
def blank_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, NotebookRun]]:
    out = _build_dir(tmp_path_factory, "blank")
    runs = run_notebooks(
        resolve_notebooks(_collected(request)),
        output=out,
        fast=True,
        parameters={"seed": SEED},
        html=True,
    )
    return out, {r.notebook: r for r in runs}


def _read_results(run: NotebookRun) -> dict[str, Any]:
    assert run.status == "ok", run.report()
    return json.loads((Path(run.output_dir) / "results.json").read_text(encoding="utf-8"))


@pytest.fixture
def read_results() -> Callable[[NotebookRun], dict[str, Any]]:
    """Parse a run's results.json after checking the run itself succeeded."""
    return _read_results


@pytest.fixture
def lesson_results(curriculum_run: dict[str, NotebookRun]) -> Callable[[str], dict[str, Any]]:
    """Return ``results.json`` of a notebook's fast run, after checking the run is clean."""

    def get(name: str) -> dict[str, Any]:
        assert name in curriculum_run, f"{name} was not run; is there a notebook of that name?"
        data = _read_results(curriculum_run[name])
        failed = [c["statement"] for c in data["claims"] if not c["holds"]]
        assert not failed, f"claims that no longer hold: {failed}"
        assert data["claims"], f"{name} checks no claims"
        assert data["seed"] == SEED and data["fast"] is True
        not_ok = {k: v for k, v in data["exercises"].items() if v != "correct"}
        assert len(data["exercises"]) >= 2, f"{name} has fewer than two exercises"
        assert not not_ok, f"exercises whose reference solution did not pass: {not_ok}"
        return data

    return get
