import json

import numpy as np
import pytest

from casebook.course.lesson import ClaimError, Lesson, load_results


@pytest.fixture
def lesson(tmp_path):
    return Lesson("99_test", output_dir=tmp_path / "out", seed=3, fast=True)


def test_record_writes_json_and_returns_value(lesson):
    assert lesson.record("x", np.float64(0.5), description="half", unit="fraction") == 0.5
    data = load_results(lesson.output_dir)
    assert data["results"]["x"] == {"value": 0.5, "description": "half", "unit": "fraction"}
    assert data["seed"] == 3 and data["fast"] is True and data["notebook"] == "99_test"


def test_record_converts_numpy_containers(lesson):
    lesson.record("arr", np.array([1, 2]))
    lesson.record("d", {"a": np.int64(2), "b": [np.bool_(True)]})
    res = load_results(lesson.output_dir)["results"]
    assert res["arr"]["value"] == [1, 2]
    assert res["d"]["value"] == {"a": 2, "b": [True]}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), np.float32("nan")])
def test_record_refuses_non_finite(lesson, bad):
    with pytest.raises(ValueError, match="value must be finite"):
        lesson.record("x", bad)


def test_record_refuses_objects(lesson):
    with pytest.raises(TypeError, match="value must be a number"):
        lesson.record("x", object())


def test_record_refuses_bad_key(lesson):
    with pytest.raises(ValueError, match="key must be letters"):
        lesson.record("not ok!", 1)


def test_result_reads_back_and_names_known_keys(lesson):
    lesson.record("a", 1)
    assert lesson.result("a") == 1
    with pytest.raises(KeyError, match=r"'b' was not recorded; recorded keys: \['a'\]"):
        lesson.result("b")


def test_claim_true_is_recorded_and_shown_once(lesson, capsys):
    assert lesson.claim(np.bool_(True), "water is wet", observed=1.0, expected=">= 1") is None
    assert capsys.readouterr().out == "\N{CHECK MARK} water is wet\n"
    claims = load_results(lesson.output_dir)["claims"]
    assert claims == [
        {"statement": "water is wet", "holds": True, "observed": 1.0, "expected": ">= 1"}
    ]


def test_claim_false_raises_with_statement_and_numbers(lesson):
    with pytest.raises(
        ClaimError, match=r"no longer holds: cost falls by 30% \(observed 0.1, expected 0.3\)"
    ):
        lesson.claim(False, "cost falls by 30%", observed=0.1, expected=0.3)
    assert load_results(lesson.output_dir)["claims"][0]["holds"] is False


def test_claim_rerun_replaces_same_statement(lesson):
    lesson.claim(True, "s")
    lesson.claim(True, "s")
    assert len(load_results(lesson.output_dir)["claims"]) == 1


def test_claim_requires_bool(lesson):
    with pytest.raises(TypeError, match="holds must be a bool"):
        lesson.claim(1, "one")


def test_claim_requires_statement(lesson):
    with pytest.raises(ValueError, match="statement must be a non-empty string"):
        lesson.claim(True, "  ")


def test_name_and_output_dir_validated(tmp_path):
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        Lesson("", output_dir=tmp_path)
    with pytest.raises(TypeError, match="output_dir must be a str or path"):
        Lesson("x", output_dir=3)


def test_default_output_dir_uses_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEBOOK_OUTPUT_DIR", str(tmp_path))
    assert Lesson("abc", output_dir=None).output_dir == tmp_path / "abc"


def test_savefig_marks_key_figure(lesson):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1])
    path = lesson.savefig(fig, "line", key=True)
    plt.close(fig)
    assert path.is_file() and path == lesson.figure_dir / "line.png"
    # as a cell's last value the path shows nothing: the figure is already on screen
    from IPython.core.formatters import DisplayFormatter

    assert DisplayFormatter().format(path) == ({}, {})
    data = load_results(lesson.output_dir)
    assert data["key_figure"] == "figures/line.png" and data["figures"] == ["figures/line.png"]


def test_savefig_validates(lesson):
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        lesson.savefig("nope", "x")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    with pytest.raises(ValueError, match="name must be letters"):
        lesson.savefig(fig, "a/b")
    plt.close(fig)


def test_exercise_registry(lesson):
    from casebook.course.exercises import equals

    ex = lesson.exercise("e", question="q", check=equals(1), solution=lambda: 1)
    assert lesson.exercises_status() == {"e": "not attempted"}
    ex.submit(1)
    assert load_results(lesson.output_dir)["exercises"] == {"e": "correct"}


def test_rerunning_an_exercise_cell_replaces_it(lesson):
    """A learner runs the cell that creates and submits an exercise twice: no error, one entry."""
    from casebook.course.exercises import close_to

    def cell(answer):
        lesson.exercise("b", question="q2", check=close_to(2.0, abs_tol=0.1), solution=lambda: 2.0)
        ex = lesson.exercise("a", question="q", check=close_to(0.3, abs_tol=0.01),
                             solution=lambda: 0.3, wrong_example=0.5)  # fmt: skip
        return ex.submit(answer)

    assert cell(0.9).status == "incorrect"
    once = load_results(lesson.output_dir)
    assert cell(0.9).status == "incorrect"
    assert load_results(lesson.output_dir) | {"started": 0} == once | {"started": 0}
    assert cell(0.3).correct
    data = load_results(lesson.output_dir)
    assert data["exercises"] == {"b": "not attempted", "a": "correct"}
    assert list(data["exercise_probes"]) == ["a"]


def test_recreating_an_exercise_resets_its_verdict_and_probe(lesson):
    from casebook.course.exercises import close_to

    ex = lesson.exercise("a", question="q", check=close_to(0.3, abs_tol=0.01),
                         solution=lambda: 0.3, wrong_example=0.5)  # fmt: skip
    ex.submit(0.3)
    lesson.exercise("a", question="q", check=close_to(0.3, abs_tol=0.01), solution=lambda: 0.3)
    data = load_results(lesson.output_dir)
    assert data["exercises"] == {"a": "not attempted"} and data["exercise_probes"] == {}


def test_same_exercise_name_for_another_question_is_an_error(lesson):
    from casebook.course.exercises import equals

    lesson.exercise("e", question="first question", check=equals(1), solution=lambda: 1)
    with pytest.raises(
        ValueError,
        match=r"name must be unique within the lesson: 'e' already names the exercise "
        r"'first question', got it again for 'another question'",
    ):
        lesson.exercise("e", question="another question", check=equals(2), solution=lambda: 2)
    assert lesson.exercises_status() == {"e": "not attempted"}


def test_rerunning_record_claim_and_figure_gives_one_entry(lesson, capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def cell():
        lesson.record("x", 0.5)
        lesson.claim(True, "x is a half")
        fig, ax = plt.subplots()
        lesson.savefig(fig, "f", key=True)
        plt.close(fig)

    cell()
    once = load_results(lesson.output_dir)
    cell()
    assert load_results(lesson.output_dir) == once
    assert capsys.readouterr().out.count("x is a half") == 2  # once per run of the cell


def test_results_file_is_always_valid_json(lesson):
    for i in range(20):
        lesson.record(f"k{i}", i)
        json.loads(lesson.results_path.read_text())
    assert not list(lesson.output_dir.glob(".*.tmp"))


def test_load_results_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="did the notebook run"):
        load_results(tmp_path)


def test_wrong_example_is_probed(lesson):
    from casebook.course.exercises import ExerciseError, close_to

    lesson.exercise(
        "t",
        question="q",
        check=close_to(0.3, abs_tol=0.01),
        solution=lambda: 0.3,
        wrong_example=0.5,
    )
    probe = load_results(lesson.output_dir)["exercise_probes"]["t"]
    assert probe == {
        "wrong_example": 0.5,
        "message": "your answer 0.5 is too high (tolerance ±0.01); it is the typical slip "
        "for this question, re-read what it asks for",
    }
    lesson.exercise(
        "s",
        question="q",
        check=close_to(0.3, abs_tol=0.01),
        solution=lambda: 0.3,
        wrong_example=0.5,
        slip="that is the default threshold",
    )
    message = load_results(lesson.output_dir)["exercise_probes"]["s"]["message"]
    assert message == "0.5 is a typical slip: that is the default threshold"
    with pytest.raises(ExerciseError, match="checker accepts the wrong_example 0.3"):
        lesson.exercise(
            "u",
            question="q",
            check=close_to(0.3, abs_tol=0.01),
            solution=lambda: 0.3,
            wrong_example=0.3,
        )


def test_volatile_flag(lesson):
    lesson.record("latency_ms", 3.2, volatile=True)
    lesson.record("auc", 0.9)
    res = load_results(lesson.output_dir)["results"]
    assert res["latency_ms"]["volatile"] is True and "volatile" not in res["auc"]
