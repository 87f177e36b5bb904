import math

import pytest

from casebook.course.exercises import Exercise, ExerciseError, close_to, equals, in_range, one_of


def make(check, solution=lambda: 42):
    return Exercise("ex", question="q", check=check, solution=solution, hint="think")


def test_blank_is_not_attempted_and_never_raises(capsys):
    ex = make(equals(42))
    for blank in (..., None):
        sub = ex.submit(blank)
        assert sub.status == "not attempted"
        assert sub.message == "not attempted yet. Hint: think"
    assert capsys.readouterr().out == ""  # nothing printed: the returned verdict is shown once


def test_submission_is_shown_once_and_briefly():
    sub = make(close_to(10.0, abs_tol=1)).submit(20.0)
    assert repr(sub) == f"Exercise 'ex': {sub.message}"
    assert "Submission(" not in repr(sub) and "\n" not in repr(sub)
    page = sub._repr_html_()
    assert "\N{BALLOT X}" in page and "<code>ex</code>" in page and "too high" in page
    assert page.endswith("<br><i>Hint:</i> think</div>")  # the hint on a line of its own
    ok = make(equals("<b>")).submit("<b>")
    assert "\N{CHECK MARK}" in ok._repr_html_()
    bad = make(equals("x")).submit("<script>")
    assert "<script>" not in bad._repr_html_() and "&lt;script&gt;" in bad._repr_html_()


def test_wrong_answer_says_what_is_wrong(capsys):
    sub = make(close_to(10.0, abs_tol=1)).submit(20.0)
    assert sub.status == "incorrect" and not sub.correct
    assert "too high" in sub.message and "Hint: think" in sub.message


def test_right_answer():
    assert make(equals(42)).submit(42).correct


def test_plain_wrong_answer_keeps_the_checkers_message():
    ex = Exercise("ex", question="q", check=close_to(0.3, abs_tol=0.01), solution=lambda: 0.3,
                  wrong_example=0.27, slip="you took the overall rate")  # fmt: skip
    assert ex.feedback(0.4) == "your answer 0.4 is too high (tolerance ±0.01)"
    assert ex.feedback(0.3) is None
    assert ex.feedback("0.3") == "expected a number, got str '0.3'"


def test_the_known_wrong_example_is_named():
    ex = Exercise("ex", question="q", check=close_to(0.3, abs_tol=0.01), solution=lambda: 0.3,
                  hint="filter", wrong_example=0.2654, slip="you took the overall rate.")  # fmt: skip
    for typed in (0.2654, 0.265):  # exactly, and rounded by the learner
        sub = ex.submit(typed)
        assert sub.status == "incorrect"
        assert (
            sub.message
            == f"not quite. {typed!r} is a typical slip: you took the overall rate. Hint: filter"
        )
    assert "typical slip" not in ex.submit(0.25).message
    choice = Exercise("c", question="q", check=one_of(["a", "b"], correct="a"),
                      solution=lambda: "a", wrong_example="b")  # fmt: skip
    message = choice.submit("b").message
    assert "not the best one" in message and "typical slip for this question" in message
    assert "typical slip" not in Exercise("d", question="q", check=equals(1), solution=lambda: 1,
                                          wrong_example=2).submit(3).message  # fmt: skip


def test_a_factor_of_100_is_named():
    share = Exercise("s", question="q", check=close_to(0.42, abs_tol=0.005), solution=lambda: 0.42)
    assert share.feedback(42) == (
        "42 looks 100 times too large: a percentage where a fraction is asked?"
    )
    assert share.feedback(42.2).startswith("42.2 looks 100 times too large")
    percent = Exercise("p", question="q", check=in_range(40, 45), solution=lambda: 42)
    assert percent.feedback(0.42) == (
        "0.42 looks 100 times too small: a fraction where a percentage is asked?"
    )
    assert percent.feedback(4.2) == "your answer 4.2 is below the accepted range"
    assert share.feedback(0) == "your answer 0 is too low (tolerance ±0.005)"
    # the percentage message wins over a bare known-wrong example
    slip = Exercise("w", question="q", check=close_to(0.42, abs_tol=0.005), solution=lambda: 0.42,
                    wrong_example=42.0)  # fmt: skip
    assert "a percentage where a fraction is asked" in slip.submit(42.0).message


def test_slip_needs_a_wrong_example():
    with pytest.raises(ValueError, match="slip describes wrong_example, which is missing"):
        Exercise("e", question="q", check=equals(1), solution=lambda: 1, slip="oops")
    with pytest.raises(TypeError, match="slip must be a str, got int"):
        Exercise("e", question="q", check=equals(1), solution=lambda: 1, wrong_example=2, slip=3)


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
