import io
import json
import math
import subprocess
import sys

import pytest

from casebook.course.cli import main
from casebook.course.interview.bank import load_questions
from casebook.course.interview.mock import draw_mock, run_mock
from casebook.course.interview.quiz import load_progress, run_quiz


class Session:
    """Scripted answers and a fake clock: ("", 90) means "pressed enter after 90 seconds"."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.now = 1000.0
        self.prompts = []

    def read(self, prompt):
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        if isinstance(answer, tuple):
            answer, seconds = answer
            self.now += seconds
        return answer

    def clock(self):
        return self.now


def points(q):
    return len(q.outline) + sum(len(f.outline) for f in q.follow_ups)


def drawn(count, seed, progress=None):
    return draw_mock(load_questions(), progress or {}, count=count, seed=seed)


def test_timed_mock_grades_saves_and_summarises(tmp_path):
    q1, q2 = drawn(2, 3)
    n1, n2 = points(q1), points(q2)
    s = Session(
        *[("", 60)] * 3,  # 3:00 in all: in time
        *["y"] * n1,
        ("", 200),  # 3:20 for the answer
        ("", 60),
        ("", 60),  # 5:20 in all: over a 4:00 budget
        "x",  # not y/n: asked again
        *["y"] + ["n"] * (n2 - 1),
    )
    p = tmp_path / "quiz.json"
    out = io.StringIO()
    results = run_mock(
        count=2,
        minutes_per_question=4,
        progress_file=p,
        seed=3,
        read=s.read,
        out=out,
        clock=s.clock,
    )
    text = out.getvalue()
    assert [r.id for r in results] == [q1.id, q2.id]
    assert (results[0].covered, results[0].total, results[0].over_time) == (n1, n1, False)
    assert (results[1].covered, results[1].total, results[1].over_time) == (1, n2, True)
    assert results[0].seconds == pytest.approx(180) and results[1].seconds == pytest.approx(320)
    assert q1.question in text and q2.follow_ups[1].probe in text
    assert "time 3:20" in text and "time 5:20" in text
    assert "Over time: 5:20 for a 4:00 budget (1:20 over)." in text
    assert text.count("Over time") == 1 and "answer y or n" in text
    assert q1.outline[0] in " ".join(s.prompts) and q2.follow_ups[0].outline[-1] in " ".join(
        s.prompts
    )
    summary = text[text.index("Summary (4:00 per question)") :]
    assert f"{n1}/{n1}" in summary and f"1/{n2}" in summary
    assert "in time, practised" in summary and "over time, to review" in summary
    assert f"Total: {n1 + 1}/{n1 + n2} key points, 1 of 2 over time. To review: {q2.id}." in summary
    saved = load_progress(p)
    assert saved[q1.id]["status"] == "known" and saved[q2.id]["status"] == "review"
    assert saved[q2.id]["mock"] == {"covered": 1, "total": n2, "seconds": 320.0}
    # the next ordinary quiz brings the weak question back first
    out2 = io.StringIO()
    run_quiz(count=1, progress_file=p, read=lambda prompt: "q", out=out2)
    assert q2.question in out2.getvalue()


def test_two_thirds_of_the_key_points_is_the_line(tmp_path):
    (q,) = drawn(1, 5)
    n = points(q)
    need = math.ceil(2 * n / 3)
    for covered, status in ((need, "known"), (need - 1, "review")):
        p = tmp_path / f"{covered}.json"
        s = Session("", "", "", *["y"] * covered + ["n"] * (n - covered))
        (r,) = run_mock(
            count=1, progress_file=p, seed=5, read=s.read, out=io.StringIO(), clock=s.clock
        )
        assert r.status == status and load_progress(p)[q.id]["status"] == status


@pytest.mark.parametrize("stop", [KeyboardInterrupt, None])  # Ctrl-C, or end of input
def test_stopping_keeps_what_was_graded(tmp_path, stop):
    q1, q2 = drawn(2, 1)
    answers = ["", "", "", *["y"] * points(q1), "", "y"]
    if stop is not None:
        answers.append(stop)
    s = Session(*answers)
    p = tmp_path / "quiz.json"
    out = io.StringIO()
    results = run_mock(count=2, progress_file=p, seed=1, read=s.read, out=out, clock=s.clock)
    assert [r.id for r in results] == [q1.id]
    assert set(load_progress(p)) == {q1.id}
    assert "Stopped." in out.getvalue() and "Total: " in out.getvalue()


def test_stopping_before_any_grade_saves_nothing(tmp_path):
    s = Session("", KeyboardInterrupt)
    p = tmp_path / "quiz.json"
    out = io.StringIO()
    assert run_mock(count=2, progress_file=p, read=s.read, out=out, clock=s.clock) == []
    assert "nothing saved" in out.getvalue() and not p.exists()


def test_draw_spreads_topics_and_brings_review_first():
    bank = load_questions()
    topics = {q.topic for q in bank}
    every = drawn(len(topics), 0)
    assert len({q.topic for q in every}) == len(topics)
    more = drawn(len(topics) + 3, 0)
    assert len({q.topic for q in more[: len(topics)]}) == len(topics)
    assert len({q.id for q in more}) == len(more)
    weak = bank[7]
    first = draw_mock(bank, {weak.id: {"status": "review", "seen": 1}}, count=3, seed=2)
    assert first[0].id == weak.id
    assert len(draw_mock(bank, {}, count=10_000)) == len(bank)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"count": 0}, "count must be a positive int, got 0"),
        ({"count": True}, "count must be a positive int, got True"),
        ({"minutes_per_question": 0}, "minutes_per_question must be a positive number, got 0"),
        (
            {"minutes_per_question": math.nan},
            "minutes_per_question must be a positive number, got nan",
        ),
        ({"minutes_per_question": "4"}, "minutes_per_question must be a positive number, got '4'"),
    ],
)
def test_run_mock_rejects_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        run_mock(
            progress_file=tmp_path / "p.json", read=Session().read, out=io.StringIO(), **kwargs
        )
    assert not (tmp_path / "p.json").exists()


def test_draw_mock_rejects_a_bad_count():
    with pytest.raises(ValueError, match="count must be a positive int, got '3'"):
        draw_mock(load_questions(), {}, count="3")


def test_corrupt_progress_is_not_overwritten(tmp_path, capsys):
    p = tmp_path / "p.json"
    p.write_text("{nope")
    with pytest.raises(ValueError, match="is not valid JSON"):
        run_mock(progress_file=p, read=Session().read, out=io.StringIO())
    assert main(["quiz", "--mock", "--progress-file", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("casebook quiz: progress file") and err.count("\n") == 1
    assert p.read_text() == "{nope"


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--mock", "--questions", "0"], "count must be a positive int, got 0"),
        (
            ["--mock", "--minutes-per-question", "-1"],
            "minutes_per_question must be a positive number",
        ),
        (["--mock", "--topic", "fair"], "--mock draws across topics and difficulties"),
        (["--questions", "3"], "--questions only go with --mock"),
        (["--minutes-per-question", "3"], "--minutes-per-question only go with --mock"),
    ],
)
def test_cli_mock_argument_errors(tmp_path, capsys, argv, match):
    p = tmp_path / "p.json"
    assert main(["quiz", *argv, "--progress-file", str(p)]) == 2
    assert match in capsys.readouterr().err
    assert not p.exists()


def test_quiz_asks_both_follow_ups_and_shows_their_outlines(tmp_path):
    p = tmp_path / "p.json"
    out = io.StringIO()
    answers = iter(["", "o", "", "o", "", "z", "o", "r"])
    tally = run_quiz(topic="drift", difficulty="medium", count=1, seed=None, progress_file=p,
                     read=lambda prompt: next(answers), out=out)  # fmt: skip
    text = out.getvalue()
    shown = next(x for x in load_questions() if x.question in text)
    assert "drift" in shown.topic.lower() and shown.difficulty == "medium"
    f1, f2 = shown.follow_ups
    assert f"Follow-up 1/2: {f1.probe}" in text and f"Follow-up 2/2: {f2.probe}" in text
    assert text.index(f1.probe) < text.index("Follow-up 1 outline:") < text.index(f2.probe)
    assert all(point in text for point in (*f1.outline, *f2.outline))
    assert "Mark it: [k] known  [r] review later" in text and "[enter] next follow-up" in text
    assert text.count("Strong answer outline:") == 1  # "o" after the follow-ups: the main outline
    assert tally == {"known": 0, "review": 1, "skipped": 0}
    assert load_progress(p)[shown.id]["status"] == "review"


def test_cli_mock_in_a_terminal_process(tmp_path):
    """`casebook quiz --mock` as a learner runs it: a real process, answers on stdin."""
    (q,) = drawn(1, 4)
    env = {"XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "casebook.course.cli",
            "quiz",
            "--mock",
            "--questions",
            "1",
            "--seed",
            "4",
        ],
        input="\n\n\n" + "y\n" * points(q),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert q.question in proc.stdout and "Nothing to review" in proc.stdout
    saved = json.loads((tmp_path / "casebook" / "quiz_progress.json").read_text())
    assert saved[q.id]["status"] == "known" and saved[q.id]["mock"]["covered"] == points(q)
