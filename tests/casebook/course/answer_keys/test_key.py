"""The answer-key machinery: kinds, inputs, feedback, implement-it comparisons, raise paths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casebook.course.answer_keys import AnswerKey, Case, exercise_names, implements, key_for
from casebook.course.exercises import Exercise


def mean_of(values):
    values = list(values)
    if not values:
        raise ValueError("values must not be empty")
    return sum(values) / len(values)


CASES = [Case("three values", args=([1, 2, 6],)), Case("one value", args=([4],)),
         Case("empty", args=([],))]  # fmt: skip


def make_key() -> AnswerKey:
    key = AnswerKey("98")

    @key.number("total", question="Total?", form="a number", hint="Add.", abs_tol=1e-9,
                wrong_example=lambda *, values: float(len(values)), slip="you counted")  # fmt: skip
    def total(*, values):
        return float(sum(values))

    key.choice("pick", question="Which?", hint="Think.",
               options={"a": "a is too small", "b": None, "c": "c is too big"})  # fmt: skip

    @key.judgement("call", question="Go?", hint="Compare.", abs_tol=0.01,
                   options={"go": "the gain is negative", "stop": "the gain is positive"})  # fmt: skip
    def call(*, gain):
        return ("go" if gain > 0 else "stop"), gain

    @key.implement("mean", question="Write the mean.", signature="my_mean(values)",
                   hint="Sum and divide.", cases=CASES,
                   slips={"forgot the empty case": lambda v: sum(v) / max(len(v), 1),
                          "the median": lambda v: sorted(v)[len(v) // 2]})  # fmt: skip
    def mean(values):
        return mean_of(values)

    return key


def test_number_choice_judgement_feedback():
    key = make_key()
    assert key.names() == ["total", "pick", "call", "mean"]
    assert key.check("total", 9.0, inputs={"values": [4, 5]}) is None
    assert "typical slip: you counted" in key.check("total", 2, inputs={"values": [4, 5]})
    assert key.check("pick", " B ") is None
    assert key.check("pick", "a") == "'a' is not the right call: a is too small"
    assert "not one of the options" in key.check("pick", "z")
    assert key.check("call", ("go", 0.3), inputs={"gain": 0.3}) is None
    assert "the gain is positive" in key.check("call", ("stop", 0.3), inputs={"gain": 0.3})
    assert "right call, but the number" in key.check("call", ("go", 0.5), inputs={"gain": 0.3})
    assert "expected a pair" in key.check("call", "go", inputs={"gain": 0.3})


def test_implement_names_the_first_failing_case_and_the_slip():
    key = make_key()
    assert key.check("mean", mean_of) is None
    message = key.check("mean", lambda v: sum(v) / max(len(v), 1))
    assert message.startswith("case 'empty' f([]): this is bad input")
    assert message.endswith("This is a typical slip: forgot the empty case")
    message = key.check("mean", lambda v: sum(v))
    assert message.startswith("case 'three values' f([1, 2, 6]): the values differ")
    assert "yours returned 9, the reference 3.0" in message
    assert "did you forget `return`" in key.check("mean", lambda v: None)
    assert "raised ZeroDivisionError" in key.check("mean", lambda v: 1 / 0)
    assert "expected a function" in key.check("mean", 3)


def test_blank_template_is_not_attempted_and_solutions_mode_passes():
    ex = make_key().exercise("mean")

    def my_mean(values):
        raise NotImplementedError

    assert ex.submit(my_mean).status == "not attempted"
    assert "Answer: a function my_mean(values)" in ex.submit(my_mean).message
    assert ex.submit(..., solutions=True).status == "correct"


def test_learner_cannot_change_the_reference_inputs():
    def mutating(values):
        values.clear()
        return 0.0

    check = implements(mean_of, [Case("three", args=([1, 2, 3],))])
    assert "the values differ" in check(mutating)
    assert check(mean_of) is None


@pytest.mark.parametrize(
    ("got", "expected", "fragment"),
    [
        (np.array([1.0, 2.0]), np.array([1.0, 2.5]), "first difference at position 1"),
        (np.array([1.0]), np.array([1.0, 2.0]), "expected shape (2,)"),
        ({"a": 1}, {"a": 1, "b": 2}, "expected keys"),
        ({"a": 1.0}, {"a": 2.0}, "at key 'a'"),
        ([1, "x"], [1, "y"], "item 1"),
        ("1", 1.0, "expected a number"),
        ([1.0], pd.DataFrame({"a": [1.0]}), "expected a DataFrame"),
        (pd.Series([1.0, 2.0]), pd.Series([1.0, 3.0]), "Series values are different"),
    ],
)
def test_differences_are_described(got, expected, fragment):
    check = implements(lambda: expected, [Case("it", args=())])
    message = check(lambda: got)
    assert message is not None and fragment in message, message


def test_equal_structures_agree():
    frame = pd.DataFrame({"a": [1.0, np.nan]})
    for value in (frame, frame["a"], {"k": [1.0, 2.0]}, (1, "x"), float("nan"), "s"):
        assert implements(lambda v=value: v, [Case("it")])(lambda v=value: v) is None


def test_key_lookup():
    assert key_for("00_start_here").notebook == "00"
    assert exercise_names("00_start_here") == ["fiber_churn_rate", "who_to_call"]
    assert exercise_names("97_nothing") == []


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: key_for("start_here"), ValueError, "must start with its two-digit number"),
        (lambda: key_for("97_nothing"), ValueError, "has no answer key"),
        (lambda: exercise_names(None), ValueError, "must start with its two-digit number"),
        (lambda: AnswerKey("3"), ValueError, "two-digit string"),
        (lambda: make_key().spec("nope"), ValueError, "name must be an exercise of notebook 98"),
        (lambda: make_key().exercise("total"), ValueError, r"inputs of exercise 'total' must be"),
        (lambda: Case(""), ValueError, "label must be a non-empty string"),
        (lambda: Case("x", args=[1]), TypeError, "args must be a tuple"),
        (lambda: Case("x", kwargs=[1]), TypeError, "kwargs must be a mapping"),
        (lambda: implements(3, CASES), TypeError, "reference_fn must be callable"),
        (lambda: implements(mean_of, []), ValueError, "cases must be a non-empty sequence"),
        (lambda: implements(mean_of, CASES, slips={"x": 1}), TypeError, r"slips\['x'\]"),
        (
            lambda: Exercise("x", question="q", check=len, solution=int, form=3),
            TypeError,
            "form must be a str",
        ),  # fmt: skip
    ],
)
def test_raise_paths(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_registration_errors():
    key = make_key()
    with pytest.raises(ValueError, match="already registered"):
        key.choice("pick", question="q", hint="h", options={"a": None, "b": "no"})
    with pytest.raises(ValueError, match="exactly one right option"):
        key.choice("p2", question="q", hint="h", options={"a": None, "b": None})
    with pytest.raises(ValueError, match="at least two options"):
        key.choice("p3", question="q", hint="h", options={"a": None})
    with pytest.raises(ValueError, match=r"options\['b'\] of exercise 'p4' must say why"):
        key.choice("p4", question="q", hint="h", options={"a": None, "b": " "})
    with pytest.raises(ValueError, match="must have string keys"):
        key.choice("p5", question="q", hint="h", options={1: None, "b": "no"})
    with pytest.raises(ValueError, match="needs a hint"):
        key.choice("p6", question="q", hint=" ", options={"a": None, "b": "no"})
    with pytest.raises(ValueError, match="reason for every option"):
        key.judgement("j", question="q", hint="h", options={"a": None, "b": "x"}, abs_tol=1)
    with pytest.raises(ValueError, match="at least two typical wrong"):
        key.implement("i", question="q", signature="f()", hint="h", cases=CASES, slips={})
    with pytest.raises(TypeError, match="keyword-only inputs"):
        key.number("n", question="q", form="f", hint="h", abs_tol=1)(lambda values: 1.0)

    @key.judgement("bad", question="q", hint="h", options={"a": "x", "b": "y"}, abs_tol=1)
    def bad(*, v):
        return "c", v

    with pytest.raises(ValueError, match="chose 'c', not an option"):
        key.exercise("bad", inputs={"v": 1})


def test_a_broken_reference_is_a_bug_not_a_learner_error():
    check = implements(lambda: 1 / 0, [Case("it")])
    with pytest.raises(RuntimeError, match="the reference fails on case 'it'"):
        check(lambda: 1)


def test_lesson_exercise_from_the_key(tmp_path):
    from casebook.course.lesson import Lesson

    lesson = Lesson("00_start_here", output_dir=tmp_path)
    customers = pd.DataFrame({"internet_service": ["Fiber optic", "DSL"],
                              "churn": ["Yes", "No"], "contract": ["One year", "Two year"]})  # fmt: skip
    ex = lesson.exercise("fiber_churn_rate", inputs={"customers": customers})
    assert ex.submit(1.0).status == "correct"
    assert lesson.exercises_status() == {"fiber_churn_rate": "correct"}
    with pytest.raises(ValueError, match="must be given together"):
        lesson.exercise("x", question="q?", check=len)
    with pytest.raises(ValueError, match="must be given together"):
        lesson.exercise("x", question="q?", check=len, solution=int, inputs={})
    with pytest.raises(ValueError, match="come from the answer key"):
        lesson.exercise("fiber_churn_rate", inputs={"customers": customers}, hint="h")
    with pytest.raises(ValueError, match="has no answer key"):
        Lesson("97_nothing", output_dir=tmp_path / "b").exercise("x", inputs={})
