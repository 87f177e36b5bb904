import pytest

pytestmark = pytest.mark.notebooks

NAME = "08_credit_api_bias_monitoring"


def test_alert_fires_soon_after_the_injection_and_not_before(lesson_results):
    res = lesson_results(NAME)["results"]
    drift = res["drift_week"]["value"]
    assert drift == 24  # the generator's documented default
    assert drift <= res["first_alert_week"]["value"] <= drift + 6
    assert res["detection_delay_weeks"]["value"] == res["first_alert_week"]["value"] - drift
    assert res["robust_false_alerts"]["value"] == 0
    assert res["naive_false_alerts"]["value"] >= res["robust_false_alerts"]["value"]


def test_small_weeks_are_not_judged(lesson_results):
    res = lesson_results(NAME)["results"]
    assert set(res["small_weeks"]["value"]) >= {6, 13, 19}
    assert (
        res["interval_width_small_weeks"]["value"]
        >= 1.3 * res["interval_width_normal_weeks"]["value"]
    )
    assert 0.05 < res["interval_width_normal_weeks"]["value"] < 0.5


def test_diagnosis_finds_the_injected_cause(lesson_results):
    res = lesson_results(NAME)["results"]
    assert res["diagnosed_feature"]["value"] == "years_continuous_employment"
    assert res["diagnosed_group"]["value"] == "50_plus"
    assert res["employment_differential_shift"]["value"] > 0.3
    assert res["income_overall_shift"]["value"] > 0.0


def test_harm_is_visible_in_outcomes(lesson_results):
    data = lesson_results(NAME)
    res = data["results"]
    assert res["fnr_ratio_after"]["value"] >= 1.5
    assert 0.5 < res["fnr_ratio_before"]["value"] < 1.5
    assert 0 < res["detectable_gap_per_week"]["value"] < 0.3
    assert data["key_figure"] == "figures/alert_timeline.png"
    est, low, high = res["fnr_gap_after_ci"]["value"]
    assert 0 < low <= est <= high


def test_retraining_after_diagnosis_restores_fairness_and_accuracy(lesson_results):
    data = lesson_results(NAME)
    res = data["results"]
    est, low, high = res["retrain_ratio_change_ci"]["value"]
    assert 0 < low <= est <= high
    est, low, high = res["retrain_accuracy_change_ci"]["value"]
    assert 0 < low <= est <= high
    est, low, high = res["retrain_tpr_gap_change_ci"]["value"]
    assert low <= est <= high < 0  # good payers of both ages approved at closer rates
    ratio, low, high = res["retrained_ratio_after_ci"]["value"]
    assert low <= ratio <= high and ratio > 0.7
    est, low, high = res["retrain_clean_accuracy_change_ci"]["value"]
    assert low <= est <= high < 0.02  # dropping a predictive feature does not help on clean data
    assert "figures/retrain_before_after.png" in data["figures"]


def test_the_incident_memo_follows_the_run(lesson_results, curriculum_run):
    from pathlib import Path

    from casebook.course.audit_documents import audit_documents

    data = lesson_results("08_credit_api_bias_monitoring")
    card, memo = audit_documents(data)
    folder = Path(curriculum_run["08_credit_api_bias_monitoring"].output_dir) / "documents"
    assert (folder / "audit_memo.md").read_text().startswith(f"# {memo.title}")
    assert card.findings[0].status == "fail"  # the robust rule alerted (a claim of the lesson)
    assert "Replace the deployed model" in memo.recommendation  # both paired intervals above 0
    assert data["results"]["diagnosed_feature"]["value"] in memo.recommendation
    assert (card.review_date - card.prepared).days == 30
