import json
import re

import pytest

from casebook.course.glossary import GlossaryTerm, load_glossary, term_pattern, validate_glossary
from casebook.course.paths import notebooks_dir

NOTEBOOKS = {p.stem: p for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb")}
REQUIRED = [
    "PSI", "ECE", "TPR", "FPR", "precision", "recall", "four-fifths rule", "TSTR",
    "point-in-time", "calibration", "Brier score", "ROC-AUC", "PR-AUC", "KS statistic",
    "Benjamini-Hochberg", "equalized odds", "demographic parity", "bootstrap interval",
    "cost-optimal threshold", "decision curve", "SMOTE", "class weights",
    "permutation importance", "SHAP", "drift", "concept drift", "label shift",
    "champion/challenger", "cooldown",
]  # fmt: skip

GOOD = {"term": "PSI", "definition": "A shift index.", "notebook": "13_weekly_drift_monitoring"}


def markdown_of(stem: str) -> str:
    cells = json.loads(NOTEBOOKS[stem].read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_the_glossary_covers_the_core_terms():
    terms = load_glossary()
    assert 40 <= len(terms) <= 72
    names = {t.term for t in terms}
    assert not [r for r in REQUIRED if r not in names]
    validate_glossary(
        [{"term": t.term, "definition": t.definition, "notebook": t.notebook} for t in terms],
        notebooks=set(NOTEBOOKS),
    )


@pytest.mark.parametrize("term", load_glossary(), ids=lambda t: t.term)
def test_each_term_appears_in_the_notebook_that_teaches_it(term: GlossaryTerm):
    text = markdown_of(term.notebook)
    found = [a for a in term.aliases if re.search(term_pattern(a), text)]
    assert found, f"{term.term!r} (or an alias {term.aliases}) is not in {term.notebook}'s text"


def test_anchors_are_unique_and_sorted():
    terms = load_glossary()
    assert len({t.anchor for t in terms}) == len(terms)
    assert [t.term.lower() for t in terms] == sorted(t.term.lower() for t in terms)
    assert GlossaryTerm("ROC-AUC", "x", "10_x", ("ROC-AUC",)).anchor == "term-roc-auc"


def test_matching_rule():
    assert re.search(term_pattern("precision"), "Precision at k")
    assert not re.search(term_pattern("SHAP"), "the shape of SHAPley")
    assert re.search(term_pattern("concept drift"), "a concept\n  drift")
    assert not re.search(term_pattern("AUC"), "the PR-AUC")


@pytest.mark.parametrize(
    ("entries", "match"),
    [
        ({"a": 1}, "entries must be a non-empty list, got dict"),
        ([], "entries must be a non-empty list, got list"),
        (["PSI"], "glossary entry 0 must be a mapping, got str"),
        ([{**GOOD, "extra": 1}], r"glossary entry 'PSI': fields .* unexpected \['extra'\]"),
        (
            [{"term": "PSI"}],
            r"glossary entry 'PSI': fields .* missing \['definition', 'notebook'\]",
        ),
        ([{**GOOD, "definition": " "}], "glossary entry 'PSI': definition must be a non-empty"),
        ([{**GOOD, "term": 3}], "glossary entry 3: term must be a non-empty string, got 3"),
        ([{**GOOD, "definition": "one\ntwo"}], "glossary entry 'PSI': definition must be one line"),
        ([{**GOOD, "notebook": "13"}], "glossary entry 'PSI': notebook must be a notebook stem"),
        ([{**GOOD, "aliases": "psi"}], "glossary entry 'PSI': aliases must be a list"),
        ([{**GOOD, "aliases": [""]}], "glossary entry 'PSI': aliases must be a list"),
        ([GOOD, {**GOOD, "term": "Psi"}], "glossary entry 'Psi': 'Psi' is already used by 'PSI'"),
        (
            [GOOD, {**GOOD, "term": "KS", "aliases": ["psi"]}],
            "glossary entry 'KS': 'psi' is already used by 'PSI'",
        ),
    ],
)
def test_bad_entries_are_named(entries, match):
    with pytest.raises(ValueError, match=match):
        validate_glossary(entries)


def test_unknown_notebook_is_named():
    with pytest.raises(ValueError, match="glossary entry 'PSI': notebook must be one of the"):
        validate_glossary([GOOD], notebooks={"00_start_here"})


def test_load_glossary_from_a_file(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("- term: PSI\n  definition: A shift index.\n  notebook: 13_x\n")
    assert load_glossary(path)[0].aliases == ("PSI",)
    path.write_text("- term: PSI\n")
    with pytest.raises(ValueError, match="missing"):
        load_glossary(tmp_path / "g.yaml")
