"""Record a notebook's key results and check its lesson as explicit claims.

Every notebook creates one :class:`Lesson`. It writes ``results.json`` to the
notebook's ``output_dir`` after every change (atomically, so a crash never
leaves a half-written file), and its :meth:`Lesson.claim` turns a sentence of
the lesson into a check that fails loudly when the lesson stops being true.

Every method can be called again with the same arguments, as happens when a
learner re-runs a cell: a record, a claim, a figure or an exercise of the same
name replaces the earlier one, and the results are those of a single run.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from casebook.course.exercises import Exercise

__all__ = ["ClaimError", "Lesson", "SavedFigure", "load_results"]

RESULTS_FILE = "results.json"


class ClaimError(AssertionError):
    """Raised when a claim made by a lesson does not hold for the data."""


def _jsonable(value: Any, *, name: str) -> Any:
    """Convert ``value`` to plain JSON types, rejecting what cannot be stored."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite to be recorded, got {value!r}")
        return value
    if isinstance(value, np.ndarray):
        return [_jsonable(v, name=name) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, name=f"{name}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, name=name) for v in value]
    raise TypeError(
        f"{name} must be a number, string, bool, None, list or dict, got {type(value).__name__}"
    )


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _show_once(fig: Any, path: Path) -> None:
    """In a notebook kernel, show the saved PNG and close ``fig``.

    Showing the file means the executed notebook (and its HTML page) carries
    exactly the figure on disk, whatever the kernel's matplotlib backend, and
    the figure is drawn once, not again by the inline backend at the end of the
    cell. Outside a kernel (scripts, tests) the figure is left open.
    """
    import sys

    shell = sys.modules.get("IPython")
    ip = shell.get_ipython() if shell is not None else None
    if ip is None or "ipykernel" not in type(ip).__module__:
        return
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    display(Image(filename=str(path)))
    plt.close(fig)


class SavedFigure(type(Path())):  # type: ignore[misc]  # PosixPath or WindowsPath
    """The path of a saved figure: a plain path, that echoes nothing as a cell's last value.

    :meth:`Lesson.savefig` has already shown the figure, so a notebook cell ending in
    ``lesson.savefig(...)`` shows the figure once, without an ``Out[]`` line of its path.
    """

    def _ipython_display_(self) -> None:
        return None


@dataclass
class Lesson:
    """A notebook's record book: results, claims, figures and exercises.

    Parameters
    ----------
    name : str
        The notebook's name, e.g. ``"03_medical_screening_costs"``.
    output_dir : str, pathlib.Path or None
        Folder for ``results.json`` and figures, created on first write.
        ``None`` means :func:`casebook.course.paths.default_output_dir` for ``name``.
    seed : int, default=0
        The notebook's seed, stored with the results.
    fast : bool, default=False
        Whether the notebook runs on shrunk data, stored with the results.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> lesson = Lesson("99_demo", output_dir=out, seed=1)
    >>> lesson.record("cost_saved", 0.42, description="share of cost saved")
    0.42
    >>> lesson.claim(0.42 >= 0.3, "the threshold saves at least 30% of cost")
    ✓ the threshold saves at least 30% of cost
    >>> load_results(out)["results"]["cost_saved"]["value"]
    0.42
    """

    name: str
    output_dir: str | Path | None
    seed: int = 0
    fast: bool = False
    _results: dict[str, dict[str, Any]] = field(default_factory=dict, init=False)
    _claims: list[dict[str, Any]] = field(default_factory=list, init=False)
    _figures: list[str] = field(default_factory=list, init=False)
    _exercises: dict[str, str] = field(default_factory=dict, init=False)
    _questions: dict[str, str] = field(default_factory=dict, init=False)
    _probes: dict[str, dict[str, Any]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        if self.output_dir is None:
            from casebook.course.paths import default_output_dir

            self.output_dir = default_output_dir(self.name)
        if not isinstance(self.output_dir, (str, os.PathLike)):
            raise TypeError(
                f"output_dir must be a str or path, got {type(self.output_dir).__name__}"
            )
        self.output_dir = Path(self.output_dir)
        self._started = datetime.now(UTC).isoformat(timespec="seconds")

    @property
    def results_path(self) -> Path:
        """Path of the JSON file this lesson writes."""
        return Path(self.output_dir) / RESULTS_FILE

    @property
    def figure_dir(self) -> Path:
        """Folder where :meth:`savefig` writes figures."""
        return Path(self.output_dir) / "figures"

    def record(
        self,
        key: str,
        value: Any,
        *,
        description: str = "",
        unit: str = "",
        volatile: bool = False,
    ) -> Any:
        """Record one key result and return it unchanged.

        Parameters
        ----------
        key : str
            Identifier, unique within the lesson (letters, digits, ``_``).
        value : number, str, bool, list or dict
            The value; NaN and infinity are refused.
        description : str, default=""
            One line a reader understands without the notebook.
        unit : str, default=""
            Unit, e.g. ``"USD"`` or ``"fraction"``.
        volatile : bool, default=False
            True for numbers that legitimately differ between two runs with the
            same seed (wall-clock latencies); the determinism test skips them.

        Returns
        -------
        object
            ``value``, so a cell can record and display in one line.
        """
        if not isinstance(key, str) or not key.replace("_", "").isalnum():
            raise ValueError(f"key must be letters, digits and underscores, got {key!r}")
        self._results[key] = {
            "value": _jsonable(value, name="value"),
            "description": description,
            "unit": unit,
        }
        if volatile:
            self._results[key]["volatile"] = True
        self._write()
        return value

    def result(self, key: str) -> Any:
        """Return a value recorded earlier with :meth:`record`.

        Raises
        ------
        KeyError
            If nothing was recorded under ``key``; the message lists what was.
        """
        if key not in self._results:
            raise KeyError(f"key {key!r} was not recorded; recorded keys: {sorted(self._results)}")
        return self._results[key]["value"]

    def claim(
        self,
        holds: bool | np.bool_,
        statement: str,
        *,
        observed: Any = None,
        expected: Any = None,
    ) -> None:
        """Check one sentence of the lesson; raise :class:`ClaimError` if false.

        A claim that holds prints ``✓ statement`` once; checking the same
        statement again (a re-run cell) replaces the earlier outcome.

        Parameters
        ----------
        holds : bool
            The outcome of the check, computed from this run's numbers.
        statement : str
            The sentence as the learner reads it.
        observed, expected : optional
            Numbers shown in the failure message and stored in the results.
        """
        if not isinstance(holds, (bool, np.bool_)):
            raise TypeError(
                f"holds must be a bool (the outcome of a comparison), got {type(holds).__name__}"
            )
        if not isinstance(statement, str) or not statement.strip():
            raise ValueError(f"statement must be a non-empty string, got {statement!r}")
        entry = {
            "statement": statement,
            "holds": bool(holds),
            "observed": _jsonable(observed, name="observed"),
            "expected": _jsonable(expected, name="expected"),
        }
        self._claims = [c for c in self._claims if c["statement"] != statement]
        self._claims.append(entry)
        self._write()
        if not holds:
            detail = ""
            if observed is not None or expected is not None:
                detail = f" (observed {observed!r}, expected {expected!r})"
            raise ClaimError(f"[{self.name}] the lesson no longer holds: {statement}{detail}")
        print(f"\N{CHECK MARK} {statement}")

    def savefig(self, fig: Any, name: str, *, key: bool = False, dpi: int = 110) -> Path:
        """Save a matplotlib figure as ``figures/<name>.png`` under ``output_dir``.

        Parameters
        ----------
        fig : matplotlib.figure.Figure
            The figure to save. In a notebook kernel the saved PNG is shown and
            the figure closed, so the figure is drawn once, not twice.
        name : str
            File stem, letters, digits and underscores.
        key : bool, default=False
            Mark this as the lesson's key figure (used as its thumbnail).
        dpi : int, default=110
            Resolution of the PNG.

        Returns
        -------
        SavedFigure
            Where the figure was written (a :class:`pathlib.Path`).
        """
        if not hasattr(fig, "savefig"):
            raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
        if not isinstance(name, str) or not name.replace("_", "").isalnum():
            raise ValueError(f"name must be letters, digits and underscores, got {name!r}")
        self.figure_dir.mkdir(parents=True, exist_ok=True)
        path = self.figure_dir / f"{name}.png"
        fig.savefig(path, dpi=dpi, bbox_inches="tight")
        _show_once(fig, path)
        rel = f"figures/{name}.png"
        if key:
            self._figures = [rel] + [f for f in self._figures if f != rel]
            self._key_figure = rel
        elif rel not in self._figures:
            self._figures.append(rel)
        self._write()
        return SavedFigure(path)

    def exercise(
        self,
        name: str,
        *,
        inputs: Mapping[str, Any] | None = None,
        question: str | None = None,
        check: Callable[[Any], str | None] | None = None,
        solution: Callable[[], Any] | None = None,
        hint: str = "",
        wrong_example: Any = ...,
        slip: str = "",
    ) -> Exercise:
        """Create an :class:`~casebook.course.exercises.Exercise` recorded by this lesson.

        Notebooks name an exercise of their answer key and pass the data it needs
        (``lesson.exercise("name", inputs={"y": y})``): question, checker and
        reference answer come from :mod:`casebook.course.answer_keys`, out of the
        learner's sight. Alternatively give ``question``, ``check`` and ``solution``
        (and optionally ``hint``, ``wrong_example``, ``slip``) directly, as in
        :class:`~casebook.course.exercises.Exercise`. The verdict of every
        submission is stored under ``exercises`` in ``results.json``, starting as
        ``"not attempted"``.

        ``wrong_example`` is a typical wrong answer and ``slip`` says what it gets
        wrong. The checker must reject it at once; the message a learner would
        read is stored under ``exercise_probes`` in ``results.json``. The same
        name and question again (a re-run cell) replaces the exercise and resets
        its verdict; the same name for another question is an error.

        Raises
        ------
        ValueError
            If the exercise is given both ways or only partly, or ``name`` is not
            in this notebook's answer key.

        Examples
        --------
        >>> import tempfile
        >>> from casebook.course.exercises import equals
        >>> lesson = Lesson("99_demo", output_dir=tempfile.mkdtemp())
        >>> ex = lesson.exercise("sum", question="1 + 1?", check=equals(2),
        ...                      solution=lambda: 2)
        >>> lesson.exercises_status()
        {'sum': 'not attempted'}
        """
        from casebook.course.exercises import Exercise

        direct = (question, check, solution)
        if all(x is None for x in direct):
            if hint or slip or wrong_example is not ...:
                raise ValueError(
                    "hint, wrong_example and slip come from the answer key when question, check "
                    f"and solution are not given; got hint={hint!r}, slip={slip!r}"
                )
            from casebook.course.answer_keys import key_for

            ex = key_for(self.name).exercise(name, inputs=inputs, lesson=self)
            question, wrong_example = ex.question, ex.wrong_example
        elif any(x is None for x in direct) or inputs is not None:
            raise ValueError(
                "question, check and solution must be given together (or none of them, to use the "
                f"notebook's answer key with inputs); got question={question!r}, "
                f"check={check!r}, solution={solution!r}, inputs={inputs!r}"
            )
        else:
            ex = Exercise(name, question=question, check=check, solution=solution, hint=hint,
                          lesson=self, wrong_example=wrong_example, slip=slip)  # fmt: skip
        if name in self._questions and self._questions[name] != question:
            raise ValueError(
                f"name must be unique within the lesson: {name!r} already names the exercise "
                f"{self._questions[name]!r}, got it again for {question!r} (pick another "
                "name, or restart the kernel after editing the question)"
            )
        self._questions[name] = question
        self._probes.pop(name, None)
        if wrong_example is not ...:
            message = ex.feedback(wrong_example)
            if message is None:
                from casebook.course.exercises import ExerciseError

                raise ExerciseError(
                    f"exercise {name!r}: the checker accepts the wrong_example {wrong_example!r}"
                )
            self._probes[name] = {
                "wrong_example": _jsonable(wrong_example, name="wrong_example"),
                "message": message,
            }
        self._note_exercise(name, "not attempted")
        return ex

    def exercises_status(self) -> dict[str, str]:
        """Return the latest verdict of every exercise, by name."""
        return dict(self._exercises)

    def _note_exercise(self, name: str, status: str, *, reference: bool = False) -> None:
        # ``reference``: the verdict is the reference solution's (solutions mode), not the learner's.
        self._exercises[name] = status
        self._write()
        if not reference and status in ("correct", "incorrect"):
            from casebook.course.progress import record_exercise

            try:  # the learner's own record (casebook progress); never breaks the lesson
                record_exercise(self.name, name, status)
            except (OSError, ValueError) as exc:
                if not getattr(self, "_progress_warned", False):
                    self._progress_warned = True
                    import warnings

                    warnings.warn(
                        f"could not record exercise progress ({exc}); the lesson goes on, "
                        "but `casebook progress` will not show this verdict",
                        stacklevel=2,
                    )

    def _write(self) -> None:
        payload = {
            "notebook": self.name,
            "seed": self.seed,
            "fast": self.fast,
            "started": self._started,
            "results": self._results,
            "claims": self._claims,
            "figures": self._figures,
            "key_figure": getattr(self, "_key_figure", None),
            "exercises": self._exercises,
            "exercise_probes": self._probes,
        }
        _atomic_write_text(self.results_path, json.dumps(payload, indent=2, sort_keys=False) + "\n")


def load_results(output_dir: str | Path) -> dict[str, Any]:
    """Read the ``results.json`` a :class:`Lesson` wrote to ``output_dir``.

    Parameters
    ----------
    output_dir : str or pathlib.Path
        The folder given to the lesson.

    Returns
    -------
    dict
        With keys ``notebook``, ``seed``, ``fast``, ``results``, ``claims``,
        ``figures``, ``key_figure``, ``exercises`` and ``exercise_probes``.

    Raises
    ------
    FileNotFoundError
        If no lesson wrote results there.
    """
    path = Path(output_dir) / RESULTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no {RESULTS_FILE} in {output_dir}: did the notebook run?")
    return json.loads(path.read_text(encoding="utf-8"))
