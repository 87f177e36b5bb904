"""Checks on the recorded results of notebook 09 (fast run, solutions on)."""

import pytest

pytestmark = pytest.mark.notebooks

NB = "09_churn_prediction_and_segmentation"


def test_data_checks_found_the_blanks_and_the_leakage_candidate(lesson_results):
    res = lesson_results(NB)["results"]
    assert res["n_missing_total_charges"]["value"] == 11
    assert 0.2 < res["churn_rate"]["value"] < 0.33
    assert res["corr_total_vs_tenure_x_monthly"]["value"] > 0.99


def test_models_are_good_tied_and_calibrated(lesson_results):
    res = lesson_results(NB)["results"]
    for key in ("auc_logreg", "auc_hgb"):
        assert 0.8 < res[key]["value"] < 0.9
    assert res["auc_diff_low"]["value"] <= res["auc_diff_hgb_minus_logreg"]["value"]
    assert res["auc_diff_hgb_minus_logreg"]["value"] <= res["auc_diff_high"]["value"]
    assert abs(res["auc_diff_hgb_minus_logreg"]["value"]) < 0.02
    assert 0.5 < res["pr_auc_logreg"]["value"] < 0.8
    assert res["ece_logreg"]["value"] < 0.05
    assert res["precision_top10_logreg"]["value"] > 2 * res["churn_rate"]["value"]
    tops = res["top_features_logreg"]["value"] + res["top_features_hgb"]["value"]
    assert "contract" in tops and "tenure" in tops


def test_segments_are_stable_and_differ_in_churn(lesson_results):
    res = lesson_results(NB)["results"]
    k = res["k_chosen"]["value"]
    assert 2 <= k <= 7
    assert res["stability_chosen_k"]["value"] >= 0.9
    rates = res["segment_churn_rates"]["value"]
    assert len(rates) == k
    assert max(rates.values()) > 0.3 > min(rates.values())
    assert res["segment_churn_ratio"]["value"] >= 3


def test_campaign_profit_beats_contacting_everyone(lesson_results):
    res = lesson_results(NB)["results"]
    best = res["best_profit"]["value"]
    assert best > res["profit_contact_all"]["value"]
    assert 0.1 < res["best_depth"]["value"] < 0.8
    assert res["break_even_rule_profit"]["value"] >= 0.8 * best
    depths = res["segment_best_depth"]["value"]
    assert max(depths.values()) > min(depths.values())


def test_key_figure_and_exercises(lesson_results):
    data = lesson_results(NB)
    assert data["key_figure"] == "figures/segments.png"
    assert set(data["exercises"]) == {"richer_offer_depth", "which_model"}
