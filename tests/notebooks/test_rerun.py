"""The learner's loop: run a notebook, then re-run its cells in the same kernel.

A learner runs everything, then goes back: answers an exercise wrongly, tries
again, re-runs a claim or a figure. Each notebook is executed in one real kernel
(fast mode, blank exercises, parameters injected as the runner injects them),
then in that same kernel

* every exercise cell runs again with a wrong answer, then with the reference
  answer (the ``answer = ...`` line is replaced, nothing else), and each verdict
  must be shown once and be "incorrect", then "correct";
* every other cell that records, claims, saves a figure or creates an exercise
  runs once more, without error;

and the recorded results, claims and figures must be those of the single run.
It also checks that a verdict is shown once: no ``Submission(...)`` repr, no
bare ``True`` after a claim, no echoed path after a saved figure.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from casebook.course.paths import notebooks_dir

pytestmark = pytest.mark.notebooks

SEED = int(os.environ.get("CASEBOOK_TEST_SEED", "0"))
NAMES = [p.stem for p in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))]

ANSWER_LINE = re.compile(r"^answer = \.\.\..*$", re.MULTILINE)
SUBMIT_LINE = re.compile(r"^(\w+)\.submit\((\w+)\b", re.MULTILINE)  # `answer` or my_function
LESSON_CALL = re.compile(r"\blesson\.(record|claim|savefig|exercise)\(")
VERDICT = re.compile(r"^Exercise '(\w+)': ")

# defined in the kernel after the notebook ran; only the `answer = ...` line refers to them
HELPERS = '''
def _rerun_wrong_answer(ex):
    """The exercise's known wrong example, else an answer its checker rejects."""
    if ex.wrong_example is not ...:
        return ex.wrong_example
    right = ex.solution()
    if callable(right):  # implement-it: the key's first typical slip
        from casebook.course.answer_keys import key_for

        return key_for(lesson.name).spec(ex.name).slips[0][1]
    if isinstance(right, tuple):  # a judgement (option, number): the right call, a wrong number
        return (right[0], right[1] + 1 + 10 * abs(right[1]))
    if isinstance(right, str):
        candidates = ["not one of the choices"]
    else:
        candidates = [right + 1 + 10 * abs(right), -1 - abs(right), "a string"]
    return next(c for c in candidates if ex.check(c) is not None)
'''


def _kernel_env() -> dict[str, str]:
    """The environment ``casebook run`` gives a notebook's kernel (see runner._execute_one)."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


def _texts(cell) -> list[str]:
    """Every plain-text output of a cell: streams and text/plain renderings."""
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            out.append(o.get("text", ""))
        elif "data" in o:
            out.append(o["data"].get("text/plain", ""))
    return out


def _verdicts(cell) -> list[tuple[str, dict]]:
    """(exercise name, output) of every output that shows a verdict."""
    found = []
    for o in cell.get("outputs", []):
        text = o.get("text", "") if o.get("output_type") == "stream" else ""
        text += o.get("data", {}).get("text/plain", "")
        for line in text.splitlines():
            if m := VERDICT.match(line):
                found.append((m.group(1), o))
    return found


def _check_shown_once(name: str, index: int, cell) -> None:
    """A verdict or a claim appears once: no dataclass repr, no ``True`` echo."""
    where = f"{name}, cell {index}"
    for text in _texts(cell):
        assert "Submission(" not in text, f"{where}: the Submission repr is shown: {text!r}"
    for o in cell.get("outputs", []):
        if o.get("output_type") == "execute_result":
            shown = o["data"].get("text/plain", "")
            assert "Path(" not in shown, f"{where}: a saved figure's path is echoed: {shown!r}"
    if LESSON_CALL.search(cell.source) and "claim(" in cell.source:
        echoes = [
            o
            for o in cell.get("outputs", [])
            if o.get("output_type") == "execute_result"
            and o["data"].get("text/plain", "").strip() == "True"
        ]
        assert not echoes, f"{where}: a claim's verdict is echoed as True"
    if SUBMIT_LINE.search(cell.source):
        verdicts = _verdicts(cell)
        assert len(verdicts) == 1, f"{where}: expected the verdict once, got {verdicts}"
        assert "text/html" in verdicts[0][1].get("data", {}), f"{where}: no rich verdict"


def _results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def _rerun_notebook(notebook: str, out: Path) -> None:
    """Run ``notebook`` once, then re-run its cells in the same kernel; raise on any problem."""
    nb = load_notebook_node(str(notebooks_dir() / f"{notebook}.ipynb"))  # as papermill reads it
    parameters = {"fast": True, "solutions": False, "seed": SEED, "output_dir": str(out)}
    nb = parameterize_notebook(nb, parameters, kernel_name="python3")
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(out)}}
    )
    exercise_cells = [i for i, c in enumerate(nb.cells) if SUBMIT_LINE.search(c.source)]
    lesson_cells = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and LESSON_CALL.search(c.source) and i not in exercise_cells
    ]
    assert exercise_cells, f"{notebook}: no exercise cell found (`x.submit(answer, ...)`)"
    assert all(
        ANSWER_LINE.search(nb.cells[i].source) or SUBMIT_LINE.search(nb.cells[i].source).group(2)
        != "answer" for i in exercise_cells
    )  # fmt: skip

    def run(source: str):
        cell = nbformat.v4.new_code_cell(source)
        nb.cells.append(cell)
        client.execute_cell(cell, len(nb.cells) - 1)
        return cell

    with client.setup_kernel(env=_kernel_env()):
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
                _check_shown_once(notebook, i, cell)
        first = _results(out)
        assert set(first["exercises"].values()) == {"not attempted"}

        run(HELPERS)
        for i in exercise_cells:
            source = nb.cells[i].source
            submit = SUBMIT_LINE.search(source)
            var = submit.group(1)
            for answer, status in ((f"_rerun_wrong_answer({var})", "incorrect"),
                                   (f"{var}.solution()", "correct")):  # fmt: skip
                if submit.group(2) == "answer":
                    cell = run(ANSWER_LINE.sub(f"answer = {answer}", source, count=1))
                else:  # implement-it: submit another function instead of the learner's
                    cell = run(source.replace(submit.group(0), f"{var}.submit({answer}", 1))
                _check_shown_once(notebook, i, cell)
                ((exercise, output),) = _verdicts(cell)
                assert output["output_type"] == "execute_result"
                assert _results(out)["exercises"][exercise] == status, (
                    f"{notebook}, cell {i}: {answer} should be {status}: {_texts(cell)}"
                )
        for i in lesson_cells:
            _check_shown_once(notebook, i, run(nb.cells[i].source))

    again = _results(out)

    def stable(data):  # wall-clock timings (volatile) legitimately change when re-run
        return {k: v for k, v in data["results"].items() if not v.get("volatile")}

    assert stable(again) == stable(first)
    assert list(again["results"]) == list(first["results"])
    # the same claims, in the same order, holding; `observed` may be a volatile timing
    assert [(c["statement"], c["holds"]) for c in again["claims"]] == [
        (c["statement"], c["holds"]) for c in first["claims"]
    ]
    assert again["figures"] == first["figures"]
    assert again["exercise_probes"] == first["exercise_probes"]
    assert list(again["exercises"]) == list(first["exercises"])


def _in_thread(notebook: str, out: Path) -> None:
    """:func:`_rerun_notebook` in a worker thread, closing the event loop nbclient made for it."""
    try:
        _rerun_notebook(notebook, out)
    finally:
        with contextlib.suppress(RuntimeError):  # no loop was made: nothing to close
            loop = asyncio.get_event_loop_policy().get_event_loop()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()


@pytest.fixture(scope="module")
def reruns(request, tmp_path_factory) -> dict[str, BaseException | None]:
    """Re-run every selected notebook, one kernel per core at a time, as ``casebook run`` does.

    Returns each notebook's exception (None when everything held).
    """
    names = sorted({
        item.callspec.params["notebook"]
        for item in request.session.items
        if item.path == request.path and hasattr(item, "callspec")
    })  # fmt: skip
    workers = min(len(names), os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {n: pool.submit(_in_thread, n, tmp_path_factory.mktemp(n)) for n in names}
    return {name: future.exception() for name, future in futures.items()}


@pytest.mark.parametrize("notebook", NAMES)
def test_rerunning_cells_is_safe(reruns, notebook):
    if reruns[notebook] is not None:
        raise reruns[notebook]
