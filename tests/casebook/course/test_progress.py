import json
import multiprocessing
import os
import sys
import warnings

import pandas as pd
import pytest

from casebook.course import progress as progress_mod
from casebook.course.cli import main
from casebook.course.interview.bank import load_questions
from casebook.course.lesson import Lesson
from casebook.course.paths import notebooks_dir
from casebook.course.progress import (
    format_progress,
    load_exercise_progress,
    progress_path,
    progress_table,
    record_exercise,
)

NOTEBOOKS = sorted(p.stem for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture
def keys(monkeypatch):
    """A fake answer key: two exercises for 00, three for 03, none for the rest."""
    import casebook.course.answer_keys as answer_keys

    known = {
        "00_start_here": ["fiber_churn_rate", "who_to_call"],
        "03_medical_screening_costs": ["a", "b", "c"],
    }
    monkeypatch.setattr(answer_keys, "exercise_names", lambda nb: known.get(nb, []))
    return known


def test_default_path_follows_xdg_data_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert progress_path() == tmp_path / "casebook" / "progress.json"


def test_tests_never_write_the_real_user_folder():
    home_data = os.path.expanduser("~/.local/share")
    if "CASEBOOK_KEEP_XDG" not in os.environ:
        assert not str(progress_path()).startswith(home_data)


def test_record_counts_attempts_and_remembers_ever_correct(tmp_path):
    f = tmp_path / "sub" / "progress.json"
    record_exercise("00_start_here", "who_to_call", "incorrect", path=f)
    first = load_exercise_progress(f)["00_start_here"]["who_to_call"]
    assert first["attempts"] == 1 and first["ever_correct"] is False
    record_exercise("00_start_here", "who_to_call", "correct", path=f)
    record_exercise("00_start_here", "who_to_call", "incorrect", path=f)
    entry = load_exercise_progress(f)["00_start_here"]["who_to_call"]
    assert entry["attempts"] == 3 and entry["status"] == "incorrect" and entry["ever_correct"]
    assert entry["first"] == first["first"] and entry["last"] >= entry["first"]
    # only the file and its lock file are left beside it: no temp files
    assert sorted(p.name for p in f.parent.iterdir()) == ["progress.json", "progress.json.lock"]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (
            ("nb", "ex", "not attempted"),
            r"status must be one of \('correct', 'incorrect'\), got 'not attempted'",
        ),
        (("", "ex", "correct"), "notebook must be a non-empty string, got ''"),
        (("nb", 3, "correct"), "exercise must be a non-empty string, got 3"),
    ],
)
def test_record_rejects_bad_arguments(tmp_path, args, match):
    with pytest.raises(ValueError, match=match):
        record_exercise(*args, path=tmp_path / "p.json")
    assert not (tmp_path / "p.json").exists()


GOOD_ENTRY = {"status": "correct", "attempts": 1, "ever_correct": True, "first": "t", "last": "t"}


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{oops", "is not valid JSON"),
        ("[]", "must hold a JSON object of notebooks, got list"),
        ('{"00": 1}', "must map notebook '00' to an object of exercises"),
        ('{"00": {"e": {"status": "correct"}}}', "entry 00/e must be an object with keys"),
        (
            json.dumps({"00": {"e": {**GOOD_ENTRY, "status": "meh"}}}),
            "entry 00/e must have a status in",
        ),
        (json.dumps({"00": {"e": {**GOOD_ENTRY, "attempts": 0}}}), "attempts >= 1"),
        (json.dumps({"00": {"e": {**GOOD_ENTRY, "attempts": True}}}), "attempts >= 1"),
        (json.dumps({"00": {"e": {**GOOD_ENTRY, "ever_correct": 1}}}), "a bool"),
        (json.dumps({"00": {"e": {**GOOD_ENTRY, "last": 5}}}), "text timestamps"),
    ],
)
def test_corrupt_file_is_named_and_never_overwritten(tmp_path, capsys, content, match):
    f = tmp_path / "progress.json"
    f.write_text(content)
    with pytest.raises(ValueError, match=match) as info:
        load_exercise_progress(f)
    assert str(f) in str(info.value) and "move it aside" in str(info.value)
    with pytest.raises(ValueError, match=match):
        record_exercise("00_start_here", "e", "correct", path=f)
    with pytest.raises(ValueError, match=match):
        progress_table(path=f, quiz_path=tmp_path / "q.json")
    assert f.read_text() == content
    assert (
        main(
            [
                "progress",
                "--progress-file",
                str(f),
                "--quiz-progress-file",
                str(tmp_path / "q.json"),
            ]
        )
        == 2
    )
    captured = capsys.readouterr()
    assert (
        captured.err.startswith("casebook progress: progress file ")
        and captured.err.count("\n") == 1
    )
    assert "Traceback" not in captured.err and captured.out == ""
    assert f.read_text() == content


def _record_many(path, worker, n):
    for i in range(n):
        record_exercise("00_start_here", "shared", "correct" if i % 2 else "incorrect", path=path)
        record_exercise("00_start_here", f"own_{worker}", "incorrect", path=path)


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method and fcntl: Linux only")
def test_two_processes_recording_at_once_lose_nothing(tmp_path):
    f = tmp_path / "progress.json"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_record_many, args=(f, w, 25)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    data = load_exercise_progress(f)["00_start_here"]
    assert data["shared"]["attempts"] == 50
    assert data["own_0"]["attempts"] == 25 and data["own_1"]["attempts"] == 25


def test_table_has_every_notebook_and_counts_done_against_the_key(tmp_path, keys):
    f, q = tmp_path / "p.json", tmp_path / "q.json"
    record_exercise("00_start_here", "fiber_churn_rate", "correct", path=f)
    record_exercise("00_start_here", "who_to_call", "incorrect", path=f)
    record_exercise("03_medical_screening_costs", "a", "incorrect", path=f)
    record_exercise("03_medical_screening_costs", "a", "correct", path=f)
    record_exercise("03_medical_screening_costs", "renamed_since", "correct", path=f)
    bank = load_questions()
    in_00 = sorted(x.id for x in bank if x.notebook == "00_start_here")[:2]
    in_03 = sorted(x.id for x in bank if x.notebook == "03_medical_screening_costs")[:1]
    other = next(x.id for x in bank if x.notebook == "05_adult_bias_audit")
    q.write_text(
        json.dumps(
            {i: {"status": "review", "seen": 1} for i in in_00 + in_03}
            | {other: {"status": "known", "seen": 2}}
        )
    )
    t = progress_table(path=f, quiz_path=q)
    assert list(t["notebook"]) == NOTEBOOKS
    row = t.set_index("notebook")
    assert (
        row.loc["00_start_here", "exercises_done"],
        row.loc["00_start_here", "exercises_total"],
    ) == (1, 2)
    assert (
        row.loc["03_medical_screening_costs", "exercises_done"],
        row.loc["03_medical_screening_costs", "exercises_total"],
    ) == (1, 3)
    assert row.loc["00_start_here", "quiz_to_review"] == 2
    assert row.loc["00_start_here", "quiz_review_ids"] == ", ".join(in_00)
    assert row.loc["03_medical_screening_costs", "quiz_review_ids"] == in_03[0]
    assert row.loc["05_adult_bias_audit", "quiz_to_review"] == 0  # known is not to review
    assert row.loc["01_spam_false_positives", "last_activity"] == ""
    assert row.loc["03_medical_screening_costs", "last_activity"] != ""
    text = format_progress(t)
    assert "00_start_here" in text and "1/2" in text and in_00[0] in text
    assert text.splitlines()[-1].startswith("total") and "2/5" in text.splitlines()[-1]
    assert "3 questions" in text.splitlines()[-1]


def test_table_falls_back_to_recorded_exercises_without_answer_keys(tmp_path, monkeypatch):
    f = tmp_path / "p.json"
    record_exercise("00_start_here", "x", "correct", path=f)
    record_exercise("00_start_here", "y", "incorrect", path=f)
    monkeypatch.setitem(sys.modules, "casebook.course.answer_keys", None)  # import fails
    row = progress_table(path=f, quiz_path=tmp_path / "q.json").set_index("notebook")
    assert (
        row.loc["00_start_here", "exercises_done"],
        row.loc["00_start_here", "exercises_total"],
    ) == (1, 2)
    assert row.loc["01_spam_false_positives", "exercises_total"] == 0


def test_empty_key_falls_back_to_recorded_exercises(tmp_path, keys):
    f = tmp_path / "p.json"
    record_exercise("05_adult_bias_audit", "x", "correct", path=f)
    row = progress_table(path=f, quiz_path=tmp_path / "q.json").set_index("notebook")
    assert row.loc["05_adult_bias_audit", "exercises_total"] == 1


def test_fresh_machine_has_a_row_per_notebook_and_writes_nothing(tmp_path, monkeypatch, keys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    t = progress_table()
    assert len(t) == len(NOTEBOOKS) and t["exercises_done"].sum() == 0
    assert not (tmp_path / "xdg").exists()


def test_corrupt_quiz_file_is_a_clean_cli_error(tmp_path, capsys):
    q = tmp_path / "q.json"
    q.write_text('{"x": 1}')
    assert (
        main(
            [
                "progress",
                "--progress-file",
                str(tmp_path / "p.json"),
                "--quiz-progress-file",
                str(q),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert str(q) in err and err.count("\n") == 1
    assert q.read_text() == '{"x": 1}'


def test_cli_prints_the_table_and_total(tmp_path, capsys, keys):
    f = tmp_path / "p.json"
    record_exercise("00_start_here", "who_to_call", "correct", path=f)
    assert (
        main(
            [
                "progress",
                "--progress-file",
                str(f),
                "--quiz-progress-file",
                str(tmp_path / "q.json"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["notebook", "exercises"]
    line = next(x for x in out if x.startswith("00_start_here"))
    assert "1/2" in line and "[#####.....]" in line
    assert out[-1].split()[:2] == ["total", "1/5"] and out[-1].endswith("0 questions")
    assert len(out) == len(NOTEBOOKS) + 2


def test_format_progress_validates():
    with pytest.raises(ValueError, match="width must be a positive int, got 0"):
        format_progress(pd.DataFrame(), width=0)
    with pytest.raises(ValueError, match=r"table must be a progress_table\(\) frame with columns"):
        format_progress(pd.DataFrame({"notebook": ["a"]}))
    with pytest.raises(ValueError, match="got list"):
        format_progress([])


# --- the lesson records the learner's verdicts ---------------------------------------------


def _lesson(tmp_path):
    return Lesson("99_test", output_dir=tmp_path / "out", seed=0, fast=True)


def test_lesson_records_learner_verdicts_only(tmp_path, monkeypatch):
    from casebook.course.exercises import equals

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    lesson = _lesson(tmp_path)
    ex = lesson.exercise("e", question="q", check=equals(1), solution=lambda: 1)
    ex.submit(...)  # not attempted: not recorded
    assert not progress_path().exists()
    ex.submit(1, solutions=True)  # the reference solution is not the learner's
    assert not progress_path().exists()
    ex.submit(2)
    ex.submit(1)
    entry = load_exercise_progress()["99_test"]["e"]
    assert entry["attempts"] == 2 and entry["status"] == "correct" and entry["ever_correct"]


def test_unwritable_progress_warns_once_and_the_lesson_goes_on(tmp_path, monkeypatch):
    from casebook.course.exercises import equals

    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))  # mkdir under a file: OSError
    lesson = _lesson(tmp_path)
    ex = lesson.exercise("e", question="q", check=equals(1), solution=lambda: 1)
    with pytest.warns(UserWarning, match="could not record exercise progress") as record:
        assert ex.submit(1).status == "correct"
    assert len(record) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ex.submit(2).status == "incorrect"  # no second warning
    assert lesson.exercises_status() == {"e": "incorrect"}
    assert progress_mod.load_exercise_progress(tmp_path / "absent.json") == {}
