"""The interview question bank: a YAML file shipped with the package, validated on load.

Each entry has an ``id``, the ``question``, a ``topic``, a ``difficulty``
(``easy``, ``medium`` or ``hard``), the ``skills`` it tests, the ``notebook``
that teaches it, an ``outline`` of a strong answer, common ``weak_answers``, its
``source`` (``seed-NNN`` for the questions of the source documents, ``casebook`` for
the project's own) and exactly two ``follow_ups``: the probes an interviewer asks
next, each ``{probe: ..., outline: [2-4 key points]}``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from casebook.course._yaml_files import load_validated

__all__ = ["BANK_PATH", "FollowUp", "Question", "load_questions", "validate_questions"]

BANK_PATH = Path(__file__).with_name("questions.yaml")
Difficulty = Literal["easy", "medium", "hard"]
_DIFFICULTIES = ("easy", "medium", "hard")
_FIELDS = {
    "id",
    "question",
    "topic",
    "difficulty",
    "skills",
    "notebook",
    "outline",
    "weak_answers",
    "source",
    "follow_ups",
}
_FOLLOW_UPS = 2
_FOLLOW_UP_POINTS = (2, 4)


@dataclass(frozen=True)
class FollowUp:
    """A probe the interviewer asks after the main answer, with the key points of a strong reply."""

    probe: str
    outline: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One interview question with the outline of a strong answer."""

    id: str
    question: str
    topic: str
    difficulty: Difficulty
    skills: tuple[str, ...]
    notebook: str
    outline: tuple[str, ...]
    weak_answers: tuple[str, ...]
    source: str
    follow_ups: tuple[FollowUp, ...] = ()


def validate_questions(entries: object, *, notebooks: set[str] | None = None) -> list[Question]:
    """Check raw entries (parsed YAML) and build :class:`Question` objects.

    Parameters
    ----------
    entries : list of dict
        The parsed bank.
    notebooks : set of str, optional
        Known notebook names; each question's ``notebook`` must be one.

    Returns
    -------
    list of Question

    Raises
    ------
    ValueError
        Naming the entry and the field at fault.

    Examples
    --------
    >>> probes = [{"probe": "And then?", "outline": ["a", "b"]},
    ...           {"probe": "What if not?", "outline": ["c", "d"]}]
    >>> q = {"id": "a", "question": "Why?", "topic": "T", "difficulty": "easy",
    ...      "skills": ["s"], "notebook": "00_start_here", "outline": ["o"],
    ...      "weak_answers": ["w"], "source": "casebook", "follow_ups": probes}
    >>> validate_questions([q])[0].difficulty
    'easy'
    >>> validate_questions([q])[0].follow_ups[1].probe
    'What if not?'
    >>> validate_questions([{**q, "difficulty": "brutal"}])
    Traceback (most recent call last):
    ...
    ValueError: question 'a': difficulty must be one of ('easy', 'medium', 'hard'), got 'brutal'
    """
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"entries must be a non-empty list, got {type(entries).__name__}")
    out, seen = [], set()
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise ValueError(f"entry {i} must be a mapping, got {type(e).__name__}")
        qid = e.get("id", f"#{i}")
        missing, extra = _FIELDS - set(e), set(e) - _FIELDS
        if missing or extra:
            raise ValueError(
                f"question {qid!r}: fields must be {sorted(_FIELDS)}; "
                f"missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(qid)):
            raise ValueError(f"question {qid!r}: id must be lowercase letters, digits and dashes")
        if qid in seen:
            raise ValueError(f"question {qid!r}: id must be unique, got it twice")
        seen.add(qid)
        for key in ("question", "topic", "notebook", "source"):
            if not isinstance(e[key], str) or not e[key].strip():
                raise ValueError(
                    f"question {qid!r}: {key} must be a non-empty string, got {e[key]!r}"
                )
        if e["difficulty"] not in _DIFFICULTIES:
            raise ValueError(
                f"question {qid!r}: difficulty must be one of {_DIFFICULTIES}, got {e['difficulty']!r}"
            )
        for key in ("skills", "outline", "weak_answers"):
            value = e[key]
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) and v for v in value)
            ):
                raise ValueError(f"question {qid!r}: {key} must be a non-empty list of strings")
        if not re.fullmatch(r"seed-\d{3}|casebook", e["source"]):
            raise ValueError(
                f"question {qid!r}: source must be 'seed-NNN' or 'casebook', got {e['source']!r}"
            )
        follow_ups = _follow_ups(qid, e["follow_ups"], e["question"])
        if notebooks is not None and e["notebook"] not in notebooks:
            raise ValueError(
                f"question {qid!r}: notebook must be one of the notebooks, got {e['notebook']!r}"
            )
        out.append(
            Question(
                id=qid,
                question=e["question"].strip(),
                topic=e["topic"].strip(),
                difficulty=e["difficulty"],
                skills=tuple(e["skills"]),
                notebook=e["notebook"],
                outline=tuple(e["outline"]),
                weak_answers=tuple(e["weak_answers"]),
                source=e["source"],
                follow_ups=follow_ups,
            )
        )
    return out


def _follow_ups(qid: str, value: object, question: str) -> tuple[FollowUp, ...]:
    """Check one question's ``follow_ups``: exactly two distinct probes with 2-4 key points each."""
    where = f"question {qid!r}: follow_ups"
    if not isinstance(value, list) or len(value) != _FOLLOW_UPS:
        got = f"{len(value)} items" if isinstance(value, list) else repr(value)
        raise ValueError(f"{where} must be a list of exactly {_FOLLOW_UPS} probes, got {got}")
    out = []
    low, high = _FOLLOW_UP_POINTS
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"probe", "outline"}:
            raise ValueError(
                f"{where}[{i}] must be a mapping with keys 'probe' and 'outline', got {item!r}"
            )
        probe, outline = item["probe"], item["outline"]
        if not isinstance(probe, str) or not probe.strip():
            raise ValueError(f"{where}[{i}].probe must be a non-empty string, got {probe!r}")
        if (
            not isinstance(outline, list)
            or not low <= len(outline) <= high
            or not all(isinstance(v, str) and v.strip() for v in outline)
        ):
            raise ValueError(
                f"{where}[{i}].outline must be a list of {low}-{high} non-empty strings, "
                f"got {outline!r}"
            )
        if len(set(outline)) != len(outline):
            raise ValueError(f"{where}[{i}].outline must not repeat a key point")
        out.append(FollowUp(probe=probe.strip(), outline=tuple(outline)))
    probes = [f.probe.lower() for f in out]
    if len(set(probes)) != len(probes) or question.strip().lower() in probes:
        raise ValueError(f"{where} must be two different probes, neither the question itself")
    return tuple(out)


def load_questions(path: str | os.PathLike | None = None) -> list[Question]:
    """Load and validate the question bank (the packaged one by default).

    Examples
    --------
    >>> qs = load_questions()
    >>> len(qs) >= 10 and all(q.outline for q in qs)
    True
    """
    path = Path(path) if path is not None else BANK_PATH
    return list(load_validated(path, validate_questions))  # an edited file is read again
