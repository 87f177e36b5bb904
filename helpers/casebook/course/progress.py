"""The learner's progress: exercise verdicts per notebook, and the quiz questions to review.

A :class:`~casebook.course.lesson.Lesson` records every learner verdict (``"correct"`` or
``"incorrect"``) with :func:`record_exercise` in ``$XDG_DATA_HOME/casebook/progress.json``,
beside the quiz's ``quiz_progress.json``. Writes take a lock file and replace the file
atomically, so two kernels recording at once lose nothing and a crash never leaves half a
file. :func:`progress_table` joins it with the curriculum and the quiz's review queue; it
backs ``casebook progress`` and the progress cell of notebook 00.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from casebook.course.interview.quiz import progress_path as _quiz_progress_path

__all__ = [
    "format_progress",
    "load_exercise_progress",
    "progress_path",
    "progress_table",
    "record_exercise",
]

_STATUSES = ("correct", "incorrect")
_ENTRY_KEYS = {"status", "attempts", "ever_correct", "first", "last"}
_COLUMNS = [
    "notebook",
    "exercises_done",
    "exercises_total",
    "last_activity",
    "quiz_to_review",
    "quiz_review_ids",
]


def progress_path() -> Path:
    """Return the default exercise progress file, beside the quiz's in the user data folder.

    Examples
    --------
    >>> progress_path().name
    'progress.json'
    >>> from casebook.course.interview.quiz import progress_path as quiz_path
    >>> progress_path().parent == quiz_path().parent
    True
    """
    return _quiz_progress_path().with_name("progress.json")


def _bad(p: Path, what: str) -> ValueError:
    return ValueError(f"progress file {p} {what}; move it aside")


def load_exercise_progress(path: str | os.PathLike | None = None) -> dict[str, dict[str, Any]]:
    """Read the exercise progress file; a missing file is an empty progress.

    Parameters
    ----------
    path : path-like, optional
        The file (default: :func:`progress_path`).

    Returns
    -------
    dict
        ``{notebook: {exercise: {"status", "attempts", "ever_correct", "first", "last"}}}``.

    Raises
    ------
    ValueError
        If the file is not valid JSON or not of that shape; the message names the file,
        which is left untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> load_exercise_progress(pathlib.Path(tempfile.mkdtemp()) / "none.json")
    {}
    """
    p = Path(path) if path is not None else progress_path()
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise _bad(p, f"is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise _bad(p, f"must hold a JSON object of notebooks, got {type(data).__name__}")
    for nb, exercises in data.items():
        if not isinstance(exercises, dict):
            raise _bad(p, f"must map notebook {nb!r} to an object of exercises, got {exercises!r}")
        for ex, entry in exercises.items():
            if not isinstance(entry, dict) or set(entry) != _ENTRY_KEYS:
                raise _bad(
                    p,
                    f"entry {nb}/{ex} must be an object with keys {sorted(_ENTRY_KEYS)}, got {entry!r}",
                )
            attempts = entry["attempts"]
            if (
                entry["status"] not in _STATUSES
                or isinstance(attempts, bool)
                or not isinstance(attempts, int)
                or attempts < 1
                or not isinstance(entry["ever_correct"], bool)
                or not all(isinstance(entry[k], str) for k in ("first", "last"))
            ):
                raise _bad(
                    p,
                    f"entry {nb}/{ex} must have a status in {_STATUSES}, attempts >= 1, a bool "
                    f"ever_correct and text timestamps, got {entry!r}",
                )
    return data


@contextmanager
def _locked(p: Path) -> Iterator[None]:
    """Hold an exclusive ``fcntl`` lock on ``<file>.lock`` (Linux and macOS)."""
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p.with_name(p.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _atomic_write(data: dict[str, Any], p: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".progress.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, p)
    finally:
        Path(tmp).unlink(missing_ok=True)


def record_exercise(
    notebook: str, exercise: str, status: str, *, path: str | os.PathLike | None = None
) -> None:
    """Record one verdict of the learner on an exercise.

    Keeps, per notebook and exercise, the latest status, the number of attempts, whether
    it was ever correct and the first and last timestamps (UTC).

    Parameters
    ----------
    notebook : str
        The notebook's name, e.g. ``"03_medical_screening_costs"``.
    exercise : str
        The exercise's name within the notebook.
    status : {"correct", "incorrect"}
        The verdict.
    path : path-like, optional
        The progress file (default: :func:`progress_path`).

    Raises
    ------
    ValueError
        If ``status`` is not one of the two, a name is empty, or the existing file is
        corrupt (it is then left untouched).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "progress.json"
    >>> record_exercise("00_start_here", "who_to_call", "incorrect", path=f)
    >>> record_exercise("00_start_here", "who_to_call", "correct", path=f)
    >>> entry = load_exercise_progress(f)["00_start_here"]["who_to_call"]
    >>> entry["attempts"], entry["status"], entry["ever_correct"]
    (2, 'correct', True)
    """
    for name, value in (("notebook", notebook), ("exercise", exercise)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    if status not in _STATUSES:
        raise ValueError(f"status must be one of {_STATUSES}, got {status!r}")
    p = Path(path) if path is not None else progress_path()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with _locked(p):
        data = load_exercise_progress(p)
        old = data.setdefault(notebook, {}).get(exercise)
        data[notebook][exercise] = {
            "status": status,
            "attempts": (old["attempts"] if old else 0) + 1,
            "ever_correct": bool(old and old["ever_correct"]) or status == "correct",
            "first": old["first"] if old else now,
            "last": now,
        }
        _atomic_write(data, p)


def _exercise_names(notebook: str) -> list[str] | None:
    """The answer key's exercise names, or None when no answer key is available (yet)."""
    try:
        from casebook.course.answer_keys import exercise_names
    except ImportError:
        return None
    try:
        return list(exercise_names(notebook)) or None  # [] = no answer key written yet
    except (LookupError, ValueError, FileNotFoundError):
        return None


def progress_table(
    *, path: str | os.PathLike | None = None, quiz_path: str | os.PathLike | None = None
) -> pd.DataFrame:
    """One row per curriculum notebook: exercises done and quiz questions to review.

    Parameters
    ----------
    path : path-like, optional
        The exercise progress file (default: :func:`progress_path`).
    quiz_path : path-like, optional
        The quiz progress file (default:
        :func:`casebook.course.interview.quiz.progress_path`).

    Returns
    -------
    pandas.DataFrame
        Columns ``notebook``, ``exercises_done`` (ever correct), ``exercises_total``,
        ``last_activity`` (UTC text, empty if never opened), ``quiz_to_review`` and
        ``quiz_review_ids`` (comma-separated question ids). Notebooks never opened get a
        row too.

    Raises
    ------
    ValueError
        If either file is corrupt (it is left untouched).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> record_exercise("00_start_here", "who_to_call", "correct", path=d / "p.json")
    >>> t = progress_table(path=d / "p.json", quiz_path=d / "q.json")
    >>> int(t.set_index("notebook").loc["00_start_here", "exercises_done"])
    1
    >>> list(t.columns)[:3]
    ['notebook', 'exercises_done', 'exercises_total']
    """
    from casebook.course.interview.bank import load_questions
    from casebook.course.interview.quiz import load_progress
    from casebook.course.paths import notebooks_dir

    exercises = load_exercise_progress(path)
    quiz = load_progress(quiz_path if quiz_path is not None else _quiz_progress_path())
    review: dict[str, list[str]] = {}
    for q in load_questions():
        if quiz.get(q.id, {}).get("status") == "review":
            review.setdefault(q.notebook, []).append(q.id)
    rows = []
    for nb in sorted(p.stem for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb")):
        recorded = exercises.get(nb, {})
        names = _exercise_names(nb)
        universe = set(names) if names is not None else set(recorded)
        done = sum(1 for ex, e in recorded.items() if e["ever_correct"] and ex in universe)
        ids = sorted(review.get(nb, []))
        rows.append(
            {
                "notebook": nb,
                "exercises_done": done,
                "exercises_total": len(universe),
                "last_activity": max((e["last"] for e in recorded.values()), default=""),
                "quiz_to_review": len(ids),
                "quiz_review_ids": ", ".join(ids),
            }
        )
    return pd.DataFrame(rows, columns=_COLUMNS)


def format_progress(table: pd.DataFrame, *, width: int = 10) -> str:
    """Render :func:`progress_table` as text: done/total, a bar, and quiz ids to review.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`progress_table`.
    width : int, default=10
        Characters of each bar.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``table`` lacks a column of :func:`progress_table` or ``width`` is not a
        positive int.

    Examples
    --------
    >>> t = pd.DataFrame([["00_start_here", 1, 2, "", 0, ""]], columns=_COLUMNS)
    >>> print(format_progress(t, width=4))
    notebook       exercises  progress  quiz to review
    00_start_here  1/2        [##..]    -
    total          1/2        [##..]    0 questions
    """
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be a positive int, got {width!r}")
    if not isinstance(table, pd.DataFrame) or set(_COLUMNS) - set(table.columns):
        got = list(table.columns) if isinstance(table, pd.DataFrame) else type(table).__name__
        raise ValueError(
            f"table must be a progress_table() frame with columns {_COLUMNS}, got {got}"
        )

    def bar(done: int, total: int) -> str:
        filled = round(width * done / total) if total else 0
        return "[" + "#" * filled + "." * (width - filled) + "]"

    name_w = max([len("notebook"), len("total"), *(len(n) for n in table["notebook"])])
    bar_w = max(len("progress"), width + 2)
    lines = [f"{'notebook':<{name_w}}  {'exercises':<9}  {'progress':<{bar_w}}  quiz to review"]
    for row in table.itertuples(index=False):
        count = f"{row.exercises_done}/{row.exercises_total}"
        ids = row.quiz_review_ids or "-"
        lines.append(
            f"{row.notebook:<{name_w}}  {count:<9}  "
            f"{bar(row.exercises_done, row.exercises_total):<{bar_w}}  {ids}"
        )
    done, total = int(table["exercises_done"].sum()), int(table["exercises_total"].sum())
    n_review = int(table["quiz_to_review"].sum())
    lines.append(
        f"{'total':<{name_w}}  {f'{done}/{total}':<9}  {bar(done, total):<{bar_w}}  "
        f"{n_review} question{'s' if n_review != 1 else ''}"
    )
    return "\n".join(lines)
