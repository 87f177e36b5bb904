"""``casebook quiz``: practise interview questions in the terminal.

Questions are drawn by topic and difficulty; questions marked "to review" come
back first, then unseen ones, then known ones. After each question come the two
follow-up probes an interviewer would ask next (enter moves on; ``o`` shows the
outline of whatever was asked last). ``casebook quiz --mock`` is the timed
variant (:mod:`casebook.course.interview.mock`). Progress is a small JSON file in
the user's data folder (``$XDG_DATA_HOME/casebook/quiz_progress.json``), written
atomically so an interrupted session never corrupts it.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from casebook.course.interview.bank import Question, load_questions

__all__ = ["draw_questions", "load_progress", "progress_path", "run_quiz", "save_progress"]

_HELP = "[o] outline  [enter] next follow-up  [k] known  [r] review later  [s] skip  [q] quit"


def progress_path() -> Path:
    """Return the default progress file in the user's data folder.

    Examples
    --------
    >>> progress_path().name
    'quiz_progress.json'
    """
    base = os.environ.get("XDG_DATA_HOME")
    root = Path(base) if base else Path.home() / ".local" / "share"
    return root / "casebook" / "quiz_progress.json"


def load_progress(path: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """Read the progress file; a missing file is an empty progress.

    Raises
    ------
    ValueError
        If the file exists but is not a JSON object (it is left untouched).
    """
    p = Path(path)
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"progress file {p} is not valid JSON ({exc}); move it aside") from None
    if not isinstance(data, dict):
        raise ValueError(f"progress file {p} must hold a JSON object, got {type(data).__name__}")
    for key, entry in data.items():
        if not isinstance(entry, dict):
            raise ValueError(
                f"progress file {p} must map question ids to objects like "
                f'{{"status": "known", "seen": 1}}, got {entry!r} for {key!r}; move it aside'
            )
        if entry.get("status", "known") not in ("known", "review"):
            raise ValueError(
                f"progress file {p}: status of {key!r} must be 'known' or 'review', "
                f"got {entry.get('status')!r}; move it aside"
            )
        seen = entry.get("seen", 0)
        if isinstance(seen, bool) or not isinstance(seen, int) or seen < 0:
            raise ValueError(
                f"progress file {p}: 'seen' of {key!r} must be a non-negative int, "
                f"got {seen!r}; move it aside"
            )
    return data


def save_progress(progress: dict[str, dict[str, Any]], path: str | os.PathLike) -> None:
    """Write the progress file atomically (temp file + rename)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".quiz.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(progress, fh, indent=2, sort_keys=True)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # a normal file, not mkstemp's 0o600
        os.replace(tmp, p)
    finally:
        Path(tmp).unlink(missing_ok=True)


def draw_questions(
    questions: Sequence[Question],
    progress: dict[str, dict[str, Any]],
    *,
    topic: str | None = None,
    difficulty: str | None = None,
    count: int = 5,
    seed: int | None = None,
) -> list[Question]:
    """Choose up to ``count`` questions: to-review first, then unseen, then known.

    Parameters
    ----------
    questions : sequence of Question
        The bank.
    progress : dict
        ``{question_id: {"status": "known" | "review", ...}}``.
    topic : str, optional
        Keep questions whose topic contains this text (case-insensitive).
    difficulty : {"easy", "medium", "hard"}, optional
        Keep questions of this difficulty.
    count : int, default=5
        How many to draw.
    seed : int, optional
        Shuffle within each group reproducibly.

    Examples
    --------
    >>> qs = load_questions()
    >>> first = qs[0]
    >>> drawn = draw_questions(qs, {first.id: {"status": "review"}}, count=3, seed=0)
    >>> drawn[0].id == first.id, len(drawn)
    (True, 3)
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a positive int, got {count!r}")
    if difficulty is not None and difficulty not in ("easy", "medium", "hard"):
        raise ValueError(f"difficulty must be 'easy', 'medium' or 'hard', got {difficulty!r}")
    pool = [
        q
        for q in questions
        if (topic is None or topic.lower() in q.topic.lower())
        and (difficulty is None or q.difficulty == difficulty)
    ]
    rng = random.Random(seed)
    groups: dict[str, list[Question]] = {"review": [], "unseen": [], "known": []}
    for q in pool:
        status = progress.get(q.id, {}).get("status", "unseen")
        groups.get(status, groups["unseen"]).append(q)
    ordered: list[Question] = []
    for name in ("review", "unseen", "known"):
        group = groups[name]
        rng.shuffle(group)
        ordered += group
    return ordered[:count]


def run_quiz(
    *,
    topic: str | None = None,
    difficulty: str | None = None,
    count: int = 5,
    progress_file: str | os.PathLike | None = None,
    seed: int | None = None,
    read: Callable[[str], str] = input,
    out: TextIO | None = None,
) -> dict[str, int]:
    """Run an interactive quiz session; return counts of known, review and skipped.

    Each question is followed by its two follow-up probes: enter moves to the next
    one, ``o`` shows the outline of the question or probe on screen, ``k`` or ``r``
    marks the question (at any point) and moves on. ``read`` and ``out`` default to
    the terminal; tests pass scripted input. End of input (Ctrl-D) ends the session
    and keeps what was marked.

    Raises
    ------
    ValueError
        If ``topic`` is part of no known topic (the message lists them), or the
        progress file is not valid progress (it is left untouched).
    """
    import sys

    out = out or sys.stdout
    path = Path(progress_file) if progress_file is not None else progress_path()
    progress = load_progress(path)
    bank = load_questions()
    if topic is not None:
        topics = sorted({q.topic for q in bank})
        if not any(topic.lower() in t.lower() for t in topics):
            raise ValueError(f"topic must be part of a known topic, got {topic!r}; known: {topics}")
    questions = draw_questions(
        bank, progress, topic=topic, difficulty=difficulty, count=count, seed=seed
    )
    saved = 0
    tally = {"known": 0, "review": 0, "skipped": 0}
    if not questions:
        print("No questions match that topic and difficulty.", file=out)
        return tally
    print(f"{len(questions)} questions. {_HELP}", file=out)
    for n, q in enumerate(questions, 1):
        print(f"\n[{n}/{len(questions)}] ({q.topic}, {q.difficulty}) {q.question}", file=out)
        stage = 0  # 0: the question, 1 and 2: its follow-ups, 3: time to mark it
        while True:
            try:
                choice = read("> ").strip().lower()
            except EOFError:
                choice = "q"
            if choice == "o":
                _show_outline(q, stage, out)
                continue
            if choice == "" and stage < 3:
                stage += 1
                if stage <= len(q.follow_ups):
                    print(
                        f"  Follow-up {stage}/{len(q.follow_ups)}: {q.follow_ups[stage - 1].probe}",
                        file=out,
                    )
                else:
                    stage = 3
                    print("  Mark it: [k] known  [r] review later  [s] skip", file=out)
                continue
            if choice in ("k", "r"):
                status = "known" if choice == "k" else "review"
                entry = progress.get(q.id, {})
                progress[q.id] = {
                    **entry,
                    "status": status,
                    "seen": int(entry.get("seen", 0)) + 1,
                    "last": datetime.now(UTC).isoformat(timespec="seconds"),
                }
                save_progress(progress, path)
                saved += 1
                tally[status] += 1
                break
            if choice == "s":
                tally["skipped"] += 1
                break
            if choice == "q":
                print(f"\nStopped. {_saved_note(saved, path)}", file=out)
                return tally
            print(_HELP, file=out)
    print(
        f"\nDone: {tally['known']} known, {tally['review']} to review, {tally['skipped']} skipped. "
        + _saved_note(saved, path),
        file=out,
    )
    return tally


def _show_outline(q: Question, stage: int, out: TextIO) -> None:
    """The outline of what was asked last: the question (stages 0 and 3) or a follow-up."""
    if 1 <= stage <= len(q.follow_ups):
        follow_up = q.follow_ups[stage - 1]
        print(f"Follow-up {stage} outline:", file=out)
        for step in follow_up.outline:
            print(f"  - {step}", file=out)
        return
    print("Strong answer outline:", file=out)
    for step in q.outline:
        print(f"  - {step}", file=out)
    print("Weak answers: " + " / ".join(q.weak_answers), file=out)
    print(f"Study: notebook {q.notebook}", file=out)


def _saved_note(saved: int, path: Path) -> str:
    if saved:
        return f"Progress saved to {path}"
    return f"Nothing marked, so nothing saved ({path} unchanged)"
