"""``casebook quiz --mock``: a timed mock interview with follow-ups and self-grading.

N questions drawn across different topics, each with a time budget that covers
the answer and its two follow-ups. After each question the learner grades
themselves against the outline's key points (covered: y/n). Questions with
fewer than two thirds of their key points covered go to the review queue of the
quiz progress file (the file ``casebook quiz`` uses); the others are marked
known. Each graded question is saved at once, so Ctrl-C keeps what was graded.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from casebook.course.interview.bank import Question, load_questions
from casebook.course.interview.quiz import (
    draw_questions,
    load_progress,
    progress_path,
    save_progress,
)

__all__ = ["MockAnswer", "draw_mock", "run_mock"]

_PASS_SHARE = 2 / 3  # key points to cover for a question to count as practised


@dataclass(frozen=True)
class MockAnswer:
    """One graded question of a mock interview."""

    id: str
    covered: int
    total: int
    seconds: float
    over_time: bool
    status: str  # "known" or "review"


def draw_mock(
    questions: Sequence[Question],
    progress: dict[str, dict[str, Any]],
    *,
    count: int = 5,
    seed: int | None = None,
) -> list[Question]:
    """Choose ``count`` questions, no two from one topic while unused topics remain.

    Within that rule, questions to review come first, then unseen, then known
    ones (the order of :func:`~casebook.course.interview.quiz.draw_questions`).

    Parameters
    ----------
    questions : sequence of Question
        The bank.
    progress : dict
        The quiz progress, ``{question_id: {"status": ...}}``.
    count : int, default=5
        How many questions (at most the size of the bank).
    seed : int, optional
        Reproducible draw.

    Returns
    -------
    list of Question

    Raises
    ------
    ValueError
        If ``count`` is not a positive int.

    Examples
    --------
    >>> qs = load_questions()
    >>> drawn = draw_mock(qs, {}, count=5, seed=0)
    >>> len({q.topic for q in drawn})
    5
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a positive int, got {count!r}")
    remaining = draw_questions(questions, progress, count=max(len(questions), 1), seed=seed)
    chosen: list[Question] = []
    used: set[str] = set()
    while remaining and len(chosen) < count:
        pick = next((q for q in remaining if q.topic not in used), None)
        if pick is None:  # every topic has had its turn: start a new round
            used.clear()
            continue
        chosen.append(pick)
        used.add(pick.topic)
        remaining.remove(pick)
    return chosen


def _clock_text(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _ask(read: Callable[[str], str], prompt: str) -> str:
    """One line of input; end of input stops the mock like Ctrl-C."""
    try:
        return read(prompt)
    except EOFError:
        raise KeyboardInterrupt from None


def _grade(q: Question, read: Callable[[str], str], out: TextIO) -> tuple[int, int]:
    """Ask y/n for every key point of the question and its follow-ups."""
    points = [*q.outline, *(p for f in q.follow_ups for p in f.outline)]
    print("Grade yourself: did your answers cover each key point? (y/n)", file=out)
    covered = 0
    for i, point in enumerate(points, 1):
        while True:
            reply = _ask(read, f"  [{i}/{len(points)}] {point} > ").strip().lower()
            if reply in ("y", "n"):
                covered += reply == "y"
                break
            print("  answer y or n", file=out)
    return covered, len(points)


def run_mock(
    *,
    count: int = 5,
    minutes_per_question: float = 4.0,
    progress_file: str | os.PathLike | None = None,
    seed: int | None = None,
    read: Callable[[str], str] = input,
    out: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> list[MockAnswer]:
    """Run a timed mock interview; return the graded questions.

    Parameters
    ----------
    count : int, default=5
        Questions, drawn across topics by :func:`draw_mock`.
    minutes_per_question : float, default=4.0
        Time budget of a question and its two follow-ups.
    progress_file : path-like, optional
        The quiz progress file (default: the user data folder's).
    seed : int, optional
        Reproducible draw.
    read, out : callable and text stream, optional
        Input and output (the terminal by default; tests pass scripted input).
    clock : callable, default=time.monotonic
        Seconds, for the timer (tests pass a fake clock).

    Returns
    -------
    list of MockAnswer
        One per graded question; Ctrl-C or end of input stops early and keeps them.

    Raises
    ------
    ValueError
        If ``count`` or ``minutes_per_question`` is not positive, or the progress
        file is not valid progress (it is left untouched).
    """
    import sys

    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a positive int, got {count!r}")
    if (
        isinstance(minutes_per_question, bool)
        or not isinstance(minutes_per_question, int | float)
        or not math.isfinite(minutes_per_question)
        or minutes_per_question <= 0
    ):
        raise ValueError(
            f"minutes_per_question must be a positive number, got {minutes_per_question!r}"
        )
    out = out or sys.stdout
    path = Path(progress_file) if progress_file is not None else progress_path()
    progress = load_progress(path)
    questions = draw_mock(load_questions(), progress, count=count, seed=seed)
    budget = 60.0 * minutes_per_question
    print(
        f"Mock interview: {len(questions)} question{'s' if len(questions) != 1 else ''}, "
        f"{_clock_text(budget)} each "
        "(answer and follow-ups). Answer out loud, press enter when done. Ctrl-C stops and "
        "keeps what you graded.",
        file=out,
    )
    results: list[MockAnswer] = []
    try:
        for n, q in enumerate(questions, 1):
            print(f"\n[{n}/{len(questions)}] ({q.topic}, {q.difficulty}) {q.question}", file=out)
            start = clock()
            _ask(read, "(enter when done) ")
            print(f"  time {_clock_text(clock() - start)}", file=out)
            for i, follow_up in enumerate(q.follow_ups, 1):
                print(f"Follow-up {i}/{len(q.follow_ups)}: {follow_up.probe}", file=out)
                _ask(read, "(enter when done) ")
                print(f"  time {_clock_text(clock() - start)}", file=out)
            seconds = clock() - start
            over = seconds > budget
            if over:
                print(
                    f"  Over time: {_clock_text(seconds)} for a {_clock_text(budget)} budget "
                    f"({_clock_text(seconds - budget)} over).",
                    file=out,
                )
            covered, total = _grade(q, read, out)
            status = "known" if covered >= _PASS_SHARE * total else "review"
            entry = progress.get(q.id, {})
            progress[q.id] = {
                **entry,
                "status": status,
                "seen": int(entry.get("seen", 0)) + 1,
                "last": datetime.now(UTC).isoformat(timespec="seconds"),
                "mock": {"covered": covered, "total": total, "seconds": round(seconds, 1)},
            }
            save_progress(progress, path)
            results.append(MockAnswer(q.id, covered, total, seconds, over, status))
    except KeyboardInterrupt:
        print("\nStopped.", file=out)
    _summary(results, budget, path, out)
    return results


def _summary(results: list[MockAnswer], budget: float, path: Path, out: TextIO) -> None:
    if not results:
        print(f"No question graded, so nothing saved ({path} unchanged).", file=out)
        return
    width = max(len("question"), *(len(r.id) for r in results))
    print(f"\nSummary ({_clock_text(budget)} per question)", file=out)
    print(f"  {'question':<{width}}  key points   time", file=out)
    for r in results:
        note = "over time" if r.over_time else "in time"
        mark = "to review" if r.status == "review" else "practised"
        print(
            f"  {r.id:<{width}}  {f'{r.covered}/{r.total}':<10}  {_clock_text(r.seconds):>5}  "
            f"{note}, {mark}",
            file=out,
        )
    covered, total = sum(r.covered for r in results), sum(r.total for r in results)
    review = [r.id for r in results if r.status == "review"]
    over = sum(r.over_time for r in results)
    print(
        f"Total: {covered}/{total} key points, {over} of {len(results)} over time. "
        + (f"To review: {', '.join(review)}. " if review else "Nothing to review. ")
        + f"Progress saved to {path}",
        file=out,
    )
