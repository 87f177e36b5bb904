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
}


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
