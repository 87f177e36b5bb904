"""Self-checked exercises: blank reports "not attempted yet", wrong is explained.

An exercise pairs a question with a *checker* and a *reference solution*.
The learner replaces ``...`` with an answer and calls :meth:`Exercise.submit`.

* A blank answer (``...`` or ``None``) says "not attempted yet" and gives a hint.
  It never raises, so a notebook runs top to bottom before any exercise is done.
* A wrong answer is told what is wrong (too high, wrong type, not a choice...),
  and the typical slips by name: the exercise's known ``wrong_example`` and a
  number off by a factor of 100 (a percentage given for a fraction, or the reverse).
* With ``solutions=True`` the reference solution is submitted instead, and a
  reference that fails its own check raises :class:`ExerciseError`, which is
  how CI proves every solution passes.

The verdict is a :class:`Submission`; as the last line of a cell, Jupyter shows
it once, as a coloured box (its ``_repr_html_``), and a console or a doctest
shows its one-line ``repr``. Submitting again, or re-running the cell that
creates the exercise, simply replaces the verdict.

A checker is any callable ``check(answer) -> str | None`` that returns ``None``
for a correct answer and a message for a wrong one; :func:`close_to`,
:func:`equals`, :func:`one_of` and :func:`in_range` build the common ones.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from casebook.course.lesson import Lesson

__all__ = [
    "Exercise",
    "ExerciseError",
    "Submission",
    "close_to",
    "equals",
    "in_range",
    "one_of",
]

Checker = Callable[[Any], "str | None"]
Status = Literal["not attempted", "correct", "incorrect"]


class ExerciseError(AssertionError):
    """Raised when an exercise's reference solution fails its own check."""


_STYLE = {
    "correct": ("\N{CHECK MARK}", "#1a7f37"),
    "incorrect": ("\N{BALLOT X}", "#b35900"),
    "not attempted": ("\N{HORIZONTAL ELLIPSIS}", "#57606a"),
}


@dataclass(frozen=True, repr=False)
class Submission:
    """What :meth:`Exercise.submit` concluded.

    Shown once: Jupyter renders ``_repr_html_`` (a box marked ✓, ✗ or … with
    the message), a console prints the one-line ``repr``.

    Attributes
    ----------
    exercise : str
        The exercise's name.
    status : {"not attempted", "correct", "incorrect"}
        The verdict.
    message : str
        What the learner is told.

    Examples
    --------
    >>> Submission("double", "incorrect", "not quite. 41 is too low.")
    Exercise 'double': not quite. 41 is too low.
    """

    exercise: str
    status: Status
    message: str

    @property
    def correct(self) -> bool:
        """True when the answer passed the check."""
        return self.status == "correct"

    def __repr__(self) -> str:
        return f"Exercise {self.exercise!r}: {self.message}"

    def _repr_html_(self) -> str:
        mark, colour = _STYLE[self.status]
        text = html.escape(self.message).replace(" Hint: ", "<br><i>Hint:</i> ", 1)
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 2px 10px">'
            f'<b style="color: {colour}">{mark} Exercise <code>{html.escape(self.exercise)}'
            f"</code></b>: {text}</div>"
        )


def _as_number(answer: Any) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, Real):
        return None
    return float(answer)


def close_to(
    expected: float, *, abs_tol: float | None = None, rel_tol: float | None = None
) -> Checker:
    """Build a checker accepting numbers within a tolerance of ``expected``.

    Parameters
    ----------
    expected : float
        The reference value.
    abs_tol, rel_tol : float, optional
        Absolute and relative tolerance; at least one is required.

    Returns
    -------
    callable
        ``check(answer) -> str | None``; the message says too high or too low
        without revealing the reference.

    Examples
    --------
    >>> check = close_to(0.3, abs_tol=0.01)
    >>> check(0.305) is None
    True
    >>> check(0.5)
    'your answer 0.5 is too high (tolerance ±0.01)'
    """
    if not isinstance(expected, Real) or not math.isfinite(float(expected)):
        raise ValueError(f"expected must be a finite number, got {expected!r}")
    if abs_tol is None and rel_tol is None:
        raise ValueError("close_to needs abs_tol or rel_tol, got neither")
    for name, tol in (("abs_tol", abs_tol), ("rel_tol", rel_tol)):
        if tol is not None and not (isinstance(tol, Real) and tol >= 0):
            raise ValueError(f"{name} must be a non-negative number, got {tol!r}")
    tol = max(abs_tol or 0.0, (rel_tol or 0.0) * abs(float(expected)))

    def check(answer: Any) -> str | None:
        value = _as_number(answer)
        if value is None:
            return f"expected a number, got {type(answer).__name__} {answer!r}"
        if math.isnan(value):
            return "your answer is NaN; compute a number"
        if abs(value - expected) <= tol:
            return None
        side = "too high" if value > expected else "too low"
        return f"your answer {answer!r} is {side} (tolerance ±{tol:.3g})"

    return check


def equals(expected: Any) -> Checker:
    """Build a checker accepting exactly ``expected`` (``==``).

    Examples
    --------
    >>> equals(3)(3) is None
    True
    >>> equals("recall")("precision")
    "your answer 'precision' is not the expected one"
    """

    def check(answer: Any) -> str | None:
        try:
            ok = bool(answer == expected)
        except (TypeError, ValueError):
            ok = False
        return None if ok else f"your answer {answer!r} is not the expected one"

    return check


def one_of(choices: Sequence[Any], *, correct: Any) -> Checker:
    """Build a checker for a multiple-choice question.

    Parameters
    ----------
    choices : sequence
        The options shown to the learner.
    correct : object
        The right option; must be one of ``choices``.

    Examples
    --------
    >>> check = one_of(["a", "b", "c"], correct="b")
    >>> check("b") is None
    True
    >>> check("z")
    "'z' is not one of the choices ['a', 'b', 'c']"
    >>> check("a")
    "'a' is one of the choices, but not the best one"
    """
    choices = list(choices)
    if correct not in choices:
        raise ValueError(f"correct must be one of choices {choices!r}, got {correct!r}")

    def check(answer: Any) -> str | None:
        if answer not in choices:
            return f"{answer!r} is not one of the choices {choices!r}"
        if answer != correct:
            return f"{answer!r} is one of the choices, but not the best one"
        return None

    return check


def in_range(low: float, high: float) -> Checker:
    """Build a checker accepting numbers in the closed interval ``[low, high]``.

    Examples
    --------
    >>> in_range(0.1, 0.2)(0.15) is None
    True
    >>> in_range(0.1, 0.2)(0.05)
    'your answer 0.05 is below the accepted range'
    """
    for name, bound in (("low", low), ("high", high)):
        if isinstance(bound, bool) or not isinstance(bound, Real) or math.isnan(float(bound)):
            raise ValueError(f"{name} must be a number (not NaN), got {bound!r}")
    if low > high:
        raise ValueError(f"low and high must satisfy low <= high, got {low!r}, {high!r}")

    def check(answer: Any) -> str | None:
        value = _as_number(answer)
        if value is None:
            return f"expected a number, got {type(answer).__name__} {answer!r}"
        if value < low:
            return f"your answer {answer!r} is below the accepted range"
        if value > high:
            return f"your answer {answer!r} is above the accepted range"
        return None

    return check


@dataclass
class Exercise:
    """One self-checked exercise.

    Parameters
    ----------
    name : str
        Identifier, unique within the notebook.
    question : str
        What the learner must do or decide.
    check : callable
        ``check(answer) -> str | None``, e.g. from :func:`close_to`.
    solution : callable
        Zero-argument function returning the reference answer.
    hint : str, default=""
        Shown while the exercise is not attempted or wrong.
    lesson : Lesson, optional
        Where the verdict is recorded (``results.json``, key ``exercises``).
    wrong_example : object, optional
        A known wrong answer (a typical slip). An answer equal to it (numbers:
        within 0.5%) is told so by name instead of only "too high".
    slip : str, default=""
        What a learner giving ``wrong_example`` did, e.g. ``"you took the
        overall rate, not the segment's"``; needs ``wrong_example``.
    form : str, default=""
        What form the answer takes (``"a fraction between 0 and 1"``), shown
        while the exercise is not attempted.

    Examples
    --------
    >>> ex = Exercise("share", question="Share of fiber customers who churned?",
    ...               check=close_to(0.42, abs_tol=0.005), solution=lambda: 0.42,
    ...               hint="Filter first.", wrong_example=0.27,
    ...               slip="that is the overall rate, not the fiber customers' rate")
    >>> ex.submit(...)
    Exercise 'share': not attempted yet. Hint: Filter first.
    >>> ex.submit(0.3)
    Exercise 'share': not quite. your answer 0.3 is too low (tolerance ±0.005). Hint: Filter first.
    >>> ex.submit(0.27)
    Exercise 'share': not quite. 0.27 is a typical slip: that is the overall rate, not the fiber customers' rate. Hint: Filter first.
    >>> ex.submit(42)
    Exercise 'share': not quite. 42 looks 100 times too large: a percentage where a fraction is asked? Hint: Filter first.
    >>> ex.submit(0.42).status
    'correct'
    """

    name: str
    question: str
    check: Checker
    solution: Callable[[], Any]
    hint: str = ""
    lesson: Lesson | None = None
    wrong_example: Any = ...
    slip: str = ""
    form: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        if not isinstance(self.slip, str):
            raise TypeError(f"slip must be a str, got {type(self.slip).__name__}")
        if self.slip and self.wrong_example is ...:
            raise ValueError(
                f"slip describes wrong_example, which is missing; got slip={self.slip!r}"
            )
        if not callable(self.check):
            raise TypeError(f"check must be callable, got {type(self.check).__name__}")
        if not isinstance(self.form, str):
            raise TypeError(f"form must be a str, got {type(self.form).__name__}")
        if not callable(self.solution):
            raise TypeError(
                f"solution must be a zero-argument callable, got {type(self.solution).__name__}"
            )

    def submit(self, answer: Any = ..., *, solutions: bool = False) -> Submission:
        """Check ``answer`` (or the reference solution) and report.

        Parameters
        ----------
        answer : object, default=...
            The learner's answer; ``...`` or ``None`` means not attempted.
        solutions : bool, default=False
            Submit the reference solution instead of ``answer``.

        Returns
        -------
        Submission
            The verdict; as a cell's last line, Jupyter shows it once.

        Raises
        ------
        ExerciseError
            If ``solutions=True`` and the reference solution fails the check.
        """
        hint = f" Hint: {self.hint}" if self.hint else ""
        if solutions:
            reference = self.solution()
            problem = self.check(reference)
            if problem is not None:
                raise ExerciseError(
                    f"exercise {self.name!r}: the reference solution fails its check: {problem}"
                )
            result = Submission(self.name, "correct", "correct (reference solution).")
        elif answer is ... or answer is None:
            result = self._not_attempted(hint)
        else:
            try:
                problem = self.feedback(answer)
            except NotImplementedError:  # the blank template of an implement-it exercise
                return self._record(self._not_attempted(hint), reference=False)
            if problem is None:
                result = Submission(self.name, "correct", "correct!")
            else:
                end = "" if problem.endswith(("?", "!", ".")) else "."
                result = Submission(self.name, "incorrect", f"not quite. {problem}{end}{hint}")
        return self._record(result, reference=solutions)

    def _not_attempted(self, hint: str) -> Submission:
        form = f" Answer: {self.form.rstrip('.')}." if self.form else ""
        return Submission(self.name, "not attempted", f"not attempted yet.{form}{hint}")

    def _record(self, result: Submission, *, reference: bool) -> Submission:
        if self.lesson is not None:
            self.lesson._note_exercise(self.name, result.status, reference=reference)
        return result

    def feedback(self, answer: Any) -> str | None:
        """What is wrong with ``answer``, naming the typical slips; None if it is right.

        Parameters
        ----------
        answer : object
            The learner's answer.

        Returns
        -------
        str or None
            None for a right answer. Otherwise the checker's message, unless the
            answer is the known ``wrong_example`` with a ``slip`` (the slip is
            named), or would pass divided or multiplied by 100 (a percentage for
            a fraction, or the reverse); a bare ``wrong_example`` is flagged as
            the typical slip after the checker's message.
        """
        problem = self.check(answer)
        if problem is None:
            return None
        is_slip = self.wrong_example is not ... and _same_answer(answer, self.wrong_example)
        if is_slip and self.slip:
            return f"{answer!r} is a typical slip: {self.slip.rstrip('.')}"
        value = _as_number(answer)
        if value is not None and math.isfinite(value) and value != 0:
            if self.check(value / 100) is None:
                return (
                    f"{answer!r} looks 100 times too large: a percentage where a fraction is asked?"
                )
            if self.check(value * 100) is None:
                return (
                    f"{answer!r} looks 100 times too small: a fraction where a percentage is asked?"
                )
        if is_slip:
            return f"{problem}; it is the typical slip for this question, re-read what it asks for"
        return problem


def _same_answer(answer: Any, known: Any) -> bool:
    """True when ``answer`` is ``known``: equal, or for numbers within 0.5% (rounding)."""
    a, k = _as_number(answer), _as_number(known)
    if a is not None and k is not None:
        return math.isclose(a, k, rel_tol=0.005, abs_tol=1e-12)
    try:
        return bool(answer == known)
    except (TypeError, ValueError):
        return False
