"""Answer keys: every notebook's exercises, reference answers and checkers (the back of the book).

Lives here: one ``nbNN`` module per notebook plus the machinery (:class:`AnswerKey`, :class:`Case`,
:func:`implements`). Exercise cells in the notebooks name an exercise and pass their data; the
answers live only here. May import: the toolkit and ``casebook.course.exercises``.
"""

from __future__ import annotations

import importlib
import re

from casebook.course.answer_keys._compare import Case, implements
from casebook.course.answer_keys._key import AnswerKey

__all__ = ["AnswerKey", "Case", "exercise_names", "implements", "key_for"]


def key_for(notebook: str) -> AnswerKey:
    """Return the answer key of ``notebook`` (``"03_medical_screening_costs"`` or ``"03"``).

    Raises
    ------
    ValueError
        If ``notebook`` does not start with a two-digit number, or that notebook has no key.

    Examples
    --------
    >>> key_for("00_start_here").notebook
    '00'
    """
    match = re.match(r"(\d\d)(?:_|$)", notebook) if isinstance(notebook, str) else None
    if match is None:
        raise ValueError(
            f"notebook must start with its two-digit number, like '03_medical_screening_costs', "
            f"got {notebook!r}"
        )
    module_name = f"{__name__}.nb{match.group(1)}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise ValueError(
            f"notebook {notebook!r} has no answer key (expected module {module_name})"
        ) from None
    return module.KEY


def exercise_names(notebook: str) -> list[str]:
    """Return the names of ``notebook``'s exercises, in order; empty if it has no key.

    Examples
    --------
    >>> exercise_names("99_no_such_notebook")
    []
    """
    try:
        return key_for(notebook).names()
    except ValueError:
        if isinstance(notebook, str) and re.match(r"\d\d(?:_|$)", notebook):
            return []
        raise
