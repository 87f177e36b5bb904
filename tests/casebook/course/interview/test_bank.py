import copy

import pytest
import yaml

from casebook.course.interview.bank import BANK_PATH, load_questions, validate_questions
from casebook.course.paths import notebooks_dir

GOOD = {
    "id": "a",
    "question": "Why?",
    "topic": "T",
    "difficulty": "easy",
    "skills": ["s"],
    "notebook": "00_start_here",
    "outline": ["o"],
    "weak_answers": ["w"],
    "source": "casebook",
    "follow_ups": [
        {"probe": "And then?", "outline": ["a", "b"]},
        {"probe": "What if not?", "outline": ["c", "d", "e"]},
    ],
}


def _probes(*items):
    return {"follow_ups": list(items)}


P1 = {"probe": "And then?", "outline": ["a", "b"]}


def test_packaged_bank_is_valid_and_points_at_real_notebooks():
    names = {p.stem for p in notebooks_dir().glob("*.ipynb")}
    raw = yaml.safe_load(BANK_PATH.read_text())
    questions = validate_questions(raw)
    assert len(questions) == len(load_questions())
    for q in questions:
        # a question may name a notebook still being written only if it exists by release
        assert q.notebook[:2].isdigit()
    covered = {q.notebook for q in questions} & names
    assert "00_start_here" in covered
    seeds = {q.source for q in questions if q.source.startswith("seed-")}
    assert seeds == {"seed-000", "seed-001", "seed-002", "seed-003", "seed-004"}


def test_every_existing_notebook_has_three_questions_of_its_own():
    names = {p.stem for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb")}
    own = {}
    for q in load_questions():
        if q.source == "casebook":
            own[q.notebook] = own.get(q.notebook, 0) + 1
    short = {n: own.get(n, 0) for n in names if own.get(n, 0) < 3}
    assert not short, f"notebooks with fewer than three casebook questions: {short}"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"difficulty": "x"}, "difficulty must be one of"),
        ({"skills": []}, "skills must be a non-empty list of strings"),
        ({"question": " "}, "question must be a non-empty string"),
        ({"source": "web"}, "source must be 'seed-NNN' or 'casebook'"),
        ({"id": "Bad Id"}, "id must be lowercase"),
        ({"extra": 1}, "unexpected \\['extra'\\]"),
        ({"follow_ups": None}, "follow_ups must be a list of exactly 2 probes, got None"),
        (_probes(P1), "follow_ups must be a list of exactly 2 probes, got 1 items"),
        (_probes(P1, P1, P1), "got 3 items"),
        (_probes(P1, "why?"), r"follow_ups\[1\] must be a mapping with keys 'probe' and 'outline'"),
        (
            _probes(P1, {"probe": "x", "outline": ["a", "b"], "hint": 1}),
            r"follow_ups\[1\] must be a mapping",
        ),
        (
            _probes(P1, {"probe": " ", "outline": ["a", "b"]}),
            r"follow_ups\[1\]\.probe must be a non-empty string",
        ),
        (
            _probes(P1, {"probe": "x", "outline": ["a"]}),
            r"follow_ups\[1\]\.outline must be a list of 2-4 non-empty strings",
        ),
        (_probes(P1, {"probe": "x", "outline": list("abcde")}), r"outline must be a list of 2-4"),
        (_probes(P1, {"probe": "x", "outline": ["a", ""]}), r"outline must be a list of 2-4"),
        (_probes(P1, {"probe": "x", "outline": "ab"}), r"outline must be a list of 2-4"),
        (
            _probes(P1, {"probe": "x", "outline": ["a", "a"]}),
            r"follow_ups\[1\]\.outline must not repeat a key point",
        ),
        (_probes(P1, {**P1, "outline": ["c", "d"]}), "follow_ups must be two different probes"),
        (_probes(P1, {"probe": "WHY?", "outline": ["c", "d"]}), "neither the question itself"),
    ],
)
def test_validation_errors(change, match):
    entry = {**copy.deepcopy(GOOD), **change}
    with pytest.raises(ValueError, match=match):
        validate_questions([entry])


def test_duplicates_missing_and_unknown_notebook():
    with pytest.raises(ValueError, match="id must be unique"):
        validate_questions([GOOD, GOOD])
    with pytest.raises(ValueError, match="missing \\['topic'\\]"):
        validate_questions([{k: v for k, v in GOOD.items() if k != "topic"}])
    with pytest.raises(ValueError, match="notebook must be one of the notebooks"):
        validate_questions([GOOD], notebooks={"01_x"})
    with pytest.raises(ValueError, match="entries must be a non-empty list"):
        validate_questions({})
    with pytest.raises(ValueError, match="entry 0 must be a mapping"):
        validate_questions(["q"])


def test_every_question_has_two_distinct_follow_ups_with_outlines():
    questions = load_questions()
    assert len(questions) >= 60
    for q in questions:
        assert len(q.follow_ups) == 2, q.id
        probes = [f.probe for f in q.follow_ups]
        assert len(set(probes)) == 2 and q.question not in probes, q.id
        for f in q.follow_ups:
            assert 2 <= len(f.outline) <= 4 and all(p.strip() for p in f.outline), q.id
            assert f.probe.endswith(("?", ".")), f"{q.id}: unfinished probe: {f.probe!r}"
    all_probes = [f.probe for q in questions for f in q.follow_ups]
    assert len(set(all_probes)) == len(all_probes), "a probe is repeated across questions"


def test_follow_ups_never_claim_job_experience():
    banned = ("in my last job", "in my last project", "at my previous", "at my last company")
    for q in load_questions():
        text = " ".join(p for f in q.follow_ups for p in (f.probe, *f.outline)).lower()
        assert not any(b in text for b in banned), q.id
        if "case study" in text:
            assert "in a case study i built with the casebook" in text, q.id
