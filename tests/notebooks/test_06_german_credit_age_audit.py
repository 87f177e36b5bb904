"""Checks on the recorded results of notebook 06 (German Credit age and sex audit)."""

import pytest

pytestmark = pytest.mark.notebooks


@pytest.fixture
def res(lesson_results):
    return lesson_results("06_german_credit_age_audit")["results"]


def _v(res, key):
    return res[key]["value"]


def test_group_sizes_and_power(res):
    assert _v(res, "n_young") == 190
    assert _v(res, "n_women") == 310
    assert _v(res, "n_young_women") < _v(res, "n_young")
    assert _v(res, "good_rate_young") < _v(res, "good_rate_older")
    assert _v(res, "n_needed_for_5pt_margin") > _v(res, "n_young")
    assert 0.08 < _v(res, "detectable_gap_age") < 0.12
    assert _v(res, "detectable_gap_young_women") > _v(res, "detectable_gap_age")
    assert _v(res, "detectable_gap_sex") < _v(res, "detectable_gap_age")


def test_model_is_an_ordinary_scorecard(res):
    assert 0.7 < _v(res, "model_auc") < 0.85
    assert 0.6 < _v(res, "approval_rate") < 0.9


def test_audit_is_inconclusive_for_age_not_failing(res):
    age = _v(res, "age_verdicts")
    assert age.get("fail", 0) == 0
    assert age.get("inconclusive", 0) >= 6
    assert _v(res, "age_point_estimate_fails") >= 1
    low, high = _v(res, "age_dp_gap_ci")
    assert 0 < low < 0.1 < high
    assert low < _v(res, "age_dp_gap") < high
    assert _v(res, "sex_verdicts").get("fail", 0) == 0
    assert _v(res, "widest_interval_fpr") > 0.2
    assert _v(res, "young_needed_to_settle") > 0


def test_age_as_an_input_is_examined(res):
    coef = _v(res, "age_coefficient")
    low, high = _v(res, "age_coefficient_ci")
    assert low <= coef <= high
    odds, olow, ohigh = _v(res, "age_odds_per_10_years")
    assert olow <= odds <= ohigh and (odds > 1) == (coef > 0)
    assert 0 < _v(res, "decisions_changed_by_age") < 0.2
    for key in ("no_age_accuracy_change_ci", "no_age_gap_change_ci", "no_age_young_rate_change_ci"):
        est, lo, hi = _v(res, key)
        assert lo <= est <= hi, key
    gap, lo, hi = _v(res, "no_age_gap_ci")
    assert lo <= gap <= hi
    assert gap >= 0.5 * _v(res, "age_dp_gap")  # most of the gap survives without age


def test_the_committee_gets_a_card_and_a_memo(lesson_results, curriculum_run):
    from pathlib import Path

    from casebook.course.audit_documents import audit_documents

    data = lesson_results("06_german_credit_age_audit")
    card, memo = audit_documents(data)
    folder = Path(curriculum_run["06_german_credit_age_audit"].output_dir) / "documents"
    assert sorted(p.name for p in folder.iterdir()) == [
        "audit_memo.html", "audit_memo.md", "model_card.html", "model_card.md"
    ]  # fmt: skip
    assert (folder / "audit_memo.md").read_text().startswith(f"# {memo.title}")
    age_status = data["results"]["age_sheet_rows"]["value"][0]["status"]
    assert age_status == "inconclusive"  # the lesson's claim: no age criterion fails
    assert memo.recommendation.startswith("Neither certify the scorecard for age")
    low, high = _v(data["results"], "age_dp_gap_ci")
    assert f"{low:.2f} to {high:.2f}, excludes 0" in memo.recommendation
    assert len(card.findings) == 16 and card.review_date > card.prepared
