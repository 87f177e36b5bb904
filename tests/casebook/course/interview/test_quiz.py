import io
import json
import subprocess
import sys

import pytest

from casebook.course.interview.bank import load_questions
from casebook.course.interview.quiz import draw_questions, load_progress, run_quiz, save_progress


def scripted(*answers):
    it = iter(answers)

    def read(prompt):
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    return read


def test_session_marks_progress_and_brings_review_first(tmp_path):
    progress_file = tmp_path / "p.json"
    out = io.StringIO()
    tally = run_quiz(
        count=3,
        seed=1,
        progress_file=progress_file,
        read=scripted("o", "r", "k", "x", "s"),
        out=out,
    )
    assert tally == {"known": 1, "review": 1, "skipped": 1}
    text = out.getvalue()
    assert "Strong answer outline:" in text and "Study: notebook" in text and "[o] outline" in text
    progress = json.loads(progress_file.read_text())
    review = [k for k, v in progress.items() if v["status"] == "review"]
    assert len(review) == 1 and progress[review[0]]["seen"] == 1
    # next session: the question to review comes back first
    out2 = io.StringIO()
    run_quiz(count=1, seed=7, progress_file=progress_file, read=scripted("q"), out=out2)
    question = next(q for q in load_questions() if q.id == review[0])
    assert question.question in out2.getvalue()


def test_eof_stops_and_keeps_progress(tmp_path):
    p = tmp_path / "p.json"
    out = io.StringIO()
    run_quiz(count=2, progress_file=p, read=scripted("k"), out=out)
    assert "Progress saved" in out.getvalue()
    assert len(load_progress(p)) == 1


def test_filters():
    qs = load_questions()
    drawn = draw_questions(qs, {}, difficulty="hard", count=50)
    assert drawn and all(q.difficulty == "hard" for q in drawn)
    drawn = draw_questions(qs, {}, topic="monitoring", count=50)
    assert drawn and all("monitoring" in q.topic.lower() for q in drawn)
    assert draw_questions(qs, {}, topic="no such topic") == []
    with pytest.raises(ValueError, match="count must be a positive int"):
        draw_questions(qs, {}, count=0)
    with pytest.raises(ValueError, match="difficulty must be 'easy', 'medium' or 'hard'"):
        draw_questions(qs, {}, difficulty="x")


def test_unknown_topic_is_an_error_listing_the_topics(tmp_path, capsys):
    from casebook.course.cli import main

    with pytest.raises(
        ValueError, match=r"topic must be part of a known topic, got 'zzz'; known: \["
    ):
        run_quiz(topic="zzz", progress_file=tmp_path / "p.json", read=scripted(), out=io.StringIO())
    assert main(["quiz", "--topic", "zzz", "--progress-file", str(tmp_path / "p.json")]) == 2
    err = capsys.readouterr().err
    assert all(q.topic in err for q in load_questions())
    assert not (tmp_path / "p.json").exists()


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ('{"q1": "known"}', "must map question ids to objects"),
        ('{"q1": ["known"]}', "must map question ids to objects"),
        ('{"q1": {"status": 3}}', "status of 'q1' must be 'known' or 'review', got 3"),
        ('{"q1": {"status": "known", "seen": "x"}}', "'seen' of 'q1' must be a non-negative int"),
    ],
)
def test_progress_of_the_wrong_shape_is_reported_not_overwritten(tmp_path, capsys, content, match):
    from casebook.course.cli import main

    p = tmp_path / "p.json"
    p.write_text(content)
    with pytest.raises(ValueError, match=match):
        load_progress(p)
    assert main(["quiz", "--progress-file", str(p), "-n", "1"]) == 2
    err = capsys.readouterr().err
    assert str(p) in err and "move it aside" in err and "Traceback" not in err
    assert p.read_text() == content


def test_nothing_marked_says_nothing_was_saved(tmp_path):
    p = tmp_path / "p.json"
    out = io.StringIO()
    run_quiz(count=2, progress_file=p, read=scripted("s", "q"), out=out)
    assert "Progress saved" not in out.getvalue() and "nothing saved" in out.getvalue()
    assert not p.exists()
    out = io.StringIO()
    run_quiz(count=1, progress_file=p, read=scripted("s"), out=out)
    assert "Progress saved" not in out.getvalue() and "Done: 0 known" in out.getvalue()


def test_progress_file_gets_the_usual_mode(tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        save_progress({"a": {"status": "known"}}, tmp_path / "p.json")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "p.json").stat().st_mode) == 0o644


def test_corrupt_progress_is_reported_not_overwritten(tmp_path):
    p = tmp_path / "p.json"
    p.write_text("{not json")
    with pytest.raises(ValueError, match="is not valid JSON"):
        load_progress(p)
    assert p.read_text() == "{not json"
    p.write_text("[]")
    with pytest.raises(ValueError, match="must hold a JSON object"):
        load_progress(p)


def test_save_is_atomic(tmp_path):
    p = tmp_path / "sub" / "p.json"
    save_progress({"a": {"status": "known"}}, p)
    assert load_progress(p) == {"a": {"status": "known"}}
    assert [x.name for x in p.parent.iterdir()] == ["p.json"]


def test_cli_in_a_terminal_process(tmp_path):
    """Drive `casebook quiz` as a learner would: a real process, answers on stdin."""
    env = {"XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "casebook.course.cli",
            "quiz",
            "-n",
            "2",
            "--difficulty",
            "easy",
            "--seed",
            "0",
        ],
        input="o\nk\nr\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert "Strong answer outline" in proc.stdout and "Done: 1 known, 1 to review" in proc.stdout
    saved = json.loads((tmp_path / "casebook" / "quiz_progress.json").read_text())
    assert sorted(v["status"] for v in saved.values()) == ["known", "review"]
