"""Checks on the recorded results of 03_medical_screening_costs (fast run, solutions on)."""

import pytest

pytestmark = pytest.mark.notebooks

NAME = "03_medical_screening_costs"


def test_cost_optimal_threshold_saves_money(lesson_results):
    res = lesson_results(NAME)["results"]
    assert 0.3 < res["prevalence"]["value"] < 0.45  # 212 of 569 are malignant
    assert res["test_auc"]["value"] > 0.95
    # the cost-optimal threshold for a 25:1 cost ratio is well below 0.5 ...
    assert 0.0 < res["cost_optimal_threshold"]["value"] < 0.35
    # ... and saves cost on most random splits, at least 30% of the pooled cost
    assert res["repeat_share_splits_saving"]["value"] >= 0.75
    assert res["repeat_pooled_saving"]["value"] >= 0.3
    assert (
        res["repeat_saving_min"]["value"]
        <= res["repeat_median_saving"]["value"]
        <= res["repeat_saving_max"]["value"]
    )
    # the formula threshold differs because low risks are overstated
    assert (
        res["dev_malignant_rate_between_thresholds"]["value"]
        <= 0.5 * res["dev_mean_risk_between_thresholds"]["value"]
    )


def test_sensitivity_floor_and_its_uncertainty(lesson_results):
    res = lesson_results(NAME)["results"]
    assert res["floor_test_sensitivity"]["value"] >= 0.85
    assert 0.5 < res["floor_test_specificity"]["value"] <= 1.0
    assert res["floor_sensitivity_exact_lower_bound"]["value"] < 0.98
    assert res["ci_sensitivity_low"]["value"] <= res["ci_sensitivity_high"]["value"] <= 1.0
    assert res["ci_cost_saved_low"]["value"] < res["ci_cost_saved_high"]["value"]


def test_calibration_and_screening_numbers(lesson_results):
    res = lesson_results(NAME)["results"]
    # recalibration reliably removes naive Bayes' confident mistakes (log loss); its ECE gain
    # is smaller and noisier, reported with an interval rather than claimed
    assert res["repeat_share_recalibration_lowers_log_loss"]["value"] >= 0.8
    assert (
        res["repeat_mean_ece_change_low"]["value"]
        <= res["repeat_mean_ece_change"]["value"]
        <= res["repeat_mean_ece_change_high"]["value"]
    )
    assert 0.0 <= res["repeat_share_recalibration_lowers_ece"]["value"] <= 1.0
    assert res["ece_logistic"]["value"] < 0.1
    assert 0 < res["brier_logistic"]["value"] < 0.1
    assert (
        res["ppv_at_screening_prevalence"]["value"]
        < 0.5 * res["ppv_at_dataset_prevalence"]["value"]
    )
    assert res["npv_at_screening_prevalence"]["value"] > 0.999
    assert res["false_alarms_per_cancer_screening"]["value"] > 1
    assert res["decision_curve_share_model_best"]["value"] >= 0.9


def test_figures_saved(lesson_results):
    data = lesson_results(NAME)
    assert data["key_figure"] == "figures/cost_curve.png"
    expected = {"cost_curve", "operating_points", "reliability", "predictive_values",
                "decision_curve", "explorer", "saving_over_splits"}  # fmt: skip
    assert expected <= {f.split("/")[-1].removesuffix(".png") for f in data["figures"]}
