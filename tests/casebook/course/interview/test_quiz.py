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


def test_no_match_message(tmp_path):
    out = io.StringIO()
    run_quiz(topic="zzz", progress_file=tmp_path / "p.json", read=scripted(), out=out)
    assert "No questions match" in out.getvalue()


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
