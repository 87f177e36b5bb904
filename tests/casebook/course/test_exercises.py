import math

import pytest

from casebook.course.exercises import Exercise, ExerciseError, close_to, equals, in_range, one_of


def make(check, solution=lambda: 42):
    return Exercise("ex", question="q", check=check, solution=solution, hint="think")


def test_blank_is_not_attempted_and_never_raises(capsys):
    ex = make(equals(42))
    for blank in (..., None):
        assert ex.submit(blank).status == "not attempted"
    assert "not attempted yet. Hint: think" in capsys.readouterr().out


def test_wrong_answer_says_what_is_wrong(capsys):
    sub = make(close_to(10.0, abs_tol=1)).submit(20.0)
    assert sub.status == "incorrect" and not sub.correct
    assert "too high" in sub.message and "Hint: think" in sub.message


def test_right_answer():
    assert make(equals(42)).submit(42).correct


def test_solutions_mode_uses_reference():
    assert make(equals(42)).submit(..., solutions=True).correct


def test_broken_reference_raises():
    with pytest.raises(ExerciseError, match="reference solution fails its check"):
        make(equals(41)).submit(..., solutions=True)


def test_exercise_validates_callables():
    with pytest.raises(TypeError, match="check must be callable"):
        Exercise("e", question="q", check=3, solution=lambda: 1)
    with pytest.raises(TypeError, match="solution must be a zero-argument callable"):
        Exercise("e", question="q", check=equals(1), solution=1)
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        Exercise("", question="q", check=equals(1), solution=lambda: 1)


def test_close_to_messages():
    check = close_to(0.5, rel_tol=0.1)
    assert check(0.52) is None
    assert "too low" in check(0.1)
    assert "expected a number" in check("0.5")
    assert "expected a number" in check(True)
    assert "NaN" in check(math.nan)


def test_close_to_validation():
    with pytest.raises(ValueError, match="needs abs_tol or rel_tol"):
        close_to(1.0)
    with pytest.raises(ValueError, match="expected must be a finite number"):
        close_to(math.inf, abs_tol=1)
    with pytest.raises(ValueError, match="abs_tol must be a non-negative number"):
        close_to(1.0, abs_tol=-1)


def test_equals_handles_uncomparable():
    import numpy as np

    assert "not the expected one" in equals(1)(np.array([1, 2]))


def test_one_of():
    check = one_of(["a", "b"], correct="a")
    assert check("a") is None
    assert "not the best one" in check("b")
    assert "not one of the choices" in check("c")
    with pytest.raises(ValueError, match="correct must be one of choices"):
        one_of(["a"], correct="z")


def test_in_range():
    check = in_range(1, 2)
    assert check(1.5) is None
    assert "above" in check(3)
    assert "below" in check(0)
    assert "expected a number" in check(None)
    with pytest.raises(ValueError, match="low and high must satisfy low <= high"):
        in_range(2, 1)
    with pytest.raises(ValueError, match="low must be a number"):
        in_range(math.nan, 1)
    with pytest.raises(ValueError, match="high must be a number"):
        in_range(0, "1")
