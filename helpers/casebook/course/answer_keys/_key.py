"""One notebook's answer key: its exercises, their reference answers and how answers are checked.

A key module (``nb03.py`` for notebook 03) creates ``KEY = AnswerKey("03")`` and registers
each exercise with one of four kinds:

* :meth:`AnswerKey.number`: a number computed from the notebook's data;
* :meth:`AnswerKey.choice`: one option, with the reason each wrong option is wrong;
* :meth:`AnswerKey.judgement`: a decision a stakeholder asks for, answered as a pair
  ``(option, number)``: the choice and the number that justifies it;
* :meth:`AnswerKey.implement`: the learner writes the function at the heart of the lesson,
  checked against the reference on generated inputs (:func:`implements`).

The notebook's exercise cell names the exercise and passes the data it needs
(``lesson.exercise("name", inputs={...})``); the reference answer never appears there.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from casebook.course.answer_keys._compare import Case, implements
from casebook.course.exercises import Exercise, close_to

__all__ = ["AnswerKey"]

Kind = Literal["number", "choice", "judgement", "implement"]


@dataclass(frozen=True)
class _Spec:
    name: str
    kind: Kind
    question: str
    form: str
    hint: str
    build: Callable[[Mapping[str, Any]], tuple[Callable[[Any], str | None], Callable[[], Any]]]
    inputs: tuple[str, ...]
    wrong_example: Any = ...
    slip: str = ""
    slips: tuple[tuple[str, Callable[..., Any]], ...] = ()
    cases: tuple[Case, ...] = ()


def _keyword_inputs(fn: Callable[..., Any], name: str) -> tuple[str, ...]:
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is not p.KEYWORD_ONLY for p in params):
        raise TypeError(
            f"the reference of exercise {name!r} must take keyword-only inputs (def f(*, y, p)), "
            f"got {fn.__name__}{inspect.signature(fn)}"
        )
    return tuple(p.name for p in params)


def _option_reasons(options: Mapping[str, str | None], name: str) -> dict[str, str | None]:
    if not isinstance(options, Mapping) or len(options) < 2:
        raise ValueError(
            f"options of exercise {name!r} must map at least two options, got {options!r}"
        )
    for key, reason in options.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"options of exercise {name!r} must have string keys, got {key!r}")
        if reason is not None and not (isinstance(reason, str) and reason.strip()):
            raise ValueError(
                f"options[{key!r}] of exercise {name!r} must say why it is wrong, got {reason!r}"
            )
    return dict(options)


def _choice_problem(answer: Any, options: Mapping[str, str | None], correct: str) -> str | None:
    by_folded = {key.casefold(): key for key in options}
    picked = by_folded.get(answer.strip().casefold()) if isinstance(answer, str) else None
    if picked is None:
        return f"{answer!r} is not one of the options {', '.join(map(repr, options))}"
    if picked == correct:
        return None
    return f"{picked!r} is not the right call: {options[picked]}"


class AnswerKey:
    """The answer key of one notebook (the back of the book).

    Parameters
    ----------
    notebook : str
        The notebook's two-digit number, e.g. ``"03"``.

    Examples
    --------
    >>> key = AnswerKey("99")
    >>> @key.number("double", question="Twice the total?", form="a number", hint="Add first.",
    ...             abs_tol=1e-9)
    ... def double(*, values):
    ...     return 2 * sum(values)
    >>> ex = key.exercise("double", inputs={"values": [1, 2]})
    >>> ex.submit(...)
    Exercise 'double': not attempted yet. Answer: a number. Hint: Add first.
    >>> ex.submit(6).status
    'correct'
    >>> key.names()
    ['double']
    """

    def __init__(self, notebook: str) -> None:
        if not (isinstance(notebook, str) and len(notebook) == 2 and notebook.isdigit()):
            raise ValueError(f"notebook must be a two-digit string like '03', got {notebook!r}")
        self.notebook = notebook
        self._specs: dict[str, _Spec] = {}

    def names(self) -> list[str]:
        """The exercise names, in the order they were registered."""
        return list(self._specs)

    def kinds(self) -> dict[str, Kind]:
        """Each exercise's kind, by name."""
        return {name: spec.kind for name, spec in self._specs.items()}

    def spec(self, name: str) -> _Spec:
        """The registered exercise ``name``; ValueError naming the known ones otherwise."""
        if name not in self._specs:
            raise ValueError(
                f"name must be an exercise of notebook {self.notebook}'s answer key "
                f"({', '.join(self._specs) or 'none'}), got {name!r}"
            )
        return self._specs[name]

    def _add(self, spec: _Spec) -> None:
        if spec.name in self._specs:
            raise ValueError(f"name {spec.name!r} is already registered in key {self.notebook}")
        for field_name in ("question", "form", "hint"):
            if not str(getattr(spec, field_name)).strip():
                raise ValueError(f"exercise {spec.name!r} needs a {field_name}, got an empty one")
        self._specs[spec.name] = spec

    def number(
        self, name: str, *, question: str, form: str, hint: str,
        abs_tol: float | None = None, rel_tol: float | None = None,
        wrong_example: Any = ..., slip: str = "",
    ) -> Callable[[Callable[..., float]], Callable[..., float]]:  # fmt: skip
        """Register a numeric exercise; decorates ``reference(*, inputs...) -> float``.

        ``wrong_example`` (a typical wrong answer, named by ``slip``) may be a function of
        the same keyword inputs when the slip's value depends on the data.
        """

        def register(reference: Callable[..., float]) -> Callable[..., float]:
            def build(inputs: Mapping[str, Any]) -> tuple[Any, Any]:
                value = float(reference(**inputs))
                return close_to(value, abs_tol=abs_tol, rel_tol=rel_tol), lambda: value

            self._add(_Spec(name, "number", question, form, hint, build,
                            _keyword_inputs(reference, name), wrong_example, slip))  # fmt: skip
            return reference

        return register

    def choice(
        self, name: str, *, question: str, hint: str, options: Mapping[str, str | None]
    ) -> None:
        """Register a multiple-choice exercise.

        ``options`` maps each option to why it is wrong, and the one right option to None.
        """
        reasons = _option_reasons(options, name)
        right = [k for k, v in reasons.items() if v is None]
        if len(right) != 1:
            raise ValueError(
                f"options of exercise {name!r} must have exactly one right option (reason None), "
                f"got {len(right)}"
            )
        form = f"one of {', '.join(map(repr, reasons))}"

        def build(inputs: Mapping[str, Any]) -> tuple[Any, Any]:
            return (lambda answer: _choice_problem(answer, reasons, right[0])), lambda: right[0]

        self._add(_Spec(name, "choice", question, form, hint, build, ()))

    def judgement(
        self, name: str, *, question: str, hint: str, options: Mapping[str, str],
        abs_tol: float | None = None, rel_tol: float | None = None,
    ) -> Callable[[Callable[..., tuple[str, float]]], Callable[..., tuple[str, float]]]:  # fmt: skip
        """Register a decision with its justifying number.

        Decorates ``reference(*, inputs...) -> (option, number)``; ``options`` maps every
        option to what is wrong with it when it is not the call the data support.
        """
        reasons = _option_reasons(options, name)
        if any(v is None for v in reasons.values()):
            raise ValueError(
                f"options of exercise {name!r} must give a reason for every option (the right "
                "one depends on the data), got None"
            )
        form = f"a pair (option, number): option one of {', '.join(map(repr, reasons))}"

        def register(reference: Callable[..., tuple[str, float]]) -> Callable[..., Any]:
            def build(inputs: Mapping[str, Any]) -> tuple[Any, Any]:
                choice, number = reference(**inputs)
                if choice not in reasons:
                    raise ValueError(f"the reference of {name!r} chose {choice!r}, not an option")
                number_check = close_to(float(number), abs_tol=abs_tol, rel_tol=rel_tol)

                def check(answer: Any) -> str | None:
                    if not (isinstance(answer, tuple | list) and len(answer) == 2):
                        return f"expected a pair (option, number), e.g. ('a', 0.12); got {answer!r}"
                    problem = _choice_problem(answer[0], reasons, choice)
                    if problem is not None:
                        return problem
                    wrong = number_check(answer[1])
                    return None if wrong is None else f"right call, but the number: {wrong}"

                return check, lambda: (choice, float(number))

            self._add(_Spec(name, "judgement", question, form, hint, build,
                            _keyword_inputs(reference, name)))  # fmt: skip
            return reference

        return register

    def implement(
        self, name: str, *, question: str, signature: str, hint: str,
        cases: Sequence[Case], slips: Mapping[str, Callable[..., Any]],
        rtol: float = 1e-9, atol: float = 1e-12,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # fmt: skip
        """Register an implement-it exercise; decorates the reference implementation.

        ``signature`` is what the learner writes (``"my_psi(expected, actual, *, bins)"``);
        ``slips`` are at least two typical wrong implementations, which the key's tests
        prove are rejected (and which the feedback names when a learner makes one).
        """
        if not isinstance(slips, Mapping) or len(slips) < 2:
            raise ValueError(
                f"slips of exercise {name!r} must name at least two typical wrong "
                f"implementations, got {len(slips) if isinstance(slips, Mapping) else slips!r}"
            )

        def register(reference: Callable[..., Any]) -> Callable[..., Any]:
            check = implements(reference, cases, slips=slips, rtol=rtol, atol=atol)

            def build(inputs: Mapping[str, Any]) -> tuple[Any, Any]:
                return check, lambda: reference

            self._add(_Spec(name, "implement", question, f"a function {signature}", hint,
                            build, (), slips=tuple(slips.items()), cases=tuple(cases)))  # fmt: skip
            return reference

        return register

    def exercise(
        self, name: str, *, inputs: Mapping[str, Any] | None = None, lesson: Any = None
    ) -> Exercise:
        """Build the :class:`~casebook.course.exercises.Exercise` ``name`` on ``inputs``.

        Raises
        ------
        ValueError
            If ``name`` is not in the key, or ``inputs`` does not name exactly the
            data the reference needs.
        """
        spec = self.spec(name)
        inputs = dict(inputs or {})
        if set(inputs) != set(spec.inputs):
            raise ValueError(
                f"inputs of exercise {name!r} must be exactly {sorted(spec.inputs)}, "
                f"got {sorted(inputs)}"
            )
        check, solution = spec.build(inputs)
        wrong = spec.wrong_example
        if spec.kind == "number" and callable(wrong):  # a slip that depends on the data
            wrong = float(wrong(**inputs))
        return Exercise(name, question=spec.question, check=check, solution=solution,
                        hint=spec.hint, form=spec.form, lesson=lesson,
                        wrong_example=wrong, slip=spec.slip)  # fmt: skip

    def check(
        self, name: str, answer: Any, *, inputs: Mapping[str, Any] | None = None
    ) -> str | None:
        """What is wrong with ``answer`` to exercise ``name`` (None when right); for tests."""
        return self.exercise(name, inputs=inputs).feedback(answer)
